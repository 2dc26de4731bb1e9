"""Shared test setup: fast settings, and the actors every app's tests use.

App-specific factories live in ``tests/<app>/conftest.py``.
"""

import os

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

# Playwright's sync API runs an event loop in the main thread; Django's ORM refuses to run
# beside one unless told it is safe. Tests only: the server never sets this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _test_settings(tmp_path_factory: pytest.TempPathFactory):
    """Override only what tests must: a fast password hasher, a local cache, a throwaway media folder."""
    media_root = tmp_path_factory.mktemp("media")
    private_root = tmp_path_factory.mktemp("private")
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}},
        MEDIA_ROOT=media_root,
        PRIVATE_MEDIA_ROOT=private_root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": private_root},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _reset_language():
    """A request through LocaleMiddleware leaves its language active in the thread: start each test clean."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached fragments must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return "kopi-robusta-2026"


@pytest.fixture
def make_user(django_user_model, password):
    """Create a user with a verified primary email (allauth), ready to log in."""
    from allauth.account.models import EmailAddress

    counter = {"n": 0}

    def _make_user(email: str | None = None, **extra):
        counter["n"] += 1
        email = email or f"user{counter['n']}@example.test"
        user = django_user_model.objects.create_user(email=email, password=password, **extra)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        return user

    return _make_user


@pytest.fixture
def visitor(client):
    """An anonymous member of the public."""
    return client


@pytest.fixture
def staff_user(make_user):
    return make_user("staf@lampungprov.test", is_staff=True, is_superuser=True)


# --- Producers and their products, shared by every app's tests --------------------------------


@pytest.fixture
def make_ikm(make_user):
    """Create an IKM (verified and public unless told otherwise) with its owner account."""
    from ikm.models import IKM, Sector

    counter = {"n": 0}

    def _make_ikm(owner=None, **fields):
        counter["n"] += 1
        n = counter["n"]
        values = {
            "name": f"IKM Contoh {n}",
            "slug": f"ikm-contoh-{n}",
            "sector": Sector.PANGAN,
            "region_id": "18.71",
            "status": IKM.Status.VERIFIED,
            "whatsapp": "+6281234567890",
        }
        values.update(fields)
        return IKM.objects.create(owner=owner or make_user(), **values)

    return _make_ikm


@pytest.fixture
def make_product():
    """Create a product of an IKM (published unless told otherwise)."""
    from django.utils import timezone

    from catalog.models import Category, Product

    counter = {"n": 0}

    def _make_product(ikm, **fields):
        counter["n"] += 1
        n = counter["n"]
        values = {
            "name": f"Keripik Pisang Contoh {n}",
            "slug": f"keripik-pisang-contoh-{n}",
            "category": Category.objects.get(slug="keripik-camilan"),
            "price_min": 25000,
            "status": Product.Status.PUBLISHED,
        }
        values.update(fields)
        if values["status"] == Product.Status.PUBLISHED:
            values.setdefault("published_at", timezone.now())
        return Product.objects.create(ikm=ikm, **values)

    return _make_product


@pytest.fixture
def owner(make_user):
    return make_user("pemilik@ikm.test")


@pytest.fixture
def other_owner(make_user):
    return make_user("pemilik-lain@ikm.test")


@pytest.fixture
def owner_ikm(make_ikm, owner):
    return make_ikm(owner=owner, name="Keripik Mak Ijah", slug="keripik-mak-ijah")


@pytest.fixture
def other_ikm(make_ikm, other_owner):
    return make_ikm(owner=other_owner, name="Tapis Sai Bumi", slug="tapis-sai-bumi", sector="sandang")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def other_owner_client(client, other_owner):
    client.force_login(other_owner)
    return client


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest):
    """Transactional tests (browser, races) flush the database afterwards, data migrations included:
    load the regions, categories and the Moderator group again, for any database test, when an earlier
    flush removed them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        # Test order is not guaranteed to put every transactional test last (plugins reorder), so a
        # database test that runs after a flush needs the reference rows too; its transaction rolls them back.
        request.getfixturevalue("db")
    else:
        return
    from importlib import import_module

    from django.apps import apps

    from catalog.models import Category
    from ikm.models import Region

    if not Region.objects.exists():
        import_module("ikm.migrations.0002_load_regions").load_regions(apps, None)
    if not Category.objects.exists():
        import_module("catalog.migrations.0002_load_categories").load_categories(apps, None)
    from django.contrib.auth.models import Group

    from moderation.roles import MODERATOR_GROUP

    if not Group.objects.filter(name=MODERATOR_GROUP).exists():
        import_module("moderation.migrations.0003_moderator_group").create_moderator_group(apps, None)
