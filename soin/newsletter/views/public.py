"""The reader's side: signing up (double opt-in), one's subscription through a private link,
one-click unsubscribe (RFC 8058), tipping a friend, and the archive of sent issues."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from soin.core.ratelimit import rate_limited
from soin.core.submissions import PublicForm
from soin.core.tokens import object_from_token
from soin.core.uploads import content_type_of, file_response
from soin.newsletter import rendering, selectors, services
from soin.newsletter.forms import FriendForm, LanguageForm, SubscribeForm
from soin.newsletter.models import Section, Subscriber
from soin.regions.models import Partnership

SUBSCRIBE = PublicForm(
    SubscribeForm.STAMP,
    too_many=gettext_lazy(
        "Many sign-ups have been sent from your connection within the hour. Please try again later."
    ),
)
FRIEND = PublicForm(
    "friend",
    too_many=gettext_lazy(
        "Many tips have been sent from your connection within the hour. Please try again later."
    ),
)


def _partnership(slug: str) -> Partnership:
    return get_object_or_404(Partnership, slug=slug)


def _language() -> str:
    return "en" if get_language() == "en" else "sv"


@rate_limited("newsletter", per_hour="SOIN_REGISTRATION_PER_HOUR", counted_by_view=True)
def subscribe(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    consent = services.consent_information(partnership=obj)
    stamped = SUBSCRIBE.stamped(request)
    form = SubscribeForm(stamped.data(), initial={"language": _language(), **stamped.initial})

    def again(notice: str = "", status: int = 200) -> HttpResponse:
        return render(
            request,
            "newsletter/public/subscribe.html",
            {"partnership": obj, "form": form, "consent_information": consent, "notice": notice},
            status=status,
        )

    def store() -> None:
        services.subscriber_subscribe(
            partnership=obj,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            language=form.cleaned_data["language"],
            consent_text=f"{consent}\n\n{form.fields['consent'].label}",
            source=f"form {request.path}",
        )

    if request.method != "POST":
        return again()
    return SUBSCRIBE.handle(
        request,
        stamped,
        form=form,
        store=store,
        thanks=lambda: redirect("public:newsletter_sent", partnership=obj.slug),
        decoy=lambda: render(request, "newsletter/public/sent.html", {"partnership": obj}),
        again=again,
        refused=True,
    )


def sent(request: HttpRequest, partnership: str) -> HttpResponse:
    """Says to check one's mail only after a sign-up from this visit (the same answer whether
    or not the address had signed up before)."""
    return render(
        request,
        "newsletter/public/sent.html",
        {
            "partnership": _partnership(partnership),
            "nothing": SUBSCRIBE.sent(request) is None,
        },
    )


@rate_limited("newsletter-confirm", per_hour=30)
def confirm(request: HttpRequest, partnership: str, token: str) -> HttpResponse:
    """A GET only shows a button (mail scanners open links); the POST confirms."""
    obj = _partnership(partnership)
    subscriber = selectors.subscriber_by_token(partnership=obj, token=token, purpose="confirm")
    notice, done = "", subscriber.state == Subscriber.State.ACTIVE
    if request.method == "POST":
        try:
            subscriber = services.subscriber_confirm(subscriber=subscriber)
            done = True
        except ValidationError as error:
            notice = " ".join(error.messages)
    return render(
        request,
        "newsletter/public/confirm.html",
        {
            "partnership": obj,
            "subscriber": subscriber,
            "done": done,
            "notice": notice,
            "subscription": services.subscriber_token(subscriber),
        },
    )


@rate_limited("newsletter-subscription", per_hour=30)
def subscription(request: HttpRequest, partnership: str, token: str) -> HttpResponse:
    obj = _partnership(partnership)
    subscriber = selectors.subscriber_by_token(partnership=obj, token=token, purpose="subscription")
    form = LanguageForm(initial={"language": subscriber.language})
    notice = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "language":
                form = LanguageForm(request.POST)
                if form.is_valid():
                    subscriber = services.subscriber_set_language(
                        subscriber=subscriber, language=form.cleaned_data["language"]
                    )
                    notice = _("The language is changed.")
            elif action == "unsubscribe":
                subscriber = services.subscriber_unsubscribe(subscriber=subscriber)
                notice = _("You are unsubscribed. You will get no more newsletters.")
            elif action == "resubscribe":
                subscriber = services.subscriber_resubscribe(subscriber=subscriber)
                notice = _("Welcome back: you subscribe again.")
            elif action == "erase":
                services.subscriber_erase(subscriber=subscriber)
                return render(request, "newsletter/public/erased.html", {"partnership": obj})
        except ValidationError as error:
            notice = " ".join(error.messages)
    return render(
        request,
        "newsletter/public/subscription.html",
        {
            "partnership": obj,
            "subscriber": subscriber,
            "form": form,
            "notice": notice,
            "token": token,
        },
    )


def subscription_data(request: HttpRequest, partnership: str, token: str) -> HttpResponse:
    obj = _partnership(partnership)
    subscriber = selectors.subscriber_by_token(partnership=obj, token=token, purpose="subscription")
    response = HttpResponse(
        json.dumps(selectors.subscriber_data(subscriber), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="newsletter-subscription.json"'
    return response


@csrf_exempt
# RFC 8058: mail providers send the one-click POST from a few addresses for many people, so
# the limit is per link, and generous: a link used again and again is the only thing refused.
@rate_limited("newsletter-unsubscribe", per_hour=20, per="link")
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The address in every mail's ``List-Unsubscribe`` header (RFC 8058). A GET — a person
    following the link, or a link scanner — only shows a button; a POST, from that button or
    from a mail program's one-click (``List-Unsubscribe=One-Click``, without cookies),
    unsubscribes, and answers without a redirect. The link lives for years in headers that
    link scanners read, so it opens nothing else: no subscription page, data or erasure."""
    delivery = selectors.delivery_by_unsubscribe_token(token=token)
    subscriber = delivery.subscriber
    assert subscriber is not None
    partnership = delivery.dispatch.issue.partnership
    with translation.override(subscriber.language):
        done = subscriber.state == Subscriber.State.UNSUBSCRIBED
        if request.method == "POST":
            services.subscriber_unsubscribe(subscriber=subscriber, delivery=delivery)
            done = True
        return render(
            request,
            "newsletter/public/unsubscribe.html",
            {
                "partnership": partnership,
                "done": done,
                "LANG": subscriber.language,
            },
        )


