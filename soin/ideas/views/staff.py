"""Back-office pages for ideas: registering, the list and the inbox, documenting, and the
steps of the advisory process."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from soin.accounts.models import Role
from soin.accounts.permissions import has_perm, roles_in
from soin.core import aggregates
from soin.core.forms import apply_service_error
from soin.core.paging import keyset_page
from soin.core.uploads import file_response
from soin.core.views import run_action, run_form_action, staff_view
from soin.ideas import selectors, services, workflow
from soin.ideas.forms import (
    CarrierContactForm,
    ChallengeForm,
    ChannelIdeaForm,
    DocumentationForm,
    EscalateForm,
    IdeaFilterForm,
    MoveForm,
    OutcomeForm,
    RegisterIdeaForm,
)
from soin.ideas.models import Idea, IdeaEvent
from soin.knowledge import selectors as knowledge_selectors
from soin.partners.models import Organisation
from soin.regions.models import Partnership

# The newest first, as the list has always shown them (an index serves it).
IDEA_LIST_ORDER = ("-received_on", "-pk")


@staff_view("ideas.view_own")
def idea_list(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    # The filters and the table are drawn once for each choice of filters, page and language
    # and each set of ideas a person may see, until anything they show changes (the source
    # "idea_list" of soin.core.aggregates); the page around them is drawn every time.
    results = aggregates.cached(
        source="idea_list",
        key=(
            "staff:idea_list",
            get_language(),
            selectors.visibility_key(user=request.user, partnership=partnership),
            sorted(request.GET.lists()),
        ),
        compute=lambda: _idea_list_results(request, partnership),
        partnerships=[partnership.pk],
    )
    return render(
        request,
        "ideas/staff/idea_list.html",
        {
            "partnership": partnership,
            "results": results,
            "can_register": has_perm(request.user, "ideas.work", partnership),
            "can_channel": has_perm(request.user, "ideas.channel", partnership),
        },
    )


def _idea_list_results(request: HttpRequest, partnership: Partnership) -> str:
    form = IdeaFilterForm(request.GET or None, partnership=partnership)
    filters = form.cleaned_data if form.is_valid() else {}
    ideas = selectors.ideas_for(
        user=request.user,
        partnership=partnership,
        stage=filters.get("stage", ""),
        challenge=filters.get("challenge"),
        municipality=filters.get("municipality"),
        channel=filters.get("channel", ""),
        handler=filters.get("handler"),
        year=filters.get("year"),
        query=filters.get("q", ""),
    )
    page = keyset_page(
        ideas,
        order=IDEA_LIST_ORDER,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    return render_to_string(
        "ideas/staff/_idea_list_results.html",
        {"partnership": partnership, "form": form, "ideas": page, "pages": page.links(request.GET)},
    )


@staff_view("ideas.work")
def idea_inbox(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    return render(
        request,
        "ideas/staff/inbox.html",
        {
            "partnership": partnership,
            **selectors.inbox(
                user=request.user,
                partnership=partnership,
                stale_days=partnership.idea_stale_days,
                keys=request.GET,
            ),
        },
    )


@staff_view("ideas.work")
def idea_register(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = RegisterIdeaForm(
        request.POST or None,
        partnership=partnership,
        initial={"received_on": timezone.localdate(), "channel": Idea.Channel.OUTREACH},
    )
    similar = None
    similar_entries: list[Any] = []
    if request.method == "POST" and "check" in request.POST:
        # Look for similar ideas before saving ("are there similar solutions?").
        text = f"{request.POST.get('title', '')} {request.POST.get('description', '')}"
        similar = selectors.similar_ideas(partnership=partnership, text=text)
        similar_entries = knowledge_selectors.similar_entries(text=text)
    elif request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_register(
                partnership=partnership,
                actor=request.user,
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
                activity=form.cleaned_data["activity"],
                **form.intake_data(),
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request, _("Idea %(number)s was registered.") % {"number": idea.number}
            )
            if "another" in request.POST:
                # Keep the channel and the date: ideas from one outreach stop come in a row.
                return redirect(
                    f"{request.path}?channel={idea.channel}&received_on={idea.received_on}"
                    f"&activity={idea.activity_id or ''}"
                )
            return redirect("staff:idea_detail", partnership=partnership.slug, pk=idea.pk)
    elif request.method == "GET" and request.GET.get("channel"):
        form = RegisterIdeaForm(
            partnership=partnership,
            initial={
                "channel": request.GET.get("channel"),
                "received_on": request.GET.get("received_on") or timezone.localdate(),
                "activity": request.GET.get("activity") or None,
            },
        )
    return render(
        request,
        "ideas/staff/idea_register.html",
        {
            "partnership": partnership,
            "form": form,
            "similar": similar,
            "similar_entries": similar_entries,
        },
    )


def _own_organisations(request: HttpRequest, partnership: Partnership) -> list[int]:
    return [
        r.organisation_id
        for r in roles_in(request.user, partnership)
        if r.kind == Role.Kind.PARTNER_CONTACT and r.organisation_id
    ]


@staff_view("ideas.channel")
def idea_channel(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    own = _own_organisations(request, partnership)
    if has_perm(request.user, "ideas.work", partnership):
        organisations = Organisation.objects.filter(partnership=partnership)
    else:
        organisations = Organisation.objects.filter(partnership=partnership, pk__in=own)
    if not organisations.exists():
        raise PermissionDenied
    form = ChannelIdeaForm(
        request.POST or None, partnership=partnership, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_channel(
                partnership=partnership,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                **form.intake_data(),
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request, _("Idea %(number)s was sent to the partnership.") % {"number": idea.number}
            )
            return redirect("staff:idea_detail", partnership=partnership.slug, pk=idea.pk)
    return render(
        request,
        "ideas/staff/idea_channel.html",
        {
            "partnership": partnership,
            "form": form,
        },
    )


@staff_view("ideas.view_own")
def idea_detail(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for(user=request.user, partnership=partnership, pk=pk)
    user = request.user
    # Working on the idea (and seeing its carrier, contact log and files): the advisors, and
    # the partner it is referred to while it is with them. Seeing the rest of the
    # partnership's ideas (similar, linked, merged): the advisors only.
    can_work = workflow.may(user, idea, workflow.MOVES["develop"])
    can_link = workflow.may(user, idea, workflow.MOVES["take"])
    events = idea.events.select_related("actor")
    if not can_link:
        events = events.exclude(
            kind__in=[IdeaEvent.Kind.LINKED, IdeaEvent.Kind.MERGED, IdeaEvent.Kind.UNMERGED]
        )
    context: dict[str, Any] = {
        "partnership": partnership,
        "idea": idea,
        "moves": workflow.available_moves(user, idea),
        "move_form": MoveForm(partnership=partnership),
        "can_work": can_work,
        "can_link": can_link,
        "can_escalate": can_link and idea.tier == Idea.Tier.PRIMARY and idea.stage in workflow.OPEN,
        "escalate_form": EscalateForm(),
        "outcome_form": OutcomeForm(initial={"outcome": idea.outcome, "note": idea.outcome_note}),
        "contact_form": CarrierContactForm(initial={"happened_on": timezone.localdate()}),
        "missing": idea.missing_documentation(),
        "events": events,
        "contacts": idea.contacts.select_related("actor") if can_work else [],
        "attachments": idea.attachments.all() if can_work else [],
        "challenges": idea.challenges.all(),
        "similar": [],
        "similar_elsewhere": [],
        "similar_entries": [],
        "related": [],
        "merged": [],
    }
    if can_link:
        similar, elsewhere = selectors.similar_ideas_to(idea=idea)
        context.update(
            {
                "similar": similar if idea.merged_into_id is None else [],
                "similar_elsewhere": elsewhere,
                "similar_entries": knowledge_selectors.similar_entries_to(idea=idea),
                "related": idea.related.filter(partnership=partnership),
                "merged": idea.merged.all(),
            }
        )
    return render(request, "ideas/staff/idea_detail.html", context)


@staff_view("ideas.view_own")
def idea_document(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    idea = _workable(request, partnership, pk)
    form = DocumentationForm(request.POST or None, instance=idea, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        challenges = list(data.pop("challenges"))
        idea.refresh_from_db()
        try:
            services.idea_document(idea=idea, actor=request.user, challenges=challenges, **data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The documentation was saved."))
            return redirect("staff:idea_detail", partnership=partnership.slug, pk=idea.pk)
    return render(
        request,
        "ideas/staff/idea_document.html",
        {
            "partnership": partnership,
            "idea": idea,
            "form": form,
        },
    )


def _workable(request: HttpRequest, partnership: Partnership, pk: int) -> Idea:
    """Return the idea if the user may work on it (document it, log contacts, record an
    outcome): staff, and the contacts of the organisation it is referred to."""
    idea = selectors.idea_get_for(user=request.user, partnership=partnership, pk=pk)
    if not workflow.may(request.user, idea, workflow.MOVES["develop"]):
        raise PermissionDenied
    return idea


def _back(partnership: Partnership, idea: Idea) -> HttpResponse:
    return redirect("staff:idea_detail", partnership=partnership.slug, pk=idea.pk)


@require_POST
@staff_view("ideas.view_own")
def idea_move(request: HttpRequest, partnership: Partnership, pk: int, move: str) -> HttpResponse:
    idea = selectors.idea_get_for(user=request.user, partnership=partnership, pk=pk)
    step = workflow.MOVES.get(move)
    if step is None:
        raise Http404
    if not workflow.may(request.user, idea, step):
        raise PermissionDenied
    form = MoveForm(request.POST, partnership=partnership)
    run_form_action(
        request,
        form,
        lambda d: services.idea_move(
            idea=idea,
            actor=request.user,
            move=move,
            note=d["note"],
            referred_to=d["referred_to"],
        ),
    )
    return _back(partnership, idea)


@require_POST
@staff_view("ideas.work")
def idea_escalate(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for(user=request.user, partnership=partnership, pk=pk)
    run_form_action(
        request,
        EscalateForm(request.POST),
        lambda d: services.idea_escalate(idea=idea, actor=request.user, note=d["note"]),
    )
    return _back(partnership, idea)


@require_POST
@staff_view("ideas.view_own")
def idea_outcome(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    idea = _workable(request, partnership, pk)
    run_form_action(
        request,
        OutcomeForm(request.POST),
        lambda d: services.idea_record_outcome(
            idea=idea, actor=request.user, outcome=d["outcome"], note=d["note"]
        ),
    )
    return _back(partnership, idea)


@require_POST
@staff_view("ideas.view_own")
def idea_contact_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    idea = _workable(request, partnership, pk)
    run_form_action(
        request,
        CarrierContactForm(request.POST),
        lambda d: services.carrier_contact_add(idea=idea, actor=request.user, **d),
    )
    return _back(partnership, idea)


def _other(request: HttpRequest, partnership: Partnership) -> Idea:
    try:
        pk = int(request.POST.get("other", ""))
    except ValueError as error:
        raise Http404 from error
    return selectors.idea_get_for(user=request.user, partnership=partnership, pk=pk)


@require_POST
@staff_view("ideas.work")
def idea_link(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for(user=request.user, partnership=partnership, pk=pk)
    other = _other(request, partnership)
    run_action(
        request,
        lambda: services.idea_link(idea=idea, other=other, actor=request.user),
        _("The ideas are linked."),
    )
    return _back(partnership, idea)


@require_POST
@staff_view("ideas.work")
def idea_merge(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for(user=request.user, partnership=partnership, pk=pk)
    duplicate = _other(request, partnership)
    run_action(
        request,
        lambda: services.idea_merge(duplicate=duplicate, into=idea, actor=request.user),
        _("%(number)s was merged into this idea.") % {"number": duplicate.number},
    )
    return _back(partnership, idea)


@require_POST
@staff_view("ideas.work")
def idea_unmerge(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for(user=request.user, partnership=partnership, pk=pk)
    run_action(
        request,
        lambda: services.idea_unmerge(duplicate=idea, actor=request.user),
        _("The merge was undone."),
    )
    return _back(partnership, idea)


@require_POST
@staff_view("ideas.view_own")
def idea_attachment_add(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    idea = _workable(request, partnership, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        run_action(
            request,
            lambda: services.attachment_add(idea=idea, actor=request.user, upload=upload),
            _("The file was attached."),
        )
    return _back(partnership, idea)


@staff_view("ideas.view_own")
def idea_attachment(
    request: HttpRequest, partnership: Partnership, pk: int, attachment: int
) -> FileResponse:
    idea = _workable(request, partnership, pk)
    item = idea.attachments.filter(pk=attachment).first()
    if item is None:
        raise Http404
    return file_response(item.file, content_type=item.content_type, filename=item.name)


@staff_view("partnership.change")
def challenges(request: HttpRequest, partnership: Partnership) -> HttpResponse:
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_add(partnership=partnership, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("The challenge was added."))
            return redirect("staff:challenges", partnership=partnership.slug)
    return render(
        request,
        "ideas/staff/challenges.html",
        {
            "partnership": partnership,
            "form": form,
            "challenges": selectors.challenges_for(partnership=partnership),
        },
    )


@require_POST
@staff_view("partnership.change")
def challenge_remove(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    challenge = selectors.challenges_for(partnership=partnership).filter(pk=pk).first()
    if challenge is None:
        raise Http404
    run_action(
        request,
        lambda: services.challenge_remove(challenge=challenge, actor=request.user),
        _("The challenge was removed."),
    )
    return redirect("staff:challenges", partnership=partnership.slug)


@require_POST
@staff_view("ideas.work")
def idea_status_link_renew(request: HttpRequest, partnership: Partnership, pk: int) -> HttpResponse:
    idea = selectors.idea_get_for(user=request.user, partnership=partnership, pk=pk)
    run_action(
        request,
        lambda: services.idea_status_link_renew(idea=idea, actor=request.user),
        _("A new status link was sent to the carrier; the old one no longer works."),
    )
    return _back(partnership, idea)
