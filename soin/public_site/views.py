"""The public site: start page, partnerships, partners, and the statements the law requires."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from soin.activities import selectors as activity_selectors
from soin.core import aggregates
from soin.core.i18n import current_language
from soin.core.submissions import stamp_issue
from soin.knowledge import selectors as knowledge_selectors
from soin.newsletter.forms import SubscribeForm
from soin.newsletter.services import consent_information
from soin.partners import selectors as partner_selectors
from soin.regions.models import Partnership


def start(request: HttpRequest) -> HttpResponse:
    partnerships = Partnership.objects.select_related("region").order_by("region__code")
    return render(
        request,
        "public_site/start.html",
        {
            "partnerships": partnerships,
            "latest": knowledge_selectors.latest_entries(partnership=None, count=4),
        },
    )


def _partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership.objects.select_related("region"), slug=slug)


def partnership_home(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    today = timezone.localdate()
    groups = partner_selectors.partners_by_sector(partnership=obj, day=today)
    return render(
        request,
        "public_site/partnership.html",
        {
            "partnership": obj,
            "partner_count": sum(g.count for g in groups),
            "sector_groups": groups,
            "upcoming": list(
                activity_selectors.public_activities(partnership=obj, when="upcoming")[:3]
            ),
            "latest": knowledge_selectors.latest_entries(partnership=obj, count=3),
            "news": list(knowledge_selectors.published_news(partnership=obj)[:3]),
            "subscribe_form": SubscribeForm(
                initial={
                    "language": current_language(),
                    "started": stamp_issue(request, form=SubscribeForm.STAMP, bind=False),
                },
                auto_id="signup_%s",
            ),
            "consent_information": consent_information(partnership=obj),
        },
    )


def about(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    today = timezone.localdate()
    return render(
        request,
        "public_site/about.html",
        {
            "partnership": obj,
            "groups": partner_selectors.group_members_on(partnership=obj, day=today),
        },
    )


def partners(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    groups = partner_selectors.partners_by_sector(partnership=obj, day=timezone.localdate())
    return render(
        request,
        "public_site/partners.html",
        {
            "partnership": obj,
            "sector_groups": groups,
            "total": sum(g.count for g in groups),
        },
    )


def partner(request: HttpRequest, partnership: str, organisation: str) -> HttpResponse:
    obj = _partnership(partnership)
    org = partner_selectors.public_organisation_get(partnership=obj, slug=organisation)
    return render(
        request,
        "public_site/partner.html",
        {
            "partnership": obj,
            "organisation": org,
            "is_partner": org.is_partner_on(timezone.localdate()),
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public_site/accessibility.html",
        {
            "assessed_on": datetime.date.fromisoformat(settings.SOIN_ACCESSIBILITY_ASSESSED_ON),
            "updated_on": datetime.date.fromisoformat(settings.SOIN_ACCESSIBILITY_UPDATED_ON),
        },
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "public_site/privacy.html")


def sitemap(request: HttpRequest) -> HttpResponse:
    """The sitemap (every public page of every partnership, in both languages): drawn once
    and kept until a page it lists changes (or the day does: it lists a year of events)."""
    from django.contrib.sitemaps.views import sitemap as draw_sitemap

    from soin.public_site.sitemaps import SITEMAPS

    page = request.GET.get("p", "1")
    if not page.isdigit() or len(page) > 6:
        raise Http404
    # What the sitemap's addresses are made of, besides the data.
    key = ("sitemap", int(page), request.scheme, request.get_host())

    def draw() -> tuple[bytes, dict[str, str]]:
        response = draw_sitemap(request, sitemaps=SITEMAPS)  # type: ignore[arg-type]
        response.render()  # type: ignore[attr-defined]
        kept = ("Content-Type", "Last-Modified", "X-Robots-Tag")
        return response.content, {h: response[h] for h in kept if response.has_header(h)}

    content, headers = aggregates.cached(
        source="public_pages",
        key=(*key, timezone.localdate().isoformat()),
        compute=draw,
    )
    response = HttpResponse(content)
    for header, value in headers.items():
        response[header] = value
    return response
