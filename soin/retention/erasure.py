"""Erasure of a person's data on their request (GDPR art. 17), within what public-records law
requires the partnership to keep.

``person_erase`` finds everything in a partnership that is tied to an e-mail address and
removes or anonymises it through each app's ``<entity>_anonymise`` in one transaction: ideas
and grant applications stay as documents without the person, registrations stay as places
taken, the subscriber and partner contact persons go. It records that an erasure happened —
an ``ErasureRecord`` with a keyed hash of the address and counts, an audit entry without
personal data, and after commit a line in the journal outside the database — never what was
erased. ``erasure_replay`` repeats the journal's erasures after a restore of an older backup.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from soin.activities.models import Registration
from soin.audit.models import AuditEntry
from soin.audit.services import audit_record
from soin.core import aggregates
from soin.core.emails import CanonicalEmailField, canonical_email, canonical_fields
from soin.core.normalise import terms_of
from soin.grants.models import Grant
from soin.ideas.models import CarrierContact, Idea
from soin.newsletter.models import Delivery, FriendTip, Subscriber
from soin.partners.models import ContactPerson
from soin.regions.models import Partnership
from soin.retention.models import ErasureRecord
from soin.retention.redact import erased_address, redact, redact_audit, redact_json, words_of

logger = logging.getLogger(__name__)

VIAS = frozenset({"self-service", "staff", "replay"})
HASH_SALT = "soin.retention.erasure.subject"

# What a preview counts, in the order a page lists it.
KINDS = ("ideas", "carrier_contacts", "registrations", "subscribers", "grants", "partner_contacts")

# Where a partnership keeps addresses of people: the fields whose values a replay hashes.
ADDRESS_FIELDS: tuple[tuple[type[models.Model], str, str], ...] = (
    (Idea, "carrier_email", "partnership"),
    (Registration, "email", "activity__partnership"),
    (Subscriber, "email", "partnership"),
    (Grant, "contact_email", "partnership"),
    (ContactPerson, "email", "organisation__partnership"),
    (FriendTip, "email", "partnership"),
    (Delivery, "email", "dispatch__issue__partnership"),
)


def normalise(email: str) -> str:
    """Return the address as it is compared: its canonical form (``soin.core.emails``)."""
    return canonical_email(email)


def subject_hash(email: str, *, secret: str | None = None) -> str:
    """Return the keyed hash (HMAC-SHA256, with a key derived from the secret key) of the
    address's canonical form: what the record and the journal keep instead of the address."""
    return salted_hmac(
        HASH_SALT, normalise(email), secret=secret or settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def _hashes(email: str) -> set[str]:
    # An address erased before the secret key was rotated is still recognised by the old key;
    # one erased before addresses had a canonical form was hashed in lower case (the erasure
    # then found its rows without regard to case, so a replay may too).
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    legacy = (email or "").strip().lower()
    return {
        salted_hmac(HASH_SALT, form, secret=s, algorithm="sha256").hexdigest()
        for s in secrets
        for form in (normalise(email), legacy)
    }


@dataclass
class Found:
    """What a partnership holds about one address."""

    address: str
    ideas: list[Idea] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    subscribers: list[Subscriber] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    contacts: list[ContactPerson] = field(default_factory=list)
    friend_tips: int = 0
    deliveries: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "ideas": len(self.ideas),
            "carrier_contacts": CarrierContact.objects.filter(idea__in=self.ideas).count(),
            "registrations": len(self.registrations),
            "subscribers": len(self.subscribers),
            "grants": len(self.grants),
            "partner_contacts": len(self.contacts),
        }

    @property
    def empty(self) -> bool:
        records = (self.ideas, self.registrations, self.subscribers, self.grants, self.contacts)
        return not any(records) and not self.friend_tips and not self.deliveries

    def names(self) -> list[str]:
        return [
            *(i.carrier_name for i in self.ideas),
            *(r.name for r in self.registrations),
            *(s.name for s in self.subscribers),
            *(g.contact_name for g in self.grants),
            *(c.name for c in self.contacts),
        ]

    def phones(self) -> list[str]:
        return [
            *(i.carrier_phone for i in self.ideas),
            *(g.contact_phone for g in self.grants),
            *(c.phone for c in self.contacts),
        ]

    def spellings(self) -> list[str]:
        """The address as each record holds it (one address, perhaps typed in several ways)."""
        return [
            self.address,
            *(i.carrier_email for i in self.ideas),
            *(r.email for r in self.registrations),
            *(s.email for s in self.subscribers),
            *(g.contact_email for g in self.grants),
            *(c.email for c in self.contacts),
        ]

    def words(self) -> list[str]:
        """The person's details to take out of their own records."""
        return words_of(*self.spellings(), *self.names(), *self.phones())

    def traces(self) -> list[str]:
        """The details to look for in every other text of the partnership: the address, the
        phone numbers and full names (a first name alone would hit other people)."""
        phones = [p for p in self.phones() if sum(ch.isdigit() for ch in p) >= 6]
        names = [n for n in self.names() if len(n.split()) >= 2 and len(n.strip()) >= 5]
        return words_of(*self.spellings(), *phones, *names)


