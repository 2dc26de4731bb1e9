"""Rate limits: they trip, they hold across several workers when (and only when) the cache is shared.

allauth's limits (login, sign-up, password reset) and Galeri's own (inquiries, reports) count in Django's
default cache. Each gunicorn worker is a process with its own cache client; with the local-memory cache each
also has its own counts, so four workers allow four times the limit. With ``REDIS_URL`` they share one count.

A "worker" here is a cache backend instance of its own (its own client and connection pool, as in a separate
process) that the limit code uses while the request runs. Two Redis instances on the same server must trip
the limit at the same request as one worker does; two local-memory instances (two processes' memories) must
not, which is why production needs ``REDIS_URL`` (docs/security.md). The Redis tests are skipped without
``REDIS_URL`` (CI's PostgreSQL pass sets it).
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import cycle
from unittest import mock

import allauth.core.internal.ratelimit as allauth_ratelimit
import pytest
from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

import inquiries.ratelimit as galeri_ratelimit

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set (CI's PostgreSQL pass sets it)")

# settings.ACCOUNT_RATE_LIMITS and the inquiry/report views, written out: a change there should be deliberate.
LOGIN_PER_MINUTE = 30
FAILED_LOGINS_PER_MINUTE = 10
SIGNUPS_PER_MINUTE = 20
RESETS_PER_ADDRESS_PER_MINUTE = 5
INQUIRIES_PER_HOUR = 5
REPORTS_PER_HOUR = 5


def test_the_limits_are_the_documented_ones() -> None:
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["login"] == f"{LOGIN_PER_MINUTE}/m/ip"
    assert limits["login_failed"] == f"{FAILED_LOGINS_PER_MINUTE}/m/ip,5/5m/key"
    assert limits["signup"] == f"{SIGNUPS_PER_MINUTE}/m/ip"
    assert limits["reset_password"] == f"20/m/ip,{RESETS_PER_ADDRESS_PER_MINUTE}/m/key"
    from inquiries import views as inquiry_views
    from moderation import views as report_views

    assert (inquiry_views.RATE_LIMIT, inquiry_views.RATE_WINDOW_SECONDS) == (INQUIRIES_PER_HOUR, 3600)
    assert (report_views.RATE_LIMIT, report_views.RATE_WINDOW_SECONDS) == (REPORTS_PER_HOUR, 3600)


# --- Workers ---------------------------------------------------------------------------------------


@contextmanager
def worker(cache: BaseCache) -> Iterator[None]:
    """Run the requests inside as a worker whose limit code counts in ``cache``."""
    with mock.patch.object(allauth_ratelimit, "cache", cache), mock.patch.object(galeri_ratelimit, "cache", cache):
        yield


def redis_workers(count: int = 2) -> tuple[list[BaseCache], str]:
    """``count`` separate Redis cache clients on REDIS_URL, sharing a key prefix of their own."""
    from django.core.cache.backends.redis import RedisCache

    prefix = f"galeri-test-{uuid.uuid4().hex}"
    return [RedisCache(REDIS_URL, {"KEY_PREFIX": prefix}) for _ in range(count)], prefix


@pytest.fixture
def shared_workers() -> Iterator[list[BaseCache]]:
    caches, prefix = redis_workers()
    yield caches
    client = caches[0]._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)  # only this test's keys: the Redis database may be shared


@pytest.fixture
def separate_workers() -> list[BaseCache]:
    """Two processes' local memories: what four gunicorn workers have without REDIS_URL."""
    caches = [LocMemCache(f"worker-{n}-{uuid.uuid4().hex}", {}) for n in range(2)]
    for cache in caches:
        cache.clear()
    return caches


def alternate(caches: list[BaseCache], attempts: int, send) -> list[int]:
    """Send ``attempts`` requests, each through the next worker in turn; their status codes."""
    statuses = []
    turn = cycle(caches)
    for attempt in range(attempts):
        with worker(next(turn)):
            statuses.append(send(attempt).status_code)
    return statuses


