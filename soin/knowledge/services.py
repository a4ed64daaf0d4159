"""Every change to the knowledge bank and the news: entries and their editorial states,
images and links, the carrier's consent, imports from other installations. One transaction
each, with a timeline row (entries) and an audit entry; the search index is brought up to date
in the same transaction."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import apply_changes, check_fields
from soin.core.storage import atomic_with_files, save_file
from soin.core.text import unique_slug
from soin.core.uploads import IMAGES, check_upload, stored_name
from soin.ideas.models import Challenge, Idea
from soin.knowledge import search, workflow
from soin.knowledge.models import Entry, EntryEvent, EntryImage, EntryLink, ExchangeSource, News
from soin.meaning.services import vector_schedule
from soin.regions.models import Municipality, Partnership

TEXT_FIELDS = (
    "title_sv",
    "title_en",
    "summary_sv",
    "summary_en",
    "story_sv",
    "story_en",
    "other_organisations",
)
CHOICE_FIELDS = {
    "solution_type": Idea.SolutionType,
    "new_for": Idea.Novelty,
    "evidence_level": Idea.Evidence,
    "can_spread": Idea.Answer,
}
ENTRY_FIELDS = (*TEXT_FIELDS, *CHOICE_FIELDS, "kind", "municipality", "challenges", "organisations")


def _unique_slug(model: Any, partnership: Partnership, title: str) -> str:
    return unique_slug(model.objects.filter(partnership=partnership), title, "post")


def _check_entry(partnership: Partnership, fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (fields.get("title_sv") or "").strip() and not (fields.get("title_en") or "").strip():
        errors["title_sv"] = _("Give the entry a title in Swedish or English.")
    for name, choices in CHOICE_FIELDS.items():
        value = fields.get(name) or ""
        if value and value not in choices.values:
            errors[name] = _("Choose one of the alternatives.")
    if fields.get("kind", Entry.Kind.IDEA) not in Entry.Kind.values:
        errors["kind"] = _("Choose one of the alternatives.")
    municipality = fields.get("municipality")
    if municipality is not None and municipality.region_id != partnership.region_id:
        errors["municipality"] = _("Choose a municipality in %(region)s.") % {
            "region": partnership.region.name
        }
    for challenge in fields.get("challenges") or []:
        if challenge.partnership_id not in (None, partnership.pk):
            errors["challenges"] = _("Choose the partnership's own societal challenges.")
    for organisation in fields.get("organisations") or []:
        if organisation.partnership_id != partnership.pk:
            errors["organisations"] = _("Choose organisations of this partnership.")
    if errors:
        raise ValidationError(errors)


# Events that change what would be published: each makes a new version of the entry.
CONTENT_EVENTS = frozenset({EntryEvent.Kind.EDITED, EntryEvent.Kind.IMAGE, EntryEvent.Kind.LINK})


def _event(
    entry: Entry,
    kind: str,
    actor: Any,
    note: str = "",
    changes: dict[str, list[str]] | None = None,
    **states: str,
) -> None:
    """Write the timeline row; a change of content (the entry locked by the caller) also
    makes a new version of the entry."""
    version = _new_version(entry) if kind in CONTENT_EVENTS else None
    EntryEvent.objects.create(
        entry=entry,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
        version=version,
        changes=changes or {},
        **states,
    )


def _new_version(entry: Entry) -> int:
    entry.version += 1
    Entry.objects.filter(pk=entry.pk).update(version=entry.version)
    return entry.version


def _text_changes(before: dict[str, Any], entry: Entry, fields: list[str]) -> dict[str, list[str]]:
    """Return the changed text and category fields as {field: [before, after]}."""
    shown = {*TEXT_FIELDS, *CHOICE_FIELDS, "kind"}
    return {
        f: [str(before.get(f) or ""), str(getattr(entry, f) or "")] for f in fields if f in shown
    }


def _set_relations(entry: Entry, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name in ("challenges", "organisations"):
        if name in fields:
            wanted = {o.pk for o in fields[name] or []}
            if wanted != set(getattr(entry, name).values_list("pk", flat=True)):
                getattr(entry, name).set(wanted)
                changed.append(name)
    return changed


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


@transaction.atomic
def entry_create(
    *, partnership: Partnership, actor: Any, idea: Idea | None = None, **fields: Any
) -> Entry:
    """Start a draft entry. From an idea, the idea's documentation fills in what ``fields``
    leave out; the carrier's contact details are never copied."""
    check_fields(fields, ENTRY_FIELDS)
    if idea is not None:
        if idea.partnership_id != partnership.pk:
            raise ValidationError(_("The idea belongs to another partnership."))
        if Entry.objects.filter(idea=idea).exists():
            raise ValidationError(_("This idea already has an entry in the knowledge bank."))
        language = idea.language if idea.language in ("sv", "en") else "sv"
        fields = {
            f"title_{language}": idea.title,
            f"summary_{language}": idea.description,
            "solution_type": idea.solution_type,
            "new_for": idea.new_for,
            "evidence_level": idea.evidence_level,
            "can_spread": idea.can_spread,
            "municipality": idea.municipality,
            "challenges": list(idea.challenges.all()),
            "kind": Entry.Kind.IDEA,
        } | {k: v for k, v in fields.items() if v not in (None, "", [])}
    fields = _clean(fields)
    _check_entry(partnership, fields)
    relations = {k: fields.pop(k) for k in ("challenges", "organisations") if k in fields}
    entry = Entry.objects.create(
        partnership=partnership,
        idea=idea,
        slug=_unique_slug(Entry, partnership, fields.get("title_sv") or fields.get("title_en", "")),
        **fields,
    )
    _set_relations(entry, relations)
    _event(entry, EntryEvent.Kind.CREATED, actor, to_state=entry.state)
    search.index(entry)
    vector_schedule(kind="entry", pk=entry.pk)
    audit_record(actor=actor, action="bank_entry.create", instance=entry)
    return entry


