"""Generated audit log: the changes the staff made to the partnership's ideas, partners and
activities over the years, as the services record them."""

from __future__ import annotations

from typing import Any

from soin.audit.models import AuditEntry


def generate(load: Any) -> None:
    p = load.partnership
    rows = []
    for records, action, model in (
        (load.ideas, "idea.move", "ideas.idea"),
        (load.organisations, "organisation.update", "partners.organisation"),
        (load.activities, "activity.update", "activities.activity"),
    ):
        for r in records:
            rows.append(
                AuditEntry(
                    partnership=p,
                    actor=load.pick(load.staff),
                    action=action,
                    model=model,
                    object_pk=str(r.pk),
                    object_repr=str(r)[:300],
                    before={"state": "before"},
                    after={"state": "after"},
                    created_at=r.created_at,
                )
            )
    load.bulk(AuditEntry, rows)
