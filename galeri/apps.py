from django.apps import AppConfig


class GaleriConfig(AppConfig):
    """The project package is also an app: shared template tags, formats and management commands."""

    name = "galeri"
    verbose_name = "Galeri"

    def ready(self) -> None:
        # Cached public pages follow what the catalog's generation does not cover (galeri.page_cache):
        # events and everything shown with them, and an IKM's shop links. In every process, commands included.
        from django.apps import apps

        from galeri import page_cache

        application = apps.get_model("exhibitions", "ExhibitorApplication")
        page_cache.connect_models(
            [
                apps.get_model("exhibitions", "Event"),
                apps.get_model("exhibitions", "ProgrammeItem"),
                application,
                apps.get_model("exhibitions", "Award"),
                apps.get_model("ikm", "IKMLink"),
            ],
            m2m=[application.products.through],
        )