def _check_address(email: str) -> str:
    address = normalise(email)
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(_("Enter a valid e-mail address.")) from None
    return address


def person_find(*, partnership: Partnership, email: str) -> Found:
    """Return what ``partnership`` holds about the address ``email``: the rows whose address
    has the same canonical form (``soin.core.emails``), never one that only looks alike."""
    address = normalise(email)
    if not address:
        return Found(address=address)
    return Found(
        address=address,
        ideas=list(Idea.objects.filter(partnership=partnership, carrier_email_canonical=address)),
        registrations=list(
            Registration.objects.filter(
                activity__partnership=partnership, email_canonical=address
            ).select_related("activity")
        ),
        subscribers=list(
            Subscriber.objects.filter(partnership=partnership, email_canonical=address)
        ),
        grants=list(Grant.objects.filter(partnership=partnership, contact_email_canonical=address)),
        contacts=list(
            ContactPerson.objects.filter(
                organisation__partnership=partnership, email_canonical=address
            )
        ),
        friend_tips=_friend_tips(partnership, address).count(),
        deliveries=Delivery.objects.filter(
            dispatch__issue__partnership=partnership, email_canonical=address
        ).count(),
    )


def _friend_tips(partnership: Partnership, address: str) -> Any:
    # A friend's invitation keeps the address only until the mail has gone (a handful of
    # rows at any time): they are compared here, in their canonical form.
    waiting = FriendTip.objects.filter(partnership=partnership).exclude(email="")
    pks = [pk for pk, email in waiting.values_list("pk", "email") if normalise(email) == address]
    return FriendTip.objects.filter(pk__in=pks)


def _refusal(partnership: Partnership, found: Found) -> str | None:
    from soin.accounts.models import Role
    from soin.grants.services import SETTLED

    if Role.objects.filter(
        partnership=partnership, user__email_canonical=found.address, user__is_active=True
    ).exists():
        return _(
            "This address belongs to a staff account of the partnership. A staff account is "
            "closed by taking away the person's roles, not by erasure."
        )
    open_grants = [g.number for g in found.grants if g.state not in SETTLED]
    if open_grants:
        return _(
            "An application for a grant with this address as its contact is still being "
            "handled (%(numbers)s). The contact person can be erased once the application has "
            "been rejected or closed."
        ) % {"numbers": ", ".join(open_grants)}
    return None


def person_erase_preview(*, partnership: Partnership, email: str) -> dict[str, int]:
    """Return how many records of each kind an erasure of ``email`` would touch, without
    touching them; raise ``ValidationError`` when the erasure would be refused."""
    address = _check_address(email)
    found = person_find(partnership=partnership, email=address)
    if found.empty:
        raise ValidationError(
            _("%(partnership)s holds no personal data with this address.")
            % {"partnership": partnership.name}
        )
    refusal = _refusal(partnership, found)
    if refusal:
        raise ValidationError(refusal)
    return found.counts()


def person_erase(*, partnership: Partnership, email: str, actor: Any, via: str) -> dict[str, int]:
    """Erase or anonymise everything ``partnership`` holds about the address ``email``, in one
    transaction, and record that it happened. Return the rows touched per kind. Raise
    ``ValidationError`` (translated) when the address is not valid, nothing is held, or the
    erasure is refused (a staff account; a grant application still being handled)."""
    if via not in VIAS:
        raise ValueError(f"via must be one of {sorted(VIAS)}, not {via!r}")
    with transaction.atomic():
        counts = _erase(partnership=partnership, email=email, actor=actor, via=via)
        # The redactions are updates that send no signals: no figure counted before is kept.
        aggregates.stamps_bump_all()
    return counts


