"""Suspending an IKM hides it and its products at once, everywhere; lifting the suspension brings them back."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ikm_services = pytest.importorskip("ikm.services")


@pytest.fixture
def shown(owner_ikm, make_product, other_ikm):
    keripik = make_product(owner_ikm, name="Keripik Pisang Cokelat", slug="keripik-pisang-cokelat")
    kopi = make_product(owner_ikm, name="Kopi Robusta Liwa", slug="kopi-robusta-liwa")
    tapis = make_product(other_ikm, name="Kain Tapis Emas", slug="kain-tapis-emas")
    return [keripik, kopi], tapis


def _listed(client: Client, url: str, names: list[str]) -> list[str]:
    html = client.get(url).content.decode()
    return [name for name in names if name in html]


def test_suspend_hides_the_ikm_and_its_products_then_lifting_brings_them_back(
    shown, owner_ikm, staff_user, django_capture_on_commit_callbacks
) -> None:
    products, tapis = shown
    names = [p.name for p in products]
    visitor = Client()
    # Pages render once (so anything cached would be stale if suspension did not reach it).
    for product in products:
        assert visitor.get(product.get_absolute_url()).status_code == 200
    assert _listed(visitor, reverse("catalog:product-list"), names) == names
    assert owner_ikm.name in visitor.get(reverse("ikm:ikm-list")).content.decode()
    assert visitor.get(owner_ikm.get_absolute_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        ikm_services.ikm_suspend(ikm=owner_ikm, actor=staff_user, reason="Izin usaha dicabut.")

    for product in products:
        assert visitor.get(product.get_absolute_url()).status_code == 404
        assert visitor.get(reverse("moderation:report-product", kwargs={"slug": product.slug})).status_code == 404
    assert _listed(visitor, reverse("catalog:product-list"), names) == []
    assert _listed(visitor, reverse("catalog:product-list") + "?q=keripik", names) == []
    assert owner_ikm.name not in visitor.get(reverse("ikm:ikm-list")).content.decode()
    assert visitor.get(owner_ikm.get_absolute_url()).status_code == 404
    # Another IKM is not affected.
    assert visitor.get(tapis.get_absolute_url()).status_code == 200

    owner_ikm.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        ikm_services.ikm_unsuspend(ikm=owner_ikm, actor=staff_user)

    for product in products:
        assert visitor.get(product.get_absolute_url()).status_code == 200
    assert _listed(visitor, reverse("catalog:product-list"), names) == names
    assert owner_ikm.name in visitor.get(reverse("ikm:ikm-list")).content.decode()
    assert visitor.get(owner_ikm.get_absolute_url()).status_code == 200


def test_suspension_and_its_lifting_are_in_the_decision_log(owner_ikm, staff_user) -> None:
    from moderation.admin_helpers import decision_rows

    ikm_services.ikm_suspend(ikm=owner_ikm, actor=staff_user, reason="Izin usaha dicabut.")
    owner_ikm.refresh_from_db()
    ikm_services.ikm_unsuspend(ikm=owner_ikm, actor=staff_user)
    rows = decision_rows(owner_ikm)
    assert [row["decision"].to_status for row in rows] == ["verified", "suspended"]
    assert rows[1]["decision"].reason == "Izin usaha dicabut."
    assert str(rows[1]["to_label"]) in ("Suspended", "Ditangguhkan")