def _lock(entry: Entry) -> Entry:
    return (
        Entry.objects.select_for_update(of=("self",))
        .select_related("partnership__region", "municipality")
        .get(pk=entry.pk)
    )


@transaction.atomic
def entry_update(*, entry: Entry, actor: Any, **changes: Any) -> Entry:
    """Change a draft's (or an entry in review's) text and categories."""
    check_fields(changes, ENTRY_FIELDS)
    entry = _lock(entry)
    workflow.ensure_editable(entry)
    before = audit_snapshot(entry)
    changes = _clean(changes)
    current = {f: getattr(entry, f) for f in (*TEXT_FIELDS, *CHOICE_FIELDS, "kind")}
    _check_entry(entry.partnership, current | changes)
    relations = {k: changes.pop(k) for k in ("challenges", "organisations") if k in changes}
    changed = apply_changes(entry, changes)
    if changed:
        entry.save(update_fields=[*changed, "updated_at"])
    changed += _set_relations(entry, relations)
    if changed:
        _event(
            entry,
            EntryEvent.Kind.EDITED,
            actor,
            note=", ".join(sorted(changed)),
            changes=_text_changes(before, entry, changed),
        )
        search.index(entry)
        vector_schedule(kind="entry", pk=entry.pk)
        audit_record(actor=actor, action="bank_entry.update", instance=entry, before=before)
    return entry


def publication_problems(entry: Entry) -> list[str]:
    """Return what stands between the entry and publication, as the staff page names it."""
    problems = []
    for language, missing in (
        ("sv", _("A title and a summary in Swedish.")),
        ("en", _("A title and a summary in English.")),
    ):
        if not getattr(entry, f"title_{language}") or not getattr(entry, f"summary_{language}"):
            problems.append(missing)
    if not entry.solution_type:
        problems.append(_("What kind of solution it is."))
    if not entry.challenges.exists():
        problems.append(_("Which societal challenge it answers."))
    if not entry.new_for:
        problems.append(_("Whom it is new for."))
    if not entry.evidence_level:
        problems.append(_("How far it has been evaluated."))
    if not entry.can_spread:
        problems.append(_("Whether it can spread."))
    if entry.kind == Entry.Kind.IDEA and entry.carrier_consent_at is None:
        problems.append(_("The carrier's consent to publication."))
    if entry.carrier_name and entry.carrier_consent_at is None:
        problems.append(_("The carrier's consent to being named."))
    for image in entry.images.all():
        if not image.alt_sv or not image.alt_en:
            problems.append(_("A description of every image in Swedish and English."))
            break
    return problems


