"""How the search reads a word: the same term for the forms a reader may type."""

from __future__ import annotations

import pytest

from soin.core import normalise


@pytest.mark.parametrize(
    "language, forms",
    [
        ("sv", ["café", "cafe", "kafé", "kafe"]),
        ("en", ["café", "cafe", "cafes"]),
        ("en", ["woman", "women"]),
        ("en", ["child", "children"]),
        ("sv", ["cykel", "cyklar", "cyklarna"]),
        ("sv", ["cirkel", "cirklar"]),
        ("en", ["project", "projects"]),
    ],
)
def test_the_forms_of_a_word_are_one_term(language, forms) -> None:  # type: ignore[no-untyped-def]
    assert len({normalise.term(f, language) for f in forms}) == 1, forms


def test_accents_fold_but_the_swedish_letters_stay() -> None:
    assert normalise.fold("crème") == "kreme"
    assert normalise.fold("ødegård") == "ödegård"
    assert normalise.term("får", "sv") != normalise.term("far", "sv")


def test_a_swedish_query_is_also_read_without_the_endings_snowball_leaves() -> None:
    assert normalise.bases(normalise.term("socialt", "sv"), "sv") == ["socialt", "social"]
    assert "kooperativ" in normalise.bases(normalise.term("kooperativet", "sv"), "sv")
    # Too short to say anything once cut.
    assert normalise.bases("satt", "sv") == ["satt"]


def test_the_distance_counts_a_swap_of_neighbours_as_one_edit() -> None:
    assert normalise.distance("inegration", "integration", 2)[-1] == 1
    assert normalise.distance("itnegration", "integration", 2)[-1] == 1
    # Every prefix at once: "integration" is one edit from the first part of a compound.
    row = normalise.distance("inegration", "integrationsguider", 2)
    assert row[len("integration")] == 1
