"""Delete old inquiries: ``python manage.py purge_inquiries [--older-than-months 24] [--dry-run]``.

Inquiries hold buyers' names, emails and phone numbers; we keep them only as long as an owner plausibly
needs them (docs/inquiries.md explains the default of 24 months). The WhatsApp click counters hold nothing
personal and are kept.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from inquiries.figures import month_start
from inquiries.models import Inquiry

DEFAULT_RETENTION_MONTHS = 24
BATCH_SIZE = 1000


def months_ago(months: int, *, now: dt.datetime | None = None) -> dt.datetime:
    """The same local time ``months`` calendar months ago, the day clamped to that month's length (31 → 30)."""
    now = timezone.localtime(now)
    first = month_start(now.date(), months)
    days_in_month = (month_start(first, -1) - first).days
    day = first.replace(day=min(now.day, days_in_month))
    return timezone.make_aware(dt.datetime.combine(day, now.time().replace(tzinfo=None)))


class Command(BaseCommand):
    help = "Delete inquiries older than N months (default 24), with the buyers' contact details in them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-months",
            type=int,
            default=DEFAULT_RETENTION_MONTHS,
            help=f"Delete inquiries sent more than this many months ago (default {DEFAULT_RETENTION_MONTHS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args: object, **options: object) -> None:
        months = int(options["older_than_months"])
        if months < 1:
            raise CommandError("--older-than-months must be 1 or more.")
        cutoff = months_ago(months)
        old = Inquiry.objects.filter(created_at__lt=cutoff)
        if options["dry_run"]:
            self.stdout.write(f"{old.count()} inquiries sent before {cutoff:%Y-%m-%d} would be deleted.")
            return
        deleted = 0
        # In batches, so a first run over years of data does not hold one huge transaction.
        while batch := list(old.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]):
            count, _ = Inquiry.objects.filter(pk__in=batch).delete()
            deleted += count
        self.stdout.write(f"Deleted {deleted} inquiries sent before {cutoff:%Y-%m-%d}.")
