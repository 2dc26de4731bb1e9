"""Every database rule of every model, broken on purpose: the database itself must refuse.

Writes go around forms and ``full_clean()`` (``QuerySet.update()``, ``objects.create()``, a copied row), as a
bug, a script or a raw SQL session would. Each refusal is an ``IntegrityError`` raised inside
``transaction.atomic()`` and names the rule that fired, so a test cannot pass because another rule did.

The meta-tests read the models: a new constraint, unique column, foreign key or nullable column that is not
broken here and listed in docs/data-integrity.md fails the suite.
"""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from tests.integrity.conftest import PROJECT_APPS, World

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-integrity.md"
POSITIVE_FIELDS = (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)


def project_models(*, through: bool = True) -> list[type[models.Model]]:
    return [
        model for app in PROJECT_APPS for model in apps.get_app_config(app).get_models(include_auto_created=through)
    ]


def all_constraints() -> dict[str, tuple[type[models.Model], models.BaseConstraint]]:
    return {c.name: (model, c) for model in project_models() for c in model._meta.constraints}


# --- Ways to break a row ------------------------------------------------------------------------


def update(obj: models.Model, **values: object) -> None:
    """One UPDATE, no validation: what a bug or a raw SQL session does."""
    type(obj)._default_manager.filter(pk=obj.pk).update(**values)


def copy(obj: models.Model, **changes: object) -> models.Model:
    """Insert a copy of ``obj``'s row (with ``changes``), no validation."""
    row = type(obj)._default_manager.get(pk=obj.pk)
    if isinstance(row._meta.pk, models.AutoField | models.BigAutoField):
        row.pk = None
    row._state.adding = True
    for name, value in changes.items():
        setattr(row, name, value)
    row.save(force_insert=True)
    return row


def new_user(email: str) -> models.Model:
    return get_user_model().objects.create(email=email, password="!")


def other_ikm(w: World, **fields: object) -> models.Model:
    """A second IKM, with its own owner and slug unless told otherwise."""
    from ikm.models import IKM

    values = {"name": "IKM Lain", "slug": "ikm-lain", "sector": "pangan", "region_id": "18.71"}
    values.update(fields)
    if "owner" not in values:
        values["owner"] = new_user("lain@integrity.test")
    return IKM.objects.create(**values)


def signatures(model: type[models.Model], constraint: models.BaseConstraint) -> list[str]:
    """What the database's error names for this constraint.

    PostgreSQL names every constraint; SQLite names CHECK constraints and expression indexes, but reports a
    column unique constraint by its columns ("UNIQUE constraint failed: ikm_ikmlink.ikm_id, ikm_ikmlink.platform").
    """
    if connection.vendor == "sqlite" and isinstance(constraint, models.UniqueConstraint) and constraint.fields:
        table = model._meta.db_table
        columns = [model._meta.get_field(name).column for name in constraint.fields]
        return [", ".join(f"{table}.{column}" for column in columns)]
    return [constraint.name]


def assert_refused(action: Callable[[], object], expected: list[str], *, deferred: bool = False) -> str:
    """Run ``action`` in a savepoint; the database must raise an IntegrityError naming one of ``expected``."""
    with pytest.raises(IntegrityError) as info:
        with transaction.atomic():
            action()
            if deferred:
                # Foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at COMMIT, or now.
                connection.check_constraints()
    message = str(info.value)
    assert any(name in message for name in expected), f"expected {expected} in: {message}"
    return message


# --- One or more ways to break each named constraint ----------------------------------------------

Breaker = Callable[[World], object]


def _today() -> dt.date:
    return timezone.localdate()


