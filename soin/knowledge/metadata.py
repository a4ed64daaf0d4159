"""Metadata for sharing and for search engines: Open Graph tags and schema.org JSON-LD, for an
entry of the knowledge bank and for a public event."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from soin.core.i18n import current_language

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
# What json_script escapes: the JSON can then stand inside a <script> element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass
class Metadata:
    open_graph: list[tuple[str, str]]
    json_ld: SafeString
    canonical: str


def _json_ld(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(JSON_ESCAPES)
    return mark_safe(text)  # the three characters that could end the element are escaped


def _open_graph(
    kind: str, title: str, description: str, url: str, site: str
) -> list[tuple[str, str]]:
    lang = current_language()
    return [
        ("og:type", kind),
        ("og:title", title),
        ("og:description", Truncator(description).chars(300)),
        ("og:url", url),
        ("og:site_name", site),
        ("og:locale", LOCALES[lang]),
        ("og:locale:alternate", LOCALES["en" if lang == "sv" else "sv"]),
    ]


def entry_metadata(request: HttpRequest, entry: Any) -> Metadata:
    """Return the metadata of a published entry's page."""
    partnership = entry.partnership
    url = request.build_absolute_uri(entry.get_absolute_url())
    tags = _open_graph("article", entry.title, entry.summary, url, partnership.name)
    images = []
    for image in entry.images.all():
        src = request.build_absolute_uri(
            reverse(
                "public:bank_image",
                kwargs={"partnership": partnership.slug, "slug": entry.slug, "pk": image.pk},
            )
        )
        images.append(src)
        tags += [("og:image", src), ("og:image:alt", image.alt)]
    if entry.published_at:
        tags.append(("article:published_time", entry.published_at.isoformat()))
    tags.append(("article:modified_time", entry.updated_at.isoformat()))
    tags += [("article:tag", c.name) for c in entry.challenges.all()]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url,
        "identifier": str(entry.uid),
        "url": url,
        "name": entry.title,
        "description": entry.summary,
        "inLanguage": current_language(),
        "dateModified": entry.updated_at.isoformat(),
        "keywords": [c.name for c in entry.challenges.all()],
        "publisher": {"@type": "Organization", "name": partnership.name},
        "spatialCoverage": {
            "@type": "Place",
            "name": entry.municipality.name if entry.municipality else partnership.region.name,
        },
    }
    if entry.published_at:
        data["datePublished"] = entry.published_at.isoformat()
    if images:
        data["image"] = images
    organisations = [o.name for o in entry.organisations.all()] + entry.other_organisation_names()
    if organisations:
        data["contributor"] = [{"@type": "Organization", "name": n} for n in organisations]
    return Metadata(open_graph=tags, json_ld=_json_ld(data), canonical=url)


def event_metadata(request: HttpRequest, activity: Any) -> Metadata:
    """Return the metadata of a public event's page."""
    partnership = activity.partnership
    url = request.build_absolute_uri(
        reverse(
            "public:activity_detail", kwargs={"partnership": partnership.slug, "pk": activity.pk}
        )
    )
    description = activity.description or activity.get_kind_display()
    tags = _open_graph("website", activity.title, description, url, partnership.name)
    location: dict[str, Any] = {"@type": "Place", "name": activity.place or partnership.region.name}
    if activity.address or activity.municipality:
        location["address"] = {
            "@type": "PostalAddress",
            "streetAddress": activity.address,
            "addressLocality": activity.municipality.name if activity.municipality else "",
            "addressRegion": partnership.region.name,
            "addressCountry": "SE",
        }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": activity.title,
        "description": description,
        "startDate": activity.starts_at.isoformat(),
        "endDate": activity.ends_at.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if activity.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": location,
        "organizer": [{"@type": "Organization", "name": o.name} for o in activity.hosts.all()]
        or [{"@type": "Organization", "name": partnership.name}],
        "inLanguage": current_language(),
    }
    return Metadata(open_graph=tags, json_ld=_json_ld(data), canonical=url)
