"""Two people paying out the rest of a grant at the same moment: only one payment goes in."""

from __future__ import annotations

import contextlib
import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from soin.core.testing import build_world
from soin.grants import services
from soin.grants.models import Grant


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locked", [True, False], ids=["with the row lock", "without it"])
def test_two_payments_of_the_rest_at_once(reference_data, monkeypatch, locked) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every writer anyway")
    world = build_world()
    grant_pk = world.grant_approved.pk  # 8 000 granted, 4 000 paid
    # Hold each transaction after it has summed the payments, until the other has summed too.
    barrier = threading.Barrier(2, timeout=2)
    real_total = services.paid_total

    def slow_total(grant):  # type: ignore[no-untyped-def]
        total = real_total(grant)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return total

    monkeypatch.setattr(services, "paid_total", slow_total)
    if not locked:
        monkeypatch.setattr(
            services, "_lock", lambda g: Grant.objects.select_related("partnership").get(pk=g.pk)
        )
    refused: list[str] = []

    def pay() -> None:
        try:
            services.payment_add(
                grant=Grant.objects.get(pk=grant_pk),
                actor=None,
                paid_on=datetime.date(2017, 6, 1),
                amount=4000,
            )
        except ValidationError as error:
            refused.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay) for _n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    paid = real_total(Grant.objects.get(pk=grant_pk))
    if locked:
        assert paid == 8000 and len(refused) == 1
        assert Grant.objects.get(pk=grant_pk).state == Grant.State.PAID
    else:
        # The control: without the lock the grant is overpaid, so the test can fail.
        assert paid == 12000