BREAKERS: dict[str, list[Breaker]] = {
    # accounts
    "accounts_user_email_ci_unique": [lambda w: new_user("PEMILIK@Integrity.TEST")],
    # ikm
    "ikm_region_kind_valid": [lambda w: update(w["ikm.Region"], kind="provinsi")],
    "ikm_region_code_in_lampung": [
        lambda w: copy(w["ikm.Region"], code="31.71", bps_code="3171", name="Jakarta Pusat", slug="jakarta-pusat")
    ],
    "ikm_ikm_status_valid": [lambda w: update(w["ikm.IKM"], status="approved")],
    "ikm_ikm_sector_valid": [lambda w: update(w["ikm.IKM"], sector="tambang")],
    "ikm_ikm_legal_form_valid": [lambda w: update(w["ikm.IKM"], legal_form="firma")],
    "ikm_ikm_nib_unique_when_set": [lambda w: other_ikm(w, nib=w["ikm.IKM"].nib)],
    "ikm_ikm_nib_13_digits": [lambda w: update(w["ikm.IKM"], nib="123456789012"), lambda w: other_ikm(w, nib="12345")],
    "ikm_ikm_kbli_5_digits": [lambda w: update(w["ikm.IKM"], kbli="1079")],
    "ikm_ikm_year_founded_plausible": [
        lambda w: update(w["ikm.IKM"], year_founded=1899),
        lambda w: update(w["ikm.IKM"], year_founded=2101),
    ],
    "ikm_ikm_latitude_range": [lambda w: update(w["ikm.IKM"], latitude=Decimal("-90.5"), longitude=Decimal("105.2"))],
    "ikm_ikm_longitude_range": [lambda w: update(w["ikm.IKM"], latitude=Decimal("-5.4"), longitude=Decimal("180.5"))],
    "ikm_ikm_coordinates_both_or_neither": [
        lambda w: update(w["ikm.IKM"], latitude=Decimal("-5.4"), longitude=None),
        lambda w: update(w["ikm.IKM"], latitude=None, longitude=Decimal("105.2")),
    ],
    "ikm_ikm_needs_changes_has_reason": [lambda w: update(w["ikm.IKM"], status="needs_changes", status_reason="")],
    "ikm_ikm_whatsapp_e164_id": [lambda w: update(w["ikm.IKM"], whatsapp="081234567890")],
    "ikm_ikmlink_one_per_platform": [lambda w: copy(w["ikm.IKMLink"], url="https://shopee.co.id/toko-kedua")],
    "ikm_ikmlink_platform_valid": [lambda w: update(w["ikm.IKMLink"], platform="myspace")],
    "ikm_ikmlink_https_only": [
        lambda w: update(w["ikm.IKMLink"], url="http://shopee.co.id/kopi-integritas"),
        lambda w: update(w["ikm.IKMLink"], url="javascript:alert(1)"),
    ],
    # catalog
    "catalog_category_not_own_parent": [lambda w: update(w["catalog.Category"], parent=F("pk"))],
    "catalog_product_status_valid": [lambda w: update(w["catalog.Product"], status="sold")],
    "catalog_product_unit_valid": [lambda w: update(w["catalog.Product"], unit="ton")],
    "catalog_product_availability_valid": [lambda w: update(w["catalog.Product"], availability="soon")],
    "catalog_product_price_range_ordered": [
        lambda w: update(w["catalog.Product"], price_min=50_000, price_max=40_000),
        lambda w: update(w["catalog.Product"], price_min=50_000, price_max=50_000),
        lambda w: update(w["catalog.Product"], price_min=None, price_max=40_000),
    ],
    "catalog_product_price_positive": [lambda w: update(w["catalog.Product"], price_min=0, price_max=None)],
    "catalog_product_min_order_positive": [lambda w: update(w["catalog.Product"], min_order=0)],
    "catalog_product_tkdn_0_100": [lambda w: update(w["catalog.Product"], tkdn_percent=Decimal("100.01"))],
    "catalog_product_net_amount_has_unit": [
        lambda w: update(w["catalog.Product"], net_amount=Decimal("250"), net_unit=""),
        lambda w: update(w["catalog.Product"], net_amount=Decimal("0"), net_unit="g"),
    ],
    "catalog_product_needs_changes_has_reason": [
        lambda w: update(w["catalog.Product"], status="needs_changes", status_reason="")
    ],
    "catalog_product_published_has_date": [lambda w: update(w["catalog.Product"], published_at=None)],
    "catalog_productphoto_position_range": [lambda w: update(w["catalog.ProductPhoto"], position=16)],
    "catalog_productphoto_unique_position": [lambda w: copy(w["catalog.ProductPhoto"], image="products/twin.jpg")],
    "catalog_productphoto_size_positive": [
        lambda w: update(w["catalog.ProductPhoto"], width=0),
        lambda w: update(w["catalog.ProductPhoto"], height=0),
    ],
    "catalog_certification_type_valid": [lambda w: update(w["catalog.Certification"], type="iso9001")],
    "catalog_certification_status_valid": [lambda w: update(w["catalog.Certification"], status="expired")],
    "catalog_certification_number_required": [lambda w: update(w["catalog.Certification"], number="")],
    "catalog_certification_unique_number": [lambda w: copy(w["catalog.Certification"], status="pending")],
    "catalog_certification_expires_after_issue": [
        lambda w: update(w["catalog.Certification"], expires_on=w["catalog.Certification"].issued_on - dt.timedelta(1))
    ],
    "catalog_certification_rejected_has_reason": [
        lambda w: update(w["catalog.Certification"], status="rejected", status_reason="")
    ],
    # exhibitions
    "exhibitions_event_kind_valid": [lambda w: update(w["exhibitions.Event"], kind="konser")],
    "exhibitions_event_status_valid": [lambda w: update(w["exhibitions.Event"], status="postponed")],
    "exhibitions_event_attendance_mode_valid": [lambda w: update(w["exhibitions.Event"], attendance_mode="hybrid")],
    "exhibitions_event_ends_not_before_start": [
        lambda w: update(w["exhibitions.Event"], ends_at=F("starts_at") - dt.timedelta(minutes=1))
    ],
    "exhibitions_event_online_has_link": [
        lambda w: update(w["exhibitions.Event"], attendance_mode="mixed", online_url=""),
        lambda w: update(w["exhibitions.Event"], attendance_mode="online", online_url=""),
    ],
    "exhibitions_event_in_person_has_venue": [
        lambda w: update(w["exhibitions.Event"], venue_name=""),
        lambda w: update(w["exhibitions.Event"], region=None),
    ],
    "exhibitions_event_application_window_ordered": [
        lambda w: update(w["exhibitions.Event"], applications_close_at=F("applications_open_at") - dt.timedelta(1)),
        lambda w: update(w["exhibitions.Event"], applications_close_at=None),
        lambda w: update(w["exhibitions.Event"], applications_open_at=None),
    ],
    "exhibitions_event_places_positive": [lambda w: update(w["exhibitions.Event"], places=0)],
    "exhibitions_event_coordinates_valid": [
        lambda w: update(w["exhibitions.Event"], latitude=Decimal("-5.4"), longitude=None),
        lambda w: update(w["exhibitions.Event"], latitude=Decimal("95"), longitude=Decimal("105.2")),
        lambda w: update(w["exhibitions.Event"], latitude=Decimal("-5.4"), longitude=Decimal("-181")),
    ],
    "exhibitions_event_published_has_date": [lambda w: update(w["exhibitions.Event"], published_at=None)],
    "exhibitions_application_one_per_ikm": [
        lambda w: copy(w["exhibitions.ExhibitorApplication"], booth="", status="submitted")
    ],
    "exhibitions_application_booth_unique": [lambda w: copy(w["exhibitions.ExhibitorApplication"], ikm=other_ikm(w))],
    "exhibitions_application_status_valid": [lambda w: update(w["exhibitions.ExhibitorApplication"], status="maybe")],
    "exhibitions_application_rejected_has_reason": [
        lambda w: update(w["exhibitions.ExhibitorApplication"], status="rejected", reason="", booth="")
    ],
    "exhibitions_application_decision_has_date": [
        lambda w: update(w["exhibitions.ExhibitorApplication"], decided_at=None),
        lambda w: update(w["exhibitions.ExhibitorApplication"], status="waitlisted", booth="", decided_at=None),
    ],
    # inquiries
    "inquiries_inquiry_status_valid": [lambda w: update(w["inquiries.Inquiry"], status="archived")],
    "inquiries_inquiry_buyer_type_valid": [lambda w: update(w["inquiries.Inquiry"], buyer_type="reseller")],
    "inquiries_inquiry_language_valid": [lambda w: update(w["inquiries.Inquiry"], language="jv")],
    "inquiries_inquiry_quantity_positive": [lambda w: update(w["inquiries.Inquiry"], quantity=0)],
    "inquiries_inquiry_message_required": [lambda w: update(w["inquiries.Inquiry"], message="")],
    "inquiries_inquiry_email_required": [lambda w: update(w["inquiries.Inquiry"], email="")],
    "inquiries_inquiry_phone_e164_id": [lambda w: update(w["inquiries.Inquiry"], phone="0812 3456 7890")],
    "inquiries_contactclick_channel_valid": [lambda w: update(w["inquiries.ContactClick"], channel="telegram")],
    "inquiries_contactclick_one_row_per_product_day": [lambda w: copy(w.all("inquiries.ContactClick")[0], count=1)],
    "inquiries_contactclick_one_row_per_ikm_day": [lambda w: copy(w.all("inquiries.ContactClick")[1], count=1)],
    # moderation
    "moderation_decision_to_status_required": [lambda w: update(w["moderation.Decision"], to_status="")],
    "moderation_report_exactly_one_target": [
        lambda w: update(w.all("moderation.Report")[0], ikm=w["ikm.IKM"]),
        lambda w: update(w.all("moderation.Report")[1], ikm=None),
    ],
    "moderation_report_reason_valid": [lambda w: update(w["moderation.Report"], reason="spam")],
    "moderation_report_status_valid": [lambda w: update(w["moderation.Report"], status="closed")],
    "moderation_report_details_required": [lambda w: update(w["moderation.Report"], details="")],
    "moderation_report_closed_has_note": [
        lambda w: update(w.all("moderation.Report")[0], resolution_note=""),
        lambda w: update(w.all("moderation.Report")[0], resolved_at=None),
        lambda w: update(w.all("moderation.Report")[1], status="dismissed"),
    ],
    "moderation_certificationreminder_once": [lambda w: copy(w["moderation.CertificationReminder"])],
    "moderation_certificationreminder_kind": [lambda w: update(w["moderation.CertificationReminder"], kind="1d")],
}

