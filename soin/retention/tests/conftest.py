"""Fixtures of the retention tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def journal(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The erasure journal of each test, in a temporary folder."""
    settings.SOIN_ERASURE_JOURNAL = tmp_path / "erasures.jsonl"
    return tmp_path / "erasures.jsonl"


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """The refusals are read in the source language."""
    from django.utils import translation

    with translation.override("en"):
        yield
