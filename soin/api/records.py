"""The open data format, written once: the records the API returns, ``export_open_data``
writes and ``import_open_data`` reads. No personal data: no carrier is named unless they
agreed to be, no contact person, no registrant, no subscriber, and ideas only as counts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone, translation

from soin.activities.models import Activity
from soin.ideas.models import Idea
from soin.knowledge.models import Entry
from soin.newsletter.models import Subscriber
from soin.partners.models import Membership, Organisation
from soin.regions.models import Partnership

LICENCE_NAME = "CC0 1.0 Universal (Public Domain Dedication)"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _public_url(name: str, **kwargs: Any) -> str:
    with translation.override("sv"):
        return absolute(reverse(f"public:{name}", kwargs=kwargs))


def _time(value: datetime.datetime | None) -> str | None:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") if value else None


def partnership_record(p: Partnership) -> dict[str, Any]:
    return {"slug": p.slug, "name_sv": p.name_sv, "name_en": p.name_en, "region": p.region.code}


def region_record(p: Partnership) -> dict[str, Any]:
    return {"code": p.region.code, "name_sv": p.region.name_sv, "name_en": p.region.name_en}


def innovation_record(entry: Entry) -> dict[str, Any]:
    """Return a published entry as open data (fetch it with selectors.with_details)."""
    p = entry.partnership
    return {
        "id": str(entry.uid),
        "url": _public_url("bank_entry", partnership=p.slug, slug=entry.slug),
        "partnership": partnership_record(p),
        "region": region_record(p),
        "municipality": {"code": entry.municipality.code, "name": entry.municipality.name}
        if entry.municipality
        else None,
        "kind": entry.kind,
        "title_sv": entry.title_sv,
        "title_en": entry.title_en,
        "summary_sv": entry.summary_sv,
        "summary_en": entry.summary_en,
        "story_sv": entry.story_sv,
        "story_en": entry.story_en,
        "solution_type": entry.solution_type,
        "challenges": [
            {"key": c.key, "name_sv": c.name_sv, "name_en": c.name_en}
            for c in entry.challenges.all()
        ],
        "new_for": entry.new_for,
        "evidence_level": entry.evidence_level,
        "can_spread": entry.can_spread,
        "organisations": [o.name for o in entry.organisations.all()]
        + entry.other_organisation_names(),
        "carrier": entry.carrier_name if entry.carrier_consent_at else "",
        "links": [
            {"url": link.url, "label_sv": link.label_sv, "label_en": link.label_en}
            for link in entry.links.all()
        ],
        "images": [
            {
                "url": _public_url("bank_image", partnership=p.slug, slug=entry.slug, pk=image.pk),
                "alt_sv": image.alt_sv,
                "alt_en": image.alt_en,
            }
            for image in entry.images.all()
        ],
        "published_at": _time(entry.published_at),
        # An imported entry keeps the time it last changed where it was written, so that the
        # same entry passed on from installation to installation is recognised as unchanged.
        "updated_at": _time(entry.origin_updated_at if entry.origin else entry.updated_at),
        "origin": entry.origin,
    }


INNOVATION_COLUMNS = (
    "id",
    "url",
    "partnership",
    "region",
    "municipality_code",
    "municipality",
    "kind",
    "title_sv",
    "title_en",
    "summary_sv",
    "summary_en",
    "story_sv",
    "story_en",
    "solution_type",
    "challenges",
    "new_for",
    "evidence_level",
    "can_spread",
    "organisations",
    "carrier",
    "links",
    "published_at",
    "updated_at",
    "origin",
)


def innovation_row(record: dict[str, Any]) -> list[Any]:
    """Return an innovation record flattened to INNOVATION_COLUMNS (lists joined by " | ")."""
    flat = dict(record)
    flat["partnership"] = record["partnership"]["slug"]
    flat["region"] = record["region"]["code"]
    flat["municipality_code"] = (record["municipality"] or {}).get("code", "")
    flat["municipality"] = (record["municipality"] or {}).get("name", "")
    flat["challenges"] = " | ".join(c["key"] for c in record["challenges"])
    flat["organisations"] = " | ".join(record["organisations"])
    flat["links"] = " | ".join(link["url"] for link in record["links"])
    return [flat[c] if flat[c] is not None else "" for c in INNOVATION_COLUMNS]


def public_activities(
    *,
    partnership: Partnership | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    kind: str = "",
) -> QuerySet[Activity]:
    activities = Activity.objects.filter(is_public=True)
    if partnership is not None:
        activities = activities.filter(partnership=partnership)
    if since:
        activities = activities.filter(ends_at__date__gte=since)
    if until:
        activities = activities.filter(starts_at__date__lte=until)
    if kind:
        activities = activities.filter(kind=kind)
    return (
        activities.select_related("partnership__region", "municipality")
        .prefetch_related("hosts")
        .order_by("starts_at", "pk")
    )


def activity_record(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "url": _public_url("activity_detail", partnership=a.partnership.slug, pk=a.pk),
        "ical": _public_url("activity_ics", partnership=a.partnership.slug, pk=a.pk),
        "partnership": a.partnership.slug,
        "kind": a.kind,
        "title_sv": a.title_sv,
        "title_en": a.title_en,
        "description_sv": a.description_sv,
        "description_en": a.description_en,
        "starts_at": _time(a.starts_at),
        "ends_at": _time(a.ends_at),
        "place": a.place,
        "address": a.address,
        "municipality": {"code": a.municipality.code, "name": a.municipality.name}
        if a.municipality
        else None,
        "hosts": [o.name for o in a.hosts.all()],
        "cancelled": a.is_cancelled,
        "registration_open": a.registration_open and not a.is_cancelled,
        "registration_deadline": a.registration_deadline.isoformat()
        if a.registration_deadline
        else None,
    }


ACTIVITY_COLUMNS = (
    "id",
    "url",
    "partnership",
    "kind",
    "title_sv",
    "title_en",
    "starts_at",
    "ends_at",
    "place",
    "address",
    "municipality_code",
    "municipality",
    "hosts",
    "cancelled",
    "registration_open",
    "registration_deadline",
)


def activity_row(record: dict[str, Any]) -> list[Any]:
    flat = dict(record)
    flat["municipality_code"] = (record["municipality"] or {}).get("code", "")
    flat["municipality"] = (record["municipality"] or {}).get("name", "")
    flat["hosts"] = " | ".join(record["hosts"])
    return [flat[c] if flat[c] is not None else "" for c in ACTIVITY_COLUMNS]


def partners(*, partnership: Partnership | None = None) -> QuerySet[Organisation]:
    """Return the current partners (an open membership today)."""
    today = timezone.localdate()
    current = Membership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=today),
        organisation=OuterRef("pk"),
        joined_on__lte=today,
    )
    orgs = Organisation.objects.filter(Exists(current))
    if partnership is not None:
        orgs = orgs.filter(partnership=partnership)
    return (
        orgs.select_related("partnership", "municipality")
        .prefetch_related("memberships")
        .order_by("partnership__slug", "name", "pk")
    )


def partner_record(o: Organisation) -> dict[str, Any]:
    joined = min((m.joined_on for m in o.memberships.all()), default=None)
    return {
        "id": o.pk,
        "url": _public_url("partner", partnership=o.partnership.slug, organisation=o.slug),
        "partnership": o.partnership.slug,
        "name": o.name,
        "kind": o.kind,
        "sector": str(o.sector.value),
        "municipality": {"code": o.municipality.code, "name": o.municipality.name}
        if o.municipality
        else None,
        "website": o.website,
        "partner_since": joined.isoformat() if joined else None,
        "coordinator": o.is_coordinator,
    }


PARTNER_COLUMNS = (
    "id",
    "url",
    "partnership",
    "name",
    "kind",
    "sector",
    "municipality_code",
    "municipality",
    "website",
    "partner_since",
    "coordinator",
)


def partner_row(record: dict[str, Any]) -> list[Any]:
    flat = dict(record)
    flat["municipality_code"] = (record["municipality"] or {}).get("code", "")
    flat["municipality"] = (record["municipality"] or {}).get("name", "")
    return [flat[c] if flat[c] is not None else "" for c in PARTNER_COLUMNS]


def _counts(rows: Iterable[dict[str, Any]], key: str) -> dict[str, int]:
    return {str(r[key]): r["n"] for r in rows if r[key] not in (None, "")}


def statistics(*, partnership: Partnership | None = None) -> list[dict[str, Any]]:
    """Return each partnership's figures: partners by sector, ideas by year, challenge and
    channel, published entries by challenge, public activities by year and kind, and active
    subscribers. Counts only."""
    partnerships = Partnership.objects.select_related("region").order_by("region__code")
    if partnership is not None:
        partnerships = partnerships.filter(pk=partnership.pk)
    out = []
    for p in partnerships:
        sectors: dict[str, int] = {}
        for org in partners(partnership=p):
            sectors[str(org.sector.value)] = sectors.get(str(org.sector.value), 0) + 1
        ideas = Idea.objects.filter(partnership=p, merged_into__isnull=True)
        entries = Entry.objects.filter(partnership=p, state=Entry.State.PUBLISHED)
        # What the public calendar shows: internal meetings (the working committee's, say)
        # and cancelled activities are no public activities.
        activities = Activity.objects.filter(
            partnership=p, is_public=True, state=Activity.State.PLANNED
        )
        by_year_kind: dict[str, dict[str, int]] = {}
        for row in (
            activities.annotate(year=ExtractYear("starts_at"))
            .values("year", "kind")
            .annotate(n=Count("pk"))
            .order_by("year", "kind")
        ):
            by_year_kind.setdefault(str(row["year"]), {})[row["kind"]] = row["n"]
        out.append(
            {
                "partnership": partnership_record(p),
                "region": region_record(p),
                "partners": {"total": sum(sectors.values()), "by_sector": sectors},
                "ideas": {
                    "total": ideas.count(),
                    "by_year": _counts(
                        ideas.annotate(year=ExtractYear("received_on"))
                        .values("year")
                        .annotate(n=Count("pk"))
                        .order_by("year"),
                        "year",
                    ),
                    "by_challenge": _counts(
                        ideas.values("challenges__key")
                        .annotate(n=Count("pk"))
                        .order_by("challenges__key"),
                        "challenges__key",
                    ),
                    "by_channel": _counts(
                        ideas.values("channel").annotate(n=Count("pk")).order_by("channel"),
                        "channel",
                    ),
                },
                "innovations": {
                    "published": entries.count(),
                    "by_challenge": _counts(
                        entries.values("challenges__key")
                        .annotate(n=Count("pk"))
                        .order_by("challenges__key"),
                        "challenges__key",
                    ),
                },
                "activities": {"by_year_and_kind": by_year_kind},
                "newsletter": {
                    "subscribers": Subscriber.objects.filter(
                        partnership=p, state=Subscriber.State.ACTIVE
                    ).count()
                },
            }
        )
    return out