BREAK_CASES = [
    pytest.param(name, index, id=f"{name}-{index}")
    for name, breakers in BREAKERS.items()
    for index in range(len(breakers))
]


@pytest.mark.parametrize("name, index", BREAK_CASES)
def test_the_database_refuses_to_break_the_constraint(world: World, name: str, index: int) -> None:
    model, constraint = all_constraints()[name]
    assert_refused(lambda: BREAKERS[name][index](world), signatures(model, constraint))


# --- What the conditions of conditional constraints allow ------------------------------------------


def test_blank_nib_booth_and_numbers_of_other_ikm_are_not_duplicates(world: World) -> None:
    """ "Unique when set" lets many rows leave the value empty; certificate numbers are unique per IKM."""
    from catalog.models import Certification
    from exhibitions.models import ExhibitorApplication

    update(world["ikm.IKM"], nib="")
    first, second = other_ikm(world, nib=""), other_ikm(world, slug="ikm-ketiga", owner=new_user("3@integrity.test"))
    update(world["exhibitions.ExhibitorApplication"], booth="")
    ExhibitorApplication.objects.create(event=world["exhibitions.Event"], ikm=first, booth="")
    certification = world["catalog.Certification"]
    Certification.objects.create(ikm=second, type=certification.type, number=certification.number)
    assert ExhibitorApplication.objects.filter(booth="").count() == 2


