"""Records of this app in the shared test world (``soin.core.testing.World``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from soin.core.testing import World


def extend(w: World) -> None:
    """Nothing yet."""
