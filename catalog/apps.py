from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        # Connect the cache-invalidation signals in every process, management commands included.
        from catalog import facets  # noqa: F401
