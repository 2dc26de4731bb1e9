"""Retry the inquiry emails that could not be sent: ``python manage.py send_pending_inquiry_mail``.

Safe to run from cron every few minutes (e.g. ``*/10 * * * *``): each inquiry is claimed before it is mailed,
so overlapping runs never send one twice, and failures back off (1, 2, 4 … minutes, at most 12 hours) for
up to MAX_NOTIFY_ATTEMPTS attempts.
"""

from django.core.management.base import BaseCommand, CommandParser

from inquiries import services


class Command(BaseCommand):
    help = "Send the inquiry emails (to owners and buyers' confirmations) that failed or were never sent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="At most this many inquiries per run (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Only say how many are due.")

    def handle(self, *args: object, **options: object) -> None:
        due = services.inquiries_due_for_retry()[: int(options["limit"])]
        if options["dry_run"]:
            self.stdout.write(f"{len(due)} inquiries are due for an email.")
            return
        sent = failed = 0
        for pk in due:
            if services.inquiry_notify(inquiry_id=pk):
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"Inquiries emailed: {sent}; still failing: {failed}.")
