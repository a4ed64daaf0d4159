"""Access rules for this app's addresses (collected by soin/core/tests/access_rules.py)."""

from __future__ import annotations

from soin.core.testing import ADVISOR, COORDINATOR, NATIONAL, ROLES
from soin.core.tests.access_rules import DENIED, Rule, everyone, members, obj, p

READ = members(COORDINATOR, ADVISOR, NATIONAL)
CHANGE = members(COORDINATOR, ADVISOR)
DECIDE = members(COORDINATOR)

RULES: list[Rule] = [
    Rule("staff:grant_list", READ, p, sweep=True),
    Rule("staff:grant_register", CHANGE, p, sweep=True),
    Rule("staff:grant_totals", READ, p, sweep=True),
    Rule("staff:grant_detail", READ, obj(lambda w: w.grant), sweep=True, foreign=True),
    Rule(
        "staff:grant_detail",
        READ,
        obj(lambda w: w.grant_approved),
        variant="approved",
        sweep=True,
        foreign=True,
    ),
    Rule(
        "staff:grant_approve",
        DECIDE,
        obj(lambda w: w.grant),
        method="POST",
        data={"amount_granted": "5000"},
        foreign=True,
    ),
    Rule(
        "staff:grant_reject",
        DECIDE,
        obj(lambda w: w.grant),
        method="POST",
        data={"reason": "Utanför ramen."},
        foreign=True,
    ),
    Rule(
        "staff:grant_payment_add",
        CHANGE,
        obj(lambda w: w.grant_approved),
        method="POST",
        data={"paid_on": "2017-05-02", "amount": "1000"},
        foreign=True,
    ),
    Rule(
        "staff:grant_followup_register",
        CHANGE,
        obj(lambda w: w.grant_approved),
        method="POST",
        data={"done": "Sex träffar.", "outcome": "En plan.", "costs": "8000"},
        foreign=True,
    ),
    Rule("staff:grant_close", DECIDE, obj(lambda w: w.grant_approved), method="POST", foreign=True),
    # The public side.
    Rule("public:grant_apply", everyone(), p, sweep=True),
    Rule("public:grant_thanks", everyone(), p, sweep=True),
    Rule(
        "public:grant_status",
        everyone(),
        lambda w: {"partnership": w.partnership.slug, "token": w.grant_token},
        sweep=True,
    ),
    Rule(
        "public:grant_status",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.partnership.slug, "token": f"{w.grant.pk}-forged"},
        variant="wrong token",
    ),
    Rule(
        "public:grant_status",
        dict.fromkeys(ROLES, DENIED),
        lambda w: {"partnership": w.other_partnership.slug, "token": w.grant_token},
        variant="other partnership",
    ),
]
