"""The demo's newsletter: 364 subscribers at the end of 2017 (seed 003), the four 2017 issues
as sent, and 2018:1 from seed 004."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from soin.newsletter.models import Issue, Subscriber
from soin.newsletter.selectors import issue_figures, subscribers_over_time
from soin.regions.models import Partnership


@pytest.mark.django_db
def test_the_demo_newsletter_reproduces_2017() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    p = Partnership.objects.get(slug="orebro")
    months = subscribers_over_time(partnership=p, year=2017)
    assert months[-1]["total"] == 364
    assert months[0]["total"] < months[-1]["total"]
    assert months[-1]["en"] > 0
    issues = [i.code for i in Issue.objects.filter(partnership=p, state="sent")]
    assert sorted(issues) == ["2017:1", "2017:2", "2017:3", "2017:4", "2018:1"]
    figures = {f["issue"].code: f for f in issue_figures(partnership=p)}
    assert figures["2017:4"]["sent"] == 364
    assert sum(f["unsubscribed"] for f in figures.values()) > 0
    newsletter = Issue.objects.get(partnership=p, year=2018, number=1)
    headings = [s.heading_sv for s in newsletter.sections.all()]
    assert headings[0] == "Nya parter"
    assert "Erfarenhetsseminarium: Idrott, ungdomar och integration" in headings
    assert any("senast 1/3" in s.text_sv for s in newsletter.sections.all())
    # The seed's real people are not in the demo.
    text = " ".join(s.text_sv for s in newsletter.sections.all())
    assert "0760" not in text and "Grönlund" not in text and "@sofint.se" not in text
    call_command("seed_demo", stdout=io.StringIO())
    assert Subscriber.objects.filter(partnership=p, state="active").count() == 364