# --- allauth: login, sign-up, password reset --------------------------------------------------------


def wrong_login(client: Client, email: str = "pemilik@ikm.test"):
    return lambda attempt: client.post("/akun/login/", {"login": email, "password": f"salah-{attempt}"})


def bad_signup(client: Client):
    return lambda attempt: client.post(
        "/akun/signup/", {"email": f"baru{attempt}@example.test", "password1": "a", "password2": "b"}
    )


def reset(client: Client, email: str):
    return lambda attempt: client.post("/akun/password/reset/", {"email": email})


def test_login_answers_429_after_30_attempts_a_minute_from_one_address(client, owner) -> None:
    statuses = [wrong_login(client)(n).status_code for n in range(LOGIN_PER_MINUTE + 1)]
    assert statuses == [200] * LOGIN_PER_MINUTE + [429]
    # Another address is not affected.
    other = client.post("/akun/login/", {"login": owner.email, "password": "x"}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


def test_sign_up_answers_429_after_20_attempts_a_minute(client) -> None:
    statuses = [bad_signup(client)(n).status_code for n in range(SIGNUPS_PER_MINUTE + 1)]
    assert statuses == [200] * SIGNUPS_PER_MINUTE + [429]


def test_password_reset_answers_429_after_5_for_one_address(client, owner) -> None:
    statuses = [reset(client, owner.email)(n).status_code for n in range(RESETS_PER_ADDRESS_PER_MINUTE + 1)]
    assert statuses == [302] * RESETS_PER_ADDRESS_PER_MINUTE + [429]


def test_the_429_page_is_galeris_own(client) -> None:
    for n in range(SIGNUPS_PER_MINUTE):
        bad_signup(client)(n)
    response = bad_signup(client)(99)
    assert response.status_code == 429
    html = response.content.decode()
    assert '<main id="main-content"' in html and "Too Many Requests" not in html


@needs_redis
@pytest.mark.parametrize(
    ("limited", "allowed", "expected"),
    [
        ("login", LOGIN_PER_MINUTE, 200),
        ("sign-up", SIGNUPS_PER_MINUTE, 200),
        ("password reset", RESETS_PER_ADDRESS_PER_MINUTE, 302),
    ],
)
def test_allauth_limits_hold_across_two_workers_sharing_redis(
    client, owner, shared_workers, limited: str, allowed: int, expected: int
) -> None:
    send = {"login": wrong_login(client), "sign-up": bad_signup(client), "password reset": reset(client, owner.email)}
    statuses = alternate(shared_workers, allowed + 1, send[limited])
    assert statuses == [expected] * allowed + [429], "the two workers count together"


@pytest.mark.parametrize(
    ("limited", "allowed", "expected"),
    [
        ("login", LOGIN_PER_MINUTE, 200),
        ("sign-up", SIGNUPS_PER_MINUTE, 200),
        ("password reset", RESETS_PER_ADDRESS_PER_MINUTE, 302),
    ],
)
def test_without_a_shared_cache_each_worker_counts_alone(
    client, owner, separate_workers, limited: str, allowed: int, expected: int
) -> None:
    """Why production needs REDIS_URL: with per-process memory, two workers let twice the limit through."""
    send = {"login": wrong_login(client), "sign-up": bad_signup(client), "password reset": reset(client, owner.email)}
    statuses = alternate(separate_workers, 2 * allowed, send[limited])
    assert 429 not in statuses
    assert alternate(separate_workers, 2, send[limited]) == [429, 429]


def test_failed_logins_to_one_staff_account_are_stopped_whatever_the_address(client, staff_user, password) -> None:
    """5 failures in 5 minutes per typed address: spreading the guesses over addresses does not help."""
    for n in range(5):
        client.post("/akun/login/", {"login": staff_user.email, "password": "salah"}, REMOTE_ADDR=f"203.0.113.{n}")
    response = client.post(
        "/akun/login/", {"login": staff_user.email, "password": password}, REMOTE_ADDR="198.51.100.50"
    )
    assert response.status_code == 200, "even the right password waits"
    assert "_auth_user_id" not in client.session


# --- The Django admin's login ------------------------------------------------------------------------


def test_the_admin_login_never_checks_a_password_itself(client, staff_user, password) -> None:
    """accounts/admin.py sends the admin's login to allauth's: hammering /admin/login/ tries no password."""
    admin_login = f"/{settings.ADMIN_URL}login/"
    for _ in range(LOGIN_PER_MINUTE + 5):
        response = client.post(admin_login, {"username": staff_user.email, "password": password})
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/login/?next=")
    assert "_auth_user_id" not in client.session


def test_hammering_the_admin_login_is_rate_limited(client, staff_user, password) -> None:
    """Where the admin's login leads (allauth's page, next=/admin/), guesses are limited like any login."""
    admin = f"/{settings.ADMIN_URL}"
    login_url = client.get(f"{admin}login/")["Location"]
    assert login_url.startswith("/akun/login/")
    statuses = []
    for n in range(LOGIN_PER_MINUTE + 1):
        statuses.append(client.post(login_url, {"login": staff_user.email, "password": f"tebakan-{n}"}).status_code)
    assert statuses[-1] == 429
    # Even the right password gets no further now, and the admin stays closed.
    assert client.post(login_url, {"login": staff_user.email, "password": password}).status_code == 429
    assert client.get(admin).status_code == 302


# --- Galeri's own limits: inquiries and reports -------------------------------------------------------


@pytest.fixture
def product(owner_ikm, make_product):
    return make_product(owner_ikm, name="Keripik Pisang Cokelat", slug="keripik-pisang-cokelat")


def inquiry(client: Client, product):
    return lambda attempt: client.post(
        f"/tanya/produk/{product.slug}/",
        {
            "name": "Rina Susanti",
            "email": f"pembeli{attempt}@example.test",
            "buyer_type": "individual",
            "message": "Apakah bisa kirim 200 pack?",
        },
    )


def report(client: Client, product):
    return lambda attempt: client.post(
        f"/laporkan/produk/{product.slug}/", {"reason": "wrong_information", "details": f"Harga salah ({attempt})."}
    )


@needs_redis
@pytest.mark.parametrize("kind", ["inquiry", "report"])
def test_inquiry_and_report_limits_hold_across_two_workers_sharing_redis(
    client, product, shared_workers, kind: str
) -> None:
    send = {"inquiry": inquiry, "report": report}[kind](client, product)
    statuses = alternate(shared_workers, INQUIRIES_PER_HOUR + 1, send)
    assert statuses == [302] * INQUIRIES_PER_HOUR + [429]


@pytest.mark.parametrize("kind", ["inquiry", "report"])
def test_inquiry_and_report_limits_without_a_shared_cache_count_per_worker(
    client, product, separate_workers, kind: str
) -> None:
    send = {"inquiry": inquiry, "report": report}[kind](client, product)
    statuses = alternate(separate_workers, 2 * INQUIRIES_PER_HOUR, send)
    assert statuses == [302] * (2 * INQUIRIES_PER_HOUR)
    assert alternate(separate_workers, 1, send) == [429]


# --- The shared cache in production --------------------------------------------------------------------


def _caches_with(env: dict[str, str]) -> str:
    """The default cache backend galeri/settings.py chooses for this environment (a fresh interpreter)."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    environment = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")}
    environment.update(DJANGO_SETTINGS_MODULE="galeri.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    return result.stdout.strip()


def test_redis_url_makes_the_limits_count_in_redis() -> None:
    assert _caches_with({"REDIS_URL": "redis://127.0.0.1:6379/0"}) == "django.core.cache.backends.redis.RedisCache"
    assert _caches_with({}) == "django.core.cache.backends.locmem.LocMemCache"