@transaction.atomic
def _erase(*, partnership: Partnership, email: str, actor: Any, via: str) -> dict[str, int]:
    from soin.activities.services import registration_anonymise
    from soin.grants.services import grant_anonymise
    from soin.ideas.services import idea_anonymise
    from soin.knowledge.services import entry_consent_withdraw
    from soin.newsletter.services import subscriber_erase
    from soin.partners.services import contact_anonymise

    address = _check_address(email)
    # Lock the partnership's row so that two erasures of the same person do not interleave.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    found = person_find(partnership=partnership, email=address)
    if via == "replay":
        if found.empty:
            return {}
    else:
        if found.empty:
            raise ValidationError(
                _("%(partnership)s holds no personal data with this address.")
                % {"partnership": partnership.name}
            )
        refusal = _refusal(partnership, found)
        if refusal:
            raise ValidationError(refusal)
    words = tuple(found.words())
    traces = found.traces()
    counts: Counter[str] = Counter()
    for idea in found.ideas:
        entry = getattr(idea, "bank_entry", None)
        counts.update(idea_anonymise(idea=idea, actor=actor, words=words))
        # Being erased withdraws the consent to be named in the knowledge bank.
        if entry is not None and entry.carrier_name:
            entry_consent_withdraw(entry=entry, actor=actor)
            counts["bank_entries"] += 1
    for registration in found.registrations:
        counts.update(registration_anonymise(registration=registration, actor=actor, words=words))
    for grant in found.grants:
        counts.update(grant_anonymise(grant=grant, actor=actor, words=words))
    for contact in found.contacts:
        counts.update(contact_anonymise(contact=contact, actor=actor))
    for subscriber in found.subscribers:
        # The newsletter's own erasure keeps a keyed hash of the address so that no import
        # adds it again; the audit log's copies of the subscriber go first.
        counts["audit_entries"] += redact_audit(subscriber, words)
        subscriber_erase(subscriber=subscriber, actor=actor)
        counts["subscribers"] += 1
    counts["friend_tips"] += _friend_tips(partnership, address).update(email="")
    for pk in Delivery.objects.filter(
        dispatch__issue__partnership=partnership, email_canonical=address
    ).values_list("pk", flat=True):
        stand_in = erased_address(pk)
        Delivery.objects.filter(pk=pk).update(
            email=stand_in, email_canonical=canonical_email(stand_in)
        )
        counts["deliveries"] += 1
    # Whatever else copied the person's details — a meeting's minutes, another record's
    # timeline or audit entry — loses them too.
    swept = sweep(partnership=partnership, words=traces)
    counts["audit_entries"] += swept.pop("audit_entries", 0)
    counts["other_rows"] += sum(swept.values())
    result = {kind: n for kind, n in sorted(counts.items()) if n}
    record = ErasureRecord.objects.create(
        partnership=partnership,
        via=via,
        actor=actor if getattr(actor, "pk", None) else None,
        subject_hash=subject_hash(address),
        counts=result,
    )
    audit_record(
        actor=actor,
        action="person.erase",
        instance=record,
        partnership=partnership,
        before={},
        after={"via": via, "counts": result},
    )
    if via != "replay":
        line = {"partnership": partnership.slug, "subject_hash": record.subject_hash, "via": via}
        # Timed at commit: a backup made before that moment does not hold the erasure, so a
        # restore of it replays the line (one made after it holds the erasure already).
        transaction.on_commit(
            lambda: journal_append(
                {"at": timezone.now().astimezone(datetime.UTC).isoformat(), **line}
            )
        )
    return result


# The sweep -----------------------------------------------------------------------------------


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    fields: list[models.Field[Any, Any]] = []
    for f in model._meta.concrete_fields:
        if isinstance(f, models.SlugField | CanonicalEmailField) or getattr(f, "choices", None):
            # A canonical address follows its address (below), never redacted on its own.
            continue
        if isinstance(f, models.CharField | models.TextField | models.JSONField):
            fields.append(f)
    return fields


def _variants(word: str) -> list[str]:
    # JSON is stored with non-ASCII letters escaped on SQLite: look for both spellings.
    escaped = json.dumps(word)[1:-1]
    return [word] if escaped == word else [word, escaped]


def _matching(queryset: Any, fields: list[models.Field[Any, Any]], words: list[str]) -> Any:
    condition = Q()
    annotations = {}
    for f in fields:
        if isinstance(f, models.JSONField):
            name = f"_text_{f.name}"
            annotations[name] = Cast(f.name, TextField())
            for word in words:
                for variant in _variants(word):
                    condition |= Q(**{f"{name}__icontains": variant})
        else:
            for word in words:
                condition |= Q(**{f"{f.name}__icontains": word})
    return queryset.annotate(**annotations).filter(condition)


def partnership_models() -> Iterator[type[models.Model]]:
    """Every model of the project whose rows belong to a partnership."""
    for model in apps.get_models():
        if model.__module__.startswith("soin.") and hasattr(model, "PARTNERSHIP_PATH"):
            yield model


