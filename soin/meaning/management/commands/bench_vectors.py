"""Vectors of the model's shape for a generated data set (``make bench``), and the time the
worker takes to find every idea's nearest ideas and entries from them.

Embedding the national set with the model takes hours (``bench_similarity`` reports the
estimate from the model's measured speed), so the benchmarks give each generated idea and
entry a vector of the model's size computed from its words instead: the sum of a fixed random
vector per word stem, so that texts sharing words lie near each other as texts sharing a
subject do under the model. Stored with the model's name and the hash of the real text, they
are current for the pages, which then read the lists the worker stores, at the cost they have
in production. Figures in ``var/bench/vectors-<set>.json``."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand
from django.db import transaction

from soin.core.text import stems
from soin.meaning import engine, selectors
from soin.meaning.models import DTYPE
from soin.meaning.services import KINDS, neighbours_update

BATCH = 2000


def _word_vector(word: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
    return np.random.default_rng(seed).standard_normal(engine.DIM).astype(np.float32)


def _embedding_sample(size: int = 50) -> dict[str, Any]:
    """The worker's time to embed the texts of this data set with the model (the generated
    texts are as long as real ones), on a sample of each kind, and the time to embed all of
    the set at that speed on one core. Empty without the model or rows."""
    if not engine.model_status().ok:
        return {}
    found: dict[str, Any] = {}
    hours = 0.0
    for kind in ("idea", "entry"):
        count = KINDS[kind][0].objects.count()
        model, _vector_model, _field, recipe = KINDS[kind]
        texts = [recipe(row) for row in model.objects.order_by("pk")[:size]]
        if not texts:
            return {}
        started = time.perf_counter()
        engine.embed(texts)
        per_text = (time.perf_counter() - started) / len(texts)
        found[f"embed_ms_per_{kind}_of_this_set"] = round(per_text * 1000, 1)
        found[f"{kind}_text_chars"] = round(sum(map(len, texts)) / len(texts))
        hours += count * per_text / 3600
    found["embed_this_set_all_hours"] = round(hours, 1)
    return found


def _similar_timed(count: int = 50) -> dict[str, Any]:
    """The time an idea's page takes for its similar ideas and solutions (the stored lists
    read, the ideas and entries they name fetched), in this process, for the first ideas."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from soin.ideas.models import Idea
    from soin.ideas.selectors import similar_ideas_to
    from soin.knowledge.selectors import similar_entries_to

    times = []
    queries = 0
    for idea in Idea.objects.select_related("partnership").order_by("pk")[:count]:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            similar_ideas_to(idea=idea)
            similar_entries_to(idea=idea)
        times.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured))
    times.sort()
    return {
        "similar_p50_ms": round(times[len(times) // 2], 2),
        "similar_p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)], 2),
        "similar_queries": queries,
    }


class Command(BaseCommand):
    help = "Give a generated data set vectors of the model's shape and time the nearest lists."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--set", required=True, help="the data set's name, for the figures")
        parser.add_argument("--output", default="var/bench")

    def handle(self, *args: Any, **options: Any) -> None:
        name = engine.model_name()
        words: dict[str, np.ndarray] = {}
        figures: dict[str, Any] = {"set": options["set"]}
        started = time.monotonic()
        for kind, (model, vector_model, field, recipe) in KINDS.items():
            have = set(
                vector_model.objects.filter(model=name).values_list(f"{field}_id", flat=True)
            )
            missing = model.objects.exclude(pk__in=have).order_by("pk")
            rows = []
            for row in missing.iterator(chunk_size=BATCH):
                text = recipe(row)
                vector = np.zeros(engine.DIM, dtype=np.float32)
                for word in stems(text, getattr(row, "language", "sv") or "sv"):
                    if word not in words:
                        words[word] = _word_vector(word)
                    vector += words[word]
                vector /= np.linalg.norm(vector) or 1
                rows.append(
                    vector_model(
                        **{f"{field}_id": row.pk},
                        model=name,
                        text_hash=engine.text_hash(text),
                        vector=vector.astype(DTYPE).tobytes(),
                    )
                )
            with transaction.atomic():
                vector_model.objects.bulk_create(rows, batch_size=BATCH)
            selectors.stamp_renew(kind)
            figures[f"{kind}_vectors_made"] = len(rows)
        figures["vectors_s"] = round(time.monotonic() - started, 1)
        from soin.meaning.models import IdeaVector

        never = list(
            IdeaVector.objects.filter(model=name, neighbours_at__isnull=True).values_list(
                "idea_id", flat=True
            )
        )
        started = time.monotonic()
        if never:
            # Every list when the set is new: the worker's pass after a first embedding.
            count = neighbours_update(pks=None if len(never) > 500 else never)
            figures["nearest_lists"] = count
            figures["nearest_s"] = round(time.monotonic() - started, 1)
            self.stdout.write(
                f"{options['set']}: nearest ideas and entries of {count} ideas in "
                f"{figures['nearest_s']} s"
            )
        out = Path(options["output"])
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"vectors-{options['set']}.json"
        kept = json.loads(path.read_text()) if path.exists() and not never else {}
        if "embed_this_set_all_hours" not in kept:
            figures.update(_embedding_sample())
        figures = {**kept, **figures, **_similar_timed()}
        path.write_text(json.dumps(figures, indent=2) + "\n")
        self.stdout.write(
            f"{options['set']}: similar ideas and solutions of an idea p95 "
            f"{figures['similar_p95_ms']} ms, {figures['similar_queries']} queries"
        )
