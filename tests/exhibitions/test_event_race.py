"""Two staff accepting the last place at the same moment: the event row lock lets only one through.

Runs on PostgreSQL (the production database), where each thread has its own connection and
select_for_update() takes a real row lock. SQLite has no row locks (it serialises writers), so it skips.
"""

import threading
import time
from importlib import import_module

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from exhibitions import services
from exhibitions.models import Event, ExhibitorApplication

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql_only(transactional_db: None) -> None:
    """Skip on SQLite; on PostgreSQL, put back what an earlier transactional test's flush removed.

    The flush empties the regions and categories that data migrations load, and recreates content types
    under new ids that the process-wide cache would not know. (serialized_rollback would restore the
    tables, but clashes with the content types the flush of a non-serialized test recreates.)
    """
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL: run with DATABASE_URL=postgres://… (SQLite serialises writers).")
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    import_module("ikm.migrations.0002_load_regions").load_regions(apps, None)
    import_module("catalog.migrations.0002_load_categories").load_categories(apps, None)


def _race(applications: list[ExhibitorApplication], actor: object) -> dict[int, str]:
    """Accept each application in its own thread and connection, all starting together."""
    barrier = threading.Barrier(len(applications))
    results: dict[int, str] = {}

    def decide(application: ExhibitorApplication) -> None:
        try:
            barrier.wait(timeout=10)
            services.application_accept(application=application, actor=actor)
            results[application.pk] = "accepted"
        except ValidationError as exc:
            results[application.pk] = exc.error_list[0].code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def slow_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the window between counting the places and saving, so an unlocked race would overbook every time."""
    count = services.accepted_count

    def counted_slowly(event: Event) -> int:
        taken = count(event)
        time.sleep(0.3)
        return taken

    monkeypatch.setattr(services, "accepted_count", counted_slowly)


def test_two_staff_racing_for_the_last_place_accept_only_one(
    postgresql_only, slow_count, make_event, make_application, staff_user, make_user
) -> None:
    event = make_event(places=1)
    first, second = make_application(event), make_application(event)
    other_staff = make_user("staf2@lampungprov.test", is_staff=True)

    barrier_results = _race([first, second], staff_user)
    assert sorted(barrier_results.values()) == ["accepted", "full"]
    assert ExhibitorApplication.objects.filter(event=event, status="accepted").count() == 1

    # Three more applications, two places, three staff at once: still never more than the places.
    event.places = 3
    event.save()
    more = [make_application(event) for _ in range(3)]
    results = _race(more, other_staff)
    assert sorted(results.values()) == ["accepted", "accepted", "full"]
    assert ExhibitorApplication.objects.filter(event=event, status="accepted").count() == 3


def test_without_the_event_lock_the_same_race_overbooks(
    postgresql_only, slow_count, make_event, make_application, staff_user, monkeypatch
) -> None:
    """The control experiment: proves the race above is real, so the lock is what prevents it."""

    def lock_application_only(application: ExhibitorApplication) -> tuple[Event, ExhibitorApplication]:
        event = Event.objects.get(pk=application.event_id)  # no select_for_update()
        application = ExhibitorApplication.objects.select_related("ikm__owner").get(pk=application.pk)
        return event, application

    monkeypatch.setattr(services, "_lock_for_decision", lock_application_only)
    event = make_event(places=1)
    results = _race([make_application(event), make_application(event)], staff_user)
    assert sorted(results.values()) == ["accepted", "accepted"]
    assert ExhibitorApplication.objects.filter(event=event, status="accepted").count() == 2
