import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_navigation_and_language_switch(live_server, page: Page, csp_violations: list[str]) -> None:
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Produk industri kecil")

    nav = page.get_by_role("navigation", name="Navigasi utama")
    nav.get_by_role("link", name="Produk").click()
    expect(page).to_have_url(live_server.url + "/produk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Produk")

    nav.get_by_role("link", name="IKM").click()
    expect(page).to_have_url(live_server.url + "/ikm/")
    nav.get_by_role("link", name="Acara").click()
    expect(page).to_have_url(live_server.url + "/acara/")

    page.get_by_role("navigation", name="Bahasa").get_by_role("link", name="EN").click()
    expect(page).to_have_url(live_server.url + "/en/acara/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="ID").click()
    expect(page).to_have_url(live_server.url + "/acara/")
    assert csp_violations == []


def test_search_box_and_skip_link_work_from_the_keyboard(live_server, page: Page) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke konten utama")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main-content")

    search = page.get_by_role("search").get_by_label("Cari produk")
    search.fill("kopi")
    search.press("Enter")
    expect(page).to_have_url(live_server.url + "/produk/?q=kopi")