def test_one_click_counter_per_product_and_one_for_the_ikm_page_on_the_same_day(world: World) -> None:
    from inquiries.models import ContactClick

    assert ContactClick.objects.filter(ikm=world["ikm.IKM"], day=_today()).count() == 2
    ContactClick.objects.create(ikm=world["ikm.IKM"], product=None, day=_today() - dt.timedelta(days=1))


# --- Unique columns and many-to-many pairs ----------------------------------------------------------------


def _through_copy(label: str) -> Callable[[World], object]:
    def breaker(w: World) -> object:
        row = w[label]
        fields = {f.name: getattr(row, f.name) for f in row._meta.local_fields if f.is_relation}
        return type(row).objects.create(**fields)

    return breaker


UNIQUE_BREAKERS: dict[str, Breaker] = {
    "accounts.User.email": lambda w: new_user(w["accounts.User"].email),
    "ikm.Region.bps_code": lambda w: copy(w["ikm.Region"], code="18.99", name="Lain", slug="lain"),
    "ikm.Region.name": lambda w: copy(w["ikm.Region"], code="18.99", bps_code="1899", slug="lain"),
    "ikm.Region.slug": lambda w: copy(w["ikm.Region"], code="18.99", bps_code="1899", name="Lain"),
    "ikm.IKM.owner": lambda w: other_ikm(w, owner=w["accounts.User"]),
    "ikm.IKM.slug": lambda w: other_ikm(w, slug=w["ikm.IKM"].slug),
    "catalog.Category.slug": lambda w: copy(w["catalog.Category"]),
    "catalog.Product.slug": lambda w: copy(w["catalog.Product"]),
    "exhibitions.Event.slug": lambda w: copy(w["exhibitions.Event"]),
    "accounts.User_groups": _through_copy("accounts.User_groups"),
    "accounts.User_user_permissions": _through_copy("accounts.User_user_permissions"),
    "catalog.Certification_products": _through_copy("catalog.Certification_products"),
    "exhibitions.ExhibitorApplication_products": _through_copy("exhibitions.ExhibitorApplication_products"),
}


