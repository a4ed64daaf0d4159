"""Similar ideas and solutions by meaning: vectors computed by the worker, across languages,
the fallback to words when the model cannot be used, and the command that fills in."""

from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from soin.core.testing import COORDINATOR, login
from soin.ideas import services as idea_services
from soin.ideas.models import Idea
from soin.knowledge import services as knowledge_services
from soin.knowledge.models import Entry
from soin.meaning import engine
from soin.meaning import selectors as meaning_selectors
from soin.meaning.models import EntryVector, IdeaVector


def work() -> None:
    # The worker opens and closes its own connections: the tests that run it are
    # transactional, as in production.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def register(partnership: Any, title: str, description: str, language: str = "sv") -> Idea:
    return idea_services.idea_register(
        partnership=partnership,
        actor=None,
        channel="phone",
        received_on=datetime.date(2026, 3, 1),
        title=title,
        description=description,
        carrier_category="association",
        language=language,
    )


def publish(world: Any, partnership: Any = None, **texts: str) -> Entry:
    actor = world.users[COORDINATOR]
    entry = knowledge_services.entry_create(
        partnership=partnership or world.partnership,
        actor=actor,
        kind="existing",
        solution_type="education",
        new_for="target_group",
        evidence_level="documented",
        can_spread="yes",
        **texts,
    )
    # Published as an entry read from another installation is: possibly in one language only.
    Entry.objects.filter(pk=entry.pk).update(
        state=Entry.State.PUBLISHED, published_at=timezone.now()
    )
    entry.refresh_from_db()
    return entry


def idea_page(client: Client, idea: Idea) -> str:
    url = reverse("staff:idea_detail", kwargs={"partnership": idea.partnership.slug, "pk": idea.pk})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, heading: str) -> str:
    """The part of the idea page's "similar" section after ``heading``."""
    start = page.index('id="h-similar"')
    rest = page[start:]
    with translation.override("sv"):
        return rest[rest.index(gettext(heading)) :]


DISTRACTORS = [
    ("Läxhjälp i biblioteket", "Studenter hjälper barn med läxor två kvällar i veckan."),
    ("Cykelverkstad för alla", "En förening lagar cyklar tillsammans med boende i området."),
    ("Körsång för äldre", "Pensionärer sjunger i kör varje vecka på träffpunkten."),
]


