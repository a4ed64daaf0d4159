"""Generated ideas: ten years of them, through every channel and at every stage of the
process, each documented in part, with its challenges, its timeline (the moves it made,
who handled it, contacts with the carrier) and, for some, links to similar ones."""

from __future__ import annotations

import datetime
import itertools
import secrets
from typing import Any

from soin.core.normalise import stored_terms
from soin.ideas.models import CarrierContact, Challenge, Idea, IdeaEvent
from soin.ideas.services import stems_field

S = Idea.Stage
# The stages an idea passes through to reach each final stage.
PATHS = {
    S.RECEIVED: [S.RECEIVED],
    S.REGISTERED: [S.RECEIVED, S.REGISTERED],
    S.IN_ADVICE: [S.RECEIVED, S.REGISTERED, S.IN_ADVICE],
    S.CLARIFYING: [S.RECEIVED, S.REGISTERED, S.IN_ADVICE, S.CLARIFYING],
    S.REFINED: [S.RECEIVED, S.REGISTERED, S.IN_ADVICE, S.CLARIFYING, S.REFINED],
    S.REFERRED: [S.RECEIVED, S.REGISTERED, S.IN_ADVICE, S.REFERRED],
    S.DROPPED: [S.RECEIVED, S.REGISTERED, S.IN_ADVICE, S.DROPPED],
    S.IN_DEVELOPMENT: [S.RECEIVED, S.REGISTERED, S.IN_ADVICE, S.REFERRED, S.IN_DEVELOPMENT],
    S.DISSEMINATED: [
        S.RECEIVED,
        S.REGISTERED,
        S.IN_ADVICE,
        S.REFERRED,
        S.IN_DEVELOPMENT,
        S.DISSEMINATED,
    ],
}
# Older ideas have come further; the share of each final stage by the idea's age.
OLD = [S.REFERRED] * 3 + [S.DROPPED] * 3 + [S.IN_DEVELOPMENT] * 2 + [S.DISSEMINATED] * 2
RECENT = [S.RECEIVED, S.REGISTERED, S.IN_ADVICE, S.IN_ADVICE, S.CLARIFYING, S.REFINED]


