"""The events section of /sitemap.xml: every public event page (published or cancelled), in both languages."""

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet

from exhibitions.models import Event


class EventSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True  # the Indonesian (unprefixed) page is the default
    changefreq = "weekly"
    priority = 0.6
    limit = 2000

    def items(self) -> QuerySet[Event]:
        return Event.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, event: Event) -> dt.datetime:
        return event.updated_at

    def get_latest_lastmod(self) -> dt.datetime | None:
        """One MAX() query instead of a walk over every event."""
        return self.items().aggregate(latest=Max("updated_at"))["latest"]
