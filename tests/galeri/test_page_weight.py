"""Weight and speed on a phone: what each public page costs before its product photos.

Budgets (issue #10, docs/quality.md): HTML at most 60 KB uncompressed; CSS and JavaScript together at
most 40 KB gzipped (read through the staticfiles finders and compressed here as whitenoise does);
no web font that blocks rendering; no request to another host. Photos: srcset/sizes, width/height,
lazy but for the first visible ones, fetchpriority="high" on the largest. Static files: far-future
cache headers and gzip from whitenoise; media: a month's cache.
"""

import gzip
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from catalog.views.public import EAGER_IMAGES
from galeri.views import MEDIA_CACHE_CONTROL
from tests.galeri.public_pages import PublicSite, build_site, read

pytestmark = pytest.mark.django_db

HTML_BUDGET = 60 * 1024
CSS_JS_BUDGET = 40 * 1024
LANGUAGES = ["", "/en"]
PAGES = ["home", "products", "products-filtered", "product", "ikm-list", "ikm", "events", "event"]
SITE_HOST = urlsplit(settings.SITE_URL).netloc


@pytest.fixture
def site(make_ikm, make_product) -> PublicSite:
    return build_site(make_ikm, make_product)


def _page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content, read(response.content.decode())


def _static_files(reader) -> list[str]:
    """The stylesheets and scripts a page loads, as paths under STATIC_URL."""
    urls = [link["href"] for link in reader.links if link.get("rel") == "stylesheet"]
    urls += [script["src"] for script in reader.scripts if script.get("src")]
    assert all(url.startswith(settings.STATIC_URL) for url in urls), urls
    return [url.removeprefix(settings.STATIC_URL) for url in urls]


def _gzipped_size(path: str) -> int:
    found = finders.find(path)
    assert found, f"{path} is not a static file"
    return len(gzip.compress(Path(found).read_bytes(), compresslevel=9, mtime=0))  # whitenoise's settings


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_html_stays_within_60_kb(visitor, site, page, language) -> None:
    content, _reader = _page(visitor, language + site.paths()[page])
    assert len(content) <= HTML_BUDGET, f"{len(content)} bytes"


@pytest.mark.parametrize("page", PAGES)
def test_css_and_javascript_stay_within_40_kb_gzipped(visitor, site, page) -> None:
    _content, reader = _page(visitor, site.paths()[page])
    files = _static_files(reader)
    assert "css/galeri.css" in files
    total = sum(_gzipped_size(path) for path in files)
    assert total <= CSS_JS_BUDGET, f"{total} bytes gzipped: {files}"
    # Scripts never block the parser.
    assert all("defer" in script or "async" in script for script in reader.scripts if script.get("src"))


@pytest.mark.parametrize("page", PAGES)
def test_no_web_font_blocks_rendering(visitor, site, page) -> None:
    _content, reader = _page(visitor, site.paths()[page])
    assert not [link for link in reader.links if link.get("as") == "font" or ".woff" in link.get("href", "")]
    for path in _static_files(reader):
        if path.endswith(".css"):
            css = Path(finders.find(path)).read_text(encoding="utf-8")
            assert "@import" not in css, f"{path} chains another stylesheet"
            for rule in re.findall(r"@font-face\s*{[^}]*}", css):
                assert re.search(r"font-display:\s*(swap|optional|fallback)", rule), f"{path}: {rule}"


def _absolute_elsewhere(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) and parts.netloc != SITE_HOST


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_no_request_to_another_host(visitor, site, page, language) -> None:
    _content, reader = _page(visitor, language + site.paths()[page])
    urls = [link.get("href", "") for link in reader.links]
    urls += [script.get("src", "") for script in reader.scripts]
    for image in reader.images:
        urls.append(image.get("src", ""))
        urls += [candidate.split()[0] for candidate in image.get("srcset", "").split(",") if candidate.strip()]
    assert [url for url in urls if _absolute_elsewhere(url)] == []
    # What the browser fetches is relative: only canonical/hreflang name the site's own origin.
    fetched = [link["href"] for link in reader.links if link.get("rel") not in ("canonical", "alternate")]
    fetched += [script["src"] for script in reader.scripts if script.get("src")] + [i["src"] for i in reader.images]
    assert all(url.startswith("/") and not url.startswith("//") for url in fetched), fetched
    for path in _static_files(reader):
        css_or_js = Path(finders.find(path)).read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css_or_js), path


