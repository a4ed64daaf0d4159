"""Cached aggregates: a figure is kept until the data it counts changes, whichever way it
changes (save, delete, many-to-many, a bulk write that bumps by hand), and a rolled-back write
leaves nothing behind that a later read could be served."""

from __future__ import annotations

import pytest
from django.db import transaction

from soin.core import aggregates
from soin.core.models import AggregateStamp
from soin.ideas.models import Challenge
from soin.knowledge import selectors, services
from soin.knowledge.models import Entry

pytestmark = pytest.mark.django_db


def counter():  # type: ignore[no-untyped-def]
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


def test_a_figure_is_computed_once_until_its_source_changes():
    calls, compute = counter()
    first = aggregates.cached(source="knowledge", key="k", compute=compute)
    again = aggregates.cached(source="knowledge", key="k", compute=compute)
    assert (first, again, len(calls)) == (1, 1, 1)
    # Another key is another figure.
    assert aggregates.cached(source="knowledge", key="other", compute=compute) == 2
    aggregates.stamp_bump(source="knowledge")
    assert aggregates.cached(source="knowledge", key="k", compute=compute) == 3


def test_an_unknown_source_is_refused():
    with pytest.raises(KeyError):
        aggregates.cached(source="nothing", key="k", compute=lambda: 1)


def test_every_kind_of_write_to_an_entry_gives_a_new_token(world):
    def token() -> str:
        return AggregateStamp.objects.get(source=f"knowledge:{world.partnership.pk}").token

    entry = world.entry
    tokens = [token()]
    entry = services.entry_move(entry=entry, actor=None, move="archive")
    tokens.append(token())
    entry.challenges.add(Challenge.objects.filter(partnership__isnull=True).last())
    tokens.append(token())
    entry.challenges.clear()
    tokens.append(token())
    Entry.objects.filter(pk=entry.pk).delete()
    tokens.append(token())
    assert len(set(tokens)) == len(tokens)


def test_a_rolled_back_write_leaves_no_figure_to_be_served(world):
    _calls, compute = counter()
    before = aggregates.cached(source="knowledge", key="k", compute=compute)

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        aggregates.stamp_bump(source="knowledge")
        # Counted inside the write that is then undone.
        assert aggregates.cached(source="knowledge", key="k", compute=compute) == 2
        raise Undone
    assert aggregates.cached(source="knowledge", key="k", compute=compute) == before
    aggregates.stamp_bump(source="knowledge")
    # The next write's token is new: the figure counted inside the undone one is not served.
    assert aggregates.cached(source="knowledge", key="k", compute=compute) == 3


def test_the_bank_counts_a_new_entry_as_soon_as_it_is_published(world):
    browse = selectors.bank_search(partnership=world.partnership)
    assert browse.total == selectors.bank_search(partnership=world.partnership).total
    entry = services.entry_create(
        partnership=world.partnership,
        actor=None,
        title_sv="Läxhjälp i biblioteket",
        title_en="Homework help in the library",
        summary_sv="Studenter hjälper skolbarn med läxorna.",
        summary_en="Students help schoolchildren with their homework.",
        solution_type="service",
        challenges=[Challenge.objects.filter(partnership__isnull=True).first()],
        new_for="region",
        evidence_level="experience",
        can_spread="yes",
    )
    entry = services.entry_record_consent(entry=entry, actor=None, note="Per telefon")
    entry = services.entry_move(entry=entry, actor=None, move="submit")
    assert selectors.bank_search(partnership=world.partnership).total == browse.total
    services.entry_move(entry=entry, actor=None, move="publish", seen_version=entry.version)
    after = selectors.bank_search(partnership=world.partnership)
    national = selectors.bank_search(partnership=None)
    assert after.total == browse.total + 1
    solution = next(f for f in after.facets if f.name == "solution")
    assert any(o.value == "service" and o.count >= 1 for o in solution.options)
    assert national.total >= after.total
    services.entry_move(entry=entry, actor=None, move="archive")
    assert selectors.bank_search(partnership=world.partnership).total == browse.total


def test_a_write_in_one_partnership_keeps_the_figures_of_another(world):
    calls, compute = counter()
    mine, theirs = [world.partnership.pk], [world.other_partnership.pk]
    aggregates.cached(source="statistics", key="k", compute=compute, partnerships=mine)
    aggregates.cached(source="statistics", key="k", compute=compute, partnerships=theirs)
    aggregates.cached(source="statistics", key="k", compute=compute)
    assert len(calls) == 3
    services.entry_move(entry=world.entry, actor=None, move="archive")
    # Counted again for the entry's partnership and for the nation, not for the other one.
    assert aggregates.cached(source="statistics", key="k", compute=compute, partnerships=mine) == 4
    assert (
        aggregates.cached(source="statistics", key="k", compute=compute, partnerships=theirs) == 2
    )
    assert aggregates.cached(source="statistics", key="k", compute=compute) == 5
    # A change to what every partnership shares counts everywhere again.
    aggregates.stamp_bump(source="statistics")
    assert (
        aggregates.cached(source="statistics", key="k", compute=compute, partnerships=theirs) == 6
    )


def test_a_timeline_row_names_its_partnership_through_its_idea(world):
    from soin.ideas.models import IdeaEvent

    event = IdeaEvent.objects.filter(idea__partnership=world.partnership).first()
    assert event is not None
    assert aggregates.partnership_of(event) == world.partnership.pk
    assert aggregates.partnership_of(Challenge.objects.filter(partnership__isnull=True)[0]) is None
