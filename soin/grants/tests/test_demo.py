"""The demo's applications of 2017."""

from __future__ import annotations

import pytest

from soin.core.testing import COORDINATOR
from soin.grants import demo, selectors, services
from soin.grants.models import Grant

pytestmark = pytest.mark.django_db


def test_the_demo_has_applications_in_every_state_and_seeds_once(world) -> None:  # type: ignore[no-untyped-def]
    before = Grant.objects.count()
    result = demo.seed(partnership=world.partnership, actor=world.users[COORDINATOR])
    seeded = Grant.objects.filter(partnership=world.partnership, received_on__year=2017)
    assert set(seeded.values_list("state", flat=True)) >= {
        "received",
        "approved",
        "rejected",
        "partly_paid",
        "paid",
        "closed",
    }
    assert result["grants"] == Grant.objects.filter(partnership=world.partnership).count()
    for grant in seeded:
        assert services.paid_total(grant) <= (grant.amount_granted or 0)
        assert grant.amount_applied <= 25000
    assert seeded.filter(followup_at__isnull=False).count() == 2
    demo.seed(partnership=world.partnership, actor=world.users[COORDINATOR])
    assert Grant.objects.count() == before + len(demo.APPLICATIONS)
    # Another region's partnership gets none of Örebro county's applications.
    demo.seed(partnership=world.other_partnership, actor=None)
    assert not Grant.objects.filter(partnership=world.other_partnership).exists()
    assert selectors.totals(partnership=world.partnership, year=2017)[0].total.paid > 0
