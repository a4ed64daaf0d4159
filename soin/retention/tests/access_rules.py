"""Access rules for this app's addresses (collected by soin/core/tests/access_rules.py)."""

from __future__ import annotations

from soin.core.tests.access_rules import Rule

RULES: list[Rule] = []
