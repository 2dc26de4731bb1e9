"""schema.org Event / ExhibitionEvent JSON-LD for event pages (what search engines show as event cards)."""

from collections.abc import Callable

from django.utils.safestring import SafeString

from exhibitions.models import WIB, Event
from galeri.jsonld import json_for_script

ATTENDANCE = {
    Event.AttendanceMode.OFFLINE: "https://schema.org/OfflineEventAttendanceMode",
    Event.AttendanceMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.AttendanceMode.MIXED: "https://schema.org/MixedEventAttendanceMode",
}


def _place(event: Event) -> dict[str, object]:
    address: dict[str, object] = {"@type": "PostalAddress", "addressRegion": "Lampung", "addressCountry": "ID"}
    if event.venue_address:
        address["streetAddress"] = event.venue_address
    if event.region_id:
        address["addressLocality"] = event.region.name
    place: dict[str, object] = {"@type": "Place", "name": event.venue_name, "address": address}
    if event.latitude is not None and event.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(event.latitude),
            "longitude": float(event.longitude),
        }
    return place


def event_data(event: Event, *, absolute: Callable[[str], str], image_url: str = "") -> dict[str, object]:
    """The JSON-LD object; ``absolute`` turns a path into a full URL."""
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ExhibitionEvent" if event.is_exhibition else "Event",
        "name": event.title,
        "url": absolute(event.get_absolute_url()),
        "startDate": event.starts_at.astimezone(WIB).isoformat(),
        "endDate": event.ends_at.astimezone(WIB).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE[event.attendance_mode],
        "organizer": {"@type": "Organization", "name": event.organiser},
    }
    if event.organiser_url:
        data["organizer"]["url"] = event.organiser_url
    if event.summary or event.description:
        data["description"] = event.summary or event.description[:500]
    if image_url:
        data["image"] = [image_url]
    locations: list[dict[str, object]] = []
    if event.is_in_person:
        locations.append(_place(event))
    if event.is_online:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    data["location"] = locations[0] if len(locations) == 1 else locations
    return data


def to_script_json(data: dict[str, object]) -> SafeString:
    """JSON safe to put inside <script type="application/ld+json">: no "</script>" or "<!--" can break out."""
    return json_for_script(data)
