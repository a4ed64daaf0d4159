"""Access rules for this app's addresses (collected by soin/core/tests/access_rules.py)."""

from __future__ import annotations

from soin.core.testing import ADVISOR, CONTACT, COORDINATOR, NATIONAL
from soin.core.tests.access_rules import Rule, members, p

RULES: list[Rule] = [
    Rule("staff:funding", members(CONTACT, COORDINATOR, ADVISOR, NATIONAL), p, sweep=True),
]
