"""How event dates read: "20 Juni 2022, 09.00–16.00 WIB" (Indonesian) or "20 June 2022, 09:00–16:00 WIB".

Events happen in Lampung, so they are always shown in Western Indonesia Time, whatever the server's zone.
"""

import datetime as dt

from django.utils import formats

from exhibitions.models import WIB


def _date(value: dt.datetime) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _time(value: dt.datetime) -> str:
    return formats.time_format(value, "TIME_FORMAT")


def event_when(starts: dt.datetime, ends: dt.datetime) -> str:
    """Dates and times: "20 Juni 2022, 09.00–16.00 WIB".

    Across days: "20 Juni 2022, 09.00 – 22 Juni 2022, 16.00 WIB".
    """
    starts, ends = starts.astimezone(WIB), ends.astimezone(WIB)
    if starts.date() == ends.date():
        if starts == ends:
            return f"{_date(starts)}, {_time(starts)} WIB"
        return f"{_date(starts)}, {_time(starts)}–{_time(ends)} WIB"
    return f"{_date(starts)}, {_time(starts)} – {_date(ends)}, {_time(ends)} WIB"


def event_dates(starts: dt.datetime, ends: dt.datetime) -> str:
    """Dates only, for cards: "20 Juni 2022", "20–22 Juni 2022", "30 Juni – 2 Juli 2022"."""
    starts, ends = starts.astimezone(WIB), ends.astimezone(WIB)
    if starts.date() == ends.date():
        return _date(starts)
    if (starts.year, starts.month) == (ends.year, ends.month):
        return f"{starts.day}–{_date(ends)}"
    if starts.year == ends.year:
        return f"{formats.date_format(starts, 'MONTH_DAY_FORMAT')} – {_date(ends)}"
    return f"{_date(starts)} – {_date(ends)}"


def wib_time(value: dt.datetime) -> str:
    """A programme time: "09.00"."""
    return _time(value.astimezone(WIB))


def wib_datetime(value: dt.datetime) -> str:
    """ "20 Juni 2022, 09.00 WIB" """
    value = value.astimezone(WIB)
    return f"{_date(value)}, {_time(value)} WIB"


def wib_iso(value: dt.datetime) -> str:
    """ "2022-06-20T09:00:00+07:00", for <time datetime> and JSON-LD."""
    return value.astimezone(WIB).isoformat()


def wib_day(value: dt.datetime) -> str:
    """ "20 Juni" """
    return formats.date_format(value.astimezone(WIB), "MONTH_DAY_FORMAT")
