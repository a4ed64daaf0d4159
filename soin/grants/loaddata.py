"""Generated grants to local associations: applications each year through every channel,
decided (most approved), paid and followed up, with budget lines and timelines."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from soin.grants.models import BudgetLine, Grant, GrantEvent, Payment


def generate(load: Any) -> None:
    p, rng, scale = load.partnership, load.rng, load.scale
    grants = []
    for year in load.years:
        for n in range(scale.grants_per_year):
            received = load.day(year)
            place = load.pick(load.municipalities)
            applied = rng.randrange(5, 50) * 1_000
            state = rng.choice(["closed"] * 4 + ["paid", "approved", "rejected", "received"])
            decided = state != "received"
            approved = state in ("closed", "paid", "approved")
            grants.append(
                Grant(
                    partnership=p,
                    number=f"B{year}-{n + 1:03d}",
                    state=state,
                    channel=rng.choice(["web", "web", "email", "post"]),
                    received_on=received,
                    association_name=f"Föreningen {place.name} {n + 1}",
                    org_number=f"80{rng.randrange(10_000_000, 99_999_999)}",
                    municipality=place,
                    contact_name=load.text.name(),
                    contact_email=f"forening{n}.{year}.{p.slug}@example.org",
                    title=load.text.title(place.name)[0],
                    purpose=load.text.paragraph(place.name, 2)[0],
                    amount_applied=applied,
                    co_financing=applied // 4,
                    amount_granted=applied if approved else None,
                    decided_on=received + datetime.timedelta(days=30) if decided else None,
                    decided_by=load.pick(load.staff) if decided else None,
                    decision_reason="Ansökan stämmer med stödets syfte." if decided else "",
                    followup_done="Vi genomförde tolv träffar." if state == "closed" else "",
                    nonce=secrets.token_hex(8),
                    registered_by=load.pick(load.staff),
                    created_at=load.moment(received),
                    updated_at=load.moment(received),
                )
            )
    grants = load.bulk(Grant, grants)
    load.bulk(
        BudgetLine,
        (
            BudgetLine(grant=g, position=n, item=item, amount=g.amount_applied // 2)
            for g in grants
            for n, item in enumerate(["Lokalhyra", "Material"])
        ),
    )
    paid = [g for g in grants if g.state in ("paid", "closed")]
    load.bulk(
        Payment,
        (
            Payment(
                grant=g,
                paid_on=g.decided_on + datetime.timedelta(days=10),
                amount=g.amount_granted,
                created_at=load.moment(g.decided_on + datetime.timedelta(days=10)),
            )
            for g in paid
        ),
    )
    events = []
    for g in grants:
        events.append(
            GrantEvent(grant=g, kind="received", to_state="received", created_at=g.created_at)
        )
        if g.decided_on:
            kind = "approved" if g.amount_granted else "rejected"
            events.append(
                GrantEvent(
                    grant=g,
                    kind=kind,
                    from_state="received",
                    to_state=kind,
                    actor=g.decided_by,
                    created_at=load.moment(g.decided_on),
                )
            )
    load.bulk(GrantEvent, events)
