"""Every change to the newsletter: subscribers on consent (double opt-in, one-click
unsubscribe, erasure, bounces, import), issues and their sections, and starting a send. One
transaction each; mails go after commit through the worker."""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import io
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.audit.models import AuditEntry
from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import apply_changes, check_fields
from soin.core.emails import canonical_email
from soin.core.tokens import object_token
from soin.newsletter.models import (
    Delivery,
    Dispatch,
    FriendTip,
    Issue,
    Section,
    Subscriber,
    SubscriberEvent,
    Suppression,
)
from soin.regions.models import Partnership

S = Subscriber.State
# Unconfirmed sign-ups are forgotten after this.
CONFIRM_DAYS = 7
# Confirmations and subscription links that sign-ups may have sent to one address in an hour.
SIGN_UP_MAILS_PER_HOUR = 3
# What the audit log keeps of a subscriber: not the address or the name.
PERSONAL_FIELDS = ("email", "name", "consent_text", "source")


def subscriber_token(subscriber: Subscriber, purpose: str = "subscription") -> str:
    """The secret part of a subscriber's private link: ``confirm`` or ``subscription``."""
    return object_token(f"newsletter-{purpose}", subscriber.pk, subscriber.nonce)


def unsubscribe_token(delivery: Delivery) -> str:
    """The secret part of one mail's unsubscribe link (RFC 8058): it names the send too, so
    that the figures can say which issue people left after."""
    return object_token("newsletter-unsubscribe", delivery.pk, delivery.email)


def email_hash(email: str) -> str:
    """Return the keyed hash of the address's canonical form (``soin.core.emails``): what
    a suppression and a friend's invitation keep instead of the address."""
    return hmac.new(
        settings.SECRET_KEY.encode(), canonical_email(email).encode(), hashlib.sha256
    ).hexdigest()


def email_hashes(email: str) -> set[str]:
    """Return the hashes an address may be kept under: its canonical form's, and the one
    made before addresses had a canonical form (of the address in lower case), which erased
    addresses kept from then still have. Matching the older one as well only ever keeps
    more mail from being sent."""
    legacy = hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()
    return {email_hash(email), legacy}


def _snapshot(subscriber: Subscriber) -> dict[str, Any]:
    data = audit_snapshot(subscriber)
    for name in PERSONAL_FIELDS:
        data.pop(name, None)
    return data


def _event(subscriber: Subscriber, kind: str, *, actor: Any = None, **extra: Any) -> None:
    SubscriberEvent.objects.create(
        subscriber=subscriber,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        **extra,
    )


def _audit(subscriber: Subscriber, action: str, actor: Any, before: dict[str, Any] | None) -> None:
    audit_record(
        actor=actor,
        action=action,
        instance=subscriber,
        partnership=subscriber.partnership,
        before=before,
        after=_snapshot(subscriber),
    )


def _mail(subscriber: Subscriber, kind: str) -> None:
    from soin.newsletter.tasks import send_subscriber_mail

    pk = subscriber.pk
    transaction.on_commit(lambda: send_subscriber_mail.enqueue(subscriber_id=pk, kind=kind))


def _mail_asked_for(subscriber: Subscriber, kind: str) -> None:
    """Send a mail that a sign-up asked for, unless the address has had
    ``SIGN_UP_MAILS_PER_HOUR`` of them within the hour (in any partnership, whoever asked):
    a sign-up form must not become a way to fill someone's inbox."""
    from soin.core.ratelimit import mail_allowed

    if mail_allowed(
        purpose="newsletter_sign_up", address=subscriber.email, per_hour=SIGN_UP_MAILS_PER_HOUR
    ):
        _mail(subscriber, kind)


def consent_information(*, partnership: Partnership) -> str:
    """What a person is told about their personal data before subscribing."""
    return _(
        "%(partnership)s keeps your e-mail address, your name if you give it, and the language "
        "you chose, to send you the newsletter until you unsubscribe. Every newsletter has a "
        "link to unsubscribe at once. Through the link to your subscription you can change the "
        "language, download what we keep about you, or have it erased."
    ) % {"partnership": partnership.name}


