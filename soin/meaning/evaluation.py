"""How well similar ideas are found: the evaluation set in ``data/similar_ideas.json`` (ideas in
groups that say the same thing in other words, and unrelated ideas), and recall@3 of the
platform's method beside two baselines on the same set:

- ``platform``: meaning and words (``soin.meaning.selectors``: the nearest by centred cosine,
  ranked by W × cosine + (1 − W) × stem similarity, meaning alone across languages);
- ``cosine``: meaning alone, the model's cosine as it comes (not centred);
- ``stems``: the Snowball stems alone, as ``soin.ideas.selectors.similar_ideas`` compares them
  (candidates share one of the ten longest stems, a score of at least 0.12);
- ``trigrams``: the similarity of PostgreSQL's ``pg_trgm`` (shared three-letter pieces of the
  words, over all pieces).

recall@3 is, for every idea of a group, the share of its group-mates among its three nearest
ideas, averaged over the ideas of all groups."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from soin.core.text import similarity, stems
from soin.meaning import engine
from soin.meaning.selectors import POOL, centre, hybrid, nearest

DATA = Path(__file__).parent / "data" / "similar_ideas.json"
K = 3


def load(path: Path = DATA) -> tuple[list[Any], list[int | None]]:
    """Return the set's ideas (objects with title, description, language) and each one's
    group (None for a distractor)."""
    data = json.loads(path.read_text())
    items: list[Any] = []
    groups: list[int | None] = []
    for number, group in enumerate(data["groups"]):
        for idea in group:
            items.append(SimpleNamespace(**idea))
            groups.append(number)
    for idea in data["distractors"]:
        items.append(SimpleNamespace(**idea))
        groups.append(None)
    return items, groups


def recall(rankings: list[list[int]], groups: list[int | None], k: int = K) -> float:
    found = []
    for i, ranking in enumerate(rankings):
        if groups[i] is None:
            continue
        mates = {j for j, g in enumerate(groups) if g == groups[i] and j != i}
        found.append(len(mates & set(ranking[:k])) / len(mates))
    return float(np.mean(found))


def _text(item: Any) -> str:
    return f"{item.title} {item.description}"


def rank_platform(items: list[Any], vectors: np.ndarray) -> list[list[int]]:
    centred, _, _ = centre(vectors)
    cosines = centred @ centred.T
    words = [set(stems(_text(item), item.language)) for item in items]
    rankings = []
    for i, item in enumerate(items):
        mask = np.ones(len(items), dtype=bool)
        mask[i] = False
        scored = []
        for j in nearest(cosines[i], mask, POOL):
            lexical = similarity(words[i], words[j]) if items[j].language == item.language else None
            scored.append((hybrid(float(cosines[i, j]), lexical), j))
        scored.sort(key=lambda s: (-s[0], s[1]))
        rankings.append([j for _, j in scored])
    return rankings


def rank_cosine(vectors: np.ndarray) -> list[list[int]]:
    cosines = vectors @ vectors.T
    np.fill_diagonal(cosines, -np.inf)
    return [[int(j) for j in np.argsort(-row, kind="stable")[:-1]] for row in cosines]


def rank_stems(items: list[Any], threshold: float = 0.12) -> list[list[int]]:
    words = [set(stems(_text(item), item.language)) for item in items]
    rankings = []
    for i in range(len(items)):
        telling = set(sorted(words[i], key=len, reverse=True)[:10])
        scored = [
            (similarity(words[i], words[j]), j)
            for j in range(len(items))
            if j != i and telling & words[j]
        ]
        scored = [s for s in scored if s[0] >= threshold]
        scored.sort(key=lambda s: (-s[0], s[1]))
        rankings.append([j for _, j in scored])
    return rankings


WORD = re.compile(r"[^\W_]+", re.UNICODE)


def trigrams(text: str) -> set[str]:
    """The trigrams of ``text`` as pg_trgm counts them: each word lower-cased, with two spaces
    before and one after."""
    found: set[str] = set()
    for word in WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def rank_trigrams(items: list[Any]) -> list[list[int]]:
    grams = [trigrams(_text(item)) for item in items]
    rankings = []
    for i in range(len(items)):
        scored = [
            (len(grams[i] & grams[j]) / len(grams[i] | grams[j]), j)
            for j in range(len(items))
            if j != i and grams[i] | grams[j]
        ]
        scored.sort(key=lambda s: (-s[0], s[1]))
        rankings.append([j for _, j in scored])
    return rankings


def evaluate(path: Path = DATA) -> dict[str, Any]:
    """Return recall@3 of each method on the set, and what embedding it cost."""
    items, groups = load(path)
    started = time.perf_counter()
    vectors = engine.embed([engine.idea_text(item) for item in items])
    seconds = time.perf_counter() - started
    return {
        "ideas": len(items),
        "groups": len({g for g in groups if g is not None}),
        "recall_at_3": {
            "platform": round(recall(rank_platform(items, vectors), groups), 3),
            "cosine": round(recall(rank_cosine(vectors), groups), 3),
            "stems": round(recall(rank_stems(items), groups), 3),
            "trigrams": round(recall(rank_trigrams(items), groups), 3),
        },
        "embed_ms_per_idea": round(1000 * seconds / len(items), 1),
    }
