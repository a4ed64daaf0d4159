"""The demo: FRAMSTEG and RaiSE as projects, the watched calls, and the joint application
grown from the idea "Maker Space"; seeding twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from soin.funding.models import Application, FundingCall, Project
from soin.regions.models import Partnership


def seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_demo_has_the_projects_of_2017_and_the_maker_space_application() -> None:
    seed()
    p = Partnership.objects.get(slug="orebro")
    projects = {pr.name: pr for pr in Project.objects.filter(partnership=p)}
    assert projects["FRAMSTEG"].lead.name == "Coompanion"
    assert projects["FRAMSTEG"].programme == "erdf"
    assert projects["RaiSE"].lead.name == "Region Örebro län"
    assert projects["RaiSE"].programme == "interreg"
    application = Application.objects.get(partnership=p, ideas__title="Maker Space")
    assert application.status == "submitted"
    assert application.applied + application.co_financing_total == application.budget
    assert FundingCall.objects.filter(partnership=p).count() == 4
    counts = (FundingCall.objects.count(), Application.objects.count(), Project.objects.count())
    # This app's part seeded again (the whole demo's idempotence is checked in core).
    from soin.accounts.models import User
    from soin.funding import demo

    demo.seed(partnership=p, actor=User.objects.get(email="samordnare@example.org"))
    assert counts == (
        FundingCall.objects.count(),
        Application.objects.count(),
        Project.objects.count(),
    )
