"""Reads for funding calls, joint applications and projects, with what the pages show fetched
up front; and the suggestions of ideas and partners for a call."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from soin.accounts.permissions import has_perm
from soin.funding.models import Application, FundingCall, Project
from soin.ideas.models import Challenge, Idea
from soin.ideas.workflow import OPEN as OPEN_IDEA_STAGES
from soin.partners.models import Organisation
from soin.regions.models import Partnership

# A call closing within this many days is "closing soon".
CLOSING_SOON_DAYS = 30


class CallState:
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSING_SOON = "closing_soon"
    CLOSED = "closed"

    choices = [
        (UPCOMING, pgettext_lazy("call state", "Not open yet")),
        (OPEN, pgettext_lazy("call state", "Open")),
        (CLOSING_SOON, pgettext_lazy("call state", "Closing soon")),
        (CLOSED, pgettext_lazy("call state", "Closed")),
    ]
    labels = dict(choices)


def call_state(call: FundingCall, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    if call.closes_on < today:
        return CallState.CLOSED
    if call.opens_on and call.opens_on > today:
        return CallState.UPCOMING
    if call.closes_on <= today + datetime.timedelta(days=CLOSING_SOON_DAYS):
        return CallState.CLOSING_SOON
    return CallState.OPEN


def _calls(partnership: Partnership) -> QuerySet[FundingCall]:
    return (
        FundingCall.objects.filter(partnership=partnership)
        .select_related("watcher", "partnership")
        .prefetch_related(
            "challenges", Prefetch("interested", queryset=Organisation.objects.order_by("name"))
        )
    )


def calls_for(
    *,
    partnership: Partnership,
    programme: str = "",
    challenge: Challenge | None = None,
    state: str = "",
) -> list[FundingCall]:
    """Return the partnership's calls, soonest deadline first, each with ``state`` set."""
    calls = _calls(partnership)
    if programme:
        calls = calls.filter(programme=programme)
    if challenge is not None:
        calls = calls.filter(challenges=challenge)
    today = timezone.localdate()
    result = []
    for call in calls.distinct():
        call.state = call_state(call, today)  # type: ignore[attr-defined]
        call.state_label = CallState.labels[call.state]  # type: ignore[attr-defined]
        if not state or call.state == state:  # type: ignore[attr-defined]
            result.append(call)
    # Open calls first (soonest deadline first), the closed ones after, latest first.
    result.sort(
        key=lambda c: (
            c.closes_on < today,
            -c.closes_on.toordinal() if c.closes_on < today else c.closes_on.toordinal(),
        )
    )
    return result


def calls_closing_soon(*, partnership: Partnership) -> list[FundingCall]:
    return calls_for(partnership=partnership, state=CallState.CLOSING_SOON)


def call_get_for(*, user: Any, partnership: Partnership, pk: int) -> FundingCall:
    """Return call ``pk`` if ``user`` may see the partnership's funding; 404 otherwise."""
    if not has_perm(user, "funding.view", partnership):
        raise Http404
    call = _calls(partnership).filter(pk=pk).first()
    if call is None:
        raise Http404
    call.state = call_state(call)  # type: ignore[attr-defined]
    call.state_label = CallState.labels[call.state]  # type: ignore[attr-defined]
    return call


@dataclass
class Suggestion:
    """An idea or an organisation that fits a call, and why: the call's challenges it shares
    and where the match was found."""

    item: Any
    challenges: list[Challenge] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> tuple[int, int]:
        return (len(self.challenges), len(self.reasons))


def _add(suggestion: Suggestion, challenges: list[Challenge], reason: str) -> None:
    for c in challenges:
        if c not in suggestion.challenges:
            suggestion.challenges.append(c)
    if reason not in suggestion.reasons:
        suggestion.reasons.append(reason)


def visible_idea_ids(*, user: Any, partnership: Partnership) -> set[int]:
    """Return the pks of the partnership's ideas ``user`` may see (a partner contact: those
    referred to or channelled by their organisation)."""
    from soin.ideas.selectors import ideas_for

    return set(ideas_for(user=user, partnership=partnership).values_list("pk", flat=True))


