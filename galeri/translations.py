"""Strings Django itself shows but whose Indonesian translation Django 6.1 does not ship yet.

Listed here so `makemessages` extracts them into Galeri's catalogue, which takes precedence over Django's.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),  # Django 6.1's blank choice label on every <select>
]