@transaction.atomic
def entry_move(
    *, entry: Entry, actor: Any, move: str, note: str = "", seen_version: int | None = None
) -> Entry:
    """Take an editorial step (workflow.MOVES) and record who took it, when and why.

    A step that approves the entry's content (publishing) is taken on the version the person
    saw (``seen_version``, from the page they read); when the entry has changed since, or the
    version is not given, it is refused with the code ``changed``."""
    entry = _lock(entry)
    step = workflow.ensure_allowed(entry, move, actor)
    if step.name in workflow.APPROVING and seen_version != entry.version:
        raise ValidationError(
            _(
                "The entry has changed since you opened it. Read what changed, then take the "
                "step again."
            ),
            code="changed",
        )
    note = note.strip()
    if step.needs_reason and not note:
        raise ValidationError({"note": _("Say why.")})
    if step.target == Entry.State.PUBLISHED:
        problems = publication_problems(entry)
        if problems:
            raise ValidationError(
                [_("The entry cannot be published yet. It needs:"), *problems], code="incomplete"
            )
    before = audit_snapshot(entry)
    source = entry.state
    entry.state = step.target
    entry.state_changed_at = timezone.now()
    fields = ["state", "state_changed_at", "updated_at"]
    if step.target == Entry.State.PUBLISHED and entry.published_at is None:
        entry.published_at = entry.state_changed_at
        fields.append("published_at")
    entry.save(update_fields=fields)
    if step.target == Entry.State.PUBLISHED:
        # Its words are now the bank's: queries are widened and corrected against them.
        search.learn(entry)
    _event(entry, EntryEvent.Kind.MOVED, actor, note=note, from_state=source, to_state=step.target)
    audit_record(actor=actor, action=f"bank_entry.{move}", instance=entry, before=before)
    return entry


@transaction.atomic
def entry_record_consent(*, entry: Entry, actor: Any, note: str, carrier_name: str = "") -> Entry:
    """Record that the carrier agreed to the entry's publication (and, with ``carrier_name``,
    to being named so)."""
    entry = _lock(entry)
    workflow.ensure_editable(entry)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say how and when the carrier agreed.")})
    before = audit_snapshot(entry)
    entry.carrier_consent_at = timezone.now()
    entry.carrier_consent_note = note[:300]
    entry.carrier_name = carrier_name.strip()[:200]
    entry.save(
        update_fields=["carrier_consent_at", "carrier_consent_note", "carrier_name", "updated_at"]
    )
    _event(entry, EntryEvent.Kind.EDITED, actor, note=_("The carrier's consent recorded."))
    search.index(entry)
    audit_record(actor=actor, action="bank_entry.consent", instance=entry, before=before)
    return entry


@transaction.atomic
def entry_consent_withdraw(*, entry: Entry, actor: Any) -> Entry:
    """The carrier withdrew their consent: the carrier's name goes, and a published entry
    from an idea goes back to draft."""
    entry = _lock(entry)
    before = audit_snapshot(entry)
    entry.carrier_consent_at = None
    entry.carrier_consent_note = ""
    entry.carrier_name = ""
    fields = ["carrier_consent_at", "carrier_consent_note", "carrier_name", "updated_at"]
    source = entry.state
    if entry.kind == Entry.Kind.IDEA and entry.state != Entry.State.DRAFT:
        entry.state = Entry.State.DRAFT
        entry.state_changed_at = timezone.now()
        fields += ["state", "state_changed_at"]
    entry.save(update_fields=fields)
    if source != entry.state:
        _new_version(entry)  # the carrier's name is gone from what would be published
    _event(
        entry,
        EntryEvent.Kind.MOVED if source != entry.state else EntryEvent.Kind.EDITED,
        actor,
        note=_("The carrier withdrew their consent."),
        from_state=source,
        to_state=entry.state,
    )
    audit_record(actor=actor, action="bank_entry.consent_withdraw", instance=entry, before=before)
    return entry


