"""The open data API (/api/v1/): the knowledge bank with the site's search and facets, public
activities, partners and figures, as JSON and CSV. Read only, no login, no personal data."""

from __future__ import annotations

import datetime
import math
import re
import uuid
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from ninja import Field as F
from ninja import NinjaAPI, Query, Schema
from ninja.openapi.docs import DocsBase
from pydantic import field_validator

from soin.api import records
from soin.api.schemas import (
    ActivityPage,
    Error,
    Innovation,
    InnovationPage,
    PartnerPage,
    PartnershipRef,
    Statistics,
)
from soin.core.exports import table_csv
from soin.knowledge import search, selectors
from soin.regions.models import Partnership

DESCRIPTION = f"""
Open data from the regional partnerships for social innovation: the knowledge bank of
documented social innovations (with the same full-text search and facets as the public site),
public activities, the partners and aggregate figures.

**Licence.** The data is published under {records.LICENCE_NAME} ({records.LICENCE_URL}):
use it freely, no permission needed. Every response carries a `Link` header with
`rel="license"`.

**Identifiers.** An innovation's `id` is a UUID that stays the same in every installation
that holds it (regions publish to the national bank and receive others' entries by it).
Activities and partners have numeric ids, stable within this installation.

**Personal data.** None: no contact person, no registrant, no subscriber; an idea carrier is
named only where they agreed to it; ideas appear only as counts.

**Formats.** JSON (these endpoints) and CSV (the `.csv` endpoints: UTF-8, separated by
semicolons, a header row, lists joined by " | "; a cell that would start a spreadsheet formula
begins with an apostrophe). `python manage.py export_open_data --output DIR` writes the same data
as files with a README.
"""


def _type(spec: dict[str, Any]) -> str:
    """Return a JSON schema's type in a few words: "string", "array of string", "a | b"."""
    if "anyOf" in spec:
        return " | ".join(_type(s) for s in spec["anyOf"])
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    kind = spec.get("type", "object")
    if kind == "array":
        return f"array of {_type(spec.get('items', {}))}"
    if "enum" in spec:
        return f"{kind}: {', '.join(str(v) for v in spec['enum'])}"
    return str(kind)