def _forget_unconfirmed(partnership: Partnership) -> None:
    cutoff = timezone.now() - datetime.timedelta(days=CONFIRM_DAYS)
    Subscriber.objects.filter(
        partnership=partnership, state=S.PENDING, confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()


@transaction.atomic
def subscriber_subscribe(
    *,
    partnership: Partnership,
    email: str,
    consent_text: str,
    source: str,
    name: str = "",
    language: str = "sv",
) -> None:
    """Sign up for the newsletter. Nothing is sent until the person confirms through the link
    mailed to the address (double opt-in). The answer is the same whether the address was
    known or not: what differs goes only to the address."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Write a whole e-mail address.")}) from None
    if len(email) > 254:
        raise ValidationError({"email": _("Write a whole e-mail address.")})
    if not consent_text:
        raise ValidationError({"consent": _("We cannot send you the newsletter without consent.")})
    language = language if language in ("sv", "en") else "sv"
    _forget_unconfirmed(partnership)
    subscriber = (
        Subscriber.objects.select_for_update()
        .filter(partnership=partnership, email_canonical=canonical_email(email))
        .first()
    )
    if subscriber is not None and subscriber.state == S.ACTIVE:
        _mail_asked_for(subscriber, "already")
        return
    if subscriber is not None and subscriber.state in (S.UNSUBSCRIBED, S.HELD):
        # Someone else may have typed the address: the record stays as it is, and the address
        # gets the link to its subscription page, where its owner can subscribe again.
        _mail_asked_for(subscriber, "comeback")
        return
    now = timezone.now()
    if subscriber is None:
        subscriber = Subscriber.objects.create(
            partnership=partnership,
            email=email,
            name=name.strip(),
            language=language,
            state=S.PENDING,
            nonce=secrets.token_hex(16),
        )
        before = None
    else:
        before = _snapshot(subscriber)
    # The consent asked for now is what counts, once confirmed.
    subscriber.state = S.PENDING
    subscriber.consent_text = consent_text
    subscriber.consent_at = now
    subscriber.source = source[:300]
    subscriber.language = language
    if name.strip():
        subscriber.name = name.strip()
    subscriber.save()
    _event(subscriber, SubscriberEvent.Kind.SIGNED_UP, note=source[:300])
    _audit(subscriber, "subscriber.sign_up", None, before)
    _mail_asked_for(subscriber, "confirm")


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> Subscriber:
    """Confirm a sign-up through the link mailed to the address."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.state == S.ACTIVE:
        return subscriber
    if subscriber.state != S.PENDING:
        raise ValidationError(_("This link is no longer valid. Sign up again, please."))
    if subscriber.consent_at and timezone.now() - subscriber.consent_at > datetime.timedelta(
        days=CONFIRM_DAYS
    ):
        raise ValidationError(_("This link has expired. Sign up again, please."))
    before = _snapshot(subscriber)
    subscriber.state = S.ACTIVE
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.save()
    Suppression.objects.filter(
        partnership=subscriber.partnership, email_hash__in=email_hashes(subscriber.email)
    ).delete()
    _event(subscriber, SubscriberEvent.Kind.CONFIRMED)
    _audit(subscriber, "subscriber.confirm", None, before)
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(
    *, subscriber: Subscriber, delivery: Delivery | None = None, actor: Any = None
) -> Subscriber:
    """Unsubscribe at once (the one-click link of every mail, the subscription page, staff).
    Unsubscribing twice changes nothing."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.state == S.UNSUBSCRIBED:
        return subscriber
    before = _snapshot(subscriber)
    subscriber.state = S.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save()
    issue = None
    if delivery is not None:
        Delivery.objects.filter(pk=delivery.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=subscriber.unsubscribed_at
        )
        issue = delivery.dispatch.issue
    _event(subscriber, SubscriberEvent.Kind.UNSUBSCRIBED, actor=actor, issue=issue)
    _audit(subscriber, "subscriber.unsubscribe", actor, before)
    return subscriber


@transaction.atomic
def subscriber_resubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Subscribe again through one's own subscription link (it reached the address, so the
    address is confirmed)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.state != S.UNSUBSCRIBED:
        raise ValidationError(_("You already subscribe."))
    before = _snapshot(subscriber)
    subscriber.state = S.ACTIVE
    subscriber.unsubscribed_at = None
    subscriber.confirmed_at = timezone.now()
    subscriber.save()
    _event(subscriber, SubscriberEvent.Kind.RESUBSCRIBED)
    _audit(subscriber, "subscriber.resubscribe", None, before)
    return subscriber


@transaction.atomic
def subscriber_set_language(*, subscriber: Subscriber, language: str) -> Subscriber:
    if language not in ("sv", "en"):
        raise ValidationError({"language": _("Choose Swedish or English.")})
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.language == language:
        return subscriber
    before = _snapshot(subscriber)
    subscriber.language = language
    subscriber.save(update_fields=["language"])
    _event(subscriber, SubscriberEvent.Kind.LANGUAGE, note=language)
    _audit(subscriber, "subscriber.language", None, before)
    return subscriber


@transaction.atomic
def subscriber_erase(*, subscriber: Subscriber, actor: Any = None) -> None:
    """Erase a subscriber on their request: the record and its history go; a keyed hash of
    the address stays so that no import adds it again; the sends keep their counts but not
    the address. The audit log says that an erasure happened, not whose."""
    subscriber = (
        Subscriber.objects.select_for_update().select_related("partnership").get(pk=subscriber.pk)
    )
    partnership = subscriber.partnership
    Suppression.objects.get_or_create(
        partnership=partnership, email_hash=email_hash(subscriber.email)
    )
    for delivery in Delivery.objects.filter(subscriber=subscriber).only("pk"):
        erased = f"erased-{delivery.pk}@erased.invalid"
        Delivery.objects.filter(pk=delivery.pk).update(
            email=erased, email_canonical=canonical_email(erased), subscriber=None, error=""
        )
    # Earlier audit entries keep the record's course, never its address; their description is
    # blanked too.
    AuditEntry.objects.filter(
        model=Subscriber._meta.label_lower, object_pk=str(subscriber.pk)
    ).update(object_repr="")
    subscriber.delete()
    audit_record(
        actor=actor,
        action="subscriber.erase",
        instance=partnership,
        partnership=partnership,
        before={},
        after={},
    )


@transaction.atomic
def subscriber_bounce(
    *, partnership: Partnership, email: str, permanent: bool, note: str = ""
) -> Subscriber | None:
    """Record a bounced mail. A permanent bounce (the address does not exist) puts the
    subscriber on hold: nothing more is sent until staff take them off hold."""
    subscriber = (
        Subscriber.objects.select_for_update()
        .filter(partnership=partnership, email_canonical=canonical_email(email))
        .first()
    )
    if subscriber is None:
        return None
    before = _snapshot(subscriber)
    subscriber.bounces += 1
    fields = ["bounces"]
    _event(subscriber, SubscriberEvent.Kind.BOUNCED, note=note[:300])
    if permanent and subscriber.state == S.ACTIVE:
        subscriber.state = S.HELD
        subscriber.held_at = timezone.now()
        fields += ["state", "held_at"]
        _event(subscriber, SubscriberEvent.Kind.HELD, note=note[:300])
    subscriber.save(update_fields=fields)
    _audit(subscriber, "subscriber.bounce", None, before)
    return subscriber


@transaction.atomic
def subscriber_release(*, subscriber: Subscriber, actor: Any) -> Subscriber:
    """Take a subscriber off hold (the address works again)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.state != S.HELD:
        raise ValidationError(_("Only a subscriber on hold can be taken off hold."))
    before = _snapshot(subscriber)
    subscriber.state = S.ACTIVE
    subscriber.held_at = None
    subscriber.save(update_fields=["state", "held_at"])
    _event(subscriber, SubscriberEvent.Kind.RELEASED, actor=actor)
    _audit(subscriber, "subscriber.release", actor, before)
    return subscriber


@transaction.atomic
def friend_tip(*, partnership: Partnership, email: str, sender_name: str, language: str) -> None:
    """Invite a friend to subscribe: one mail with a link to the sign-up page. The friend is
    never subscribed and their address is not kept; a keyed hash makes sure one address gets
    at most one invitation a year."""
    from soin.newsletter.tasks import send_friend_tip

    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Write a whole e-mail address.")}) from None
    if len(email) > 254:
        raise ValidationError({"email": _("Write a whole e-mail address.")})
    key, keys = email_hash(email), email_hashes(email)
    year_ago = timezone.now() - datetime.timedelta(days=365)
    FriendTip.objects.filter(created_at__lt=year_ago).delete()
    if FriendTip.objects.filter(partnership=partnership, email_hash__in=keys).exists():
        return
    if Subscriber.objects.filter(
        partnership=partnership, email_canonical=canonical_email(email)
    ).exists():
        return
    if Suppression.objects.filter(partnership=partnership, email_hash__in=keys).exists():
        return
    name = sender_name.strip()[:60]
    if "://" in name or "www." in name.lower() or "@" in name:
        raise ValidationError({"sender_name": _("Write only your name.")})
    # The address is kept on the row until the mail has gone (the queued task carries only
    # the row's number), then only its hash.
    tip = FriendTip.objects.create(
        partnership=partnership,
        email_hash=key,
        email=email,
        sender_name=name,
        language=language if language in ("sv", "en") else "sv",
    )
    transaction.on_commit(lambda: send_friend_tip.enqueue(tip_id=tip.pk))


@transaction.atomic
def subscribers_import(
    *,
    partnership: Partnership,
    actor: Any,
    content: bytes,
    filename: str,
    consent_note: str,
    language: str = "sv",
) -> dict[str, int]:
    """Import an existing list (CSV: email, and optionally name and language), all or
    nothing. The provenance is kept on each subscriber: the file, when, by whom, and what
    consent the old list had. Known and erased addresses are left as they are."""
    if not consent_note.strip():
        raise ValidationError(
            {"consent_note": _("Say on what consent the people on the list subscribed.")}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("The file is not UTF-8 text (CSV).")}) from None
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    first_row = 1
    if rows and rows[0] and "@" not in rows[0][0]:
        header = [h.strip().lower() for h in rows[0]]
        rows = rows[1:]
        first_row = 2
    else:
        header = ["email", "name", "language"]
    column = {name: i for i, name in enumerate(header)}
    if "email" not in column and "e-post" not in column:
        raise ValidationError({"file": _("The file has no column named email.")})
    at = column.get("email", column.get("e-post", 0))
    errors: list[str] = []
    # By canonical form: the address as the file spells it, its name and language.
    wanted: dict[str, tuple[str, str, str]] = {}
    for number, row in enumerate(rows, start=first_row):
        if not any(cell.strip() for cell in row):
            continue
        email = (row[at] if at < len(row) else "").strip()
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("")
        except ValidationError:
            errors.append(
                _("Row %(row)s: “%(value)s” is not an e-mail address.")
                % {
                    "row": number,
                    "value": email[:60],
                }
            )
            continue
        name = row[column["name"]].strip() if "name" in column and column["name"] < len(row) else ""
        lang = (
            row[column["language"]].strip().lower()
            if "language" in column and column["language"] < len(row)
            else ""
        )
        if len(name) > 200:
            errors.append(
                _("Row %(row)s: the name is longer than 200 characters.") % {"row": number}
            )
            continue
        wanted[canonical_email(email)] = (
            email,
            name,
            lang if lang in ("sv", "en") else language,
        )
    if errors:
        raise ValidationError(errors[:20])
    known = set(
        Subscriber.objects.filter(
            partnership=partnership, email_canonical__in=list(wanted)
        ).values_list("email_canonical", flat=True)
    )
    erased = set(
        Suppression.objects.filter(partnership=partnership).values_list("email_hash", flat=True)
    )
    now = timezone.now()
    when = timezone.localdate()
    source = f"import:{filename[:120]} {when:%Y-%m-%d} ({getattr(actor, 'email', '')})"
    added = suppressed = 0
    for canonical, (email, name, lang) in wanted.items():
        if canonical in known:
            continue
        if email_hashes(email) & erased:
            suppressed += 1
            continue
        subscriber = Subscriber.objects.create(
            partnership=partnership,
            email=email,
            name=name,
            language=lang,
            state=S.ACTIVE,
            consent_text=consent_note.strip(),
            consent_at=now,
            confirmed_at=now,
            source=source,
            nonce=secrets.token_hex(16),
        )
        _event(subscriber, SubscriberEvent.Kind.IMPORTED, actor=actor, note=source)
        added += 1
    audit_record(
        actor=actor,
        action="subscriber.import",
        instance=partnership,
        partnership=partnership,
        before={},
        after={"file": filename, "added": added, "known": len(known), "erased": suppressed},
    )
    return {"added": added, "known": len(known), "erased": suppressed, "rows": len(wanted)}


