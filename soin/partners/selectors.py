"""Reads of partners and agreements. Every query is scoped to one partnership, and protected
records are fetched through the ``*_get_for`` functions, which check the user's permission."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from soin.accounts.permissions import has_perm, roles_in
from soin.core.normalise import matching
from soin.partners.models import (
    Agreement,
    AgreementTemplate,
    ContactPerson,
    Group,
    GroupMembership,
    Membership,
    Organisation,
    Sector,
)
from soin.regions.models import Partnership


def _membership_covers(day: datetime.date) -> Q:
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gte=day))


def organisations_partners_on(*, day: datetime.date) -> QuerySet[Organisation]:
    """The organisations of every partnership that were partners on ``day`` (for counts across
    the nation; within one partnership use ``partners_on``)."""
    covering = Membership.objects.filter(_membership_covers(day), organisation=OuterRef("pk"))
    return Organisation.objects.filter(Exists(covering))


def partners_on(*, partnership: Partnership, day: datetime.date) -> QuerySet[Organisation]:
    """Return the organisations that were partners on ``day``."""
    return (
        organisations_partners_on(day=day)
        .filter(partnership=partnership)
        .select_related("municipality")
    )


@dataclass
class SectorGroup:
    sector: Sector
    organisations: list[Organisation]

    @property
    def count(self) -> int:
        return len(self.organisations)


def partners_by_sector(*, partnership: Partnership, day: datetime.date) -> list[SectorGroup]:
    """Return the partners on ``day`` grouped by sector (public, civil society, business),
    each group sorted by name, empty groups left out."""
    orgs = partners_on(partnership=partnership, day=day).order_by("name")
    groups = {sector: SectorGroup(sector, []) for sector in Sector}
    for org in orgs:
        groups[org.sector].organisations.append(org)
    return [g for g in groups.values() if g.organisations]


def organisations_for_staff(
    *, partnership: Partnership, query: str = "", kind: str = "", status: str = ""
) -> QuerySet[Organisation]:
    """Return the partnership's organisations for the back office, filtered, with the facts the
    list shows (current membership, open agreement state) fetched up front."""
    today = timezone.localdate()
    qs = (
        Organisation.objects.filter(partnership=partnership)
        .select_related("municipality")
        .annotate(
            is_partner=Exists(
                Membership.objects.filter(_membership_covers(today), organisation=OuterRef("pk"))
            ),
            has_signed_agreement=Exists(
                Agreement.objects.filter(organisation=OuterRef("pk"), state=Agreement.State.SIGNED)
            ),
        )
        .order_by("name")
    )
    words = matching("search_terms", query)
    if words is not None:
        qs = qs.filter(words)
    if kind:
        qs = qs.filter(kind=kind)
    if status == "partner":
        qs = qs.filter(is_partner=True)
    elif status == "former":
        qs = qs.filter(is_partner=False)
    return qs


def organisation_get_for(
    *, user: Any, partnership: Partnership, pk: int, perm: str = "partners.view"
) -> Organisation:
    """Return the partnership's organisation ``pk`` if ``user`` holds ``perm`` on it; 404
    otherwise, so that records outside a user's reach are not revealed."""
    org = (
        Organisation.objects.filter(partnership=partnership, pk=pk)
        .select_related("municipality", "partnership", "partnership__region")
        .first()
    )
    if org is None or not has_perm(user, perm, partnership, organisation=org):
        raise Http404
    return org


def organisation_detail(
    *, user: Any, partnership: Partnership, organisation: Organisation
) -> dict[str, Any]:
    """Return what the staff page of an organisation shows to ``user``: contact persons who
    are not public only to those who may see them (staff, and the organisation's own contact)."""
    memberships = list(organisation.memberships.all())
    contacts = organisation.contacts.all()
    if not (
        has_perm(user, "contacts.view", partnership)
        or has_perm(user, "partners.change_own", partnership, organisation=organisation)
    ):
        contacts = contacts.filter(is_public=True)
    return {
        "memberships": memberships,
        "current_membership": next((m for m in memberships if m.left_on is None), None),
        "seats": list(organisation.group_memberships.all()),
        "contacts": list(contacts),
        "agreements": list(organisation.agreements.select_related("template")),
    }


def public_organisation_get(*, partnership: Partnership, slug: str) -> Organisation:
    """Return a current or former partner for the public site, with public contacts only."""
    org = (
        Organisation.objects.filter(partnership=partnership, slug=slug)
        .filter(Exists(Membership.objects.filter(organisation=OuterRef("pk"))))
        .select_related("municipality")
        .prefetch_related(
            Prefetch("contacts", queryset=ContactPerson.objects.filter(is_public=True))
        )
        .first()
    )
    if org is None:
        raise Http404
    return org


def group_members_on(
    *, partnership: Partnership, day: datetime.date
) -> dict[Group, list[Organisation]]:
    """Return each group's member organisations on ``day``, by group."""
    seats = (
        GroupMembership.objects.filter(organisation__partnership=partnership, since__lte=day)
        .filter(Q(until__isnull=True) | Q(until__gte=day))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    result: dict[Group, list[Organisation]] = {g: [] for g in Group}
    for seat in seats:
        result[Group(seat.group)].append(seat.organisation)
    return result


def contact_get_for(*, user: Any, partnership: Partnership, pk: int) -> ContactPerson:
    """Return contact ``pk`` if ``user`` may change its organisation; 404 otherwise."""
    contact = (
        ContactPerson.objects.filter(organisation__partnership=partnership, pk=pk)
        .select_related("organisation")
        .first()
    )
    if contact is None or not has_perm(
        user, "partners.change_own", partnership, organisation=contact.organisation
    ):
        raise Http404
    return contact


def seat_get_for(*, user: Any, partnership: Partnership, pk: int) -> GroupMembership:
    seat = (
        GroupMembership.objects.filter(organisation__partnership=partnership, pk=pk)
        .select_related("organisation")
        .first()
    )
    if seat is None or not has_perm(user, "partners.change", partnership):
        raise Http404
    return seat


def agreements_for(*, user: Any, partnership: Partnership, state: str = "") -> QuerySet[Agreement]:
    """Return the agreements ``user`` may see in the partnership: all of them for staff who
    hold ``agreements.view``, their own organisation's for a partner contact."""
    qs = Agreement.objects.filter(partnership=partnership).select_related(
        "organisation", "counterpart", "template"
    )
    if not has_perm(user, "agreements.view", partnership):
        own = [r.organisation_id for r in roles_in(user, partnership) if r.organisation_id]
        qs = qs.filter(organisation_id__in=own)
    if state:
        qs = qs.filter(state=state)
    return qs


def agreement_get_for(
    *, user: Any, partnership: Partnership, pk: int, perm: str = "agreements.view_own"
) -> Agreement:
    """Return agreement ``pk`` if ``user`` holds ``perm`` on it; 404 otherwise."""
    agreement = (
        Agreement.objects.filter(partnership=partnership, pk=pk)
        .select_related("organisation", "counterpart", "template", "partnership")
        .first()
    )
    if agreement is None or not has_perm(
        user, perm, partnership, organisation=agreement.organisation
    ):
        raise Http404
    return agreement


def templates_for_kind(*, partnership: Partnership, kind: str) -> list[AgreementTemplate]:
    """Return the partnership's templates made for organisations of ``kind``."""
    return [t for t in partnership.agreement_templates.all() if kind in t.kinds]
