"""Similar ideas for ``make bench``: recall@3 of the platform's method on the evaluation set beside
the stem and trigram methods, the cost of embedding, and at national size (50 000 ideas,
100 000 entries) the memory a web process and the worker keep and the time of their products.
And the bank's search: recall@10 and nDCG@10 on the search evaluation set, by meaning and words
and by words alone, beside stems and trigrams, with the time of a search (``search``). Figures
in ``var/bench/similarity.json``."""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from soin.meaning import engine, evaluation, search_evaluation
from soin.meaning.selectors import POOL, QUERY_FLOOR, QUERY_SHARE, centre, nearest


def _rss_mb() -> float:
    """The resident memory of this process now, in MB (Linux)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return pages * resource.getpagesize() / 2**20


class Command(BaseCommand):
    help = "Quality and cost of similar ideas by meaning; figures in var/bench/similarity.json."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default="var/bench")
        parser.add_argument("--ideas", type=int, default=50_000)
        parser.add_argument("--entries", type=int, default=100_000)

    def handle(self, *args: Any, output: str, ideas: int, entries: int, **options: Any) -> None:
        status = engine.model_status()
        if not status.ok:
            raise CommandError(f"The embedding model cannot be used ({status.problem})")
        before = _rss_mb()
        quality = evaluation.evaluate()
        with_model = _rss_mb()
        # At national size, on random vectors of the model's shape (the cost does not depend
        # on what they say). A web process keeps the model (for a search's words) and the
        # entries' matrix (float32): an idea page reads the lists the worker stored. The
        # worker keeps the ideas' matrix as well, and finds an idea's nearest with one product
        # per kind.
        rng = np.random.default_rng(1)
        loaded_before = _rss_mb()
        raw_entries = rng.standard_normal((entries, engine.DIM), dtype=np.float32).astype(
            np.float16
        )
        started = time.perf_counter()
        entry_matrix, _, _ = centre(raw_entries.astype(np.float32))
        load_s = time.perf_counter() - started
        del raw_entries
        entries_mb = _rss_mb() - loaded_before
        raw_ideas = rng.standard_normal((ideas, engine.DIM), dtype=np.float32).astype(np.float16)
        idea_matrix, _, _ = centre(raw_ideas.astype(np.float32))
        del raw_ideas
        ideas_mb = _rss_mb() - loaded_before - entries_mb
        groups = rng.integers(0, 21, size=ideas)
        times = []
        for i in range(50):
            wanted = idea_matrix[i]
            started = time.perf_counter()
            scores = idea_matrix @ wanted
            inside = groups == groups[i]
            nearest(scores, inside, POOL)
            nearest(scores, ~inside, POOL)
            nearest(entry_matrix @ wanted, np.ones(entries, dtype=bool), POOL)
            times.append((time.perf_counter() - started) * 1000)
        # The bank's search on its evaluation set (written into this database and rolled back).
        search = search_evaluation.evaluate()
        with override_settings(SOIN_EMBEDDINGS=False):
            words = search_evaluation.evaluate()
        search["words_alone"] = {
            "recall_at_10": words["recall_at_10"]["platform"],
            "ndcg_at_10": words["ndcg_at_10"]["platform"],
        }
        # A bank search's share: one query's vector against every entry, the nearest kept.
        query_times = []
        for i in range(50):
            wanted = entry_matrix[i]
            started = time.perf_counter()
            scores = entry_matrix @ wanted
            np.flatnonzero(scores >= max(QUERY_FLOOR, QUERY_SHARE * float(scores.max())))
            query_times.append((time.perf_counter() - started) * 1000)
        figures = {
            **quality,
            "search": search,
            "model_rss_mb": round(with_model - before, 1),
            "national": {
                "ideas": ideas,
                "entries": entries,
                # What one web worker holds above a worker without meaning: the model and the
                # entries' matrix.
                "web_worker_rss_mb": round(with_model - before + entries_mb, 1),
                "entries_matrix_rss_mb": round(entries_mb, 1),
                "ideas_matrix_rss_mb": round(ideas_mb, 1),
                "matrices_read_s": round(load_s, 2),
                "search_scoring_p50_ms": round(float(np.percentile(query_times, 50)), 2),
                "search_scoring_p95_ms": round(float(np.percentile(query_times, 95)), 2),
                "worker_nearest_p50_ms": round(float(np.percentile(times, 50)), 2),
                "worker_nearest_p95_ms": round(float(np.percentile(times, 95)), 2),
                "embed_all_hours": round(
                    (ideas + entries) * quality["embed_ms_per_idea"] / 1000 / 3600, 1
                ),
            },
        }
        out = Path(output)
        out.mkdir(parents=True, exist_ok=True)
        (out / "similarity.json").write_text(json.dumps(figures, indent=2) + "\n")
        self.stdout.write(json.dumps(figures, indent=2))
