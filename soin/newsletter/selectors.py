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


def _month_ends(year: int) -> list[datetime.datetime]:
    tz = timezone.get_current_timezone()
    return [
        timezone.make_aware(
            datetime.datetime.combine(
                datetime.date(year + (m == 12), m % 12 + 1, 1), datetime.time()
            ),
            tz,
        )
        for m in range(1, 13)
    ]


def _active_at(end: datetime.datetime) -> Q:
    # Confirmed before the month's end and neither unsubscribed nor held by then.
    return (
        Q(confirmed_at__lt=end)
        & (Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=end))
        & (Q(held_at__isnull=True) | Q(held_at__gte=end))
    )


def subscribers_at_month_ends(
    *, partnerships: list[Partnership], year: int
) -> dict[int, list[dict[str, Any]]]:
    """Per partnership, active subscribers at the end of each month of ``year``, per language:
    one query, counted by the database, however many partnerships and subscribers."""
    ends = _month_ends(year)
    counted = (
        Subscriber.objects.filter(partnership__in=partnerships, confirmed_at__isnull=False)
        .values("partnership_id", "language")
        .annotate(**{f"m{i}": Count("pk", filter=_active_at(end)) for i, end in enumerate(ends)})
    )
    by_partnership: dict[int, dict[str, dict[str, int]]] = {
        p.pk: {"sv": {}, "en": {}} for p in partnerships
    }
    for row in counted:
        by_partnership[row["partnership_id"]].setdefault(row["language"], {}).update(
            {k: v for k, v in row.items() if k.startswith("m")}
        )
    result = {}
    for pk, languages in by_partnership.items():
        months = []
        for i in range(12):
            counts = {lang: languages.get(lang, {}).get(f"m{i}", 0) for lang in ("sv", "en")}
            months.append({"month": i + 1, **counts, "total": counts["sv"] + counts["en"]})
        result[pk] = months
    return result


def subscribers_over_time(*, partnership: Partnership, year: int) -> list[dict[str, Any]]:
    """Active subscribers at the end of each month of ``year``, per language."""
    return subscribers_at_month_ends(partnerships=[partnership], year=year)[partnership.pk]


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
