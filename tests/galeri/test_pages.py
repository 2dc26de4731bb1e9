import datetime as dt

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import formats, translation
from django.views.defaults import server_error

from galeri.money import format_rupiah

pytestmark = pytest.mark.django_db


def test_home_page_in_indonesian_has_the_accessible_layout(visitor) -> None:
    response = visitor.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert 'href="#main-content"' in html and '<main id="main-content"' in html
    assert 'role="search"' in html and 'action="/produk/"' in html and 'name="q"' in html
    assert "Langsung ke konten utama" in html
    assert 'hreflang="en"' in html and 'href="/en/"' in html


def test_english_home_page_lives_under_en(visitor) -> None:
    response = visitor.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert 'action="/en/produk/"' in html


def test_unprefixed_pages_stay_indonesian_for_an_english_browser(visitor) -> None:
    response = visitor.get("/", headers={"accept-language": "en"})
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.parametrize("path", ["/produk/", "/ikm/", "/acara/", "/en/produk/", "/en/ikm/", "/en/acara/"])
def test_section_pages_answer(visitor, path: str) -> None:
    assert visitor.get(path).status_code == 200


def test_security_headers_on_every_page(visitor) -> None:
    response = visitor.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_no_inline_scripts_or_style_attributes_on_the_home_page(visitor) -> None:
    html = visitor.get("/").content.decode()
    assert "style=" not in html
    assert "<script>" not in html


def test_404_page_is_styled_and_translated(visitor) -> None:
    response = visitor.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    response = visitor.get("/en/does-not-exist/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_500_page_renders_without_a_request_context() -> None:
    with translation.override("id"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Terjadi kesalahan di sisi kami" in response.content.decode()


def test_healthz_reports_the_database(visitor) -> None:
    response = visitor.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(visitor, monkeypatch) -> None:
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    from django.db import connection

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = visitor.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_refuses_post(visitor) -> None:
    assert visitor.post("/healthz").status_code == 405


@pytest.mark.parametrize(
    ("amount", "text"), [(25000, "Rp25.000"), (0, "Rp0"), (1500000, "Rp1.500.000"), (999, "Rp999"), (None, "")]
)
def test_rupiah_format(amount, text) -> None:
    assert format_rupiah(amount) == text


def test_dates_read_the_indonesian_way() -> None:
    with translation.override("id"):
        assert formats.date_format(dt.date(2022, 6, 20)) == "20 Juni 2022"
    with translation.override("en"):
        assert formats.date_format(dt.date(2022, 6, 20)) == "20 June 2022"


def test_database_outage_answers_a_friendly_503(client, monkeypatch) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    def database_down(self, *args, **kwargs):
        raise OperationalError("could not connect to server")

    client.raise_request_exception = False
    client.cookies["sessionid"] = "x" * 32
    monkeypatch.setattr(SessionStore, "load", database_down)
    with translation.override("id"):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Galeri sedang tidak dapat diakses sebentar" in response.content.decode()


def test_other_errors_stay_500(client, monkeypatch) -> None:
    import galeri.views

    def broken(request):
        raise ValueError("bug")

    client.raise_request_exception = False
    monkeypatch.setattr(galeri.views, "render", lambda *a, **k: broken(None))
    assert client.get("/").status_code == 500


def test_429_page_is_styled_and_translated(rf) -> None:
    from django.shortcuts import render

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("id"):
        html = render(request, "429.html", status=429).content.decode()
    assert "Terlalu banyak percobaan" in html and '<main id="main-content"' in html
