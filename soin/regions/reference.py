"""Sweden's regions and municipalities, shipped as CSV files beside this module."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_reference_data(region_model: Any, municipality_model: Any) -> tuple[int, int]:
    """Create or update every region and municipality; return how many of each exist."""
    regions = {}
    for row in read_rows("regions.csv"):
        regions[row["code"]], _ = region_model.objects.update_or_create(
            code=row["code"], defaults={"name_sv": row["name_sv"], "name_en": row["name_en"]}
        )
    for row in read_rows("municipalities.csv"):
        municipality_model.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "region": regions[row["region_code"]]},
        )
    return region_model.objects.count(), municipality_model.objects.count()
