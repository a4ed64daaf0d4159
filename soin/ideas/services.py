"""Every change to ideas: intake from each channel, documentation, the advisory process and
the contact log. One transaction each, with a timeline row and an audit entry."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import apply_changes, check_fields
from soin.core.normalise import stored_terms, terms_of
from soin.core.storage import atomic_with_files, save_file
from soin.core.text import stems
from soin.core.tokens import object_token
from soin.ideas import workflow
from soin.ideas.models import CarrierContact, Challenge, Idea, IdeaEvent
from soin.meaning.services import vector_schedule
from soin.partners.models import Organisation
from soin.regions.models import Partnership

INTAKE_FIELDS = (
    "title",
    "description",
    "carrier_category",
    "municipality",
    "carrier_name",
    "carrier_organisation",
    "carrier_email",
    "carrier_phone",
    "language",
)
DOCUMENTATION_FIELDS = (
    "solution_type",
    "new_for",
    "similar_solutions",
    "evaluated",
    "evaluation",
    "evidence_level",
    "can_spread",
    "spread_to",
)


def stems_field(text: str, language: str) -> str:
    """Return the stored form of a text's stems: unique, sorted, space-delimited on both
    sides so that a stem can be matched whole."""
    return f" {' '.join(sorted(set(stems(text, language))))} "


def status_token(idea: Idea) -> str:
    """Return the secret part of the carrier's private status link. It is not stored: it is
    derived from the idea, its nonce and the site's secret key."""
    return object_token("idea-status", idea.pk, idea.status_nonce)


def _next_number(partnership: Partnership, received_on: datetime.date) -> str:
    # Lock the partnership's row so that two ideas registered at once get different numbers.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    prefix = f"{received_on.year}-"
    count = Idea.objects.filter(partnership=partnership, number__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


def _check_intake(partnership: Partnership, fields: dict[str, Any]) -> None:
    check_fields(fields, INTAKE_FIELDS)
    errors: dict[str, str] = {}
    if not str(fields.get("description", "")).strip():
        errors["description"] = _("Describe the idea in a few sentences.")
    if not str(fields.get("title", "")).strip():
        errors["title"] = _("Give the idea a short name.")
    if fields.get("carrier_category") not in Idea.CarrierCategory.values:
        errors["carrier_category"] = _("Choose who brings the idea.")
    municipality = fields.get("municipality")
    if municipality is not None and municipality.region_id != partnership.region_id:
        errors["municipality"] = _("Choose a municipality in %(region)s.") % {
            "region": partnership.region.name
        }
    if errors:
        raise ValidationError(errors)


def _create(
    *,
    partnership: Partnership,
    actor: Any,
    channel: str,
    received_on: datetime.date,
    stage: str,
    channelled_by: Organisation | None = None,
    activity: Any = None,
    note: str = "",
    **fields: Any,
) -> Idea:
    _check_intake(partnership, fields)
    number = _next_number(partnership, received_on)
    idea = Idea.objects.create(
        activity=activity,
        partnership=partnership,
        number=number,
        channel=channel,
        received_on=received_on,
        registered_by=actor if getattr(actor, "pk", None) else None,
        channelled_by=channelled_by,
        stage=stage,
        status_nonce=secrets.token_hex(16),
        search_stems=stems_field(
            f"{fields.get('title', '')} {fields.get('description', '')}",
            fields.get("language", "sv"),
        ),
        search_terms=stored_terms(
            number, *(str(fields.get(f, "")) for f in Idea.SEARCHED if f != "number")
        ),
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()},
    )
    IdeaEvent.objects.create(
        idea=idea,
        kind=IdeaEvent.Kind.RECEIVED,
        to_stage=stage,
        actor=idea.registered_by,
        note=note,
        public=True,
    )
    audit_record(actor=actor, action="idea.create", instance=idea)
    vector_schedule(kind="idea", pk=idea.pk)
    return idea


