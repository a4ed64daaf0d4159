"""Two people taking the last seat at the same moment: exactly one gets it."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection, connections

from soin.activities import services
from soin.activities.models import Activity, ActivityEvent, Registration
from soin.core.testing import build_world

R = Registration.State


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locked", [True, False], ids=["with the row lock", "without it"])
def test_two_people_taking_the_last_seat_at_once(reference_data, monkeypatch, locked) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every writer anyway")
    world = build_world()
    activity_pk = world.activity.pk  # two seats, one taken
    # Hold each transaction after it has counted the seats, until the other has counted too
    # (or two seconds have passed). With the row lock the second waits for the first to
    # commit and then counts its seat; without it both would see one seat free.
    barrier = threading.Barrier(2, timeout=2)
    real_count = services._seats_taken

    def slow_count(activity):  # type: ignore[no-untyped-def]
        taken = real_count(activity)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return taken

    monkeypatch.setattr(services, "_seats_taken", slow_count)
    if not locked:
        monkeypatch.setattr(
            services,
            "_lock",
            lambda a: Activity.objects.select_related("partnership").get(pk=a.pk),
        )
    states: list[str] = []

    def take(name: str) -> None:
        try:
            registration, _token = services.registration_create(
                activity=Activity.objects.get(pk=activity_pk),
                name=name,
                email=f"{name}@example.org",
                consent_text="Samtycke",
            )
            states.append(registration.state)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(n,)) for n in ("bertil", "cecilia")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    confirmed = Registration.objects.filter(activity_id=activity_pk, state=R.CONFIRMED).count()
    if locked:
        assert sorted(states) == [R.CONFIRMED, R.WAITING]
        assert confirmed == 2
        assert (
            ActivityEvent.objects.filter(
                activity_id=activity_pk, kind=ActivityEvent.Kind.WAITLISTED
            ).count()
            == 1
        )
    else:
        # The control: without the lock the capacity is overrun, so the test can fail.
        assert confirmed == 3
