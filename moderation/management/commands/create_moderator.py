"""``python manage.py create_moderator EMAIL [--name NAME] [--password] [--no-email]``

Makes EMAIL a staff account in the Moderator group (creating it when needed, promoting it otherwise). By
default no password is typed anywhere: the account gets a link to set its own (allauth's password reset
link), printed here and mailed to the address. ``--password`` asks for one interactively instead (for a
development machine). Never grants superuser rights; refuses an IKM owner.
"""

import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from moderation import services


class Command(BaseCommand):
    help = "Create or promote a staff account in the Moderator group, and mail it a link to set its password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The moderator's email address (their login).")
        parser.add_argument("--name", default="", help="Full name, shown in the decision log.")
        parser.add_argument(
            "--password", action="store_true", help="Ask for a password now instead of sending a link to set one."
        )
        parser.add_argument("--no-email", action="store_true", help="Print the link without mailing it.")

    def handle(self, *args: object, **options: object) -> None:
        email = str(options["email"]).strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not a valid email address.") from error
        password = self._ask_password(email) if options["password"] else None
        try:
            result = services.moderator_create(email=email, full_name=str(options["name"]), password=password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        verb = "Created" if result.created else "Promoted"
        self.stdout.write(self.style.SUCCESS(f"{verb} moderator {result.user.email} (staff, group Moderator)."))
        if result.password_set_url:
            self.stdout.write(f"Link to set the password: {result.password_set_url}")
            if not options["no_email"]:
                if services.moderator_invite_send(result=result):
                    self.stdout.write(f"The link was mailed to {result.user.email}.")
                else:
                    self.stderr.write(
                        f"The link could not be mailed to {result.user.email} (see the log): give it to them yourself."
                    )

    def _ask_password(self, email: str) -> str:
        for _attempt in range(3):
            password = getpass.getpass(f"Password for {email}: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ.")
                continue
            try:
                validate_password(password)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
        raise CommandError("No valid password given.")
