"""Keyset pages: every row once, forwards and back, in the list's order; a key made by hand
gives the first page rather than an error."""

from __future__ import annotations

import base64
import json

import pytest

from soin.core.paging import keyset_page
from soin.ideas.models import Idea

ORDER = ("-received_on", "-pk")


def key(values: list[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def test_pages_cover_every_row_once_in_order_both_ways(world) -> None:  # type: ignore[no-untyped-def]
    ideas = Idea.objects.filter(partnership=world.partnership)
    expected = list(ideas.order_by(*ORDER).values_list("pk", flat=True))
    assert len(expected) >= 2
    seen, after, keys = [], "", []
    while True:
        page = keyset_page(ideas, order=ORDER, after=after, per_page=1)
        assert page.total == len(expected)
        seen += [i.pk for i in page]
        keys.append(page)
        if not page.has_next:
            break
        after = page.next_key
    assert seen == expected
    last = keys[-1]
    back = keyset_page(ideas, order=ORDER, before=last.previous_key, per_page=1)
    assert [i.pk for i in back] == expected[-2:-1]


@pytest.mark.parametrize(
    "made",
    [
        "not-a-key",
        key(["2025-01-01"]),  # too few values
        key(["2025-02-30", 1]),  # no such day
        key(["2025-01-01", 2**70]),  # a number no column holds
        key(["2025-01-01", "1\x00"]),
        key({"a": 1}),  # type: ignore[arg-type]
    ],
)
def test_a_key_made_by_hand_gives_the_first_page(world, made: str) -> None:  # type: ignore[no-untyped-def]
    ideas = Idea.objects.filter(partnership=world.partnership)
    first = [i.pk for i in keyset_page(ideas, order=ORDER, per_page=1)]
    for direction in ("after", "before"):
        page = keyset_page(ideas, order=ORDER, per_page=1, **{direction: made})
        assert [i.pk for i in page] == first and not page.has_previous
