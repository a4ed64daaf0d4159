"""The sitemap: every public page in Swedish and English, with each other's address as its
alternate."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from soin.activities.models import Activity
from soin.knowledge.models import Entry, News
from soin.partners.models import Membership, Organisation
from soin.regions.models import Partnership
from soin.reports.models import YearlyReport


class BilingualSitemap(Sitemap):
    i18n = True
    languages = ["sv", "en"]
    alternates = True
    x_default = True
    limit = 2000


class SiteSitemap(BilingualSitemap):
    """The fixed pages: the start page, the statements, the national bank, and each
    partnership's own pages."""

    PAGES = (
        "partnership",
        "about",
        "partners",
        "bank",
        "news",
        "calendar",
        "idea_submit",
        "reports",
        "economy",
    )

    def items(self) -> list[tuple[str, dict[str, Any]]]:
        pages: list[tuple[str, dict[str, Any]]] = [
            ("start", {}),
            ("accessibility", {}),
            ("privacy", {}),
            ("national_bank", {}),
        ]
        for slug in Partnership.objects.order_by("slug").values_list("slug", flat=True):
            pages += [(name, {"partnership": slug}) for name in self.PAGES]
        return pages

    def location(self, item: tuple[str, dict[str, Any]]) -> str:
        name, kwargs = item
        return reverse(f"public:{name}", kwargs=kwargs)


class EntrySitemap(BilingualSitemap):
    def items(self) -> Any:
        return (
            Entry.objects.filter(state=Entry.State.PUBLISHED)
            .select_related("partnership")
            .order_by("pk")
        )

    def lastmod(self, item: Entry) -> Any:
        return item.updated_at


class NewsSitemap(BilingualSitemap):
    def items(self) -> Any:
        return (
            News.objects.filter(state=News.State.PUBLISHED)
            .select_related("partnership")
            .order_by("pk")
        )

    def lastmod(self, item: News) -> Any:
        return item.updated_at


class EventSitemap(BilingualSitemap):
    def items(self) -> Any:
        since = timezone.now() - datetime.timedelta(days=365)
        return (
            Activity.objects.filter(is_public=True, ends_at__gte=since)
            .select_related("partnership")
            .order_by("pk")
        )

    def location(self, item: Activity) -> str:
        return reverse(
            "public:activity_detail", kwargs={"partnership": item.partnership.slug, "pk": item.pk}
        )


class PartnerSitemap(BilingualSitemap):
    def items(self) -> Any:
        return (
            Organisation.objects.filter(
                Exists(Membership.objects.filter(organisation=OuterRef("pk")))
            )
            .select_related("partnership")
            .order_by("pk")
        )

    def location(self, item: Organisation) -> str:
        return reverse(
            "public:partner",
            kwargs={"partnership": item.partnership.slug, "organisation": item.slug},
        )


class ReportSitemap(BilingualSitemap):
    def items(self) -> Any:
        return (
            YearlyReport.objects.filter(state=YearlyReport.State.PUBLISHED)
            .select_related("partnership")
            .order_by("pk")
        )

    def location(self, item: YearlyReport) -> str:
        return reverse(
            "public:report", kwargs={"partnership": item.partnership.slug, "year": item.year}
        )

    def lastmod(self, item: YearlyReport) -> Any:
        return item.published_at


SITEMAPS = {
    "pages": SiteSitemap,
    "bank": EntrySitemap,
    "news": NewsSitemap,
    "events": EventSitemap,
    "partners": PartnerSitemap,
    "reports": ReportSitemap,
}
