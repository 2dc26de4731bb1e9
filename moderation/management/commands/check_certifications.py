"""``python manage.py check_certifications`` — run daily from cron (see docs/moderation.md).

Mails owners 30 and 7 days before a verified certificate expires (each reminder once per expiry date,
safe to run again the same day or on several machines) and lists the verified certificates that have
expired; those also show as a queue on the admin index. Badges disappear at expiry without this job.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from moderation import services


class Command(BaseCommand):
    help = "Mail certificate expiry reminders (30 and 7 days before, once each) and list expired certificates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD), for a test or a catch-up.")

    def handle(self, *args: object, **options: object) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("--today must be a date like 2026-06-20.") from error
        run = services.certification_reminders_send(today=today)
        self.stdout.write(f"Reminders sent: {len(run.sent)} certificate(s) in {run.emails} email(s).")
        if run.failed:
            self.stderr.write(f"{run.failed} email(s) failed; they will be tried again on the next run.")
        self.stdout.write(f"Expired certificates still marked verified: {len(run.expired)}.")
        for certification in run.expired:
            self.stdout.write(f"  {certification.expires_on:%Y-%m-%d}  {certification.ikm}: {certification}")
        if run.failed:
            raise CommandError("Some reminders could not be mailed.")