@transaction.atomic
def idea_submit(*, partnership: Partnership, consent_text: str, **fields: Any) -> tuple[Idea, str]:
    """Take in an idea from the public form. Return the idea and the secret part of the
    carrier's private status link. The receipt is mailed after commit."""
    from soin.ideas.tasks import send_receipt

    if not consent_text:
        raise ValidationError(_("The idea cannot be received without consent."))
    idea = _create(
        partnership=partnership,
        actor=None,
        channel=Idea.Channel.WEB,
        received_on=timezone.localdate(),
        stage=Idea.Stage.RECEIVED,
        **fields,
    )
    idea.consent_at = timezone.now()
    idea.consent_text = consent_text
    idea.save(update_fields=["consent_at", "consent_text"])
    if idea.carrier_email:
        transaction.on_commit(lambda: send_receipt.enqueue(idea_id=idea.pk))
    return idea, status_token(idea)


@transaction.atomic
def idea_register(
    *,
    partnership: Partnership,
    actor: Any,
    channel: str,
    received_on: datetime.date,
    activity: Any = None,
    **fields: Any,
) -> Idea:
    """Register an idea that staff met or received: at an outreach stop or a seminar (the
    ``activity`` where it was met), by e-mail or phone. It starts as registered."""
    if channel not in Idea.Channel.values or channel == Idea.Channel.WEB:
        raise ValidationError({"channel": _("Choose where the idea was met.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    if activity is not None:
        if activity.partnership_id != partnership.pk:
            raise ValidationError({"activity": _("Choose an activity of this partnership.")})
        if timezone.localdate(activity.starts_at) > received_on:
            raise ValidationError(
                {"activity": _("The idea cannot have been met before the activity took place.")}
            )
        if fields.get("municipality") is None:
            fields["municipality"] = activity.municipality
    return _create(
        partnership=partnership,
        actor=actor,
        channel=channel,
        received_on=received_on,
        stage=Idea.Stage.REGISTERED,
        activity=activity,
        **fields,
    )


@transaction.atomic
def idea_channel(
    *, partnership: Partnership, actor: Any, organisation: Organisation, **fields: Any
) -> Idea:
    """Take in an idea a partner contact channels from their organisation."""
    if organisation.partnership_id != partnership.pk:
        raise ValidationError(_("Choose an organisation in this partnership."))
    return _create(
        partnership=partnership,
        actor=actor,
        channel=Idea.Channel.PARTNER,
        received_on=timezone.localdate(),
        stage=Idea.Stage.RECEIVED,
        channelled_by=organisation,
        **fields,
    )


def _lock(idea: Idea) -> Idea:
    # Lock the row: of two advisors moving the same idea at once, the second sees the first's
    # result and is checked against it.
    return Idea.objects.select_for_update().select_related("partnership").get(pk=idea.pk)


@transaction.atomic
def idea_move(
    *,
    idea: Idea,
    actor: Any,
    move: str,
    note: str = "",
    referred_to: Organisation | None = None,
    notify: bool = True,
) -> Idea:
    """Take a step in the advisory process (see ``ideas/workflow.py``). With ``notify`` off
    (imports of past years) nobody is mailed."""
    idea = _lock(idea)
    step = workflow.ensure_allowed(idea, move, actor)
    note = note.strip()
    if step.needs_reason and not note:
        raise ValidationError({"note": _("Say why.")})
    before = audit_snapshot(idea)
    fields = ["stage", "stage_changed_at"]
    if step.name == "refer":
        if referred_to is None or referred_to.partnership_id != idea.partnership_id:
            raise ValidationError(
                {"referred_to": _("Choose the partner organisation that takes over the idea.")}
            )
        idea.referred_to = referred_to
        fields.append("referred_to")
        note = note or referred_to.name
    if step.name == "take" and idea.handler_id is None and getattr(actor, "pk", None):
        idea.handler = actor
        fields.append("handler")
    from_stage = idea.stage
    idea.stage = step.target
    idea.stage_changed_at = timezone.now()
    idea.save(update_fields=fields)
    IdeaEvent.objects.create(
        idea=idea,
        kind=IdeaEvent.Kind.MOVED,
        from_stage=from_stage,
        to_stage=idea.stage,
        actor=actor,
        note=note,
        public=True,
    )
    audit_record(actor=actor, action=f"idea.{step.name}", instance=idea, before=before)
    if notify:
        _notify_after_commit(idea, step.name)
    return idea


def _notify_after_commit(idea: Idea, move: str) -> None:
    from soin.ideas import tasks

    idea_id, stage = idea.pk, idea.stage
    if move in tasks.CARRIER_NOTICES and idea.carrier_email:
        # The stage goes with the task: the mail tells of this step, even if the idea has
        # moved on again by the time the worker sends it.
        transaction.on_commit(
            lambda: tasks.notify_carrier.enqueue(idea_id=idea_id, move=move, stage=stage)
        )
    if move == "refer":
        transaction.on_commit(lambda: tasks.notify_receiving_partner.enqueue(idea_id=idea_id))


@transaction.atomic
def idea_escalate(*, idea: Idea, actor: Any, note: str) -> Idea:
    """Bring the idea to the extended advisory group (the primary group is the first filter)."""
    idea = _lock(idea)
    if not workflow.may(actor, idea, workflow.MOVES["take"]):
        raise ValidationError(_("You may not move this idea between the advisory groups."))
    if idea.tier == Idea.Tier.EXTENDED:
        raise ValidationError(_("The idea is already with the extended advisory group."))
    if idea.stage not in workflow.OPEN:
        raise ValidationError(_("Only an open idea can be escalated."))
    if not note.strip():
        raise ValidationError({"note": _("Say why.")})
    before = audit_snapshot(idea)
    idea.tier = Idea.Tier.EXTENDED
    idea.save(update_fields=["tier"])
    IdeaEvent.objects.create(
        idea=idea, kind=IdeaEvent.Kind.ESCALATED, actor=actor, note=note.strip()
    )
    audit_record(actor=actor, action="idea.escalate", instance=idea, before=before)
    return idea


@transaction.atomic
def idea_record_outcome(*, idea: Idea, actor: Any, outcome: str, note: str = "") -> Idea:
    """Record what became of the idea (a funding application, a social enterprise, …)."""
    idea = _lock(idea)
    if not workflow.may(actor, idea, workflow.MOVES["develop"]):
        raise ValidationError(_("You may not record the outcome of this idea."))
    if outcome not in Idea.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if outcome == Idea.Outcome.OUTSIDE_BODY and not note.strip():
        raise ValidationError({"note": _("Name the body the idea was handed to.")})
    before = audit_snapshot(idea)
    idea.outcome, idea.outcome_note = outcome, note.strip()
    idea.save(update_fields=["outcome", "outcome_note"])
    IdeaEvent.objects.create(
        idea=idea,
        kind=IdeaEvent.Kind.OUTCOME,
        actor=actor,
        note=f"{idea.get_outcome_display()} {idea.outcome_note}".strip(),
        public=bool(outcome),
    )
    audit_record(actor=actor, action="idea.outcome", instance=idea, before=before)
    return idea


@transaction.atomic
def idea_document(
    *, idea: Idea, actor: Any, challenges: list[Challenge] | None = None, **fields: Any
) -> Idea:
    """Fill in or change the documentation template (seed 001 annex 8)."""
    check_fields(fields, DOCUMENTATION_FIELDS)
    idea = _lock(idea)
    if not workflow.may(actor, idea, workflow.MOVES["develop"]):
        raise ValidationError(_("You may not document this idea."))
    before = audit_snapshot(idea)
    before["challenges"] = sorted(idea.challenges.values_list("key", flat=True))
    changed = apply_changes(idea, fields)
    if changed:
        idea.save(update_fields=changed)
    if challenges is not None:
        allowed = Challenge.objects.filter(partnership__isnull=True) | Challenge.objects.filter(
            partnership=idea.partnership
        )
        if any(c not in allowed for c in challenges):
            raise ValidationError({"challenges": _("Choose among this partnership's challenges.")})
        if set(challenges) != set(idea.challenges.all()):
            idea.challenges.set(challenges)
            changed.append("challenges")
    if changed:
        IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.DOCUMENTED, actor=actor)
        after = audit_snapshot(idea)
        after["challenges"] = sorted(idea.challenges.values_list("key", flat=True))
        audit_record(actor=actor, action="idea.document", instance=idea, before=before, after=after)
    return idea


@transaction.atomic
def carrier_contact_add(
    *, idea: Idea, actor: Any, happened_on: datetime.date, means: str, summary: str
) -> CarrierContact:
    """Note a conversation with the carrier in the contact log."""
    idea = _lock(idea)
    if not workflow.may(actor, idea, workflow.MOVES["develop"]):
        raise ValidationError(_("You may not add to this idea's contact log."))
    if not summary.strip():
        raise ValidationError({"summary": _("Say what was said.")})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("The date cannot be in the future.")})
    contact = CarrierContact.objects.create(
        idea=idea, happened_on=happened_on, means=means, summary=summary.strip(), actor=actor
    )
    IdeaEvent.objects.create(
        idea=idea, kind=IdeaEvent.Kind.CONTACT, actor=actor, note=contact.get_means_display()
    )
    audit_record(actor=actor, action="idea.contact", instance=contact, partnership=idea.partnership)
    return contact


