"""Shared test setup: fast settings, and the actors every app's tests use.

App-specific factories live in ``tests/<app>/conftest.py``.
"""

import os

import pytest
from django.core.cache import cache
from django.test import override_settings

# Playwright's sync API runs an event loop in the main thread; Django's ORM refuses to run
# beside one unless told it is safe. Tests only: the server never sets this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _test_settings(tmp_path_factory: pytest.TempPathFactory):
    """Override only what tests must: a fast password hasher, a local cache, a throwaway media folder."""
    media_root = tmp_path_factory.mktemp("media")
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}},
        MEDIA_ROOT=media_root,
        PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private"),
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


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
