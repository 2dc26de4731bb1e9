from django.apps import AppConfig


class GaleriConfig(AppConfig):
    """The project package is also an app: shared template tags, formats and management commands."""

    name = "galeri"
    verbose_name = "Galeri"