def unique_rules() -> dict[str, list[str]]:
    """Every unique column (not a primary key) and unique_together of the project: key → its columns."""
    rules = {}
    for model in project_models():
        for f in model._meta.local_fields:
            if f.unique and not f.primary_key:
                rules[f"{model._meta.label}.{f.name}"] = [f.column]
        for together in model._meta.unique_together:
            rules[model._meta.label] = [model._meta.get_field(name).column for name in together]
    return rules


@pytest.mark.parametrize("key", sorted(UNIQUE_BREAKERS))
def test_the_database_refuses_a_duplicate(world: World, key: str) -> None:
    columns = unique_rules()[key]
    message = assert_refused(lambda: UNIQUE_BREAKERS[key](world), [columns[0]])
    assert all(column in message for column in columns) or connection.vendor == "postgresql", message


# --- Foreign keys: the row pointed at exists, and what deleting it does -------------------------------------


def foreign_keys() -> list[models.ForeignKey]:
    return [f for model in project_models() for f in model._meta.local_fields if f.is_relation]


def fk_id(f: models.ForeignKey) -> str:
    return f"{f.model._meta.label}.{f.name}"


def holder(w: World, f: models.ForeignKey) -> models.Model:
    """A row of the world whose foreign key ``f`` points somewhere."""
    rows = [row for row in w.all(f.model._meta.label) if getattr(row, f.attname) is not None]
    assert rows, f"the world has no {f.model._meta.label} with {f.name} set: add one in tests/integrity/conftest.py"
    return rows[0]


FK_CASES = [pytest.param(f, id=fk_id(f)) for f in foreign_keys()]


@pytest.mark.parametrize("fk", FK_CASES)
def test_a_foreign_key_must_point_to_an_existing_row(world: World, fk: models.ForeignKey) -> None:
    row = holder(world, fk)
    target_pk = fk.target_field
    missing = "99.99" if isinstance(target_pk, models.CharField) else 999_999_999
    assert_refused(lambda: update(row, **{fk.attname: missing}), [fk.column], deferred=True)


@pytest.mark.parametrize("fk", FK_CASES)
def test_deleting_the_row_pointed_at_follows_on_delete(world: World, fk: models.ForeignKey) -> None:
    """PROTECT refuses and names the row; CASCADE deletes it along; SET_NULL keeps it and blanks the link."""
    row = holder(world, fk)
    target = getattr(row, fk.name)
    on_delete = fk.remote_field.on_delete
    if on_delete is models.PROTECT:
        with pytest.raises(ProtectedError) as info:
            target.delete()
        assert row in info.value.protected_objects
        assert type(row).objects.filter(pk=row.pk).exists()
    elif on_delete is models.CASCADE:
        target.delete()
        assert not type(row).objects.filter(pk=row.pk).exists()
    elif on_delete is models.SET_NULL:
        target.delete()
        row.refresh_from_db()
        assert getattr(row, fk.attname) is None
    else:  # pragma: no cover - a new kind of on_delete needs its own expectation here
        pytest.fail(f"{fk_id(fk)}: on_delete={on_delete.__name__} has no test")