@atomic_with_files
def entry_image_add(
    *, entry: Entry, actor: Any, upload: UploadedFile, alt_sv: str = "", alt_en: str = ""
) -> EntryImage:
    entry = _lock(entry)
    workflow.ensure_editable(entry)
    errors: dict[str, str] = {}
    if not alt_sv.strip():
        errors["alt_sv"] = _("Describe the image for those who cannot see it.")
    if not alt_en.strip():
        errors["alt_en"] = _("Describe the image for those who cannot see it.")
    try:
        data, content_type, ending = check_upload(upload, kinds=IMAGES)
    except ValidationError as error:
        errors["upload"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    image = EntryImage(
        entry=entry,
        content_type=content_type,
        alt_sv=alt_sv.strip()[:300],
        alt_en=alt_en.strip()[:300],
        position=(entry.images.aggregate(n=Max("position"))["n"] or 0) + 1,
    )
    # The file and its row are kept together: if either fails, neither is kept.
    save_file(image.file, stored_name(ending), data)
    image.save()
    _event(entry, EntryEvent.Kind.IMAGE, actor, note=image.alt_sv)
    audit_record(
        actor=actor, action="bank_image.create", instance=image, partnership=entry.partnership
    )
    return image


@transaction.atomic
def entry_image_remove(*, image: EntryImage, actor: Any) -> None:
    entry = _lock(image.entry)
    workflow.ensure_editable(entry)
    before = audit_snapshot(image)
    file = image.file
    image.delete()
    _event(entry, EntryEvent.Kind.IMAGE, actor, note=before.get("alt_sv", ""))
    audit_record(
        actor=actor,
        action="bank_image.delete",
        instance=entry,
        partnership=entry.partnership,
        before=before,
        after={},
    )
    transaction.on_commit(lambda: file.delete(save=False))


@transaction.atomic
def entry_link_add(
    *, entry: Entry, actor: Any, url: str, label_sv: str = "", label_en: str = ""
) -> EntryLink:
    entry = _lock(entry)
    workflow.ensure_editable(entry)
    if not label_sv.strip() and not label_en.strip():
        raise ValidationError({"label_sv": _("Give the link a text that says where it leads.")})
    link = EntryLink(
        entry=entry,
        url=url.strip(),
        label_sv=label_sv.strip()[:200],
        label_en=label_en.strip()[:200],
        position=(entry.links.aggregate(n=Max("position"))["n"] or 0) + 1,
    )
    link.full_clean()
    link.save()
    _event(entry, EntryEvent.Kind.LINK, actor, note=link.url)
    audit_record(
        actor=actor, action="bank_link.create", instance=link, partnership=entry.partnership
    )
    return link


@transaction.atomic
def entry_link_remove(*, link: EntryLink, actor: Any) -> None:
    entry = _lock(link.entry)
    workflow.ensure_editable(entry)
    before = audit_snapshot(link)
    link.delete()
    _event(entry, EntryEvent.Kind.LINK, actor, note=before.get("url", ""))
    audit_record(
        actor=actor,
        action="bank_link.delete",
        instance=entry,
        partnership=entry.partnership,
        before=before,
        after={},
    )


# Imports from other installations ----------------------------------------------------------


def _parse_time(value: Any) -> datetime.datetime | None:
    if not value:
        return None
    moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)


def _import_challenges(partnership: Partnership, items: Sequence[dict[str, Any]]) -> list[Any]:
    found = []
    for item in items:
        key = slugify(str(item.get("key", "")))[:60]
        if not key:
            continue
        challenge = Challenge.objects.filter(partnership__isnull=True, key=key).first()
        if challenge is None:
            challenge, _created = Challenge.objects.get_or_create(
                partnership=partnership,
                key=key,
                defaults={
                    "name_sv": str(item.get("name_sv") or key)[:250],
                    "name_en": str(item.get("name_en") or item.get("name_sv") or key)[:250],
                },
            )
        found.append(challenge)
    return found


@dataclass(frozen=True)
class ImportedImage:
    """An image of an imported entry, fetched and checked by content before the import."""

    data: bytes
    content_type: str
    ending: str
    alt_sv: str
    alt_en: str


def entry_import_needed(record: dict[str, Any], origin: str) -> bool:
    """Return whether importing ``record`` from ``origin`` would change anything here (so that
    its images need fetching): not for an entry of another origin or of this installation,
    nor for one unchanged since."""
    try:
        updated = _parse_time(record.get("updated_at"))
        existing = Entry.objects.filter(uid=str(record["id"])).first()
    except (KeyError, TypeError, ValueError, ValidationError):
        return True
    return existing is None or (existing.origin == origin and existing.origin_updated_at != updated)


class OriginMismatch(ValidationError):
    """A record that would change an entry of another origin, or of this installation."""