def consent_information(*, partnership: Partnership) -> str:
    """Return the information GDPR Art. 13 requires at collection, in the active language.
    The exact text shown is stored with the carrier's consent."""
    from django.conf import settings

    return _(
        "%(controller)s is responsible for the personal data you give here (name, e-mail, "
        "phone, organisation). We use it to advise you on your idea, to contact you about it "
        "and, without your name, for statistics on the ideas we meet. The legal basis is your "
        "consent, which you can withdraw at any time. Your idea and your contact details are "
        "read by %(partnership)s's advisors and, if your idea is passed on, by the partner "
        "organisation that takes it over. An idea sent to a public body becomes an official "
        "document; your contact details are removed when the idea is closed and the time the "
        "partnership keeps them has passed. You have the right to see, correct and have erased "
        "the data about you, and to complain to the Swedish Authority for Privacy Protection "
        "(IMY). Contact: %(email)s."
    ) % {
        "controller": settings.SOIN_OPERATOR_NAME,
        "partnership": partnership.name,
        "email": partnership.contact_email or settings.SOIN_OPERATOR_EMAIL,
    }


def _lock_pair(first: Idea, second: Idea) -> tuple[Idea, Idea]:
    # Always lock in the same order, so that two people acting on the same pair in opposite
    # directions wait for each other instead of deadlocking.
    locked = {
        i.pk: i
        for i in Idea.objects.select_for_update()
        .select_related("partnership")
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    return locked[first.pk], locked.get(second.pk, locked[first.pk])


def _check_pair(idea: Idea, other: Idea, actor: Any) -> None:
    if idea.pk == other.pk or idea.partnership_id != other.partnership_id:
        raise ValidationError(_("Choose another idea of the same partnership."))
    if not workflow.may(actor, idea, workflow.MOVES["take"]):
        raise ValidationError(_("You may not link or merge ideas."))


@transaction.atomic
def idea_link(*, idea: Idea, other: Idea, actor: Any) -> Idea:
    """Note that two ideas are alike: each shows the other."""
    idea, other = _lock_pair(idea, other)
    _check_pair(idea, other, actor)
    if idea.related.filter(pk=other.pk).exists():
        return idea
    idea.related.add(other)
    for a, b in ((idea, other), (other, idea)):
        IdeaEvent.objects.create(
            idea=a, kind=IdeaEvent.Kind.LINKED, actor=actor, note=f"{b.number} {b.title}"
        )
    audit_record(actor=actor, action="idea.link", instance=idea, after={"related": [other.number]})
    return idea


@transaction.atomic
def idea_merge(*, duplicate: Idea, into: Idea, actor: Any) -> Idea:
    """Merge ``duplicate`` into ``into``: the duplicate leaves the lists and shows on the other
    idea's page; both keep their own history, and the merge can be undone."""
    duplicate, into = _lock_pair(duplicate, into)
    _check_pair(duplicate, into, actor)
    if duplicate.merged_into_id or into.merged_into_id:
        raise ValidationError(_("An idea that is merged into another cannot be merged again."))
    if duplicate.merged.exists():
        raise ValidationError(_("Undo the merges into this idea first."))
    before = audit_snapshot(duplicate)
    duplicate.merged_into = into
    duplicate.save(update_fields=["merged_into"])
    IdeaEvent.objects.create(
        idea=duplicate, kind=IdeaEvent.Kind.MERGED, actor=actor, note=f"{into.number} {into.title}"
    )
    IdeaEvent.objects.create(
        idea=into,
        kind=IdeaEvent.Kind.MERGED,
        actor=actor,
        note=f"{duplicate.number} {duplicate.title}",
    )
    audit_record(actor=actor, action="idea.merge", instance=duplicate, before=before)
    return into


@transaction.atomic
def idea_unmerge(*, duplicate: Idea, actor: Any) -> Idea:
    """Undo a merge: the duplicate becomes an idea of its own again."""
    duplicate = _lock(duplicate)
    into = duplicate.merged_into
    if into is None:
        raise ValidationError(_("This idea is not merged into another."))
    _check_pair(duplicate, into, actor)
    before = audit_snapshot(duplicate)
    duplicate.merged_into = None
    duplicate.save(update_fields=["merged_into"])
    for a, b in ((duplicate, into), (into, duplicate)):
        IdeaEvent.objects.create(
            idea=a, kind=IdeaEvent.Kind.UNMERGED, actor=actor, note=f"{b.number} {b.title}"
        )
    audit_record(actor=actor, action="idea.unmerge", instance=duplicate, before=before)
    return duplicate


@atomic_with_files
def attachment_add(*, idea: Idea, actor: Any, upload: Any) -> Any:
    """Attach a file to the idea after checking its content and size."""
    from soin.core.uploads import DOCUMENTS, check_upload, display_name, stored_name
    from soin.ideas.models import Attachment

    idea = _lock(idea)
    if not workflow.may(actor, idea, workflow.MOVES["develop"]):
        raise ValidationError(_("You may not attach files to this idea."))
    data, content_type, ending = check_upload(upload, kinds=DOCUMENTS)
    attachment = Attachment(
        idea=idea,
        name=display_name(upload.name, ending),
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
    )
    # The stored name is random: nothing about the file can be guessed from its path.
    # The file and its row are kept together: if either fails, neither is kept.
    save_file(attachment.file, stored_name(ending), data)
    attachment.save()
    IdeaEvent.objects.create(
        idea=idea, kind=IdeaEvent.Kind.ATTACHED, actor=actor, note=attachment.name
    )
    audit_record(
        actor=actor, action="idea.attach", instance=attachment, partnership=idea.partnership
    )
    return attachment


@transaction.atomic
def challenge_add(*, partnership: Partnership, actor: Any, name_sv: str, name_en: str) -> Challenge:
    """Add a regional societal challenge (from the regional development strategy)."""
    from django.utils.text import slugify

    name_sv, name_en = name_sv.strip(), name_en.strip()
    if not name_sv:
        raise ValidationError({"name_sv": _("Name the challenge in Swedish.")})
    existing = Challenge.objects.filter(partnership=partnership)
    if existing.filter(name_sv__iexact=name_sv).exists():
        raise ValidationError({"name_sv": _("The partnership already has this challenge.")})
    base = slugify(name_sv)[:50] or "challenge"
    key, n = base, 2
    while existing.filter(key=key).exists():
        key, n = f"{base}-{n}", n + 1
    challenge = Challenge.objects.create(
        partnership=partnership,
        key=key,
        name_sv=name_sv,
        name_en=name_en or name_sv,
        position=100 + existing.count(),
    )
    audit_record(actor=actor, action="challenge.add", instance=challenge)
    return challenge


@transaction.atomic
def challenge_remove(*, challenge: Challenge, actor: Any) -> None:
    """Remove a regional challenge that no idea uses; the seven shared ones stay."""
    if challenge.partnership_id is None:
        raise ValidationError(_("The shared societal challenges cannot be removed."))
    if challenge.ideas.exists():
        raise ValidationError(
            _("%(count)s ideas answer this challenge; it cannot be removed.")
            % {"count": challenge.ideas.count()}
        )
    before = audit_snapshot(challenge)
    audit_record(
        actor=actor, action="challenge.remove", instance=challenge, before=before, deleted=True
    )
    challenge.delete()


@transaction.atomic
def idea_status_link_renew(*, idea: Idea, actor: Any) -> str:
    """Give the idea a new status link, mailed to the carrier after commit; every earlier link
    stops working (for a carrier who lost the mail, or whose link got into the wrong hands).
    Return the new secret part."""
    from soin.ideas.tasks import send_receipt

    idea = _lock(idea)
    if not workflow.may(actor, idea, workflow.MOVES["take"]):
        raise ValidationError(_("You may not renew this idea's status link."))
    if not idea.carrier_email:
        raise ValidationError(_("The carrier has no e-mail address to send a new link to."))
    idea.status_nonce = secrets.token_hex(16)
    idea.save(update_fields=["status_nonce"])
    audit_record(actor=actor, action="idea.status_link_renew", instance=idea)
    idea_id = idea.pk
    transaction.on_commit(lambda: send_receipt.enqueue(idea_id=idea_id))
    return status_token(idea)


# Free text of an idea that is kept as a document; a carrier's details are taken out of it.
_DOCUMENT_TEXT = ("title", "description", "similar_solutions", "evaluation", "spread_to")


@transaction.atomic
def idea_anonymise(*, idea: Idea, actor: Any, words: tuple[str, ...] = ()) -> dict[str, int]:
    """Take the carrier's personal data out of an idea that is kept as an official document:
    their name, e-mail, phone (and, for a private person, the organisation they named) go,
    every copy of them in the idea's text, timeline, contact log, file names and audit entries
    is replaced by a mark, and the private status link stops working. The idea's text,
    challenges, handling and timeline stay. ``words`` are further details of the same person
    to take out. Return how many rows were changed, per kind; nothing when there is nothing
    left to take out."""
    from soin.retention.redact import redact, redact_audit, redact_rows, words_of

    idea = _lock(idea)
    found = words_of(idea.carrier_name, idea.carrier_email, idea.carrier_phone, *words)
    if idea.carrier_category == Idea.CarrierCategory.PRIVATE:
        found = words_of(*found, idea.carrier_organisation)
    fields: list[str] = []
    for name in ("carrier_name", "carrier_email", "carrier_phone", "status_nonce"):
        if getattr(idea, name):
            setattr(idea, name, "")
            fields.append(name)
    if idea.carrier_category == Idea.CarrierCategory.PRIVATE and idea.carrier_organisation:
        idea.carrier_organisation = ""
        fields.append("carrier_organisation")
    for name in (*_DOCUMENT_TEXT, "outcome_note"):
        text = redact(getattr(idea, name), found)
        if text != getattr(idea, name):
            setattr(idea, name, text)
            fields.append(name)
    if {"title", "description"} & set(fields):
        idea.search_stems = stems_field(f"{idea.title} {idea.description}", idea.language)
        idea.search_terms = terms_of(idea)
        fields.extend(["search_stems", "search_terms"])
        vector_schedule(kind="idea", pk=idea.pk)
    counts = {
        "carrier_contacts": redact_rows(
            CarrierContact.objects.filter(idea=idea), ["summary"], found
        ),
        "timeline_entries": redact_rows(IdeaEvent.objects.filter(idea=idea), ["note"], found),
        "attachments": redact_rows(idea.attachments.all(), ["name"], found),
        "audit_entries": redact_audit(idea, found),
    }
    for contact in CarrierContact.objects.filter(idea=idea):
        counts["audit_entries"] += redact_audit(contact, found)
    if not fields and not any(counts.values()):
        return {}
    if fields:
        idea.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="idea.anonymise",
        instance=idea,
        before={},
        after={"anonymised": sorted(set(fields) - {"search_stems", "search_terms"})},
    )
    return {"ideas": 1 if fields else 0, **counts}
