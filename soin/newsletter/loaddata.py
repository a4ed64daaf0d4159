"""Generated newsletter: subscribers who signed up over the years (some not yet confirmed,
some gone, a few held after bounces) with their timelines, and the issues sent, each with
its sections; the latest issue's send with a delivery per subscriber."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from soin.newsletter.models import (
    Delivery,
    Dispatch,
    Issue,
    Section,
    Subscriber,
    SubscriberEvent,
)

STATES = ["active"] * 16 + ["pending", "unsubscribed", "unsubscribed", "held"]


def generate(load: Any) -> None:
    p, rng, scale = load.partnership, load.rng, load.scale
    years = list(load.years)
    subscribers = []
    for n in range(scale.subscribers):
        joined = load.moment(load.day(years[n * len(years) // max(1, scale.subscribers)]))
        state = rng.choice(STATES)
        subscribers.append(
            Subscriber(
                partnership=p,
                email=f"lasare{n}.{p.slug}@example.org",
                name=load.text.name() if n % 3 else "",
                language="sv" if n % 6 else "en",
                state=state,
                consent_text="Du får nyhetsbrevet fyra gånger om året.",
                consent_at=joined,
                source=rng.choice(["form", "form", "import", "seminar"]),
                confirmed_at=None if state == "pending" else joined + datetime.timedelta(hours=1),
                unsubscribed_at=joined + datetime.timedelta(days=200)
                if state == "unsubscribed"
                else None,
                held_at=joined + datetime.timedelta(days=100) if state == "held" else None,
                bounces=3 if state == "held" else 0,
                nonce=secrets.token_hex(8),
                created_at=joined,
            )
        )
    subscribers = load.bulk(Subscriber, subscribers)
    events = []
    for s in subscribers:
        events.append(SubscriberEvent(subscriber=s, kind="signed_up", created_at=s.created_at))
        if s.confirmed_at:
            events.append(
                SubscriberEvent(subscriber=s, kind="confirmed", created_at=s.confirmed_at)
            )
        if s.unsubscribed_at:
            events.append(
                SubscriberEvent(subscriber=s, kind="unsubscribed", created_at=s.unsubscribed_at)
            )
        if s.held_at:
            events.append(SubscriberEvent(subscriber=s, kind="held", created_at=s.held_at))
    load.bulk(SubscriberEvent, events)
    issues = []
    for year in years:
        for number in range(1, scale.issues_per_year + 1):
            sent = load.moment(
                datetime.date(year, 1, 15) + datetime.timedelta(days=80 * (number - 1) % 350), 9
            )
            intro_sv, intro_en = load.text.paragraph(p.region.name_sv, 2)
            issues.append(
                Issue(
                    partnership=p,
                    year=year,
                    number=number,
                    title_sv=f"Nyhetsbrev {number}/{year}",
                    title_en=f"Newsletter {number}/{year}",
                    intro_sv=intro_sv,
                    intro_en=intro_en,
                    state="sent",
                    sent_at=sent,
                    created_by=load.pick(load.staff),
                    created_at=sent - datetime.timedelta(days=10),
                )
            )
    issues = load.bulk(Issue, issues)
    sections = []
    for issue in issues:
        for position in range(3):
            place = load.pick(load.municipalities)
            heading_sv, heading_en = load.text.title(place.name)
            text_sv, text_en = load.text.paragraph(place.name, 3)
            sections.append(
                Section(
                    issue=issue,
                    position=position,
                    heading_sv=heading_sv,
                    heading_en=heading_en,
                    text_sv=text_sv,
                    text_en=text_en,
                )
            )
    load.bulk(Section, sections)
    if not issues:
        return
    # Every issue sent has its send; the deliveries, a row per reader, are kept for the
    # latest (the older ones' would multiply the subscribers by the issues).
    readers_of = {
        issue.pk: sum(
            1 for s in subscribers if s.state == "active" and s.created_at < issue.sent_at
        )
        for issue in issues
    }
    dispatches = load.bulk(
        Dispatch,
        (
            Dispatch(
                issue=issue,
                state="done",
                total=readers_of[issue.pk],
                started_by=issue.created_by,
                created_at=issue.sent_at,
                finished_at=issue.sent_at,
            )
            for issue in issues
        ),
    )
    latest, dispatch = issues[-1], dispatches[-1]
    load.bulk(
        Delivery,
        (
            Delivery(
                dispatch=dispatch,
                subscriber=s,
                email=s.email,
                language=s.language,
                state="sent",
                sent_at=latest.sent_at,
            )
            for s in subscribers
            if s.state == "active" and s.created_at < latest.sent_at
        ),
    )
