"""The demo's impact data: example proxies that say so, the illustrative analysis of the
social enterprise for women, and the SROI Guide's worked example at 3.25."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from soin.accounts.models import User
from soin.core.testing import login
from soin.impact import demo, selectors
from soin.impact.models import Analysis, FinancialProxy


@pytest.mark.django_db
def test_the_demo_has_example_proxies_and_two_analyses_and_is_idempotent() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Analysis.objects.count(), FinancialProxy.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Analysis.objects.count(), FinancialProxy.objects.count()) == counts
    # Every proxy says it is an example for the demo, not a real source.
    assert all("Exempelvärde för demonstrationen" in p.source for p in FinancialProxy.objects.all())
    assert not FinancialProxy.objects.exclude(source_url="").exists()
    worked = Analysis.objects.get(title=demo.WORKED_TITLE)
    results = selectors.analysis_results(worked)
    assert results.ratio is not None and round(results.ratio, 2) == Decimal("3.25")
    assert round(results.total) == 3246409
    assert worked.idea is not None and worked.idea.title == "Socialt företag för yrkeskörtkort"
    illustration = Analysis.objects.get(title=demo.DEMO_TITLE)
    assert illustration.idea.title == "Socialt företag för kvinnor"
    assert "illustrativt exempel" in illustration.description
    assert illustration.stakeholders.count() == 3 and illustration.outcomes.count() == 4
    # One of its proxies has a newer version, which its page announces.
    assert len(selectors.analysis_results(illustration).newer) == 1
    coordinator = User.objects.filter(
        roles__kind="coordinator", roles__partnership=worked.partnership
    ).first()
    client = Client()
    client.cookies["django_language"] = "en"
    login(client, coordinator)
    page = client.get(
        reverse(
            "staff:impact_analysis",
            kwargs={"partnership": worked.partnership.slug, "pk": worked.pk},
        )
    )
    words = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page.content.decode())))
    assert "SROI ratio 3.25" in words
