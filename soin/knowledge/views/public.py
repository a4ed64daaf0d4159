"""The knowledge bank and the news on the public site: search with facets, an entry's page
(with Open Graph and schema.org metadata), its images, the news, Atom feeds."""

from __future__ import annotations

import contextlib

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from soin.core.i18n import current_language
from soin.core.uploads import file_response
from soin.knowledge import feeds, search, selectors
from soin.knowledge.metadata import entry_metadata
from soin.regions.models import Partnership


def _partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership.objects.select_related("region"), slug=slug)


def _search_page(
    request: HttpRequest, partnership: Partnership | None, template: str
) -> HttpResponse:
    page = 1
    with contextlib.suppress(ValueError):
        page = int(request.GET.get("page", 1))
    query = request.GET.get("q", "")[:200]
    results = selectors.bank_search(
        partnership=partnership,
        query=query,
        language=current_language(),
        filters=selectors.facet_filters(request.GET),
        sort=request.GET.get("sort", ""),
        page=page,
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        template,
        {
            "partnership": partnership,
            "results": results,
            "facets": search.shown_facets(results.facets),
            "sorts": search.SORTS,
            "query_string": params.urlencode(),
        },
    )


def bank(request: HttpRequest, partnership: str) -> HttpResponse:
    return _search_page(request, _partnership(partnership), "knowledge/public/bank.html")


def national_bank(request: HttpRequest) -> HttpResponse:
    return _search_page(request, None, "knowledge/public/bank.html")


def entry(request: HttpRequest, partnership: str, slug: str) -> HttpResponse:
    obj = _partnership(partnership)
    item = selectors.public_entry_get(partnership=obj, slug=slug)
    return render(
        request,
        "knowledge/public/entry.html",
        {
            "partnership": obj,
            "entry": item,
            "metadata": entry_metadata(request, item),
        },
    )


def entry_image(request: HttpRequest, partnership: str, slug: str, pk: int) -> FileResponse:
    obj = _partnership(partnership)
    image = selectors.public_image_get(partnership=obj, slug=slug, pk=pk)
    return file_response(
        image.file,
        content_type=image.content_type,
        filename=image.file.name.rsplit("/", 1)[-1],
        inline=True,
        cache="public, max-age=3600",
    )


def news_list(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    return render(
        request,
        "knowledge/public/news_list.html",
        {"partnership": obj, "news": selectors.published_news(partnership=obj)[:50]},
    )


def news_item(request: HttpRequest, partnership: str, slug: str) -> HttpResponse:
    obj = _partnership(partnership)
    item = selectors.public_news_get(partnership=obj, slug=slug)
    return render(request, "knowledge/public/news_item.html", {"partnership": obj, "news": item})


def feed(request: HttpRequest, partnership: str) -> HttpResponse:
    return feeds.PartnershipFeed()(request, partnership=partnership)


def national_feed(request: HttpRequest) -> HttpResponse:
    return feeds.NationalFeed()(request)