@pytest.mark.parametrize(
    "label, fk_name",
    [
        ("ikm.IKM", "region"),
        ("catalog.Product", "ikm"),
        ("catalog.Product", "category"),
        ("moderation.Decision", "actor"),
    ],
)
def test_a_raw_delete_behind_djangos_back_is_refused_too(world: World, label: str, fk_name: str) -> None:
    """The database's foreign keys are NO ACTION: only Django applies CASCADE/SET_NULL, raw SQL cannot orphan rows."""
    fk = apps.get_model(label)._meta.get_field(fk_name)
    target = getattr(holder(world, fk), fk.name)
    table, pk_column = target._meta.db_table, target._meta.pk.column
    quote = connection.ops.quote_name

    def raw_delete() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(pk_column)} = %s", [target.pk])

    assert_refused(raw_delete, [fk.column, table, "FOREIGN KEY", "foreign key"], deferred=True)


# --- NOT NULL and non-negative columns --------------------------------------------------------------------


def world_labels() -> list[str]:
    return [model._meta.label for model in project_models()]


@pytest.mark.parametrize("label", world_labels())
def test_not_null_columns_refuse_null(world: World, label: str) -> None:
    row = world[label]
    fields = [f for f in row._meta.local_concrete_fields if not f.null and not f.primary_key]
    assert fields
    for f in fields:
        assert_refused(lambda f=f: update(row, **{f.attname: None}), [f.column])


@pytest.mark.parametrize(
    "label",
    [
        label
        for label in world_labels()
        if any(isinstance(f, POSITIVE_FIELDS) for f in apps.get_model(label)._meta.local_fields)
    ],
)
def test_positive_columns_refuse_negative_numbers(world: World, label: str) -> None:
    """Django gives every Positive…Field a CHECK (column >= 0) on both databases."""
    row = world[label]
    names = [c.name for c in row._meta.constraints]
    for f in row._meta.local_fields:
        if isinstance(f, POSITIVE_FIELDS):
            assert_refused(lambda f=f: update(row, **{f.attname: -1}), [f.column, *names])


# --- PostgreSQL triggers: the search vector ---------------------------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only")


def _vector(product: models.Model) -> str:
    from catalog.models import Product

    return str(Product.objects.filter(pk=product.pk).values_list("search_vector", flat=True)[0] or "")