def call_suggestions(
    *, call: FundingCall, user: Any = None, limit: int = 10
) -> dict[str, list[Suggestion]]:
    """Return the ideas and the partners that fit the call, best matches first.

    Ideas: the partnership's ideas still being worked on (not dropped, not disseminated, not
    merged) sharing at least one of the call's challenges; the more they share, the higher.
    Partners: organisations of the partnership that channelled an idea, or had one referred to
    them, sharing the call's challenges, or that were interested in another call with those
    challenges; ranked by how many of the call's challenges they share, then by how many such
    links they have. Partners already interested in this call are left out. With ``user``,
    only the ideas they may see are suggested or named in a partner's reasons.
    """
    wanted = {c.pk: c for c in call.challenges.all()}
    if not wanted:
        return {"ideas": [], "partners": []}
    ideas = (
        Idea.objects.filter(
            partnership_id=call.partnership_id,
            merged_into__isnull=True,
            challenges__in=list(wanted),
        )
        .distinct()
        .select_related("channelled_by", "referred_to")
        .prefetch_related("challenges")
        .order_by("-received_on", "-pk")
    )
    idea_suggestions: list[Suggestion] = []
    partners: dict[int, Suggestion] = {}
    already = {o.pk for o in call.interested.all()}

    def partner(org: Organisation) -> Suggestion | None:
        if org.pk in already:
            return None
        return partners.setdefault(org.pk, Suggestion(item=org))

    visible = None if user is None else visible_idea_ids(user=user, partnership=call.partnership)
    for idea in ideas:
        shared = [c for c in idea.challenges.all() if c.pk in wanted]
        seen = visible is None or idea.pk in visible
        if idea.stage in OPEN_IDEA_STAGES and seen:
            idea_suggestions.append(
                Suggestion(item=idea, challenges=shared, reasons=[idea.get_stage_display()])
            )
        if idea.channelled_by is not None and (s := partner(idea.channelled_by)):
            _add(
                s,
                shared,
                _("channelled the idea “%(title)s”") % {"title": idea.title}
                if seen
                else _("channelled an idea with these challenges"),
            )
        if idea.referred_to is not None and (s := partner(idea.referred_to)):
            _add(
                s,
                shared,
                _("the idea “%(title)s” was referred to it") % {"title": idea.title}
                if seen
                else _("an idea with these challenges was referred to it"),
            )
    others = (
        FundingCall.objects.filter(partnership_id=call.partnership_id, challenges__in=list(wanted))
        .exclude(pk=call.pk)
        .distinct()
        .prefetch_related("challenges", "interested")
    )
    for other in others:
        shared = [c for c in other.challenges.all() if c.pk in wanted]
        for org in other.interested.all():
            if s := partner(org):
                _add(s, shared, _("interested in the call “%(title)s”") % {"title": other.title})
    idea_suggestions.sort(key=lambda s: -s.score[0])
    ranked = sorted(partners.values(), key=lambda s: (-s.score[0], -s.score[1], s.item.name))
    for s in ranked:
        s.challenges.sort(key=lambda c: (c.partnership_id or 0, c.position, c.name_sv))
    return {"ideas": idea_suggestions[:limit], "partners": ranked[:limit]}


def applications_for(*, partnership: Partnership, status: str = "") -> QuerySet[Application]:
    applications = (
        Application.objects.filter(partnership=partnership)
        .select_related("call", "lead")
        .prefetch_related("partners", "co_financing")
    )
    if status:
        applications = applications.filter(status=status)
    return applications


def application_counts(*, partnership: Partnership) -> list[tuple[str, Any, int]]:
    """Return (status, label, count) for every status, in the workflow's order."""
    counts = dict(
        Application.objects.filter(partnership=partnership)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(s.value, s.label, counts.get(s.value, 0)) for s in Application.Status]


def application_get_for(*, user: Any, partnership: Partnership, pk: int) -> Application:
    """Return application ``pk`` if ``user`` may see the partnership's funding; 404 otherwise."""
    if not has_perm(user, "funding.view", partnership):
        raise Http404
    application = (
        Application.objects.filter(partnership=partnership, pk=pk)
        .select_related("partnership", "call", "lead", "project")
        .prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.order_by("name")),
            "co_financing__organisation",
            "ideas",
            "events__actor",
        )
        .first()
    )
    if application is None:
        raise Http404
    return application


def projects_for(*, partnership: Partnership, ongoing: bool = False) -> QuerySet[Project]:
    """Return the partnership's shared project list; with ``ongoing`` only those running today."""
    projects = (
        Project.objects.filter(partnership=partnership)
        .select_related("lead", "application")
        .prefetch_related(Prefetch("partners", queryset=Organisation.objects.order_by("name")))
    )
    if ongoing:
        today = timezone.localdate()
        projects = projects.filter(starts_on__lte=today, ends_on__gte=today)
    return projects


def project_get_for(*, user: Any, partnership: Partnership, pk: int) -> Project:
    """Return project ``pk`` if ``user`` may see the partnership's funding; 404 otherwise."""
    if not has_perm(user, "funding.view", partnership):
        raise Http404
    project = (
        Project.objects.filter(partnership=partnership, pk=pk)
        .select_related("partnership", "lead", "application__call")
        .prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.order_by("name")),
            "meetings",
            "results__actor",
        )
        .first()
    )
    if project is None:
        raise Http404
    return project


def project_may_change(*, user: Any, project: Project) -> bool:
    """Whether ``user`` may change the project: coordinators and advisors any, a partner
    contact those their own organisation leads."""
    return has_perm(user, "projects.change_own", project.partnership, organisation=project.lead)


def project_meetings_for(*, user: Any, partnership: Partnership, project: Project) -> list[Any]:
    """Return the project's meetings that ``user`` may see (a partner contact: public ones,
    plenary meetings and those their organisation hosts or takes part in)."""
    from soin.activities.selectors import activities_for

    linked = [m.pk for m in project.meetings.all()]
    visible = set(
        activities_for(user=user, partnership=partnership)
        .filter(pk__in=linked)
        .values_list("pk", flat=True)
    )
    return [m for m in project.meetings.all() if m.pk in visible]


def meetings_to_link(*, user: Any, partnership: Partnership, project: Project) -> QuerySet[Any]:
    """Return the activities ``user`` may see that are not yet linked to the project."""
    from soin.activities.selectors import activities_for

    return (
        activities_for(user=user, partnership=partnership)
        .exclude(pk__in=project.meetings.values("pk"))
        .order_by("-starts_at")
    )