# Issues ------------------------------------------------------------------------------------

ISSUE_FIELDS = ("title_sv", "title_en", "intro_sv", "intro_en")
SECTION_FIELDS = (
    "position",
    "heading_sv",
    "heading_en",
    "text_sv",
    "text_en",
    "image",
    "image_alt_sv",
    "image_alt_en",
    "link_url",
    "link_text_sv",
    "link_text_en",
)


def _check_issue(fields: dict[str, Any]) -> None:
    if not (fields.get("title_sv") or "").strip() and not (fields.get("title_en") or "").strip():
        raise ValidationError({"title_sv": _("Give the issue a title in Swedish or English.")})


@transaction.atomic
def issue_create(*, partnership: Partnership, actor: Any, year: int, **fields: Any) -> Issue:
    """Start a new issue, numbered next in its year (2018:1, 2018:2…)."""
    check_fields(fields, ISSUE_FIELDS)
    _check_issue(fields)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    last = Issue.objects.filter(partnership=partnership, year=year).aggregate(n=Max("number"))
    issue = Issue.objects.create(
        partnership=partnership,
        year=year,
        number=(last["n"] or 0) + 1,
        created_by=actor if getattr(actor, "pk", None) else None,
        **{k: v.strip() for k, v in fields.items()},
    )
    audit_record(actor=actor, action="newsletter_issue.create", instance=issue)
    return issue