@postgres_only
def test_the_trigger_fills_the_vector_of_rows_django_never_saw(world: World) -> None:
    from catalog.models import Product

    product = world["catalog.Product"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_product SET name = %s WHERE id = %s", ["Tapis Sulam Usus", product.pk])
    assert "'tapis':" in _vector(product) and "robusta" not in _vector(product)
    [bulk] = Product.objects.bulk_create(
        [Product(ikm=product.ikm, category=product.category, name="Lada Hitam", slug="lada")]
    )
    assert "'lada':" in _vector(bulk)


@postgres_only
def test_renaming_the_ikm_or_the_category_refreshes_the_products_vectors(world: World) -> None:
    product = world["catalog.Product"]
    update(world["ikm.IKM"], name="Sanggar Siger Emas")
    assert "'siger':" in _vector(product)
    update(world["catalog.Category"], name="Kudapan Gurih")
    assert "'kudap" in _vector(product) or "'kudapan':" in _vector(product)
    update(world["catalog.Category"].parent, name_en="Heirloom Foods")
    assert "heirloom" in _vector(product)


@postgres_only
def test_a_view_count_update_does_not_recompute_the_vector(world: World) -> None:
    product = world["catalog.Product"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_product SET search_vector = 'penanda' WHERE id = %s", [product.pk])
    update(product, view_count=F("view_count") + 1)
    assert _vector(product) == "'penanda'"


@postgres_only
def test_every_trigger_on_the_projects_tables_is_documented() -> None:
    tables = [model._meta.db_table for model in project_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relname = ANY(%s)",
            [tables],
        )
        triggers = {name for (name,) in cursor.fetchall()}
    assert triggers == {
        "catalog_product_search_vector_fill",
        "catalog_ikm_name_search_refresh",
        "catalog_category_search_refresh",
    }
    doc = DOC.read_text(encoding="utf-8")
    assert [t for t in sorted(triggers) if f"`{t}`" not in doc] == []


# --- Meta-tests: nothing new goes undocumented or untested -------------------------------------------------


def test_every_constraint_is_broken_by_a_test() -> None:
    assert sorted(set(all_constraints()) - set(BREAKERS)) == [], "add a breaker to BREAKERS"
    assert sorted(set(BREAKERS) - set(all_constraints())) == [], "a breaker for a constraint that no longer exists"


def test_every_unique_column_is_broken_by_a_test() -> None:
    assert sorted(unique_rules()) == sorted(UNIQUE_BREAKERS)


def test_every_model_has_a_row_in_the_world(world: World) -> None:
    assert sorted(set(world_labels()) - set(world.rows)) == []


def test_every_constraint_is_in_the_database_schema() -> None:
    """Catches a constraint declared in Meta whose migration was never written or applied."""
    missing = []
    with connection.cursor() as cursor:
        for name, (model, _constraint) in all_constraints().items():
            if name not in connection.introspection.get_constraints(cursor, model._meta.db_table):
                missing.append(name)
    assert missing == []


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_constraint_is_documented() -> None:
    doc = _doc()
    assert [name for name in all_constraints() if f"`{name}`" not in doc] == []


def test_every_unique_column_and_foreign_key_is_documented_with_its_on_delete() -> None:
    doc_lines = _doc().splitlines()
    undocumented = [key for key in unique_rules() if not any(f"`{key}`" in line for line in doc_lines)]
    assert undocumented == []
    wrong = []
    for f in foreign_keys():
        # The row of the foreign-key table: the key in its first cell, the on_delete in its third.
        cells = [[c.strip() for c in line.split("|")[1:-1]] for line in doc_lines if line.startswith("|")]
        rows = [
            row for row in cells if len(row) == 4 and row[0] == f"`{fk_id(f)}`" and re.fullmatch(r"[A-Z_]+", row[2])
        ]
        if len(rows) != 1 or rows[0][2] != f.remote_field.on_delete.__name__:
            wrong.append(f"{fk_id(f)} {f.remote_field.on_delete.__name__}")
    assert wrong == []


def test_every_nullable_column_says_what_null_means() -> None:
    doc_lines = _doc().splitlines()
    nullable = [
        f"{model._meta.label}.{f.name}"
        for model in project_models()
        for f in model._meta.local_concrete_fields
        if f.null and not f.is_relation
    ]
    assert [key for key in nullable if not any(f"`{key}`" in line for line in doc_lines)] == []


def _in_lists(q: Q) -> list[tuple[str, list]]:
    found = []
    for child in q.children:
        if isinstance(child, Q):
            found += _in_lists(child)
        elif isinstance(child, tuple) and child[0].endswith("__in"):
            found.append((child[0].removesuffix("__in"), list(child[1])))
    return found


def test_choice_constraints_list_exactly_the_choices() -> None:
    """A choice added to a TextChoices but not to its CHECK would make the database refuse a valid value."""
    drift = []
    for name, (model, constraint) in all_constraints().items():
        if not isinstance(constraint, models.CheckConstraint):
            continue
        for field_name, values in _in_lists(constraint.condition):
            f = model._meta.get_field(field_name)
            if f.choices and field_name in name and set(values) != {value for value, _label in f.flatchoices}:
                drift.append(name)
    assert drift == []


def test_constraint_names_follow_app_model_rule() -> None:
    """Named <app>_<model>_<rule> (docs/architecture.md), so an error message says where to look."""
    wrong = [
        name
        for name, (model, _c) in all_constraints().items()
        if not re.match(rf"^{model._meta.app_label}_({model._meta.model_name}|application)_[a-z0-9_]+$", name)
    ]
    assert wrong == []
