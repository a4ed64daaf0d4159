"""Access rules for this app's addresses (collected by soin/core/tests/access_rules.py)."""

from __future__ import annotations

from typing import Any

from soin.core.testing import COORDINATOR, NATIONAL, ROLES, World
from soin.core.tests.access_rules import DENIED, Rule, everyone, members, p


def link(w: World) -> dict[str, Any]:
    return {"partnership": w.partnership.slug, "token": w.access_token}


def forged(w: World) -> dict[str, Any]:
    return {"partnership": w.partnership.slug, "token": f"{w.access_request.pk}-forged"}


def elsewhere(w: World) -> dict[str, Any]:
    return {"partnership": w.other_partnership.slug, "token": w.access_token}


NOBODY = dict.fromkeys(ROLES, DENIED)

RULES: list[Rule] = [
    Rule("staff:privacy_record", members(COORDINATOR, NATIONAL), p, sweep=True),
    # The public side: asking needs nothing; the link opens for whoever holds it, in its own
    # partnership only.
    Rule("public:data_request", everyone(), p, sweep=True),
    Rule("public:data_request_sent", everyone(), p, sweep=True),
    Rule("public:data_access", everyone(), link, sweep=True),
    Rule("public:data_access", NOBODY, forged, variant="wrong token"),
    Rule("public:data_access", NOBODY, elsewhere, variant="other partnership"),
    Rule("public:data_download", everyone(), link, method="POST"),
    Rule("public:data_download", NOBODY, forged, method="POST", variant="wrong token"),
    Rule("public:data_download", NOBODY, elsewhere, method="POST", variant="other partnership"),
    Rule("public:data_erase", everyone(), link, sweep=True),
    Rule("public:data_erase", NOBODY, forged, variant="wrong token"),
    Rule("public:data_erase", NOBODY, elsewhere, variant="other partnership"),
]
