"""Access rules for this app's addresses (collected by soin/core/tests/access_rules.py)."""

from __future__ import annotations

from soin.core.testing import COORDINATOR
from soin.core.tests.access_rules import Rule, members, p

COORDINATORS = members(COORDINATOR)

RULES: list[Rule] = [
    Rule("staff:person_erase", COORDINATORS, p, sweep=True),
    # The confirm step: what an erasure of the world's registrant would touch.
    Rule(
        "staff:person_erase",
        COORDINATORS,
        p,
        method="POST",
        variant="confirm",
        data={"step": "preview", "email": "anna@example.org"},
    ),
    Rule("staff:retention_policy", COORDINATORS, p, sweep=True),
    Rule(
        "staff:retention_policy",
        COORDINATORS,
        p,
        method="POST",
        variant="save",
        data={"idea_months": "36", "registration_months": "12", "subscriber_months": "1"},
    ),
]