def sweep(*, partnership: Partnership, words: Iterable[str]) -> dict[str, int]:
    """Replace ``words`` by a mark in every text, character and JSON column of every row of
    ``partnership`` and in its audit log; return how many rows changed per model."""
    words = list(words)
    changed: dict[str, int] = {}
    if not words:
        return changed
    targets: list[tuple[Any, list[models.Field[Any, Any]], str]] = [
        (
            AuditEntry.objects.filter(partnership=partnership),
            _text_fields(AuditEntry),
            "audit_entries",
        )
    ]
    for model in partnership_models():
        if model is ErasureRecord:
            continue
        fields = _text_fields(model)
        if fields:
            path = model.PARTNERSHIP_PATH  # type: ignore[attr-defined]
            queryset = model._default_manager.filter(**{path: partnership})
            targets.append((queryset, fields, model._meta.label_lower))
    canonical = {normalise(w) for w in words}
    for queryset, fields, label in targets:
        names = [f.name for f in fields]
        addresses = {f.name for f in fields if isinstance(f, models.EmailField)}
        follows = {f.source: f.name for f in canonical_fields(queryset.model)}
        for row in _matching(queryset, fields, words).only("pk", *names):
            values = {}
            for name in names:
                old = getattr(row, name)
                if name in addresses and old and normalise(old) in canonical:
                    # An address field holding the address itself gets a stand-in address.
                    values[name] = erased_address(row.pk)
                    continue
                new = redact(old, words) if isinstance(old, str) else redact_json(old, words)
                if new != old:
                    values[name] = new
            for name, column in follows.items():
                if name in values:
                    values[column] = canonical_email(values[name])
            searched = getattr(queryset.model, "SEARCHED", ())
            if set(values) & set(searched):
                # The terms a list is searched in follow their text (soin.core.normalise).
                values["search_terms"] = terms_of(row, **values)
            if values:
                type(row)._default_manager.filter(pk=row.pk).update(**values)
                changed[label] = changed.get(label, 0) + 1
    return changed


# The journal ---------------------------------------------------------------------------------


def journal_path() -> Path:
    return Path(settings.SOIN_ERASURE_JOURNAL)


def journal_append(line: dict[str, Any]) -> None:
    """Append one erasure to the journal and force it to disk before returning."""
    path = journal_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        created = not path.exists()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, (json.dumps(line, sort_keys=True) + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            directory = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
    except OSError:
        # The erasure itself is committed; its record in the database says so. The journal
        # only matters after a restore, and the log tells the operator to repair it.
        logger.exception("Could not write the erasure journal %s", path)


def journal_read(*, since: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """Return the journal's erasures after ``since`` (all without it), oldest first. A line
    that cannot be read (a write cut short) is skipped."""
    path = journal_path()
    if not path.exists():
        return []
    lines = []
    with path.open(encoding="utf-8") as journal:
        for raw in journal:
            try:
                line = json.loads(raw)
                at = datetime.datetime.fromisoformat(line["at"])
                line["partnership"], line["subject_hash"]
            except (ValueError, KeyError, TypeError):
                continue
            if since is None or at > since:
                lines.append(line)
    return lines


def _addresses(partnership: Partnership) -> set[str]:
    addresses: set[str] = set()
    for model, name, path in ADDRESS_FIELDS:
        values = model._default_manager.filter(**{path: partnership}).values_list(name, flat=True)
        # As stored: a journal line from before canonical forms hashed the address as typed,
        # in lower case (``_hashes`` tries both).
        addresses.update(v.strip() for v in values.distinct() if v)
    return addresses


def erasure_replay(*, since: datetime.datetime) -> int:
    """Erase again every person the journal says was erased after ``since`` and whose data is
    back (a restore of an older backup): the addresses of each partnership are hashed and
    compared with the journal's. Return how many people were erased again. No new journal
    line is written; each replay leaves an ``ErasureRecord`` with ``via="replay"``."""
    if timezone.is_naive(since):
        since = timezone.make_aware(since, datetime.UTC)
    replayed = 0
    by_partnership: dict[str, set[str]] = {}
    for line in journal_read(since=since):
        by_partnership.setdefault(line["partnership"], set()).add(line["subject_hash"])
    for slug, hashes in by_partnership.items():
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        for address in sorted(_addresses(partnership)):
            if not _hashes(address) & hashes:
                continue
            try:
                if _erase(partnership=partnership, email=address, actor=None, via="replay"):
                    replayed += 1
            except ValidationError:
                # A stored value that is not an address cannot be looked up by one.
                logger.warning("Could not repeat an erasure in %s", slug)
    return replayed