@transaction.atomic
def entry_import(
    *,
    record: dict[str, Any],
    origin: str,
    actor: Any = None,
    images: Sequence[ImportedImage] = (),
    publish: bool = False,
) -> tuple[Entry, str]:
    """Take in one published entry from another installation's open data (the format of
    ``export_open_data`` and ``/api/v1/innovations``), with its ``images``. Idempotent by the
    entry's identifier: return the entry and "created", "updated" or "unchanged". The entry's
    partnership is the one of its region here, made if this installation has none yet.

    A new or changed entry waits in review unless ``publish``. A record whose identifier is an
    entry of another origin, or of this installation, raises ``OriginMismatch`` and changes
    nothing: ``origin`` must be the one the caller checked the record came from."""
    from soin.regions.models import Region
    from soin.regions.services import partnership_create

    try:
        uid = str(record["id"])
        region_code = str(record["region"]["code"])
        updated = _parse_time(record.get("updated_at"))
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError(
            _("An entry in the file lacks %(field)s.") % {"field": error}
        ) from error
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise ValidationError(_("Unknown region code %(code)s.") % {"code": region_code})
    existing = Entry.objects.select_for_update().filter(uid=uid).first()
    if existing is not None and existing.origin != origin:
        raise OriginMismatch(
            _("The entry %(uid)s is kept by %(kept)s, not by %(origin)s.")
            % {"uid": uid, "kept": existing.origin or _("this installation"), "origin": origin}
        )
    if existing is not None and existing.origin_updated_at == updated:
        return existing, "unchanged"
    partnership = Partnership.objects.filter(region=region).first()
    if partnership is None:
        source = record.get("partnership") or {}
        partnership = partnership_create(
            actor=actor,
            slug=slugify(str(source.get("slug") or f"region-{region.code}"))[:50],
            name_sv=str(source.get("name_sv") or region.name_sv)[:200],
            name_en=str(source.get("name_en") or region.name_en)[:200],
            region=region,
        )
    municipality = None
    if record.get("municipality"):
        municipality = Municipality.objects.filter(
            code=str(record["municipality"].get("code", "")), region=region
        ).first()
    values: dict[str, Any] = {
        f: str(record.get(f) or "")[:200] for f in ("title_sv", "title_en")
    } | {
        f: str(record.get(f) or "")[:20_000]
        for f in ("summary_sv", "summary_en", "story_sv", "story_en")
    }
    for name, choices in CHOICE_FIELDS.items():
        value = str(record.get(name) or "")
        values[name] = value if value in choices.values else ""
    kind = str(record.get("kind") or "")
    values.update(
        kind=kind if kind in Entry.Kind.values else Entry.Kind.EXISTING,
        municipality=municipality,
        other_organisations="\n".join(str(o) for o in record.get("organisations") or []),
        carrier_name=str(record.get("carrier") or "")[:200],
        state=Entry.State.PUBLISHED if publish else Entry.State.IN_REVIEW,
        published_at=(_parse_time(record.get("published_at")) or timezone.now())
        if publish
        else (existing.published_at if existing is not None else None),
        state_changed_at=timezone.now(),
        origin=origin[:300],
        origin_updated_at=updated,
    )
    challenges = _import_challenges(partnership, record.get("challenges") or [])
    if existing is None:
        entry = Entry.objects.create(
            partnership=partnership,
            uid=uid,
            slug=_unique_slug(Entry, partnership, values["title_sv"] or values["title_en"]),
            **values,
        )
        outcome = "created"
    else:
        entry = existing
        for name, value in values.items():
            setattr(entry, name, value)
        entry.save()
        # A new version: a coordinator who opened the entry before it changed publishes the
        # text they read or nothing.
        _new_version(entry)
        entry.links.all().delete()
        old_files = [image.file for image in entry.images.all()]
        entry.images.all().delete()
        transaction.on_commit(lambda: [f.delete(save=False) for f in old_files])
        outcome = "updated"
    entry.challenges.set(challenges)
    for position, link in enumerate(record.get("links") or [], start=1):
        url = str(link.get("url") or "")
        if url.startswith(("http://", "https://")):
            EntryLink.objects.create(
                entry=entry,
                url=url[:500],
                label_sv=str(link.get("label_sv") or "")[:200],
                label_en=str(link.get("label_en") or "")[:200],
                position=position,
            )
    for position, picture in enumerate(images, start=1):
        image = EntryImage(
            entry=entry,
            content_type=picture.content_type,
            alt_sv=picture.alt_sv[:300],
            alt_en=picture.alt_en[:300],
            position=position,
        )
        image.file.save(
            f"{secrets.token_hex(8)}.{picture.ending}", ContentFile(picture.data), save=False
        )
        image.save()
    _event(entry, EntryEvent.Kind.IMPORTED, actor, note=origin[:300], to_state=entry.state)
    search.index(entry)
    vector_schedule(kind="entry", pk=entry.pk)
    audit_record(actor=actor, action=f"bank_entry.import_{outcome}", instance=entry)
    return entry, outcome


