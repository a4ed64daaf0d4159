"""Reads of small development grants."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404

from soin.accounts.permissions import has_perm
from soin.core.tokens import object_from_token
from soin.grants.models import Grant, Payment
from soin.grants.services import TOKEN_PURPOSE
from soin.regions.models import Municipality, Partnership

# The states in which a decision to grant stands.
GRANTED_STATES = (
    Grant.State.APPROVED,
    Grant.State.PARTLY_PAID,
    Grant.State.PAID,
    Grant.State.CLOSED,
)


def grants_for(
    *, partnership: Partnership, state: str = "", year: int | None = None
) -> QuerySet[Grant]:
    """Return the partnership's applications, newest first, with their paid totals."""
    qs = (
        Grant.objects.filter(partnership=partnership)
        .select_related("municipality")
        .annotate(paid=Sum("payments__amount"))
    )
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(received_on__year=year)
    return qs


def grant_years(*, partnership: Partnership) -> list[int]:
    years = (
        Grant.objects.filter(partnership=partnership)
        .annotate(year=ExtractYear("received_on"))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def grant_get_for(*, user: Any, partnership: Partnership, pk: int) -> Grant:
    """Return the partnership's grant ``pk`` if ``user`` may read grants; 404 otherwise."""
    if not has_perm(user, "grants.view", partnership):
        raise Http404
    grant = (
        Grant.objects.filter(partnership=partnership, pk=pk)
        .select_related("partnership", "municipality", "decided_by", "registered_by")
        .prefetch_related("budget_lines")
        .first()
    )
    if grant is None:
        raise Http404
    return grant


def grant_by_token(*, partnership: Partnership, token: str) -> Grant:
    """Return the grant the applicant's private link opens; 404 for a wrong or foreign token."""
    return object_from_token(
        Grant.objects.filter(partnership=partnership)
        .select_related("partnership", "municipality")
        .prefetch_related("budget_lines"),
        purpose=TOKEN_PURPOSE,
        token=token,
    )


def payments_of(grant: Grant) -> QuerySet[Payment]:
    return grant.payments.select_related("created_by")


@dataclass
class TotalsRow:
    municipality: str
    applications: int = 0
    applied: int = 0
    granted: int = 0
    paid: int = 0


@dataclass
class YearTotals:
    year: int
    rows: list[TotalsRow] = field(default_factory=list)

    @property
    def total(self) -> TotalsRow:
        return TotalsRow(
            municipality="",
            applications=sum(r.applications for r in self.rows),
            applied=sum(r.applied for r in self.rows),
            granted=sum(r.granted for r in self.rows),
            paid=sum(r.paid for r in self.rows),
        )


def totals(*, partnership: Partnership, year: int | None = None) -> list[YearTotals]:
    """Return, per year of application (newest first) and per municipality of the region
    (every one, those without applications as zeros), the number of applications, the sums
    applied for, granted and paid out. All three are counted by the year the application was
    received, so that a year's figures describe the same applications."""
    grants = Grant.objects.filter(partnership=partnership)
    if year:
        grants = grants.filter(received_on__year=year)
    years = [year] if year else grant_years(partnership=partnership)
    cells: dict[tuple[int, int], TotalsRow] = defaultdict(lambda: TotalsRow(municipality=""))
    for row in grants.values("municipality_id", y=ExtractYear("received_on")).annotate(
        n=Count("pk"), applied=Sum("amount_applied")
    ):
        cell = cells[(row["y"], row["municipality_id"])]
        cell.applications = row["n"]
        cell.applied = int(row["applied"] or 0)
    for row in (
        grants.filter(state__in=GRANTED_STATES)
        .values("municipality_id", y=ExtractYear("received_on"))
        .annotate(granted=Sum("amount_granted"))
    ):
        cells[(row["y"], row["municipality_id"])].granted = int(row["granted"] or 0)
    for row in (
        Payment.objects.filter(grant__in=grants)
        .values(m=F("grant__municipality_id"), y=ExtractYear("grant__received_on"))
        .annotate(paid=Sum("amount"))
    ):
        cells[(row["y"], row["m"])].paid = int(row["paid"] or 0)
    municipalities = list(Municipality.objects.filter(region=partnership.region).order_by("name"))
    result = []
    for y in years:
        rows = []
        for m in municipalities:
            cell = cells.get((y, m.pk)) or TotalsRow(municipality="")
            rows.append(
                TotalsRow(
                    municipality=m.name,
                    applications=cell.applications,
                    applied=cell.applied,
                    granted=cell.granted,
                    paid=cell.paid,
                )
            )
        result.append(YearTotals(year=y, rows=rows))
    return result
