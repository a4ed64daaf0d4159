"""Private links are single-purpose, bound to their record, revocable and expiring; staff
exports are reachable only after logging in."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from soin.activities.models import Registration
from soin.core.testing import ANON
from soin.core.tests.access_rules import ALL_RULES, DENIED, LOGIN
from soin.core.tokens import (
    LEGACY_ISSUED,
    PURPOSES,
    LinkExpired,
    _legacy_token,
    object_from_token,
    object_token,
    today,
)
from soin.ideas.models import Idea
from soin.ideas.services import idea_status_link_renew, status_token

pytestmark = pytest.mark.django_db


def _status_url(world: Any, token: str) -> str:
    return reverse(
        "public:idea_status", kwargs={"partnership": world.partnership.slug, "token": token}
    )


def _ideas() -> Any:
    return Idea.objects.all()


def _open(token: str, purpose: str = "idea-status") -> Idea:
    return object_from_token(_ideas(), purpose=purpose, token=token, nonce_field="status_nonce")


def test_a_link_opens_its_own_record_for_its_own_purpose(world) -> None:  # type: ignore[no-untyped-def]
    assert _open(status_token(world.idea)) == world.idea
    assert Client().get(_status_url(world, status_token(world.idea))).status_code == 200


def test_a_link_for_one_purpose_does_not_open_another(world) -> None:  # type: ignore[no-untyped-def]
    idea = world.idea
    # The same record, the same nonce, signed for the registrant's page.
    token = object_token("registration", idea.pk, idea.status_nonce)
    with pytest.raises(Http404):
        _open(token)
    assert Client().get(_status_url(world, token)).status_code == 404
    # And the carrier's link does not open a registration with the same id.
    with pytest.raises(Http404):
        object_from_token(
            Registration.objects.all(), purpose="registration", token=status_token(idea)
        )


def test_a_link_for_one_record_does_not_open_another(world) -> None:  # type: ignore[no-untyped-def]
    first, second = world.idea, world.referred_idea
    _pk, rest = status_token(first).split("-", 1)
    moved = f"{second.pk}-{rest}"
    with pytest.raises(Http404):
        _open(moved)
    assert Client().get(_status_url(world, moved)).status_code == 404


def test_a_tampered_link_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    token = status_token(world.idea)
    pk, day, mac = token.split("-", 2)
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    # A later issue day would lengthen the link's life: the MAC covers it.
    later = object_token("idea-status", world.idea.pk, world.idea.status_nonce).split("-", 2)[1]
    for bad in (
        f"{pk}-{day}-{flipped}",
        f"{pk}-{int(day, 36) + 1:x}-{mac}",
        f"{pk}-{later}{later}-{mac}",
        f"{pk}-{mac}",
        f"{pk}--{mac}",
        f"{pk}",
        "",
        f"{pk}-{day}-{mac}x",
    ):
        with pytest.raises(Http404):
            _open(bad)
        assert Client().get(_status_url(world, bad or "x")).status_code == 404, bad


def test_a_revoked_link_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    old = status_token(world.idea)
    Idea.objects.filter(pk=world.idea.pk).update(carrier_email="bärare@example.org")
    world.idea.refresh_from_db()
    new = idea_status_link_renew(idea=world.idea, actor=world.users["coordinator"])
    assert Client().get(_status_url(world, old)).status_code == 404
    assert Client().get(_status_url(world, new)).status_code == 200


def test_an_expired_link_gets_a_page_that_says_how_to_get_a_new_one(world) -> None:  # type: ignore[no-untyped-def]
    lifetime = PURPOSES["idea-status"].lifetime
    assert lifetime is not None
    idea = world.idea
    last_day = today() - lifetime
    still = object_token("idea-status", idea.pk, idea.status_nonce, issued=last_day)
    assert _open(still) == idea
    expired = object_token(
        "idea-status", idea.pk, idea.status_nonce, issued=last_day - datetime.timedelta(days=1)
    )
    with pytest.raises(LinkExpired):
        _open(expired)
    for language in ("sv", "en"):
        url = f"/{language}" + _status_url(world, expired)[3:]
        response = Client().get(url)
        assert response.status_code == 410
        page = response.content.decode()
        assert f'lang="{language}"' in page[:200]
        assert "<h1>" in page
        if language == "en":
            assert "The link has expired" in page
            assert "write to us and give your idea's number" in page.replace("&#x27;", "'")
        # Where to write for a new one: the partnership's own address.
        assert (world.partnership.contact_email or "@") in page
        assert idea.title not in page


def test_a_link_from_before_the_issue_day_was_in_the_address_expires_too(world) -> None:  # type: ignore[no-untyped-def]
    idea = world.idea
    legacy = _legacy_token("idea-status", idea.pk, idea.status_nonce)
    lifetime = PURPOSES["idea-status"].lifetime
    assert lifetime is not None
    if today() <= LEGACY_ISSUED + lifetime:
        assert _open(legacy) == idea
    with pytest.raises(Http404):
        _open(_legacy_token("registration", idea.pk, idea.status_nonce))


def test_a_link_issued_in_the_future_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    idea = world.idea
    token = object_token(
        "idea-status", idea.pk, idea.status_nonce, issued=today() + datetime.timedelta(days=30)
    )
    with pytest.raises(Http404):
        _open(token)


def test_every_purpose_is_declared_with_a_lifetime() -> None:
    with pytest.raises(KeyError):
        object_token("a purpose nobody declared", 1, "nonce")
    for name, purpose in PURPOSES.items():
        assert str(purpose.renew), name
        if name != "newsletter-image":  # public in the archive once the issue is sent
            assert purpose.lifetime is not None and purpose.lifetime.days >= 1, name


def test_the_registrants_link_stops_a_month_after_the_event(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse(
        "public:registration",
        kwargs={"partnership": world.partnership.slug, "token": world.registration_token},
    )
    assert Client().get(url).status_code == 200
    activity = world.registration.activity
    length = activity.ends_at - activity.starts_at
    ends = timezone.now() - datetime.timedelta(days=31)
    type(activity).objects.filter(pk=activity.pk).update(starts_at=ends - length, ends_at=ends)
    response = Client().get(url.replace("/sv/", "/en/", 1))
    assert response.status_code == 410
    assert "Register again" in response.content.decode()


def test_an_expired_calendar_feed_is_refused_and_the_staff_page_gives_a_new_one(world) -> None:  # type: ignore[no-untyped-def]
    from soin.activities.services import calendar_feed_get_or_create, calendar_token

    feed = calendar_feed_get_or_create(user=world.users["coordinator"])
    lifetime = PURPOSES["calendar"].lifetime
    assert lifetime is not None
    old = object_token(
        "calendar", feed.pk, feed.nonce, issued=today() - lifetime - datetime.timedelta(days=1)
    )
    response = Client().get(reverse("staff:private_calendar", kwargs={"token": old}))
    assert response.status_code == 410
    fresh = Client().get(reverse("staff:private_calendar", kwargs={"token": calendar_token(feed)}))
    assert fresh.status_code == 200


def test_an_expired_unsubscribe_link_is_refused_but_lives_for_years(world) -> None:  # type: ignore[no-untyped-def]
    lifetime = PURPOSES["newsletter-unsubscribe"].lifetime
    assert lifetime is not None and lifetime >= datetime.timedelta(days=3 * 365)
    delivery = world.delivery
    old = object_token(
        "newsletter-unsubscribe",
        delivery.pk,
        delivery.email,
        issued=today() - lifetime - datetime.timedelta(days=1),
    )
    response = Client().post(reverse("newsletter_unsubscribe", kwargs={"token": old}))
    assert response.status_code == 410
    world.subscriber.refresh_from_db()
    assert world.subscriber.state == world.subscriber.State.ACTIVE


# Staff pages that are meant to work without a session: the way in, and a staff user's own
# calendar feed, whose address is its key (a private link above).
WITHOUT_SESSION = {
    "staff:login",
    "staff:logout",
    "staff:password_set",
    "staff:password_set_done",
    "staff:private_calendar",
}
DOWNLOAD_HINTS = ("download", "export", "csv", "xlsx", "pdf", "docx", "ics", "file", "data")


def _is_staff(rule: Any) -> bool:
    return rule.name.startswith("staff:") and not any(
        rule.name.startswith(n) for n in WITHOUT_SESSION
    )


def test_no_staff_address_is_open_without_logging_in() -> None:
    open_ = [r.id for r in ALL_RULES if _is_staff(r) and r.expect[ANON] not in (LOGIN, DENIED)]
    assert not open_, f"Staff addresses open to anonymous visitors: {open_}"


def test_no_staff_export_in_any_format_is_reachable_without_logging_in(world) -> None:  # type: ignore[no-untyped-def]
    """Every back-office download (CSV, XLSX, PDF, DOCX, HTML, iCalendar, files), asked for
    without a session in every format: sent to the login page, never the file."""
    client = Client()
    tried = 0
    for rule in ALL_RULES:
        if not _is_staff(rule) or rule.method != "GET":
            continue
        kwargs = rule.kwargs(world)
        if not (any(h in rule.name for h in DOWNLOAD_HINTS) or "fmt" in kwargs):
            continue
        formats = ("csv", "xlsx", "pdf", "docx", "html", "json") if "fmt" in kwargs else (None,)
        for fmt in formats:
            try:
                url = reverse(rule.name, kwargs={**kwargs, "fmt": fmt} if fmt else kwargs)
            except NoReverseMatch:
                continue
            response = client.get(url)
            tried += 1
            assert response.status_code in (302, 404), (url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/staff/login/"), url
    assert tried >= 20
