"""The generator of national-size data, run small: every model the partnerships work with
gets rows in proportion, the rows hold together as the services would have left them, and
the generated bank can be searched in both languages."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from soin.core.loaddata import APPS, Scale, generate_all
from soin.ideas.models import Idea
from soin.knowledge import search
from soin.knowledge.models import Entry, ExchangeSource
from soin.regions.models import Partnership

pytestmark = pytest.mark.django_db

# Models the generator leaves empty, and why.
NOT_GENERATED = {
    "meaning.IdeaVector": "made by the worker from the texts (manage.py embed_missing)",
    "meaning.EntryVector": "made by the worker from the texts (manage.py embed_missing)",
    "core.MailHandover": "written while mail is sent",
    "core.RateLimitHit": "written while forms are sent, gone within the hour",
    "core.AggregateStamp": "one row per kind of cached figure, renewed by every write",
    "core.SubmissionToken": "written while public forms are sent, gone within two days",
    "regions.Region": "reference data from the migrations",
    "regions.Municipality": "reference data from the migrations",
    "regions.Partnership": "made by partnership_create, one per region",
    "partners.AgreementTemplate": "made by partnership_create",
    "ideas.Challenge": "reference data from the migrations",
    "ideas.Attachment": "files: no list or search reads their content",
    "knowledge.EntryImage": "files: no list or search reads their content",
    "knowledge.SearchWord": "the search's vocabulary, filled by indexing the generated entries",
    "reports.ReportFile": "files: a published report drawn by the worker, read as files",
    "activities.Series": "a rule that makes activities; the activities are generated",
    "activities.CalendarFeed": "one per staff member who asks for it",
    "newsletter.Suppression": "written by the bounce handling",
    "newsletter.FriendTip": "a short-lived tip to a friend",
    "impact.FinancialProxy": "the national bank of proxies, curated by hand",
    "impact.ProxyEvent": "the national bank of proxies, curated by hand",
    "privacy.AccessRequest": "a person's request, gone within thirty days",
    "retention.ErasureRecord": "written by an erasure",
    "retention.RetentionPolicy": "a partnership's setting, defaults apply",
}


def test_every_model_gets_rows_in_proportion(reference_data: None) -> None:
    small = generate_all(Scale.rows(4, partnerships=2))
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("soin.") or label in NOT_GENERATED:
            continue
        assert small.get(label, 0) > 0, f"{label} has no generated rows"
    # Twice the rows per list, twice the rows of what grows with them.
    ideas_small, entries_small = small["ideas.Idea"], small["knowledge.Entry"]
    assert ideas_small == 2 * 4 and entries_small == 2 * 4
    assert small["ideas.IdeaEvent"] >= ideas_small * 2


def test_the_national_scale_is_the_issue_s_size() -> None:
    national = Scale.named("national")
    assert national.partnerships == 21
    assert 49_000 <= national.partnerships * national.ideas <= 51_000
    assert 99_000 <= national.partnerships * national.entries <= 101_000
    assert 199_000 <= national.partnerships * national.subscribers <= 201_000
    contacts = national.partnerships * national.organisations * national.contacts_per_organisation
    assert 99_000 <= contacts <= 101_000
    assert Scale.named("region").partnerships == 1
    with pytest.raises(ValueError):
        Scale.named("planet")


def test_generated_rows_hold_together(reference_data: None) -> None:
    generate_all(Scale.rows(30, partnerships=1))
    p = Partnership.objects.get()
    numbers = list(Idea.objects.filter(partnership=p).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 30
    referred = Idea.objects.filter(stage__in=["referred", "in_development", "disseminated"])
    assert referred.exists() and not referred.filter(referred_to__isnull=True).exists()
    for idea in Idea.objects.all()[:10]:
        events = list(idea.events.order_by("created_at", "pk"))
        assert events[0].kind == "received"
        moved = [e.to_stage for e in events if e.kind == "moved"]
        assert (moved[-1] if moved else "received") == idea.stage
        assert idea.created_at.date() == idea.received_on
        assert idea.search_stems.strip()
    # Some entries came from the other installations read, published or waiting in review.
    imported = Entry.objects.exclude(origin="")
    assert imported.exists() and not imported.filter(state="draft").exists()
    assert not imported.filter(idea__isnull=False).exists()
    origins = set(ExchangeSource.objects.values_list("origin", flat=True))
    assert set(imported.values_list("origin", flat=True)) <= origins


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_generated_bank_is_searched_in_both_languages(
    reference_data: None, language: str
) -> None:
    generate_all(Scale.rows(40, partnerships=1))
    published = Entry.objects.filter(state="published")
    first = published.exclude(**{f"title_{language}": ""}).order_by("pk").first()
    assert first is not None
    word = getattr(first, f"title_{language}").split()[0]  # what the entry is: "Språkcafé"
    expected = {
        e.pk for e in published if word.lower() in (getattr(e, f"title_{language}") or "").lower()
    }
    found = search.search(base=published, query=word, language=language, per_page=1000)
    assert first.pk in expected and expected <= {e.pk for e in found.entries}


def test_the_command_refuses_a_database_that_has_the_regions_partnerships(
    reference_data: None,
) -> None:
    generate_all(Scale.rows(2, partnerships=1))
    with pytest.raises(CommandError, match="database of its own"):
        call_command("generate_load_data", "--scale", "region")


def test_every_app_with_a_generator_is_run() -> None:
    from pathlib import Path

    from django.conf import settings

    found = {
        f"soin.{path.parent.name}"
        for path in (Path(settings.BASE_DIR) / "soin").glob("*/loaddata.py")
    }
    assert found - {"soin.core"} == set(APPS)
