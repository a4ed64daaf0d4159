"""The figures of a yearly activity report, generated from the data (seed 003's structure).

``report_figures`` returns plain JSON: a draft report shows it as it is now; publishing stores it
on the report so that later changes to the data do not change a published report. Texts that
differ by language are stored in both (``{"sv": …, "en": …}``); choices are stored by value and
labelled when the report is drawn.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soin.activities.models import Activity, Kind
from soin.ideas.models import Idea
from soin.partners.models import Group
from soin.partners.selectors import group_members_on, partners_by_sector
from soin.regions.models import Partnership
from soin.reports import selectors
from soin.reports.tables import Table

LANGUAGES = ("sv", "en")

# The report's sections in order (seed 003): key and heading. Each has a narrative that staff
# write in both languages; most also have tables drawn from the data.
SECTIONS: list[tuple[str, Any]] = [
    ("background", gettext_lazy("Background")),
    ("purpose", gettext_lazy("Purpose and partners")),
    ("meetings", gettext_lazy("Plenary meetings and the working committee")),
    ("advice", gettext_lazy("Advice and support with method")),
    ("outreach", gettext_lazy("Outreach")),
    ("ideas", gettext_lazy("Societal challenges and ideas")),
    ("seminars", gettext_lazy("Seminars")),
    ("projects", gettext_lazy("Project coordination")),
    ("communication", gettext_lazy("Information and communication")),
]
SECTION_KEYS = [key for key, _label in SECTIONS]
SEMINAR_KINDS = (Kind.EXPERIENCE_SEMINAR, Kind.LEARNING_SEMINAR)


def both(make: Any) -> dict[str, str]:
    """``make()`` in Swedish and in English."""
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = str(make())
    return result


def handling(idea: Idea, *, public: bool = False) -> dict[str, str]:
    """How the idea is handled, as seed 003's ideas table puts it. The staff's note about the
    outcome (the outside body it went to) is left out of the public version."""
    if idea.outcome_note and idea.stage == Idea.Stage.REFERRED and not public:
        return {"sv": idea.outcome_note, "en": idea.outcome_note}
    if idea.outcome == Idea.Outcome.FUNDING_APPLICATION:
        return both(lambda: _("The idea developed into an application"))
    if idea.stage == Idea.Stage.REFERRED and idea.referred_to:
        name = idea.referred_to.name
        return {"sv": name, "en": name}
    if idea.stage == Idea.Stage.REFINED:
        return both(lambda: _("Being developed by the carrier"))
    if idea.stage == Idea.Stage.DROPPED:
        return both(lambda: _("Not taken further"))
    if idea.tier == Idea.Tier.EXTENDED:
        return both(lambda: _("Being developed in the extended advisory group"))
    if idea.outcome:
        return both(idea.get_outcome_display)
    return both(idea.get_stage_display)


def _public_title(idea: Idea) -> dict[str, str]:
    from soin.knowledge.models import Entry

    entry = getattr(idea, "bank_entry", None)
    if entry is None or entry.state != Entry.State.PUBLISHED:
        return {"sv": "", "en": ""}
    return {"sv": entry.title_sv or entry.title_en, "en": entry.title_en or entry.title_sv}


def _day(value: datetime.datetime) -> str:
    return timezone.localtime(value).date().isoformat()


def _activities(partnership: Partnership, year: int, kinds: Any) -> Any:
    return (
        Activity.objects.filter(
            partnership=partnership,
            starts_at__year=year,
            state=Activity.State.PLANNED,
            kind__in=kinds,
        )
        .select_related("municipality")
        .prefetch_related("hosts", "participants")
        .order_by("starts_at", "pk")
    )


def _activity(a: Activity) -> dict[str, Any]:
    return {
        "date": _day(a.starts_at),
        "place": a.place or (a.municipality.name if a.municipality else ""),
        "municipality": a.municipality.name if a.municipality else "",
        "title": {"sv": a.title_sv, "en": a.title_en or a.title_sv},
        "kind": a.kind,
        "kind_label": both(a.get_kind_display),
        "hosts": [o.name for o in a.hosts.all()],
        "participants": [o.name for o in a.participants.all()],
    }


def report_figures(*, partnership: Partnership, year: int) -> dict[str, Any]:
    """Everything the report's tables show for ``partnership`` and ``year``."""
    from soin.newsletter.models import Issue
    from soin.newsletter.selectors import subscribers_over_time
    from soin.plans.selectors import plan_year_figures

    end = datetime.date(year, 12, 31)
    sectors = partners_by_sector(partnership=partnership, day=end)
    groups = group_members_on(partnership=partnership, day=end)
    stops = list(
        _activities(partnership, year, [Kind.OUTREACH_STOP]).prefetch_related(
            Prefetch("ideas", queryset=Idea.objects.filter(merged_into__isnull=True))
        )
    )
    stop_partners: dict[str, None] = {}
    for stop in stops:
        for org in stop.participants.all():
            stop_partners[org.name] = None
    ideas = (
        Idea.objects.filter(
            partnership=partnership, received_on__year=year, merged_into__isnull=True
        )
        .select_related("referred_to", "municipality", "bank_entry")
        .prefetch_related("challenges")
        .order_by("received_on", "number")
    )
    issues = Issue.objects.filter(
        partnership=partnership, state=Issue.State.SENT, sent_at__year=year
    ).order_by("sent_at")
    scope = selectors.Scope([partnership], year)
    places = selectors.map_places(scope)
    challenge_tables = {}
    for language in LANGUAGES:
        with translation.override(language):
            challenge_tables[language] = selectors.table_get(
                selectors.idea_tables(scope), "challenges"
            ).as_dict()
    return {
        "partnership": {"sv": partnership.name_sv, "en": partnership.name_en},
        # The purpose section shows the about text when its narrative is empty.
        "about": {"sv": partnership.about_sv, "en": partnership.about_en},
        "region": partnership.region.name,
        "year": year,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "partners": {
            "on": end.isoformat(),
            "total": sum(g.count for g in sectors),
            "sectors": [
                {
                    "sector": g.sector.value,
                    "label": both(lambda g=g: g.sector.label),
                    "count": g.count,
                    "names": [o.name for o in g.organisations],
                }
                for g in sectors
            ],
        },
        "plenary_meetings": [_activity(a) for a in _activities(partnership, year, [Kind.PLENARY])],
        "working_committee": {
            "meetings": _activities(partnership, year, [Kind.WORKING_COMMITTEE]).count(),
            "members": [o.name for o in groups[Group.WORKING_COMMITTEE]],
        },
        "advisory_groups": {
            "primary": [o.name for o in groups[Group.PRIMARY_ADVISORY]],
            "extended": [o.name for o in groups[Group.EXTENDED_ADVISORY]],
        },
        "outreach_stops": [
            {**_activity(s), "ideas": len(s.ideas.all())}
            for s in stops  # type: ignore[attr-defined]
        ],
        "outreach_partners": list(stop_partners),
        "ideas": [
            {
                "number": idea.number,
                "title": idea.title,
                "carrier": idea.carrier_category,
                "carrier_label": both(idea.get_carrier_category_display),
                # Public pages name an idea only where it is published in the knowledge bank
                # (its carrier agreed); the report for members and funders names every one.
                "public_title": _public_title(idea),
                "public_handling": handling(idea, public=True),
                "municipality": idea.municipality.name if idea.municipality else "",
                "challenges": [{"sv": c.name_sv, "en": c.name_en} for c in idea.challenges.all()],
                "handling": handling(idea),
                "stage": idea.stage,
            }
            for idea in ideas
        ],
        "challenges": challenge_tables,
        "seminars": [_activity(a) for a in _activities(partnership, year, SEMINAR_KINDS)],
        "newsletter": {
            "issues": [
                {
                    "title": {"sv": i.title_sv, "en": i.title_en or i.title_sv},
                    "sent_on": _day(i.sent_at),  # type: ignore[arg-type]
                }
                for i in issues
            ],
            "subscribers_at_year_end": subscribers_over_time(partnership=partnership, year=year)[
                -1
            ]["total"],
        },
        "places": [
            {"code": p.code, "name": p.name, "ideas": p.ideas, "activities": p.activities}
            for p in places
        ],
        "reached": sum(1 for p in places if p.activities),
        # The follow-up of the activity plan covering the year (None without one).
        "plan": plan_year_figures(partnership=partnership, year=year),
    }


def challenge_table(figures: dict[str, Any], language: str) -> Table:
    return Table.from_dict(figures["challenges"][language])


def map_places(figures: dict[str, Any]) -> list[selectors.MapPlace]:
    return [
        selectors.MapPlace(p["code"], p["name"], p["ideas"], p["activities"])
        for p in figures["places"]
    ]