def exchange_source_get(*, origin: str) -> ExchangeSource:
    """Return the source ``origin``, recorded (its entries waiting in review, trusted for its
    own entries only) the first time it is read."""
    source, _created = ExchangeSource.objects.get_or_create(origin=origin[:300])
    return source


@transaction.atomic
def exchange_source_update(
    *,
    source: ExchangeSource,
    actor: Any = None,
    publish_directly: bool | None = None,
    trusted_as_relay: bool | None = None,
    read: bool = False,
) -> ExchangeSource:
    """Record the coordinators' choices about ``source`` (those given), or that it was read."""
    source = ExchangeSource.objects.select_for_update().get(pk=source.pk)
    before = audit_snapshot(source)
    changed = []
    for name, value in (
        ("publish_directly", publish_directly),
        ("trusted_as_relay", trusted_as_relay),
    ):
        if value is not None and getattr(source, name) != value:
            setattr(source, name, value)
            changed.append(name)
    if read:
        source.last_read_at = timezone.now()
        changed.append("last_read_at")
    if changed:
        source.save(update_fields=changed)
    if set(changed) - {"last_read_at"}:
        audit_record(actor=actor, action="exchange_source.update", instance=source, before=before)
    return source


# News ------------------------------------------------------------------------------------

NEWS_FIELDS = ("title_sv", "title_en", "body_sv", "body_en")


def _check_news(fields: dict[str, Any]) -> None:
    if not (fields.get("title_sv") or "").strip() and not (fields.get("title_en") or "").strip():
        raise ValidationError({"title_sv": _("Give the news a title in Swedish or English.")})


@transaction.atomic
def news_create(*, partnership: Partnership, actor: Any, **fields: Any) -> News:
    check_fields(fields, NEWS_FIELDS)
    fields = _clean(fields)
    _check_news(fields)
    news = News.objects.create(
        partnership=partnership,
        slug=_unique_slug(News, partnership, fields.get("title_sv") or fields.get("title_en", "")),
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    audit_record(actor=actor, action="news.create", instance=news)
    return news


@transaction.atomic
def news_update(*, news: News, actor: Any, **changes: Any) -> News:
    check_fields(changes, NEWS_FIELDS)
    news = News.objects.select_for_update().get(pk=news.pk)
    before = audit_snapshot(news)
    changes = _clean(changes)
    _check_news({f: getattr(news, f) for f in NEWS_FIELDS} | changes)
    changed = apply_changes(news, changes)
    if changed:
        news.version += 1
        news.save(update_fields=[*changed, "version", "updated_at"])
        audit_record(actor=actor, action="news.update", instance=news, before=before)
    return news


@transaction.atomic
def news_publish(
    *, news: News, actor: Any, publish: bool = True, seen_version: int | None = None
) -> News:
    """Publish a news item (dated now the first time) or take it back to draft. Publishing
    names the version the person saw (``seen_version``); a changed item is refused."""
    news = News.objects.select_for_update().get(pk=news.pk)
    target = News.State.PUBLISHED if publish else News.State.DRAFT
    if news.state == target:
        raise ValidationError(
            _("The news item is already published.")
            if publish
            else _("The news item is not published.")
        )
    if publish and seen_version != news.version:
        raise ValidationError(
            _("The news item has changed since you opened it. Read it again below, then publish."),
            code="changed",
        )
    before = audit_snapshot(news)
    news.state = target
    fields = ["state", "updated_at"]
    if publish and news.published_at is None:
        news.published_at = timezone.now()
        fields.append("published_at")
    news.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="news.publish" if publish else "news.unpublish",
        instance=news,
        before=before,
    )
    return news
