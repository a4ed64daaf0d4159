"""Back-office pages for the knowledge bank (entries, their editorial steps, the carrier's
consent, images and links), for the news, and, across every partnership, for the exchange
sources (the other installations whose entries are imported)."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soin.accounts.permissions import has_perm
from soin.core.forms import apply_service_error
from soin.core.paging import keyset_page
from soin.core.uploads import file_response
from soin.core.views import national_view, run_action, run_form_action, staff_view
from soin.ideas import selectors as idea_selectors
from soin.knowledge import selectors, services, workflow
from soin.knowledge.forms import (
    ConsentForm,
    EntryForm,
    ExchangeSourceForm,
    ImageForm,
    LinkForm,
    MoveForm,
    NewsForm,
)
from soin.knowledge.models import Entry, ExchangeSource, News
from soin.regions.models import Partnership

# What was typed in the image form when it was refused, shown again on the entry page.
IMAGE_TYPED = "soin.knowledge.image_typed"


def _entry_page(partnership: Partnership, pk: int) -> HttpResponse:
    return redirect("staff:bank_entry", partnership=partnership.slug, pk=pk)


@staff_view("bank.view")
def entry_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    state = request.GET.get("state", "")
    entries = keyset_page(
        selectors.entries_for(partnership=partnership, state=state),
        order=selectors.ENTRY_LIST_ORDER,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    return render(
        request,
        "knowledge/staff/entry_list.html",
        {
            "partnership": partnership,
            "entries": entries,
            "pages": entries.links(request.GET),
            "states": Entry.State.choices,
            "state": state,
            "can_change": has_perm(request.user, "bank.change", partnership),
            "can_news": has_perm(request.user, "news.change", partnership),
        },
    )


@staff_view("bank.change")
def entry_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    idea = None
    with contextlib.suppress(ValueError, TypeError):
        idea_pk = int(request.GET.get("idea") or request.POST.get("idea") or 0)
        if idea_pk:
            idea = idea_selectors.idea_get_for(
                user=request.user, partnership=partnership, pk=idea_pk
            )
    form = EntryForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(
                partnership=partnership, actor=request.user, idea=idea, **form.changes()
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return _entry_page(partnership, entry.pk)
    return render(
        request,
        "knowledge/staff/entry_form.html",
        {"partnership": partnership, "form": form, "idea": idea},
    )


def _version(request: HttpRequest) -> int | None:
    """The version of a record that the page a step was taken on showed."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _seen(request: HttpRequest) -> int | None:
    """The version a person saw before the entry changed under them (``?seen=``)."""
    try:
        return int(request.GET.get("seen", ""))
    except ValueError:
        return None


@staff_view("bank.view")
def entry_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for(partnership=partnership, pk=pk)
    can_change = has_perm(request.user, "bank.change", partnership)
    editable = can_change and not entry.origin and entry.state in workflow.EDITABLE
    form = EntryForm(request.POST or None, instance=entry, partnership=partnership)
    if request.method == "POST":
        if not editable:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.entry_update(entry=entry, actor=request.user, **form.changes())
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                return _entry_page(partnership, pk)
    return render(
        request,
        "knowledge/staff/entry_detail.html",
        {
            "partnership": partnership,
            "entry": entry,
            "form": form,
            "editable": editable,
            "moves": workflow.available_moves(request.user, entry),
            "problems": services.publication_problems(entry),
            "move_form": MoveForm(initial={"version": entry.version}),
            "changes": selectors.entry_changes_since(entry=entry, version=_seen(request)),
            "consent_form": ConsentForm(initial={"carrier_name": entry.carrier_name}),
            "image_form": ImageForm(initial=request.session.pop(IMAGE_TYPED, None)),
            "link_form": LinkForm(),
        },
    )


