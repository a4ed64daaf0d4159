"""“Are there similar solutions?”: similar ideas by Swedish stems, linking and merging."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from soin.core.testing import login
from soin.core.text import stems
from soin.ideas import selectors, services
from soin.ideas.models import Idea


def register(world, title: str, description: str, partnership=None) -> Idea:  # type: ignore[no-untyped-def]
    return services.idea_register(
        partnership=partnership or world.partnership,
        actor=None,
        channel="phone",
        received_on=datetime.date(2017, 3, 1),
        title=title,
        description=description,
        carrier_category="association",
    )


def test_swedish_words_meet_in_their_stems() -> None:
    assert stems("kooperativ")[0] == stems("kooperativen")[0] == stems("kooperativa")[0]
    assert stems("föreningar och föreningen") == stems("förening förening")


def test_similar_ideas_are_found_by_stem_and_ranked(world) -> None:  # type: ignore[no-untyped-def]
    coop = register(world, "Kooperativet på torget", "Ett kooperativ som driver torghandel.")
    register(world, "Läxhjälp", "Läxhjälp för barn i skolan.")
    found = selectors.similar_ideas(
        partnership=world.partnership, text="Vi vill starta ett kooperativ för torghandel"
    )
    assert found[0].idea == coop
    assert all(s.idea.title != "Läxhjälp" for s in found)
    # Nationally: ideas of other partnerships, never this one's.
    elsewhere = register(
        world,
        "Kooperativa torgdagar",
        "Torghandel i kooperativ form.",
        partnership=world.other_partnership,
    )
    national = selectors.similar_ideas(
        partnership=world.partnership, elsewhere=True, text="kooperativ torghandel"
    )
    assert [s.idea for s in national] == [elsewhere]


def test_the_idea_page_shows_similar_ideas_and_merging_is_reversible(world) -> None:  # type: ignore[no-untyped-def]
    first = register(world, "Repair café", "Vi lagar cyklar och kläder tillsammans.")
    duplicate = register(
        world, "Reparationscafé", "Laga cyklar och kläder tillsammans, Repair café."
    )
    advisor = Client()
    login(advisor, world.users["advisor"])
    page = advisor.get(
        reverse("staff:idea_detail", kwargs={"partnership": "orebro", "pk": first.pk})
    ).content.decode()
    assert duplicate.number in page
    advisor.post(
        reverse("staff:idea_merge", kwargs={"partnership": "orebro", "pk": first.pk}),
        {"other": duplicate.pk},
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into == first
    listing = advisor.get(reverse("staff:idea_list", kwargs={"partnership": "orebro"}))
    assert "Reparationscafé" not in listing.content.decode()
    assert first.events.filter(kind="merged").exists()
    assert duplicate.events.filter(kind="merged").exists()
    advisor.post(
        reverse("staff:idea_unmerge", kwargs={"partnership": "orebro", "pk": duplicate.pk})
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert duplicate.events.filter(kind="unmerged").exists()
    listing = advisor.get(reverse("staff:idea_list", kwargs={"partnership": "orebro"}))
    assert "Reparationscafé" in listing.content.decode()


def test_an_idea_cannot_merge_into_itself_or_another_partnerships(world) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from django.core.exceptions import ValidationError

    other = register(world, "X", "Y", partnership=world.other_partnership)
    with pytest.raises(ValidationError):
        services.idea_merge(duplicate=world.idea, into=world.idea, actor=world.users["advisor"])
    with pytest.raises(ValidationError):
        services.idea_merge(duplicate=other, into=world.idea, actor=world.users["advisor"])


def test_registering_looks_for_similar_ideas_before_saving(world) -> None:  # type: ignore[no-untyped-def]
    advisor = Client()
    login(advisor, world.users["advisor"])
    url = reverse("staff:idea_register", kwargs={"partnership": "orebro"})
    before = Idea.objects.count()
    page = advisor.post(
        url, {"check": "1", "title": "Cyklar att låna", "description": "Låna en cykel"}
    ).content.decode()
    assert "Lånecykelpool" in page and world.idea.number in page
    assert Idea.objects.count() == before
    assert 'value="Cyklar att låna"' in page
