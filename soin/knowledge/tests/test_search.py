"""Search of the knowledge bank: stemming, ranking, facets, highlighting, in Swedish and
English. The suite runs on SQLite (FTS5) and on PostgreSQL (stored vectors): the expected
answers are written once, so both databases must give them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from soin.core.testing import login
from soin.ideas.models import Challenge
from soin.knowledge import search, selectors, services
from soin.knowledge.models import Entry, SearchWord
from soin.regions.models import Municipality

pytestmark = pytest.mark.django_db


def publish(entry: Entry, when: int) -> Entry:
    """Publish ``entry`` as if on day ``when`` of 2018 (later days are newer)."""
    entry = services.entry_record_consent(entry=entry, actor=None, note="Per telefon")
    entry = services.entry_move(entry=entry, actor=None, move="submit")
    entry = services.entry_move(entry=entry, actor=None, move="publish", seen_version=entry.version)
    Entry.objects.filter(pk=entry.pk).update(
        published_at=timezone.datetime(2018, 1, when, 12, tzinfo=timezone.get_current_timezone())
    )
    return entry


def challenge(key: str) -> Challenge:
    return Challenge.objects.get(partnership__isnull=True, key=key)


def municipality(name: str) -> Municipality:
    return Municipality.objects.get(name=name)


@pytest.fixture
def bank(world):  # type: ignore[no-untyped-def]
    p, q = world.partnership, world.other_partnership
    # The world's own published entry is archived, so that only the entries below count.
    services.entry_move(entry=world.entry, actor=None, move="archive")
    inclusive, food, climate = (
        challenge("inclusive-societies"),
        challenge("food-bioeconomy"),
        challenge("climate"),
    )
    made = {
        "workshop": services.entry_create(
            partnership=p,
            actor=None,
            title_sv="Kooperativ cykelverkstad",
            title_en="Cooperative bicycle workshop",
            summary_sv="Ett kooperativ där unga reparerar cyklar och lär sig ett yrke.",
            summary_en="A cooperative where young people repair bicycles and learn a trade.",
            story_sv="Verkstaden startade i Varberga.",
            story_en="The workshop started in Varberga.",
            solution_type="social_enterprise",
            challenges=[inclusive],
            municipality=municipality("Örebro"),
            new_for="region",
            evidence_level="documented",
            can_spread="yes",
        ),
        "food": services.entry_create(
            partnership=p,
            actor=None,
            title_sv="Matkassar från bygden",
            title_en="Food bags from the countryside",
            summary_sv="Lokala bönder levererar matkassar till äldre.",
            summary_en="Local farmers deliver food bags to older people.",
            story_sv="Bönderna samarbetar med hjälp av kooperativa lösningar.",
            story_en="The farmers work together through cooperative solutions.",
            solution_type="service",
            challenges=[food],
            municipality=municipality("Hällefors"),
            new_for="municipality",
            evidence_level="experience",
            can_spread="yes",
        ),
        "cafe": services.entry_create(
            partnership=p,
            actor=None,
            title_sv="Språkcafé i biblioteket",
            title_en="Language café at the library",
            summary_sv="Nyanlända och ortsbor möts och samtalar på svenska.",
            summary_en="Newcomers and locals meet and talk in Swedish.",
            solution_type="event",
            challenges=[inclusive],
            municipality=municipality("Kumla"),
            new_for="locality",
            evidence_level="evaluated",
            can_spread="yes",
        ),
        "pool": services.entry_create(
            partnership=q,
            actor=None,
            title_sv="Delade cyklar på landsbygden",
            title_en="Shared bikes in the countryside",
            summary_sv="Byborna delar cyklar och elcyklar mellan byarna.",
            summary_en="Villagers share bicycles and e-bikes between the villages.",
            solution_type="service",
            challenges=[inclusive, climate],
            municipality=municipality("Karlstad"),
            new_for="region",
            evidence_level="experience",
            can_spread="yes",
        ),
    }
    for day, key in enumerate(["workshop", "food", "cafe", "pool"], start=1):
        made[key] = publish(made[key], day)
    # A draft that matches every query below must never be found.
    made["draft"] = services.entry_create(
        partnership=p,
        actor=None,
        title_sv="Cyklar, kooperativ och matkassar",
        title_en="Bicycles, cooperatives and food bags",
        summary_sv="Ett utkast om cyklar.",
        summary_en="A draft about bicycles.",
        challenges=[inclusive],
    )
    return made


def titles(results: search.Results) -> list[str]:
    return [e.title_sv for e in results.entries]


def national(**kwargs):  # type: ignore[no-untyped-def]
    return selectors.bank_search(partnership=None, **kwargs)


def test_swedish_inflections_find_the_same_word(bank) -> None:  # type: ignore[no-untyped-def]
    # "cyklarna" (the bicycles) and "cyklar" (bicycles) share the stem "cykl", and "cykel"
    # (the word without its ending's e) begins "cykelverkstad".
    results = national(query="cyklarna", language="sv")
    assert sorted(titles(results)) == ["Delade cyklar på landsbygden", "Kooperativ cykelverkstad"]
    assert results.terms == ["cykl", "cykelverkst"]


def test_english_inflections_find_the_same_word(bank) -> None:  # type: ignore[no-untyped-def]
    results = national(query="repairing bicycle", language="en")
    assert [e.title_en for e in results.entries] == ["Cooperative bicycle workshop"]


def test_every_word_of_the_query_must_match(bank) -> None:  # type: ignore[no-untyped-def]
    results = national(query="bönder matkassar", language="sv")
    assert titles(results) == ["Matkassar från bygden"]
    assert not results.nearest
    # No entry has both words: the entries with one of them are offered, and said to be so.
    results = national(query="cyklar matkassar", language="sv")
    assert results.nearest
    assert sorted(titles(results)) == [
        "Delade cyklar på landsbygden",
        "Kooperativ cykelverkstad",
        "Matkassar från bygden",
    ]


def test_a_word_finds_the_compounds_that_begin_or_end_with_it(bank) -> None:  # type: ignore[no-untyped-def]
    entry = services.entry_create(
        partnership=bank["workshop"].partnership,
        actor=None,
        title_sv="Matkooperativet i Nora",
        title_en="The food co-op in Nora",
        summary_sv="Hushåll köper in mat tillsammans, direkt från gårdarna.",
        summary_en="Households buy food together, straight from the farms.",
        solution_type="social_enterprise",
        challenges=[challenge("food-bioeconomy")],
        new_for="locality",
        evidence_level="experience",
        can_spread="yes",
    )
    publish(entry, 5)
    assert "Matkooperativet i Nora" in titles(national(query="kooperativ", language="sv"))
    # Its first part finds a compound too, and so does its last.
    assert sorted(titles(national(query="cykel", language="sv"))) == [
        "Delade cyklar på landsbygden",
        "Kooperativ cykelverkstad",
    ]
    assert titles(national(query="verkstad", language="sv")) == ["Kooperativ cykelverkstad"]


def test_stop_words_alone_find_everything_in_date_order(bank) -> None:  # type: ignore[no-untyped-def]
    results = national(query="och att det", language="sv")
    assert results.sort == "newest"
    assert titles(results) == [
        "Delade cyklar på landsbygden",
        "Språkcafé i biblioteket",
        "Matkassar från bygden",
        "Kooperativ cykelverkstad",
    ]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_story(bank) -> None:  # type: ignore[no-untyped-def]
    assert titles(national(query="kooperativ", language="sv")) == [
        "Kooperativ cykelverkstad",
        "Matkassar från bygden",
    ]
    results = national(query="cooperative", language="en")
    assert [e.title_en for e in results.entries] == [
        "Cooperative bicycle workshop",
        "Food bags from the countryside",
    ]


def test_the_categories_and_places_are_searched_too(bank) -> None:  # type: ignore[no-untyped-def]
    assert titles(national(query="Kumla", language="sv")) == ["Språkcafé i biblioteket"]
    # The challenge's name in English.
    results = national(query="climate", language="en")
    assert [e.title_en for e in results.entries] == ["Shared bikes in the countryside"]


def test_hostile_queries_are_plain_words(bank) -> None:  # type: ignore[no-untyped-def]
    # Operators of either database's query language are read as words or ignored ("near",
    # "or" and "x" are words no entry has: the entries with "cyklar" are the nearest).
    expected = {'"': 4, "cykl*": 2, "NEAR(cyklar": 2, "cyklar OR x": 2, "-cyklar": 2}
    expected |= {"'; DROP TABLE x; --": 0, "ä" * 500: 0, "\x00cyklar\u202e": 2}
    for query, total in expected.items():
        assert national(query=query, language="sv").total == total, query


def test_facets_count_the_matches_and_keep_the_other_values_of_a_chosen_facet(bank) -> None:  # type: ignore[no-untyped-def]
    results = national(language="sv")
    facets = {f.name: {o.value: o.count for o in f.options} for f in results.facets}
    assert facets["challenge"] == {"inclusive-societies": 3, "food-bioeconomy": 1, "climate": 1}
    assert facets["region"] == {"18": 3, "17": 1}
    assert facets["solution"] == {"service": 2, "social_enterprise": 1, "event": 1}
    assert facets["novelty"] == {"region": 2, "municipality": 1, "locality": 1}
    assert facets["evidence"] == {"experience": 2, "documented": 1, "evaluated": 1}
    assert facets["municipality"] == {"1880": 1, "1863": 1, "1881": 1, "1780": 1}

    chosen = national(language="sv", filters={"region": ["18"]})
    assert chosen.total == 3
    facets = {f.name: {o.value: o.count for o in f.options} for f in chosen.facets}
    # The region facet still offers Värmland; the others count within Örebro län.
    assert facets["region"] == {"18": 3, "17": 1}
    assert facets["challenge"] == {"inclusive-societies": 2, "food-bioeconomy": 1}
    region = next(f for f in chosen.facets if f.name == "region")
    assert [(o.label, o.selected) for o in region.options] == [
        ("Örebro län", True),
        ("Värmlands län", False),
    ]


def test_facets_combine_with_the_text(bank) -> None:  # type: ignore[no-untyped-def]
    results = national(query="cyklar", language="sv", filters={"challenge": ["climate"]})
    assert titles(results) == ["Delade cyklar på landsbygden"]
    facets = {f.name: {o.value: o.count for o in f.options} for f in results.facets}
    assert facets["challenge"] == {"inclusive-societies": 2, "climate": 1}
    labels = {o.value: o.label for f in results.facets for o in f.options if f.name == "challenge"}
    assert labels["climate"].startswith("Klimatåtgärder")


@pytest.mark.parametrize(
    "query, filters",
    [
        ("", {}),
        ("", {"region": ["18"]}),
        ("cyklar", {"challenge": ["climate"]}),
        ("", {"challenge": ["inclusive-societies", "climate"], "solution": ["service"]}),
        ("", {"municipality": ["1880", "1780"], "novelty": ["region"], "evidence": ["nothing"]}),
    ],
)
def test_the_counts_in_one_pass_are_those_of_a_query_per_facet(bank, query, filters) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("the facets are counted in one pass on PostgreSQL")
    base = selectors.published_entries(partnership=None)
    if query:
        base = base.filter(pk__in=search._matching(base, [["cykl"]], "sv").values("pk"))
    expected = (
        base.filter(search._facet_filter(filters)).count(),
        search._facet_counts(base, filters),
    )
    total, counts, labels = search._counted_at_once(base, filters, "sv")
    for name, named in labels.items():
        spec = next(s for s in search.FACETS if s.name == name)
        assert named == search._labels(spec, list(counts[name]), "sv") and set(named) == set(
            counts[name]
        )
    listed = list(base.filter(search._facet_filter(filters)).values_list("pk", flat=True))
    assert len(listed) == len(set(listed)) == total  # an entry of two chosen challenges once
    assert (total, counts) == expected
    assert any(counts.values())  # something counted, so the two ways were both put to work


def test_a_partnership_bank_shows_only_its_own_entries(world, bank) -> None:  # type: ignore[no-untyped-def]
    results = selectors.bank_search(partnership=world.partnership, query="cyklar", language="sv")
    assert titles(results) == ["Kooperativ cykelverkstad"]


def test_sorting_by_title_follows_swedish_order(world, bank) -> None:  # type: ignore[no-untyped-def]
    services.entry_create(
        partnership=world.partnership, actor=None, title_sv="Ökad trygghet", title_en="Safety"
    )
    extra = publish(
        services.entry_update(
            entry=Entry.objects.get(title_sv="Ökad trygghet"),
            actor=None,
            summary_sv="Trygghetsvandringar.",
            summary_en="Safety walks.",
            solution_type="working_method",
            challenges=[challenge("secure-societies")],
            new_for="locality",
            evidence_level="none",
            can_spread="unknown",
        ),
        5,
    )
    assert extra.state == Entry.State.PUBLISHED
    results = national(language="sv", sort="title")
    assert titles(results) == [
        "Delade cyklar på landsbygden",
        "Kooperativ cykelverkstad",
        "Matkassar från bygden",
        "Språkcafé i biblioteket",
        "Ökad trygghet",
    ]


def test_paging(bank) -> None:  # type: ignore[no-untyped-def]
    first = national(language="sv", per_page=3)
    second = national(language="sv", per_page=3, page=2)
    assert (first.pages, first.has_next, second.has_previous) == (2, True, True)
    assert len(first.entries) == 3 and len(second.entries) == 1
    assert set(titles(first)).isdisjoint(titles(second))
    # A page past the end shows the last one.
    assert titles(national(language="sv", per_page=3, page=99)) == titles(second)


def test_matched_words_are_highlighted_and_the_rest_escaped() -> None:
    marked = search.highlight("Unga <b>reparerar</b> cyklar.", ["cykl"], "sv")
    assert marked == "Unga &lt;b&gt;reparerar&lt;/b&gt; <mark>cyklar</mark>."


def test_changing_an_entry_changes_what_finds_it(bank) -> None:  # type: ignore[no-untyped-def]
    entry = services.entry_move(entry=bank["cafe"], actor=None, move="unpublish", note="Ny text")
    services.entry_update(entry=entry, actor=None, summary_sv="Samtal om läsning och böcker.")
    assert titles(national(query="samtalar", language="sv")) == []
    entry = services.entry_move(entry=entry, actor=None, move="submit")
    services.entry_move(entry=entry, actor=None, move="publish", seen_version=entry.version)
    assert titles(national(query="böckerna", language="sv")) == ["Språkcafé i biblioteket"]


def test_both_databases_hold_the_terms_made_in_python(bank) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL's vectors and SQLite's FTS5 rows hold exactly the terms the Python reading
    # makes, so both databases find the same entries.
    entry = Entry.objects.get(pk=bank["workshop"].pk)
    for lang in search.LANGUAGES:
        expected = {t for part in search.document(entry, lang) for t in search.terms(part, lang)}
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT word FROM ts_stat('SELECT search_{lang} FROM knowledge_entry "
                    f"WHERE id = {entry.pk}')"
                )
                stored = {row[0] for row in cursor.fetchall()}
            else:
                cursor.execute(
                    f"SELECT title, summary, story, extra FROM knowledge_fts_{lang} "
                    "WHERE rowid = %s",
                    [entry.pk],
                )
                stored = set(" ".join(cursor.fetchone()).split())
        assert stored == expected, lang
        # Spelled as the Python reading spells them: "Cooperative bicycle" with a k.
        assert {"sv": {"kooperativ", "cykelverkst"}, "en": {"kooper", "bicykl"}}[lang] <= stored


def test_similar_documented_innovations_are_found_by_any_telling_word(bank) -> None:  # type: ignore[no-untyped-def]
    found = selectors.similar_entries(text="Unga som reparerar gamla cyklar i garaget")
    assert [e.title_sv for e in found] == [
        "Kooperativ cykelverkstad",
        "Delade cyklar på landsbygden",
    ]
    assert selectors.similar_entries(text="och att det") == []


def test_an_idea_shows_the_similar_documented_innovations(client, world, bank) -> None:  # type: ignore[no-untyped-def]
    from soin.core.testing import ADVISOR

    login(client, world.users[ADVISOR])
    # The world's idea is "Lånecykelpool: Cyklar att låna för den som saknar bil."
    page = client.get(f"/staff/orebro/ideas/{world.idea.pk}/").content.decode()
    section = page[page.index("<h3>I kunskapsbanken</h3>") :]
    assert "Delade cyklar på landsbygden" in section.split("</ul>")[0]
    page = client.post(
        "/staff/orebro/ideas/new/",
        {"check": "1", "title": "Matkassar", "description": "Bönder levererar mat"},
    ).content.decode()
    section = page[page.index("<h3>I kunskapsbanken</h3>") :]
    assert "Matkassar från bygden" in section.split("</ul>")[0]


def test_the_index_can_be_rebuilt_from_the_entries(bank) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.core.management import call_command

    if connection.vendor == "postgresql":
        Entry.objects.update(search_sv=None, search_en=None)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_fts_sv")
            cursor.execute("DELETE FROM knowledge_fts_en")
    SearchWord.objects.all().delete()
    assert titles(national(query="cyklar", language="sv")) == []
    out = io.StringIO()
    call_command("bank_reindex", stdout=out)
    assert "7 of 7 entries indexed" in out.getvalue()
    assert sorted(titles(national(query="cyklar", language="sv"))) == [
        "Delade cyklar på landsbygden",
        "Kooperativ cykelverkstad",
    ]
    # The vocabulary is back too (a compound's last part finds it), without the draft's words.
    assert titles(national(query="verkstad", language="sv")) == ["Kooperativ cykelverkstad"]
    assert not SearchWord.objects.filter(word="utkast").exists()


def test_a_page_lists_a_long_facet_in_part_keeping_every_chosen_option() -> None:
    options = [search.Option(f"m{i}", f"Kommun {i}", 100 - i, i == 7) for i in range(10)]
    facet = search.Facet("municipality", "Kommun", options)
    (shown,) = search.shown_facets([facet], limit=3)
    assert [o.value for o in shown.options] == ["m0", "m1", "m2", "m7"]
    assert shown.more == 6
    # The full list stays whole for the open data API.
    assert len(facet.options) == 10 and facet.more == 0
