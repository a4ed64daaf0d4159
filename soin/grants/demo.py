"""Demo data for grants."""

from __future__ import annotations

from typing import Any

from soin.accounts.models import User
from soin.regions.models import Partnership


def seed(*, partnership: Partnership, actor: User) -> dict[str, Any]:
    return {}
