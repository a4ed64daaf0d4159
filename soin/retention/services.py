"""Retention: how long each partnership keeps personal data that is no longer needed, and the
anonymising of what has passed its time (the nightly ``apply_retention`` task)."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.activities.models import Registration
from soin.audit.services import audit_record, audit_snapshot
from soin.ideas.models import Idea
from soin.newsletter.models import Subscriber
from soin.regions.models import Partnership
from soin.retention.models import MAX_MONTHS, ErasureRecord, RetentionPolicy
from soin.retention.redact import ERASED_DOMAIN, redact_audit, words_of

# Stages in which an idea is closed: the carrier's details are kept for the policy's time
# after the idea reached one of them (Idea.stage_changed_at, set by every move).
CLOSED_STAGES = (Idea.Stage.DROPPED, Idea.Stage.DISSEMINATED)
POLICY_FIELDS = ("idea_months", "registration_months", "subscriber_months")


def retention_policy_for(*, partnership: Partnership) -> RetentionPolicy:
    """Return the partnership's policy, made with the defaults the first time it is asked for."""
    policy, _created = RetentionPolicy.objects.get_or_create(partnership=partnership)
    return policy


@transaction.atomic
def retention_policy_update(
    *,
    partnership: Partnership,
    actor: Any,
    idea_months: int,
    registration_months: int,
    subscriber_months: int,
) -> RetentionPolicy:
    """Change how long the partnership keeps each kind of personal data, in whole months
    (1 to 240)."""
    values = {
        "idea_months": idea_months,
        "registration_months": registration_months,
        "subscriber_months": subscriber_months,
    }
    errors = {}
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MONTHS:
            errors[name] = _("Give a whole number of months from 1 to %(max)s.") % {
                "max": MAX_MONTHS
            }
    if errors:
        raise ValidationError(errors)
    retention_policy_for(partnership=partnership)
    policy = RetentionPolicy.objects.select_for_update().get(partnership=partnership)
    before = audit_snapshot(policy)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save(update_fields=[*POLICY_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action="retention_policy.update",
        instance=policy,
        partnership=partnership,
        before=before,
    )
    return policy


def due(*, partnership: Partnership, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Return the records of ``partnership`` whose retention time has passed and that still
    hold personal data, per kind (querysets)."""
    now = now or timezone.now()
    policy = retention_policy_for(partnership=partnership)
    idea_cutoff = now - relativedelta(months=policy.idea_months)
    registration_cutoff = now - relativedelta(months=policy.registration_months)
    subscriber_cutoff = now - relativedelta(months=policy.subscriber_months)
    personal = ~Q(carrier_name="") | ~Q(carrier_email="") | ~Q(carrier_phone="")
    return {
        "ideas": Idea.objects.filter(
            personal | ~Q(status_nonce=""),
            partnership=partnership,
            stage__in=CLOSED_STAGES,
            stage_changed_at__lt=idea_cutoff,
        ),
        "registrations": Registration.objects.filter(
            activity__partnership=partnership, activity__ends_at__lt=registration_cutoff
        ).exclude(email__endswith="@" + ERASED_DOMAIN),
        "subscribers": Subscriber.objects.filter(
            partnership=partnership,
            state=Subscriber.State.UNSUBSCRIBED,
            unsubscribed_at__lt=subscriber_cutoff,
        ),
    }


@transaction.atomic
def retention_apply(
    *, partnership: Partnership, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Anonymise what ``partnership`` has kept past its policy's time: closed ideas' carriers,
    past events' registrants, unsubscribed subscribers. Write one ``ErasureRecord``
    (``via="retention"``) with the counts when anything was anonymised; return the counts. A
    second run finds nothing and writes nothing."""
    from soin.activities.services import registration_anonymise
    from soin.ideas.services import idea_anonymise
    from soin.newsletter.services import subscriber_erase

    counts: Counter[str] = Counter()
    records = due(partnership=partnership, now=now)
    for idea in records["ideas"]:
        counts.update(idea_anonymise(idea=idea, actor=None))
    for registration in records["registrations"].select_related("activity"):
        counts.update(registration_anonymise(registration=registration, actor=None))
    for subscriber in records["subscribers"]:
        counts["audit_entries"] += redact_audit(
            subscriber, words_of(subscriber.email, subscriber.name)
        )
        subscriber_erase(subscriber=subscriber, actor=None)
        counts["subscribers"] += 1
    result = {kind: n for kind, n in sorted(counts.items()) if n}
    if result:
        record = ErasureRecord.objects.create(
            partnership=partnership, via=ErasureRecord.Via.RETENTION, counts=result
        )
        audit_record(
            actor=None,
            action="retention.apply",
            instance=record,
            partnership=partnership,
            before={},
            after={"counts": result},
        )
    return result


def retention_apply_all(*, now: datetime.datetime | None = None) -> dict[str, dict[str, int]]:
    """Apply every partnership's policy, each in its own transaction; return the counts of
    the partnerships where anything was anonymised."""
    results = {}
    for partnership in Partnership.objects.order_by("pk"):
        counts = retention_apply(partnership=partnership, now=now)
        if counts:
            results[partnership.slug] = counts
    return results