# --- Product photos ----------------------------------------------------------------------------


def _check_responsive(image: dict[str, str]) -> None:
    assert image["alt"] is not None
    assert int(image["width"]) > 0 and int(image["height"]) > 0, image
    candidates = [candidate.split() for candidate in image["srcset"].split(",")]
    assert len(candidates) >= 2 and all(re.fullmatch(r"\d+w", c[1]) for c in candidates), image["srcset"]
    assert image["sizes"], image


@pytest.mark.parametrize("path", ["/produk/", "/produk/?page=2", "/en/produk/?category=kopi"])
def test_listing_photos_are_responsive_and_lazy_after_the_first_row(visitor, site, path) -> None:
    _content, reader = _page(visitor, path)
    images = reader.images
    assert len(images) >= 6
    for image in images:
        _check_responsive(image)
        assert "fetchpriority" not in image  # equal cards: none is the one largest picture
    assert [image.get("loading") for image in images[:EAGER_IMAGES]] == ["eager"] * EAGER_IMAGES
    assert {image.get("loading") for image in images[EAGER_IMAGES:]} == {"lazy"}


def test_product_page_loads_the_main_photo_first_and_the_rest_lazily(visitor, site) -> None:
    _content, reader = _page(visitor, site.paths()["product"])
    main, *others = reader.images
    _check_responsive(main)
    assert main["fetchpriority"] == "high" and main.get("loading") == "eager"
    assert "36rem" in main["sizes"] and "100vw" in main["sizes"]
    assert others and all(image.get("loading") == "lazy" and "fetchpriority" not in image for image in others)
    for image in others:
        _check_responsive(image)


@pytest.mark.parametrize("page", ["ikm", "event"])
def test_profile_and_event_pages_prioritise_their_cover(visitor, site, page) -> None:
    _content, reader = _page(visitor, site.paths()[page])
    first, *others = reader.images
    _check_responsive(first)
    assert first["fetchpriority"] == "high" and first.get("loading") in (None, "eager")
    assert [image for image in others if image.get("fetchpriority")] == []
    for image in others:
        _check_responsive(image)


# --- Cache headers and compression -------------------------------------------------------------


def test_media_is_served_with_a_months_cache(visitor, tmp_path) -> None:
    folder = tmp_path / "produk" / "abc"
    folder.mkdir(parents=True)
    (folder / "w640.webp").write_bytes(b"RIFF0000WEBP")
    with override_settings(MEDIA_ROOT=tmp_path):
        response = visitor.get("/media/produk/abc/w640.webp")
    assert response.status_code == 200
    assert response["Cache-Control"] == MEDIA_CACHE_CONTROL == "public, max-age=2592000, immutable"
    b"".join(response.streaming_content)


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory) -> object:
    """The production storage (hashed names, gzip copies) collected into a temporary STATIC_ROOT."""
    root = tmp_path_factory.mktemp("staticfiles")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages, WHITENOISE_USE_FINDERS=False, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_static_files_have_far_future_cache_headers_and_gzip(collected_static) -> None:
    from django.templatetags.static import static
    from django.test import RequestFactory
    from whitenoise.middleware import WhiteNoiseMiddleware

    css_url = static("css/galeri.css")
    assert re.search(r"/css/galeri\.[0-9a-f]{12}\.css$", css_url)  # hashed: safe to keep for years
    middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
    request = RequestFactory().get(css_url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    response = middleware(request)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content)
    assert gzip.decompress(body) == Path(finders.find("css/galeri.css")).read_bytes()
    response.close()


def test_pages_link_static_files_by_their_hashed_names(visitor, site, collected_static) -> None:
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=collected_static, STORAGES=storages):
        _content, reader = _page(visitor, reverse("catalog:product-list"))
    assert all(re.search(r"\.[0-9a-f]{12}\.(css|js)$", path) for path in _static_files(reader))