def generate(load: Any) -> None:
    p, rng, scale = load.partnership, load.rng, load.scale
    per_year = max(1, scale.ideas // scale.years)
    years = list(load.years)
    last = years[-1]
    channels = [c for c, _label in Idea.Channel.choices]
    categories = [c for c, _label in Idea.CarrierCategory.choices]
    solutions = [c for c, _label in Idea.SolutionType.choices]
    outreach = [a for a in load.activities if a.kind == "outreach_stop"]
    partners = load.organisations[1:] or load.organisations
    ideas: list[Idea] = []
    numbers: dict[int, int] = {}
    for n in range(scale.ideas):
        year = years[min(n // per_year, len(years) - 1)]
        received = load.day(year)
        place = load.pick(load.municipalities)
        final = rng.choice(RECENT if year >= last - 1 and rng.random() < 0.7 else OLD)
        title, _en = load.text.title(place.name)
        description, _en = load.text.paragraph(place.name, rng.randrange(2, 5))
        channel = rng.choice(channels)
        numbers[year] = numbers.get(year, 0) + 1
        referred = final in (S.REFERRED, S.IN_DEVELOPMENT, S.DISSEMINATED)
        ideas.append(
            Idea(
                partnership=p,
                number=f"{year}-{numbers[year]:03d}",
                title=title,
                description=description,
                language="sv" if n % 10 else "en",
                channel=channel,
                received_on=received,
                registered_by=load.pick(load.staff),
                channelled_by=load.pick(partners) if channel == "partner" else None,
                municipality=place,
                activity=load.pick(outreach) if channel == "outreach" and outreach else None,
                carrier_category=rng.choice(categories),
                carrier_name=load.text.name(),
                carrier_email=f"bärare{n}.{p.slug}@example.org".replace("ä", "a"),
                carrier_phone="",
                consent_at=load.moment(received) if channel == "web" else None,
                consent_text="Vi sparar dina uppgifter för att kunna handlägga idén."
                if channel == "web"
                else "",
                status_nonce=secrets.token_hex(8),
                stage=final,
                tier=Idea.Tier.EXTENDED
                if n % 7 == 0 and final != S.RECEIVED
                else Idea.Tier.PRIMARY,
                handler=load.pick(load.staff) if final != S.RECEIVED else None,
                referred_to=load.pick(partners) if referred else None,
                outcome=rng.choice(["implemented", "social_enterprise", "funding_application"])
                if final == S.DISSEMINATED
                else "",
                solution_type=rng.choice(solutions) if n % 3 else "",
                search_stems=stems_field(f"{title} {description}", "sv"),
                search_terms=stored_terms(f"{year}-{numbers[year]:03d}", title, description),
                stage_changed_at=load.moment(received + datetime.timedelta(days=20 * 5)),
                created_at=load.moment(received),
            )
        )
    ideas = load.bulk(Idea, ideas)
    load.ideas = ideas
    shared = list(Challenge.objects.filter(partnership__isnull=True))
    through = Idea.challenges.through
    load.link(
        through,
        (
            through(idea_id=idea.pk, challenge_id=c.pk)
            for i, idea in enumerate(ideas)
            for c in rng.sample(shared, k=1 + i % 2)
        ),
    )
    events, contacts = [], []
    for idea in ideas:
        path = PATHS[S(idea.stage)]
        when = idea.created_at
        events.append(
            IdeaEvent(
                idea=idea,
                kind=IdeaEvent.Kind.RECEIVED,
                to_stage=S.RECEIVED,
                public=True,
                created_at=when,
            )
        )
        for before, after in itertools.pairwise(path):
            when += datetime.timedelta(days=rng.randrange(3, 40))
            events.append(
                IdeaEvent(
                    idea=idea,
                    kind=IdeaEvent.Kind.MOVED,
                    from_stage=before,
                    to_stage=after,
                    actor=idea.handler,
                    note="Bedömd vid rådgivningsmötet." if after == S.IN_ADVICE else "",
                    public=after in (S.REGISTERED, S.REFERRED, S.DROPPED),
                    created_at=when,
                )
            )
            if after == S.IN_ADVICE:
                events.append(
                    IdeaEvent(
                        idea=idea, kind=IdeaEvent.Kind.HANDLER, actor=idea.handler, created_at=when
                    )
                )
                for _k in range(2):
                    when += datetime.timedelta(days=rng.randrange(1, 10))
                    events.append(
                        IdeaEvent(
                            idea=idea,
                            kind=IdeaEvent.Kind.DOCUMENTED,
                            actor=idea.handler,
                            created_at=when,
                        )
                    )
                contacts.append(
                    CarrierContact(
                        idea=idea,
                        happened_on=when.date(),
                        means=rng.choice(["meeting", "phone", "email", "video"]),
                        summary="Vi gick igenom idén och nästa steg tillsammans med idébäraren.",
                        actor=idea.handler,
                        created_at=when,
                    )
                )
                events.append(
                    IdeaEvent(
                        idea=idea, kind=IdeaEvent.Kind.CONTACT, actor=idea.handler, created_at=when
                    )
                )
        if idea.outcome:
            events.append(
                IdeaEvent(
                    idea=idea, kind=IdeaEvent.Kind.OUTCOME, actor=idea.handler, created_at=when
                )
            )
    load.bulk(IdeaEvent, events)
    load.bulk(CarrierContact, contacts)
    related = Idea.related.through
    load.link(
        related,
        (
            related(from_idea_id=x.pk, to_idea_id=y.pk)
            for a, b in zip(ideas[::25], ideas[1::25], strict=False)
            for x, y in ((a, b), (b, a))
        ),
    )