@pytest.mark.django_db(transaction=True)
def test_a_swedish_idea_finds_the_english_entry_about_the_same_thing_and_the_reverse(
    world: Any, meaning: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        swedish = register(
            world.partnership,
            "Matkooperativ som minskar matsvinn",
            "Butiker skänker mat som annars slängs till ett kooperativ där boende handlar "
            "billigt och arbetslösa får jobb.",
        )
        english = register(
            world.other_partnership,
            "Language café for newcomers",
            "Volunteers meet recently arrived migrants over coffee every week to practise "
            "Swedish conversation.",
            language="en",
        )
        food = publish(
            world,
            title_en="A food co-operative against food waste",
            summary_en="Shops donate surplus food that would be thrown away; residents buy it "
            "cheaply and unemployed people get work in the shop.",
        )
        talk = publish(
            world,
            title_sv="Språkkafé för nyanlända",
            summary_sv="Frivilliga träffar nyanlända över en kopp kaffe varje vecka för att "
            "öva på att prata svenska.",
        )
        for title, description in DISTRACTORS:
            publish(world, title_sv=title, summary_sv=description)
    work()
    # Computed by the worker, for what was made while the model was on.
    assert IdeaVector.objects.filter(idea__in=[swedish, english]).count() == 2
    assert EntryVector.objects.filter(entry__in=[food, talk]).count() == 2
    # Not a word in common: found by meaning alone.
    coordinator = Client()
    login(coordinator, world.users[COORDINATOR])
    page = section(idea_page(coordinator, swedish), "In the knowledge bank")
    first = page.split("<li>")[1]
    assert food.title_en in first
    found = [
        e.pk
        for e in meaning_selectors.similar_entries(
            idea=swedish, entries=Entry.objects.filter(state="published"), limit=1
        )
        or []
    ]
    assert found == [food.pk]
    found = [
        e.pk
        for e in meaning_selectors.similar_entries(
            idea=english, entries=Entry.objects.filter(state="published"), limit=1
        )
        or []
    ]
    assert found == [talk.pk]


@pytest.mark.django_db(transaction=True)
def test_a_changed_text_is_embedded_again_by_the_worker_not_in_the_request(
    world: Any, meaning: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    embedded: list[str] = []
    real = engine.embed

    def counted(texts: list[str]) -> Any:
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(engine, "embed", counted)
    with django_capture_on_commit_callbacks(execute=True):
        idea = register(world.partnership, "Repair café", "Vi lagar cyklar tillsammans.")
    assert embedded == []
    assert DBTaskResult.objects.filter(task_path__endswith="embed_one").count() == 1
    work()
    assert embedded == ["Repair café. Vi lagar cyklar tillsammans."]
    first = IdeaVector.objects.get(idea=idea)
    # The text changes (here: a name taken out of it): a new vector, in the worker.
    idea.description = "Vi lagar cyklar tillsammans med Anna Svensson."
    idea.save(update_fields=["description"])
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.idea_anonymise(idea=idea, actor=None, words=("Anna Svensson",))
    assert len(embedded) == 1
    work()
    assert len(embedded) == 2
    second = IdeaVector.objects.get(idea=idea)
    assert second.text_hash != first.text_hash
    # The same text again: nothing to compute for it (the command fills in the others).
    call_command("embed_missing", stdout=io.StringIO())
    assert [t for t in embedded if t.startswith("Repair café")] == embedded[:2]
    assert IdeaVector.objects.get(idea=idea).updated_at == second.updated_at


def test_the_command_fills_in_missing_vectors_with_a_progress_bar(world: Any, meaning: Any) -> None:
    # Made without the worker (the demo, an import): no vectors yet.
    assert IdeaVector.objects.count() == 0
    out = io.StringIO()
    call_command("embed_missing", stdout=out)
    assert IdeaVector.objects.count() == Idea.objects.count() > 0
    assert EntryVector.objects.count() == Entry.objects.count() > 0
    text = out.getvalue()
    assert "idea: [" in text and "##############################]" in text
    assert f"idea: {Idea.objects.count()} vectors computed" in text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", ["missing", "truncated", "not a model"])
def test_without_a_usable_model_similar_ideas_are_found_by_words_and_the_dashboard_says_so(
    world: Any,
    meaning: Any,
    tmp_path: Path,
    damage: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    path = tmp_path / "model.bin"
    if damage == "truncated":
        with engine.packaged_path().open("rb") as source, path.open("wb") as copy:
            copy.write(source.read(2_000_000))
    elif damage == "not a model":
        path.write_bytes(b"<html>Not found</html>" * 100)
    meaning.SOIN_EMBEDDING_MODEL = str(path)
    assert engine.model_status().problem == ("missing" if damage == "missing" else "broken")
    with django_capture_on_commit_callbacks(execute=True):
        coop = register(world.partnership, "Kooperativet på torget", "Ett kooperativ på torget.")
        other = register(world.partnership, "Kooperativa torgdagar", "Torghandel i kooperativ.")
    work()  # the worker does not fall over; it computes nothing
    assert IdeaVector.objects.count() == 0
    coordinator = Client()
    login(coordinator, world.users[COORDINATOR])
    page = idea_page(coordinator, coop)
    assert other.number in section(page, "In this partnership")
    dashboard = coordinator.get(reverse("staff:dashboard", kwargs={"partnership": "orebro"}))
    with translation.override("sv"):
        notice = gettext("Similar ideas are found by their words alone:")
    assert notice in dashboard.content.decode()
    with pytest.raises(Exception, match="cannot be used"):
        call_command("embed_missing", stdout=io.StringIO())


def test_the_dashboard_says_nothing_when_the_model_loads(world: Any, meaning: Any) -> None:
    coordinator = Client()
    login(coordinator, world.users[COORDINATOR])
    dashboard = coordinator.get(reverse("staff:dashboard", kwargs={"partnership": "orebro"}))
    assert 'class="notice"' not in dashboard.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_idea_page_asks_as_often_with_more_ideas(
    world: Any, meaning: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        idea = register(world.partnership, "Repair café", "Vi lagar cyklar och kläder.")
        register(world.partnership, "Reparationskafé", "Laga cyklar och kläder tillsammans.")
        publish(world, title_sv="Lagakafé", summary_sv="Vi lagar saker tillsammans.")
    work()
    coordinator = Client()
    login(coordinator, world.users[COORDINATOR])
    counts = []
    for more in (0, 12):
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(more):
                register(
                    world.partnership if n % 2 else world.other_partnership,
                    f"Cykelkök {n}",
                    "Vi lagar cyklar och mat tillsammans.",
                )
                publish(world, title_sv=f"Cykellagning {n}", summary_sv="Laga cyklar ihop.")
        work()
        idea_page(coordinator, idea)  # the first visit reads the vectors into the process
        with CaptureQueriesContext(connection) as captured:
            page = idea_page(coordinator, idea)
        counts.append(len(captured))
    assert "Reparationskafé" in page and "Cykelkök" in page and "Cykellagning" in page
    assert counts[0] == counts[1]
    # The page reads the lists the worker stored: no vectors read into the web process, no
    # comparison with every other idea while a person waits.
    meaning_selectors.forget()
    again = idea_page(coordinator, idea)
    assert meaning_selectors._matrices == {}
    assert "Reparationskafé" in again and "Cykellagning" in again
    stored = IdeaVector.objects.get(idea=idea)
    assert stored.neighbours_at is not None
    # Found again by the worker for the new ideas: the later ideas are in the earlier one's list.
    assert Idea.objects.filter(title="Cykelkök 11").get().pk in [p for p, _ in stored.neighbours]


def test_a_model_file_given_by_the_setting_is_used(
    world: Any, meaning: Any, tmp_path: Path
) -> None:
    path = tmp_path / "another.bin"
    shutil.copy(engine.packaged_path(), path)
    meaning.SOIN_EMBEDDING_MODEL = str(path)
    assert engine.model_status().ok
    call_command("embed_missing", "--kind", "idea", stdout=io.StringIO())
    assert set(IdeaVector.objects.values_list("model", flat=True)) == {engine.model_name()}
    assert "another.bin" in engine.model_name()