def _lock_draft(issue: Issue) -> Issue:
    issue = Issue.objects.select_for_update().select_related("partnership").get(pk=issue.pk)
    if issue.state != Issue.State.DRAFT:
        raise ValidationError(_("A sent issue cannot be changed."))
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, actor: Any, **changes: Any) -> Issue:
    check_fields(changes, ISSUE_FIELDS)
    issue = _lock_draft(issue)
    before = audit_snapshot(issue)
    _check_issue({f: getattr(issue, f) for f in ISSUE_FIELDS} | changes)
    changed = apply_changes(issue, {k: v.strip() for k, v in changes.items()})
    if changed:
        issue.save(update_fields=changed)
        audit_record(actor=actor, action="newsletter_issue.update", instance=issue, before=before)
    return issue


def _check_section(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not any((fields.get(f) or "") for f in ("heading_sv", "heading_en", "text_sv", "text_en")):
        errors["heading_sv"] = _("Give the section a heading or a text.")
    if fields.get("image"):
        for language in ("sv", "en"):
            has_text = fields.get(f"heading_{language}") or fields.get(f"text_{language}")
            if has_text and not (fields.get(f"image_alt_{language}") or "").strip():
                errors[f"image_alt_{language}"] = _(
                    "Describe the image for those who cannot see it."
                )
    if fields.get("link_url") and not (
        (fields.get("link_text_sv") or "").strip() or (fields.get("link_text_en") or "").strip()
    ):
        errors["link_text_sv"] = _("Give the link a text that says where it leads.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def section_add(*, issue: Issue, actor: Any, **fields: Any) -> Section:
    check_fields(fields, SECTION_FIELDS)
    issue = _lock_draft(issue)
    _check_section(fields)
    upload = fields.pop("image", None)
    if upload:
        from django.core.files.base import ContentFile

        from soin.core.uploads import IMAGES, check_upload, stored_name

        try:
            data, _content_type, ending = check_upload(upload, kinds=IMAGES)
        except ValidationError as error:
            raise ValidationError({"image": error.messages}) from None
    if "position" not in fields or fields["position"] is None:
        fields["position"] = (issue.sections.aggregate(n=Max("position"))["n"] or 0) + 1
    section = Section(issue=issue, **fields)
    if upload:
        section.image.save(stored_name(ending), ContentFile(data), save=False)
    section.save()
    audit_record(
        actor=actor,
        action="newsletter_section.create",
        instance=section,
        partnership=issue.partnership,
    )
    return section


@transaction.atomic
def section_remove(*, section: Section, actor: Any) -> None:
    issue = _lock_draft(section.issue)
    before = audit_snapshot(section)
    section.delete()
    audit_record(
        actor=actor,
        action="newsletter_section.delete",
        instance=issue,
        partnership=issue.partnership,
        before=before,
        after={},
    )


@transaction.atomic
def issue_send(*, issue: Issue, actor: Any) -> Dispatch:
    """Send the issue to everyone subscribing, through the worker: a durable job whose
    recipients are fixed as it starts."""
    from soin.newsletter import sender

    issue = _lock_draft(issue)
    if not issue.sections.exists() and not (issue.intro_sv or issue.intro_en):
        raise ValidationError(_("The issue is empty: add an introduction or a section."))
    before = audit_snapshot(issue)
    issue.state = Issue.State.SENDING
    issue.save(update_fields=["state"])
    dispatch = Dispatch.objects.create(
        issue=issue, started_by=actor if getattr(actor, "pk", None) else None
    )
    audit_record(actor=actor, action="newsletter_issue.send", instance=issue, before=before)
    transaction.on_commit(lambda: sender.start(dispatch.pk))
    return dispatch


def issue_test_mail(*, issue: Issue, actor: Any) -> None:
    """Mail the issue, as subscribers will see it, to the person asking."""
    from soin.newsletter.tasks import send_test_mail

    if not getattr(actor, "email", ""):
        raise ValidationError(_("Your account has no e-mail address."))
    send_test_mail.enqueue(issue_id=issue.pk, user_id=actor.pk)


@transaction.atomic
def issue_pull_items(*, issue: Issue, actor: Any, since: datetime.date | None = None) -> int:
    """Add sections from the platform: the upcoming public seminars and other events that
    take registrations, with their last day to register, and the partners who joined since
    ``since`` (by default the last sent issue). Return how many sections were added."""
    from django.urls import reverse
    from django.utils import translation

    from soin.activities.models import Activity
    from soin.partners.models import Membership

    issue = _lock_draft(issue)
    partnership = issue.partnership
    if since is None:
        last = (
            Issue.objects.filter(partnership=partnership, state=Issue.State.SENT)
            .order_by("-sent_at")
            .first()
        )
        since = timezone.localdate(last.sent_at) if last and last.sent_at else None
    position = (issue.sections.aggregate(n=Max("position"))["n"] or 0) + 1
    added = 0
    events = Activity.objects.filter(
        partnership=partnership,
        is_public=True,
        registration_open=True,
        state=Activity.State.PLANNED,
        starts_at__gte=timezone.now(),
    ).order_by("starts_at")
    for event in events:
        texts = {}
        for language in ("sv", "en"):
            with translation.override(language):
                start = timezone.localtime(event.starts_at)
                when = f"{start:%Y-%m-%d %H:%M}" + (f", {event.place}" if event.place else "")
                deadline = (
                    _("Register by %(day)s.") % {"day": f"{event.registration_deadline:%Y-%m-%d}"}
                    if event.registration_deadline
                    else ""
                )
                texts[language] = {
                    "heading": getattr(event, f"title_{language}"),
                    "text": f"{when}. {deadline}".strip(),
                    "link_text": _("Read more and register"),
                    "url": settings.SITE_URL
                    + reverse(
                        "public:activity_detail",
                        kwargs={"partnership": partnership.slug, "pk": event.pk},
                    ),
                }
        Section.objects.create(
            issue=issue,
            position=position,
            heading_sv=texts["sv"]["heading"],
            heading_en=texts["en"]["heading"],
            text_sv=texts["sv"]["text"] if texts["sv"]["heading"] else "",
            text_en=texts["en"]["text"] if texts["en"]["heading"] else "",
            link_url=texts["sv"]["url"],
            link_text_sv=texts["sv"]["link_text"],
            link_text_en=texts["en"]["link_text"],
        )
        position += 1
        added += 1
    joined = Membership.objects.filter(organisation__partnership=partnership).select_related(
        "organisation"
    )
    if since is not None:
        joined = joined.filter(joined_on__gt=since)
    else:
        joined = joined.filter(joined_on__gte=timezone.localdate() - datetime.timedelta(days=90))
    names = sorted({m.organisation.name for m in joined})
    if names:
        with translation.override("sv"):
            heading_sv, text_sv = _("New partners"), _("Welcome to the partnership: %(names)s.")
        with translation.override("en"):
            heading_en, text_en = _("New partners"), _("Welcome to the partnership: %(names)s.")
        Section.objects.create(
            issue=issue,
            position=position,
            heading_sv=heading_sv,
            heading_en=heading_en,
            text_sv=text_sv % {"names": ", ".join(names)},
            text_en=text_en % {"names": ", ".join(names)},
        )
        added += 1
    audit_record(
        actor=actor,
        action="newsletter_issue.pull_items",
        instance=issue,
        after={"sections_added": added},
    )
    return added
