"""Atom feeds of new entries in the knowledge bank and of news: one per partnership (entries
and news together), one for the national bank."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from soin.core.text import xml_safe
from soin.knowledge import selectors
from soin.knowledge.models import Entry, News
from soin.regions.models import Partnership

ITEMS = 30


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


class CleanAtom1Feed(Atom1Feed):
    """An Atom feed whose every text is cleaned as it is written: Django's XML writer stops
    at a control character, so one stored value (written around the rule for stored text)
    would otherwise turn the whole feed into a server error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*[_clean(a) for a in args], **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super().add_item(*[_clean(a) for a in args], **{k: _clean(v) for k, v in kwargs.items()})


class BankFeed(Feed):
    """What every feed's items share: entries and news items, identified by their uid."""

    feed_type = CleanAtom1Feed
    item_guid_is_permalink = False

    def item_title(self, item: Entry | News) -> str:
        return item.title

    def item_description(self, item: Entry | News) -> str:
        return item.summary if isinstance(item, Entry) else item.body

    def item_link(self, item: Entry | News) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Entry | News) -> str:
        return f"urn:uuid:{item.uid}"

    def item_pubdate(self, item: Entry | News) -> Any:
        return item.published_at

    def item_updateddate(self, item: Entry | News) -> Any:
        return item.updated_at

    def item_author_name(self, item: Entry | News) -> str:
        return item.partnership.name

    def item_categories(self, item: Entry | News) -> list[str]:
        if isinstance(item, Entry):
            return [c.name for c in item.challenges.all()]
        return [_("News")]


class PartnershipFeed(BankFeed):
    def get_object(self, request: Any, partnership: str) -> Partnership:  # type: ignore[override]
        return get_object_or_404(Partnership, slug=partnership)

    def title(self, obj: Partnership) -> str:
        return _("%(name)s: news and social innovations") % {"name": obj.name}

    def link(self, obj: Partnership) -> str:
        return reverse("public:partnership", kwargs={"partnership": obj.slug})

    def subtitle(self, obj: Partnership) -> str:
        return _("New entries in the knowledge bank and news from the partnership.")

    def feed_url(self, obj: Partnership) -> str:
        return reverse("public:feed", kwargs={"partnership": obj.slug})

    def items(self, obj: Partnership) -> list[Entry | News]:
        entries = list(
            selectors.published_entries(partnership=obj)
            .select_related("partnership")
            .prefetch_related("challenges")
            .order_by("-published_at", "-pk")[:ITEMS]
        )
        news = list(selectors.published_news(partnership=obj).select_related("partnership")[:ITEMS])
        both: list[Entry | News] = [*entries, *news]
        both.sort(key=lambda item: item.published_at, reverse=True)  # type: ignore[arg-type,return-value]
        return both[:ITEMS]


class NationalFeed(BankFeed):
    def title(self) -> str:
        return _("The national knowledge bank of social innovations")

    def link(self) -> str:
        return reverse("public:national_bank")

    def feed_url(self) -> str:
        return reverse("public:national_feed")

    def subtitle(self) -> str:
        return _("New entries from every partnership.")

    def items(self) -> list[Entry]:
        return list(
            selectors.published_entries()
            .select_related("partnership")
            .prefetch_related("challenges")
            .order_by("-published_at", "-pk")[:ITEMS]
        )