@rate_limited("friend", per_hour="SOIN_REGISTRATION_PER_HOUR", counted_by_view=True)
def friend(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    stamped = FRIEND.stamped(request)
    form = FriendForm(stamped.data(), initial=stamped.initial)

    def again(notice: str = "", status: int = 200) -> HttpResponse:
        return render(
            request,
            "newsletter/public/friend.html",
            {"partnership": obj, "form": form, "notice": notice},
            status=status,
        )

    def store() -> None:
        services.friend_tip(
            partnership=obj,
            email=form.cleaned_data["email"],
            sender_name=form.cleaned_data["sender_name"],
            language=_language(),
        )

    def thanks() -> HttpResponse:
        return render(request, "newsletter/public/friend_sent.html", {"partnership": obj})

    if request.method != "POST":
        return again()
    return FRIEND.handle(
        request,
        stamped,
        form=form,
        store=store,
        thanks=thanks,
        decoy=thanks,
        again=again,
        refused=True,
    )


def archive(request: HttpRequest, partnership: str) -> HttpResponse:
    obj = _partnership(partnership)
    return render(
        request,
        "newsletter/public/archive.html",
        {"partnership": obj, "issues": selectors.sent_issues(partnership=obj)},
    )


def issue(request: HttpRequest, partnership: str, year: int, number: int) -> HttpResponse:
    obj = _partnership(partnership)
    found = selectors.sent_issue_get(partnership=obj, year=year, number=number)
    rendered = rendering.render(found, rendering.issue_language(found, _language()), web=True)
    return render(
        request,
        "newsletter/public/issue.html",
        {"partnership": obj, "issue": found, "rendered": rendered},
    )


def image(request: HttpRequest, token: str) -> FileResponse:
    """A section's image, for mails and the archive: the address carries a MAC."""
    section = object_from_token(
        Section.objects.exclude(image=""),
        purpose="newsletter-image",
        token=token,
        nonce_field="image",
    )
    if not section.image:
        raise Http404
    content_type = content_type_of(section.image.name)
    if not content_type.startswith("image/"):
        raise Http404
    return file_response(
        section.image,
        content_type=content_type,
        filename=section.image.name.rsplit("/", 1)[-1],
        inline=True,
        cache="public, max-age=86400",
    )