class AccessibleDocs(DocsBase):
    """The API's documentation as a plain, accessible page of the site, read from the same
    OpenAPI document."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        operations = []
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "description": operation.get("description", ""),
                        "parameters": [
                            {
                                "name": p["name"],
                                "in": p["in"],
                                "type": _type(p.get("schema", {})),
                                "description": p.get("description")
                                or p.get("schema", {}).get("description", ""),
                            }
                            for p in operation.get("parameters", [])
                        ],
                        "example": EXAMPLES.get(path, ""),
                    }
                )
        components = [
            (
                name,
                [
                    (field, _type(spec), spec.get("description", ""))
                    for field, spec in component.get("properties", {}).items()
                ],
            )
            for name, component in sorted(schema.get("components", {}).get("schemas", {}).items())
            if component.get("properties")
        ]
        return render(
            request,
            "api/docs.html",
            {
                "api": api,
                "info": schema["info"],
                "operations": operations,
                "schemas": components,
                "openapi_url": self.get_openapi_url(api, kwargs),
                "licence_name": records.LICENCE_NAME,
                "licence_url": records.LICENCE_URL,
            },
        )


EXAMPLES = {
    "/api/v1/innovations": "/api/v1/innovations?q=kooperativ&lang=sv",
    "/api/v1/innovations.csv": "/api/v1/innovations.csv?challenge=inclusive-societies",
    "/api/v1/activities": "/api/v1/activities",
    "/api/v1/partners": "/api/v1/partners",
    "/api/v1/statistics": "/api/v1/statistics",
    "/api/v1/partnerships": "/api/v1/partnerships",
}

api = NinjaAPI(
    title="Soin open data",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=AccessibleDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)

ERRORS: dict[int, Any] = {404: Error, 422: Error}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# A partnership's short name, or nothing.
SLUG = r"^[-a-zA-Z0-9_]*$"


def _licensed(response: HttpResponse) -> HttpResponse:
    response["Link"] = f'<{records.LICENCE_URL}>; rel="license"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


class Paging(Schema):
    page: int = F(1, ge=1, le=100_000, description="Page number, from 1.")
    per_page: int = F(20, ge=1, le=100, description="Records per page, at most 100.")


class InnovationQuery(Paging):
    q: str = F(
        "",
        max_length=200,
        description="Search words; every word must match (its inflections and compounds "
        "count; a word in no entry is corrected to the nearest one). Entries that say the "
        "same thing in other words, in Swedish or English, match too when the installation "
        "searches by meaning; the best match first by both.",
    )
    lang: Literal["sv", "en"] = F("sv", description="The language the words are searched in.")
    sort: Literal["", "relevance", "newest", "title"] = F(
        "", description="relevance (with q, the default), newest (without q), title."
    )
    partnership: str = F(
        "", max_length=50, pattern=SLUG, description="Only this partnership's entries."
    )
    challenge: list[str] = F([], description="Societal challenge keys (any of them).")
    solution: list[str] = F([], description="Kinds of solution (any of them).")
    region: list[str] = F([], description="County codes (any of them).")
    municipality: list[str] = F([], description="Municipality codes (any of them).")
    novelty: list[str] = F([], description="Whom it is new for (any of them).")
    evidence: list[str] = F([], description="Evidence levels (any of them).")


def _partnership(slug: str) -> Partnership | None:
    if not slug:
        return None
    return get_object_or_404(Partnership.objects.select_related("region"), slug=slug)


def _innovations(query: InnovationQuery) -> search.Results:
    filters = {name: getattr(query, name)[:20] for name in search.FACET_NAMES}
    return selectors.bank_search(
        partnership=_partnership(query.partnership),
        query=query.q,
        language=query.lang,
        filters={k: [str(v)[:100] for v in vs] for k, vs in filters.items() if vs},
        sort=query.sort,
        page=query.page,
        per_page=query.per_page,
        detailed=True,
    )


@api.get(
    "/innovations",
    response={200: InnovationPage, **ERRORS},
    url_name="innovations",
    summary="Search the knowledge bank",
    description="Published entries, searched and narrowed as on the public site, one page "
    "at a time, with each facet's counts. Licence: CC0 1.0.",
)
def innovations(request: HttpRequest, query: Query[InnovationQuery]) -> Any:
    results = _innovations(query)
    return _licensed(
        api.create_response(
            request,
            {
                "count": results.total,
                "page": results.page,
                "pages": results.pages,
                "per_page": query.per_page,
                "sort": results.sort,
                "corrected": results.corrected,
                "nearest": results.nearest,
                "results": [records.innovation_record(e) for e in results.entries],
                "facets": [
                    {
                        "name": f.name,
                        "label": str(f.label),
                        "options": [o.__dict__ for o in f.options],
                    }
                    for f in results.facets
                ],
            },
            status=200,
        )
    )


CSV_RESPONSE = {
    "responses": {
        "200": {
            "description": "CSV, UTF-8, with a header row.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


def _csv(name: str, columns: tuple[str, ...], rows: list[list[Any]]) -> HttpResponse:
    response = HttpResponse(table_csv(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return _licensed(response)


@api.get(
    "/innovations.csv",
    response=ERRORS,
    url_name="innovations_csv",
    summary="The knowledge bank as CSV",
    description="The same search as /innovations, as CSV (one page, up to 100 rows; "
    "use page and per_page). Licence: CC0 1.0.",
    openapi_extra=CSV_RESPONSE,
)
def innovations_csv(request: HttpRequest, query: Query[InnovationQuery]) -> HttpResponse:
    results = _innovations(query)
    return _csv(
        "innovations",
        records.INNOVATION_COLUMNS,
        [records.innovation_row(records.innovation_record(e)) for e in results.entries],
    )


@api.get(
    "/innovations/{uid}",
    response={200: Innovation, **ERRORS},
    url_name="innovation",
    summary="One entry of the knowledge bank",
    description="A published entry by its stable identifier. Licence: CC0 1.0.",
)
def innovation(request: HttpRequest, uid: uuid.UUID) -> Any:
    return _licensed(
        api.create_response(
            request,
            records.innovation_record(selectors.public_entry_by_uid(uid=str(uid))),
            status=200,
        )
    )


def _page(items: QuerySet[Any], paging: Paging) -> tuple[list[Any], dict[str, int]]:
    count = items.count()
    pages = max(1, math.ceil(count / paging.per_page))
    page = min(paging.page, pages)
    start = (page - 1) * paging.per_page
    return list(items[start : start + paging.per_page]), {
        "count": count,
        "page": page,
        "pages": pages,
        "per_page": paging.per_page,
    }


class ActivityQuery(Paging):
    partnership: str = F(
        "", max_length=50, pattern=SLUG, description="Only this partnership's activities."
    )
    since: datetime.date | None = F(None, description="Ending on or after this day.")
    until: datetime.date | None = F(None, description="Starting on or before this day.")
    kind: str = F("", max_length=30, pattern=r"^[a-z_]*$", description="Only this kind.")

    @field_validator("since", "until", mode="before")
    @classmethod
    def iso_date(cls, value: Any) -> Any:
        # A day as written in ISO 8601, nothing else (not a number of seconds, say).
        if value is None:
            return None
        if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
            raise ValueError("a day as YYYY-MM-DD")
        return value


def _activities(query: ActivityQuery) -> tuple[list[dict[str, Any]], dict[str, int]]:
    items, meta = _page(
        records.public_activities(
            partnership=_partnership(query.partnership),
            since=query.since,
            until=query.until,
            kind=query.kind,
        ),
        query,
    )
    return [records.activity_record(a) for a in items], meta


@api.get(
    "/activities",
    response={200: ActivityPage, **ERRORS},
    url_name="activities",
    summary="Public activities",
    description="Seminars, outreach stops, fairs and the meetings on the public calendar, "
    "in order of time. Licence: CC0 1.0.",
)
def activities(request: HttpRequest, query: Query[ActivityQuery]) -> Any:
    rows, meta = _activities(query)
    return _licensed(api.create_response(request, {**meta, "results": rows}, status=200))


@api.get(
    "/activities.csv",
    response=ERRORS,
    url_name="activities_csv",
    summary="Public activities as CSV",
    description="The same as /activities, as CSV. Licence: CC0 1.0.",
    openapi_extra=CSV_RESPONSE,
)
def activities_csv(request: HttpRequest, query: Query[ActivityQuery]) -> HttpResponse:
    rows, _meta = _activities(query)
    return _csv("activities", records.ACTIVITY_COLUMNS, [records.activity_row(r) for r in rows])


class PartnerQuery(Paging):
    partnership: str = F(
        "", max_length=50, pattern=SLUG, description="Only this partnership's partners."
    )


def _partners(query: PartnerQuery) -> tuple[list[dict[str, Any]], dict[str, int]]:
    items, meta = _page(records.partners(partnership=_partnership(query.partnership)), query)
    return [records.partner_record(o) for o in items], meta


@api.get(
    "/partners",
    response={200: PartnerPage, **ERRORS},
    url_name="partners",
    summary="Partners",
    description="The organisations that are partners today. Contact persons are not open "
    "data: see each partner's page. Licence: CC0 1.0.",
)
def partners(request: HttpRequest, query: Query[PartnerQuery]) -> Any:
    rows, meta = _partners(query)
    return _licensed(api.create_response(request, {**meta, "results": rows}, status=200))


@api.get(
    "/partners.csv",
    response=ERRORS,
    url_name="partners_csv",
    summary="Partners as CSV",
    description="The same as /partners, as CSV. Licence: CC0 1.0.",
    openapi_extra=CSV_RESPONSE,
)
def partners_csv(request: HttpRequest, query: Query[PartnerQuery]) -> HttpResponse:
    rows, _meta = _partners(query)
    return _csv("partners", records.PARTNER_COLUMNS, [records.partner_row(r) for r in rows])


class StatisticsQuery(Schema):
    partnership: str = F("", max_length=50, pattern=SLUG, description="Only this partnership.")


@api.get(
    "/statistics",
    response={200: list[Statistics], **ERRORS},
    url_name="statistics",
    summary="Figures per partnership",
    description="Counts only: partners by sector, ideas by year, challenge and channel, "
    "published innovations by challenge, public activities by year and kind, newsletter "
    "subscribers. Licence: CC0 1.0.",
)
def statistics(request: HttpRequest, query: Query[StatisticsQuery]) -> Any:
    data = records.statistics(partnership=_partnership(query.partnership))
    return _licensed(api.create_response(request, data, status=200))


@api.get(
    "/partnerships",
    response={200: list[PartnershipRef]},
    url_name="partnerships",
    summary="Partnerships",
    description="The partnerships on this installation. Licence: CC0 1.0.",
)
def partnerships(request: HttpRequest) -> Any:
    data = [
        records.partnership_record(p)
        for p in Partnership.objects.select_related("region").order_by("region__code")
    ]
    return _licensed(api.create_response(request, data, status=200))
