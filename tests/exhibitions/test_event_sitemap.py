import pytest
from django.contrib.sitemaps.views import sitemap

from exhibitions.sitemaps import EventSitemap

pytestmark = pytest.mark.django_db


def test_sitemap_lists_public_events_in_both_languages(make_event, rf) -> None:
    make_event(slug="terbit")
    make_event(slug="batal-juga", status="cancelled")
    make_event(slug="draf-rahasia", status="draft")
    response = sitemap(rf.get("/sitemap-events.xml"), sitemaps={"events": EventSitemap})
    xml = response.render().content.decode()
    assert "/acara/terbit/" in xml and "/en/acara/terbit/" in xml and "/acara/batal-juga/" in xml
    assert "draf-rahasia" not in xml
    assert EventSitemap().get_latest_lastmod() is not None