@require_POST
@staff_view("bank.view")
def entry_move(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for(partnership=partnership, pk=pk)
    move = request.POST.get("move", "")
    form = MoveForm(request.POST)
    if form.is_valid():
        seen = form.cleaned_data["version"]
        try:
            services.entry_move(
                entry=entry,
                actor=request.user,
                move=move,
                note=form.cleaned_data["note"],
                seen_version=seen,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            if getattr(error, "code", None) == "changed" and seen:
                # Back to the entry, with what changed since the version the person saw.
                return redirect(
                    f"{reverse('staff:bank_entry', args=[partnership.slug, pk])}?seen={seen}"
                )
        else:
            messages.success(request, _("The changes were saved."))
    else:
        run_form_action(request, form, lambda data: None)
    return _entry_page(partnership, pk)


@require_POST
@staff_view("bank.change")
def entry_consent(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for(partnership=partnership, pk=pk)
    if request.POST.get("withdraw"):
        run_action(
            request,
            lambda: services.entry_consent_withdraw(entry=entry, actor=request.user),
            _("The consent was withdrawn."),
        )
    else:
        run_form_action(
            request,
            ConsentForm(request.POST),
            lambda data: services.entry_record_consent(entry=entry, actor=request.user, **data),
        )
    return _entry_page(partnership, pk)


@require_POST
@staff_view("bank.change")
def image_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for(partnership=partnership, pk=pk)
    if not run_form_action(
        request,
        ImageForm(request.POST, request.FILES),
        lambda data: services.entry_image_add(entry=entry, actor=request.user, **data),
    ):
        # Refused or not stored: the descriptions come back as typed; only the file must
        # be chosen again (a browser never fills in a file field).
        request.session[IMAGE_TYPED] = {
            key: request.POST.get(key, "")[:300] for key in ("alt_sv", "alt_en")
        }
    return _entry_page(partnership, pk)


@require_POST
@staff_view("bank.change")
def image_remove(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    image = selectors.image_get_for(partnership=partnership, pk=pk)
    run_action(
        request,
        lambda: services.entry_image_remove(image=image, actor=request.user),
        _("The image was removed."),
    )
    return _entry_page(partnership, image.entry_id)


@staff_view("bank.view")
def image_file(request: HttpRequest, partnership: Partnership, pk: int) -> FileResponse:
    image = selectors.image_get_for(partnership=partnership, pk=pk)
    return file_response(
        image.file,
        content_type=image.content_type,
        filename=image.file.name.rsplit("/", 1)[-1],
        inline=True,
    )


@require_POST
@staff_view("bank.change")
def link_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for(partnership=partnership, pk=pk)
    run_form_action(
        request,
        LinkForm(request.POST),
        lambda data: services.entry_link_add(entry=entry, actor=request.user, **data),
    )
    return _entry_page(partnership, pk)


@require_POST
@staff_view("bank.change")
def link_remove(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    link = selectors.link_get_for(partnership=partnership, pk=pk)
    run_action(
        request,
        lambda: services.entry_link_remove(link=link, actor=request.user),
        _("The link was removed."),
    )
    return _entry_page(partnership, link.entry_id)


# News ------------------------------------------------------------------------------------


@staff_view("news.change")
def news_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return render(
        request,
        "knowledge/staff/news_list.html",
        {"partnership": partnership, "news": selectors.news_for(partnership=partnership)[:200]},
    )


@staff_view("news.change")
def news_create(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = NewsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            news = services.news_create(
                partnership=partnership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("staff:news_edit", partnership=partnership.slug, pk=news.pk)
    return render(
        request,
        "knowledge/staff/news_form.html",
        {"partnership": partnership, "form": form, "news": None},
    )


@staff_view("news.change")
def news_edit(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    news = selectors.news_get_for(partnership=partnership, pk=pk)
    form = NewsForm(request.POST or None, instance=news)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_update(news=news, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            return redirect("staff:news_edit", partnership=partnership.slug, pk=pk)
    return render(
        request,
        "knowledge/staff/news_form.html",
        {"partnership": partnership, "form": form, "news": news},
    )


@require_POST
@staff_view("news.change")
def news_publish(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    news = selectors.news_get_for(partnership=partnership, pk=pk)
    publish = news.state == News.State.DRAFT
    run_action(
        request,
        lambda: services.news_publish(
            news=news, actor=request.user, publish=publish, seen_version=_version(request)
        ),
        _("The news item was published.") if publish else _("The news item was taken back."),
    )
    return redirect("staff:news_edit", partnership=partnership.slug, pk=pk)


# Exchange sources, across every partnership ---------------------------------------------


@national_view("exchange.manage")
def exchange_sources(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/staff/exchange_sources.html",
        {"sources": list(selectors.exchange_sources())},
    )


def _what_changed(before: ExchangeSource, after: ExchangeSource) -> list[str]:
    """The changes to a source, each in a sentence."""
    origin = {"origin": after.origin}
    said = []
    if before.publish_directly != after.publish_directly:
        said.append(
            _("Entries from %(origin)s are now published directly.") % origin
            if after.publish_directly
            else _("Entries from %(origin)s now wait in review.") % origin
        )
    if before.trusted_as_relay != after.trusted_as_relay:
        said.append(
            _("Entries that %(origin)s passes on from other installations are now taken in.")
            % origin
            if after.trusted_as_relay
            else _("Only the own entries of %(origin)s are now taken in.") % origin
        )
    return said


@national_view("exchange.manage")
def exchange_source(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.exchange_source_get_for(user=request.user, pk=pk)
    form = ExchangeSourceForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        updated = services.exchange_source_update(
            source=source, actor=request.user, **form.choices()
        )
        said = _what_changed(source, updated)
        if said:
            messages.success(request, " ".join(said))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("staff:national_exchange_source", pk=source.pk)
    waiting = keyset_page(
        selectors.exchange_source_entries_waiting(source=source),
        order=selectors.WAITING_ORDER,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    return render(
        request,
        "knowledge/staff/exchange_source.html",
        {
            "source": source,
            "form": form,
            "waiting": waiting,
            "pages": waiting.links(request.GET),
        },
    )
