"""Reads of the newsletter, always within one partnership."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from soin.core.tokens import object_from_token
from soin.newsletter.models import Delivery, Issue, Subscriber
from soin.regions.models import Partnership

S = Subscriber.State
D = Delivery.State


def subscribers_for(
    *, partnership: Partnership, state: str = "", query: str = ""
) -> QuerySet[Subscriber]:
    qs = Subscriber.objects.filter(partnership=partnership)
    if state:
        qs = qs.filter(state=state)
    if query:
        qs = qs.filter(Q(email__icontains=query) | Q(name__icontains=query))
    return qs.order_by("email")


def subscriber_counts(*, partnership: Partnership) -> dict[str, int]:
    return dict(
        Subscriber.objects.filter(partnership=partnership)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )


def subscriber_by_token(*, partnership: Partnership, token: str, purpose: str) -> Subscriber:
    return object_from_token(
        Subscriber.objects.filter(partnership=partnership).select_related("partnership"),
        purpose=f"newsletter-{purpose}",
        token=token,
    )


def delivery_by_unsubscribe_token(*, token: str) -> Delivery:
    delivery = object_from_token(
        Delivery.objects.select_related("dispatch__issue__partnership", "subscriber"),
        purpose="newsletter-unsubscribe",
        token=token,
        nonce_field="email",
    )
    if delivery.subscriber is None:
        raise Http404
    return delivery


def issues_for(*, partnership: Partnership) -> QuerySet[Issue]:
    return Issue.objects.filter(partnership=partnership).select_related("dispatch")


def issue_get_for(*, partnership: Partnership, pk: int) -> Issue:
    return get_object_or_404(
        Issue.objects.select_related("partnership").prefetch_related("sections"),
        partnership=partnership,
        pk=pk,
    )


def sent_issues(*, partnership: Partnership) -> QuerySet[Issue]:
    return Issue.objects.filter(partnership=partnership, state=Issue.State.SENT)


def sent_issue_get(*, partnership: Partnership, year: int, number: int) -> Issue:
    """An issue that has gone out (or is going out: its mails link here)."""
    return get_object_or_404(
        Issue.objects.select_related("partnership").prefetch_related("sections"),
        partnership=partnership,
        year=year,
        number=number,
        state__in=[Issue.State.SENDING, Issue.State.SENT],
    )


def subscriber_data(subscriber: Subscriber) -> dict[str, Any]:
    """What the partnership keeps about a subscriber, for them to download."""
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "language": subscriber.language,
        "state": subscriber.state,
        "signed_up": subscriber.created_at.isoformat(),
        "consent": {
            "text": subscriber.consent_text,
            "given": subscriber.consent_at.isoformat() if subscriber.consent_at else None,
            "through": subscriber.source,
        },
        "confirmed": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "unsubscribed": (
            subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else None
        ),
        "bounced_mails": subscriber.bounces,
        "history": [
            {"when": e.created_at.isoformat(), "what": e.kind, "issue": str(e.issue or "")}
            for e in subscriber.events.select_related("issue")
        ],
        "newsletters_sent": [
            {"issue": d.dispatch.issue.code, "sent": d.sent_at.isoformat() if d.sent_at else None}
            for d in subscriber.deliveries.select_related("dispatch__issue").filter(
                state__in=[D.SENT, D.UNCONFIRMED]
            )
        ],
    }


def subscribers_over_time(*, partnership: Partnership, year: int) -> list[dict[str, Any]]:
    """Active subscribers at the end of each month of ``year``, per language."""
    rows = list(
        Subscriber.objects.filter(partnership=partnership, confirmed_at__isnull=False).values_list(
            "language", "confirmed_at", "unsubscribed_at", "held_at"
        )
    )
    result = []
    tz = timezone.get_current_timezone()
    for month in range(1, 13):
        first_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
        end = timezone.make_aware(datetime.datetime.combine(first_next, datetime.time()), tz)
        counts = {"sv": 0, "en": 0}
        for language, confirmed, unsubscribed, held in rows:
            if confirmed is None:
                continue
            gone = min([t for t in (unsubscribed, held) if t is not None], default=None)
            if confirmed < end and (gone is None or gone >= end):
                counts[language] += 1
        result.append({"month": month, **counts, "total": counts["sv"] + counts["en"]})
    return result


def issue_figures(*, partnership: Partnership) -> list[dict[str, Any]]:
    """Per sent issue: recipients, sent, failed, bounced, and unsubscribed through it (two
    queries, however many issues)."""
    issues = list(sent_issues(partnership=partnership).select_related("dispatch"))
    counted = {
        row["dispatch_id"]: row
        for row in Delivery.objects.filter(dispatch__issue__in=[i.pk for i in issues])
        .values("dispatch_id")
        .annotate(
            sent=Count("pk", filter=Q(state__in=[D.SENT, D.UNCONFIRMED])),
            failed=Count("pk", filter=Q(state=D.FAILED)),
            bounced=Count("pk", filter=Q(state=D.BOUNCED)),
            unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
        )
    }
    none = {"sent": 0, "failed": 0, "bounced": 0, "unsubscribed": 0}
    return [
        {
            "issue": issue,
            "recipients": issue.dispatch.total,
            **{k: counted.get(issue.dispatch.pk, none)[k] for k in none},
        }
        for issue in issues
    ]
