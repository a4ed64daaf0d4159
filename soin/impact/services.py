"""Writes for impact (SROI) analyses and the national bank of financial proxies: one
transaction each, with an audit entry (and a timeline row for a proxy's steps)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.accounts.permissions import has_perm
from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import apply_changes, check_fields
from soin.core.errors import TransitionNotAllowed
from soin.core.normalise import stored_terms
from soin.funding.models import Project
from soin.ideas.models import Idea
from soin.impact import workflow
from soin.impact.models import (
    Analysis,
    FinancialProxy,
    Input,
    Outcome,
    ProxyEvent,
    Stakeholder,
)
from soin.knowledge.models import Entry
from soin.regions.models import Partnership

MAX_DURATION = 50
SHARE_FIELDS = ("deadweight", "displacement", "attribution", "drop_off")


def _user(actor: Any) -> Any:
    """The person behind a change (None for the system: a command, the demo)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _text(value: Any) -> str:
    return str(value or "").strip()


def _check_percent(errors: dict[str, str], field: str, value: Decimal | None) -> None:
    if value is None or not Decimal(0) <= value <= Decimal(100):
        errors[field] = _("Enter a percentage from 0 to 100.")


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _lock(analysis: Analysis) -> Analysis:
    # Lock the analysis so that two people changing its parts see each other's changes.
    return Analysis.objects.select_for_update().select_related("partnership").get(pk=analysis.pk)


def _touch(analysis: Analysis) -> None:
    analysis.save(update_fields=["updated_at"])


def _part_saved(
    part: Stakeholder | Input | Outcome,
    changes: dict[str, Any],
    *,
    analysis: Analysis,
    actor: Any,
    action: str,
    before: dict[str, Any],
) -> None:
    """Apply ``changes`` to a part of the analysis and record them, if anything changed."""
    changed = apply_changes(part, changes)
    if changed:
        part.save(update_fields=changed)
        _touch(analysis)
        audit_record(
            actor=actor,
            action=action,
            instance=part,
            partnership=analysis.partnership,
            before=before,
        )


def _part_removed(
    part: Stakeholder | Input | Outcome, *, analysis: Analysis, actor: Any, action: str
) -> None:
    audit_record(
        actor=actor,
        action=action,
        instance=part,
        partnership=analysis.partnership,
        before=audit_snapshot(part),
        deleted=True,
    )
    part.delete()
    _touch(analysis)


# Analyses ----------------------------------------------------------------------------------

ANALYSIS_FIELDS = (
    "title",
    "description",
    "first_year",
    "discount_rate",
    "idea",
    "entry",
    "project",
)


def _check_analysis(partnership: Partnership, fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not fields["title"]:
        errors["title"] = _("Give the analysis a title.")
    year = fields["first_year"]
    if year is None or not 2000 <= year <= timezone.localdate().year + 10:
        errors["first_year"] = _("Choose a first year from 2000 to ten years from now.")
    _check_percent(errors, "discount_rate", fields["discount_rate"])
    idea, entry, project = fields["idea"], fields["entry"], fields["project"]
    if [idea, entry, project].count(None) != 2:
        errors["idea"] = _(
            "Choose what is analysed: one idea, one entry of the knowledge bank or one joint "
            "project."
        )
    elif idea is not None and idea.partnership_id != partnership.pk:
        errors["idea"] = _("Choose an idea of this partnership.")
    elif entry is not None and entry.partnership_id != partnership.pk:
        errors["entry"] = _("Choose an entry of this partnership's knowledge bank.")
    elif project is not None and project.partnership_id != partnership.pk:
        errors["project"] = _("Choose a project of this partnership.")
    _raise(errors)


@transaction.atomic
def analysis_create(
    *,
    partnership: Partnership,
    actor: Any,
    title: str,
    first_year: int,
    idea: Idea | None = None,
    entry: Entry | None = None,
    project: Project | None = None,
    discount_rate: Decimal = Decimal("3.50"),
    description: str = "",
) -> Analysis:
    """Start an SROI analysis of an idea, a knowledge-bank entry or a joint project of the
    partnership."""
    fields = {
        "title": _text(title),
        "description": _text(description),
        "first_year": first_year,
        "discount_rate": discount_rate,
        "idea": idea,
        "entry": entry,
        "project": project,
    }
    _check_analysis(partnership, fields)
    analysis = Analysis.objects.create(partnership=partnership, created_by=_user(actor), **fields)
    audit_record(actor=actor, action="impact_analysis.create", instance=analysis)
    return analysis


@transaction.atomic
def analysis_update(*, analysis: Analysis, actor: Any, **changes: Any) -> Analysis:
    check_fields(changes, ANALYSIS_FIELDS)
    analysis = _lock(analysis)
    before = audit_snapshot(analysis)
    for key in ("title", "description"):
        if key in changes:
            changes[key] = _text(changes[key])
    merged = {f: changes.get(f, getattr(analysis, f)) for f in ANALYSIS_FIELDS}
    _check_analysis(analysis.partnership, merged)
    changed = apply_changes(analysis, changes)
    if changed:
        analysis.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="impact_analysis.update", instance=analysis, before=before)
    return analysis


# Stakeholders ------------------------------------------------------------------------------


def _check_stakeholder(analysis: Analysis, name: str, exclude: int | None) -> None:
    if not name:
        raise ValidationError({"name": _("Name the stakeholder.")})
    clash = analysis.stakeholders.filter(name__iexact=name)
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"name": _("The analysis already has a stakeholder of that name.")})


@transaction.atomic
def stakeholder_add(
    *, analysis: Analysis, actor: Any, name: str, description: str = ""
) -> Stakeholder:
    analysis = _lock(analysis)
    name = _text(name)
    _check_stakeholder(analysis, name, None)
    stakeholder = Stakeholder.objects.create(
        analysis=analysis, name=name, description=_text(description)
    )
    _touch(analysis)
    audit_record(
        actor=actor,
        action="impact_stakeholder.create",
        instance=stakeholder,
        partnership=analysis.partnership,
    )
    return stakeholder


@transaction.atomic
def stakeholder_update(*, stakeholder: Stakeholder, actor: Any, **changes: Any) -> Stakeholder:
    check_fields(changes, ("name", "description"))
    analysis = _lock(stakeholder.analysis)
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    before = audit_snapshot(stakeholder)
    changes = {k: _text(v) for k, v in changes.items()}
    if "name" in changes:
        _check_stakeholder(analysis, changes["name"], stakeholder.pk)
    _part_saved(
        stakeholder,
        changes,
        analysis=analysis,
        actor=actor,
        action="impact_stakeholder.update",
        before=before,
    )
    return stakeholder


@transaction.atomic
def stakeholder_remove(*, stakeholder: Stakeholder, actor: Any) -> None:
    analysis = _lock(stakeholder.analysis)
    stakeholder = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    if stakeholder.inputs.exists() or stakeholder.outcomes.exists():
        raise ValidationError(
            _("Remove the stakeholder's inputs and outcomes first."), code="in_use"
        )
    _part_removed(stakeholder, analysis=analysis, actor=actor, action="impact_stakeholder.delete")


def _check_stakeholder_of(analysis: Analysis, stakeholder: Stakeholder | None) -> None:
    if stakeholder is None or stakeholder.analysis_id != analysis.pk:
        raise ValidationError({"stakeholder": _("Choose a stakeholder of this analysis.")})


# Inputs ------------------------------------------------------------------------------------

INPUT_FIELDS = ("stakeholder", "description", "value")


def _check_input(analysis: Analysis, fields: dict[str, Any]) -> None:
    _check_stakeholder_of(analysis, fields["stakeholder"])
    errors: dict[str, str] = {}
    if not fields["description"]:
        errors["description"] = _("Describe the input.")
    if fields["value"] is None or fields["value"] < 0:
        errors["value"] = _("Enter the value in SEK, zero or more.")
    _raise(errors)


@transaction.atomic
def input_add(
    *,
    analysis: Analysis,
    actor: Any,
    stakeholder: Stakeholder,
    description: str,
    value: Decimal,
) -> Input:
    analysis = _lock(analysis)
    fields = {"stakeholder": stakeholder, "description": _text(description), "value": value}
    _check_input(analysis, fields)
    item = Input.objects.create(analysis=analysis, **fields)
    _touch(analysis)
    audit_record(
        actor=actor, action="impact_input.create", instance=item, partnership=analysis.partnership
    )
    return item


@transaction.atomic
def input_update(*, item: Input, actor: Any, **changes: Any) -> Input:
    check_fields(changes, INPUT_FIELDS)
    analysis = _lock(item.analysis)
    item = Input.objects.select_for_update().get(pk=item.pk)
    before = audit_snapshot(item)
    if "description" in changes:
        changes["description"] = _text(changes["description"])
    _check_input(analysis, {f: changes.get(f, getattr(item, f)) for f in INPUT_FIELDS})
    _part_saved(
        item, changes, analysis=analysis, actor=actor, action="impact_input.update", before=before
    )
    return item


@transaction.atomic
def input_remove(*, item: Input, actor: Any) -> None:
    analysis = _lock(item.analysis)
    item = Input.objects.select_for_update().get(pk=item.pk)
    _part_removed(item, analysis=analysis, actor=actor, action="impact_input.delete")


# Outcomes ----------------------------------------------------------------------------------

OUTCOME_FIELDS = (
    "stakeholder",
    "output",
    "description",
    "indicator",
    "quantity",
    "proxy",
    "proxy_value",
    "proxy_source",
    "proxy_source_url",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
    "duration",
)


def _check_outcome(analysis: Analysis, fields: dict[str, Any], current: Outcome | None) -> None:
    _check_stakeholder_of(analysis, fields["stakeholder"])
    errors: dict[str, str] = {}
    if not fields["description"]:
        errors["description"] = _("Describe the outcome.")
    if not fields["indicator"]:
        errors["indicator"] = _("Say how the outcome is measured (the indicator).")
    if fields["quantity"] is None or fields["quantity"] < 0:
        errors["quantity"] = _("Enter the quantity, zero or more.")
    for field in SHARE_FIELDS:
        _check_percent(errors, field, fields[field])
    duration = fields["duration"]
    if duration is None or not 1 <= duration <= MAX_DURATION:
        errors["duration"] = _("Enter a duration from 1 to 50 years.")
    proxy: FinancialProxy | None = fields["proxy"]
    if proxy is not None:
        # An outcome may keep the version it used, even once retired; a new choice must be
        # an approved proxy of the bank.
        kept = current is not None and current.proxy_id == proxy.pk
        if not kept and proxy.state != FinancialProxy.State.APPROVED:
            errors["proxy"] = _("Choose an approved proxy of the bank.")
        if fields["proxy_value"] is not None:
            errors["proxy_value"] = _(
                "Either choose a proxy from the bank or enter one for the analysis, not both."
            )
    else:
        if fields["proxy_value"] is None or fields["proxy_value"] < 0:
            errors["proxy_value"] = _(
                "Choose a proxy from the bank or enter its value in SEK for this analysis."
            )
        if not fields["proxy_source"]:
            errors["proxy_source"] = _("Say where the proxy's value comes from (its source).")
    _raise(errors)


def _outcome_fields(fields: dict[str, Any]) -> dict[str, Any]:
    for key in ("output", "description", "indicator", "proxy_source", "proxy_source_url"):
        if key in fields:
            fields[key] = _text(fields[key])
    if fields.get("proxy") is not None:
        # A bank proxy carries its own value and source.
        fields.update(proxy_value=None, proxy_source="", proxy_source_url="")
    return fields


@transaction.atomic
def outcome_add(
    *,
    analysis: Analysis,
    actor: Any,
    stakeholder: Stakeholder,
    description: str,
    indicator: str,
    quantity: Decimal,
    proxy: FinancialProxy | None = None,
    proxy_value: Decimal | None = None,
    proxy_source: str = "",
    proxy_source_url: str = "",
    output: str = "",
    deadweight: Decimal = Decimal(0),
    displacement: Decimal = Decimal(0),
    attribution: Decimal = Decimal(0),
    drop_off: Decimal = Decimal(0),
    duration: int = 1,
) -> Outcome:
    analysis = _lock(analysis)
    given = {
        "stakeholder": stakeholder,
        "output": output,
        "description": description,
        "indicator": indicator,
        "quantity": quantity,
        "proxy": proxy,
        "proxy_value": proxy_value,
        "proxy_source": proxy_source,
        "proxy_source_url": proxy_source_url,
        "deadweight": deadweight,
        "displacement": displacement,
        "attribution": attribution,
        "drop_off": drop_off,
        "duration": duration,
    }
    for key in ("output", "description", "indicator", "proxy_source", "proxy_source_url"):
        given[key] = _text(given[key])
    _check_outcome(analysis, given, None)
    outcome = Outcome.objects.create(analysis=analysis, **_outcome_fields(given))
    _touch(analysis)
    audit_record(
        actor=actor,
        action="impact_outcome.create",
        instance=outcome,
        partnership=analysis.partnership,
    )
    return outcome


@transaction.atomic
def outcome_update(*, outcome: Outcome, actor: Any, **changes: Any) -> Outcome:
    check_fields(changes, OUTCOME_FIELDS)
    analysis = _lock(outcome.analysis)
    outcome = (
        Outcome.objects.select_for_update(of=("self",)).select_related("proxy").get(pk=outcome.pk)
    )
    before = audit_snapshot(outcome)
    for key in ("output", "description", "indicator", "proxy_source", "proxy_source_url"):
        if key in changes:
            changes[key] = _text(changes[key])
    merged = {f: changes.get(f, getattr(outcome, f)) for f in OUTCOME_FIELDS}
    _check_outcome(analysis, merged, outcome)
    if merged["proxy"] is not None:
        # A bank proxy carries its own value and source.
        changes.update(proxy_value=None, proxy_source="", proxy_source_url="")
    _part_saved(
        outcome,
        changes,
        analysis=analysis,
        actor=actor,
        action="impact_outcome.update",
        before=before,
    )
    return outcome


@transaction.atomic
def outcome_remove(*, outcome: Outcome, actor: Any) -> None:
    analysis = _lock(outcome.analysis)
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    _part_removed(outcome, analysis=analysis, actor=actor, action="impact_outcome.delete")


def latest_version(proxy: FinancialProxy) -> FinancialProxy:
    """The newest approved version in the proxy's line (the proxy itself if none is newer)."""
    newest = proxy
    current = proxy
    while True:
        following = (
            FinancialProxy.objects.filter(previous=current)
            .exclude(state=FinancialProxy.State.REJECTED)
            .first()
        )
        if following is None:
            return newest
        if following.state == FinancialProxy.State.APPROVED:
            newest = following
        current = following


@transaction.atomic
def outcome_proxy_update(*, outcome: Outcome, actor: Any) -> Outcome:
    """Move the outcome to the newest approved version of the bank proxy it uses."""
    analysis = _lock(outcome.analysis)
    outcome = (
        Outcome.objects.select_for_update(of=("self",)).select_related("proxy").get(pk=outcome.pk)
    )
    if outcome.proxy is None:
        raise ValidationError(_("The outcome uses a proxy of its own, not one from the bank."))
    newest = latest_version(outcome.proxy)
    if newest.pk == outcome.proxy_id:
        raise ValidationError(_("The outcome already uses the newest version of its proxy."))
    before = audit_snapshot(outcome)
    outcome.proxy = newest
    outcome.save(update_fields=["proxy"])
    _touch(analysis)
    audit_record(
        actor=actor,
        action="impact_outcome.proxy_update",
        instance=outcome,
        partnership=analysis.partnership,
        before=before,
    )
    return outcome


# The bank of financial proxies -------------------------------------------------------------

PROXY_FIELDS = (
    "stakeholder",
    "outcome",
    "indicator",
    "value",
    "currency",
    "price_year",
    "source",
    "source_url",
)


def _proxy_fields(fields: dict[str, Any]) -> dict[str, Any]:
    for key in ("stakeholder", "outcome", "indicator", "source", "source_url"):
        fields[key] = _text(fields[key])
    fields["currency"] = _text(fields["currency"]).upper() or "SEK"
    errors: dict[str, str] = {}
    for key, message in (
        ("stakeholder", _("Name the stakeholder the proxy is for.")),
        ("outcome", _("Describe the outcome the proxy values.")),
        ("indicator", _("Say how the outcome is measured (the indicator).")),
        ("source", _("Give the proxy's source.")),
    ):
        if not fields[key]:
            errors[key] = message
    if fields["value"] is None or fields["value"] < 0:
        errors["value"] = _("Enter the proxy's value, zero or more.")
    if len(fields["currency"]) != 3 or not fields["currency"].isalpha():
        errors["currency"] = _("Enter the currency as three letters (SEK, EUR).")
    year = fields["price_year"]
    if year is None or not 1990 <= year <= timezone.localdate().year:
        errors["price_year"] = _("Enter the price year, from 1990 to this year.")
    _raise(errors)
    return fields


def _proxy_event(proxy: FinancialProxy, kind: str, actor: Any, note: str = "") -> None:
    ProxyEvent.objects.create(proxy=proxy, kind=kind, actor=_user(actor), note=note)


def _check_may_propose(actor: Any, partnership: Partnership | None) -> None:
    if actor is not None and not has_perm(actor, "proxies.propose", partnership):
        raise ValidationError(_("You may not propose financial proxies."), code="role")


@transaction.atomic
def proxy_propose(
    *,
    actor: Any,
    partnership: Partnership | None,
    stakeholder: str,
    outcome: str,
    indicator: str,
    value: Decimal,
    price_year: int,
    source: str,
    currency: str = "SEK",
    source_url: str = "",
) -> FinancialProxy:
    """Propose a financial proxy for the national bank (from ``partnership``'s back office)."""
    _check_may_propose(actor, partnership)
    fields = _proxy_fields(
        {
            "stakeholder": stakeholder,
            "outcome": outcome,
            "indicator": indicator,
            "value": value,
            "currency": currency,
            "price_year": price_year,
            "source": source,
            "source_url": source_url,
        }
    )
    proxy = FinancialProxy.objects.create(
        proposed_in=partnership,
        proposed_by=_user(actor),
        search_terms=stored_terms(*(fields[f] for f in FinancialProxy.SEARCHED)),
        **fields,
    )
    _proxy_event(proxy, ProxyEvent.Kind.PROPOSED, actor)
    audit_record(actor=actor, action="proxy.propose", instance=proxy, partnership=partnership)
    return proxy


@transaction.atomic
def proxy_new_version(
    *, proxy: FinancialProxy, actor: Any, partnership: Partnership | None, **fields: Any
) -> FinancialProxy:
    """Propose the next version of an approved proxy (the approved one is never edited). When
    it is approved, it replaces this one."""
    _check_may_propose(actor, partnership)
    check_fields(fields, PROXY_FIELDS)
    proxy = FinancialProxy.objects.select_for_update().get(pk=proxy.pk)
    if proxy.state != FinancialProxy.State.APPROVED:
        raise ValidationError(
            _("Only an approved proxy gets a new version; change the proposal itself instead."),
            code="state",
        )
    if (
        FinancialProxy.objects.filter(previous=proxy)
        .exclude(state=FinancialProxy.State.REJECTED)
        .exists()
    ):
        raise ValidationError(
            _("A new version of this proxy has already been proposed."), code="exists"
        )
    merged = _proxy_fields({f: fields.get(f, getattr(proxy, f)) for f in PROXY_FIELDS})
    if all(merged[f] == getattr(proxy, f) for f in PROXY_FIELDS):
        raise ValidationError(_("Change something: the new version is the same as this one."))
    version = FinancialProxy.objects.create(
        previous=proxy,
        version=proxy.version + 1,
        proposed_in=partnership,
        proposed_by=_user(actor),
        search_terms=stored_terms(*(merged[f] for f in FinancialProxy.SEARCHED)),
        **merged,
    )
    _proxy_event(version, ProxyEvent.Kind.PROPOSED, actor)
    audit_record(actor=actor, action="proxy.new_version", instance=version, partnership=partnership)
    return version


@transaction.atomic
def proxy_move(*, proxy: FinancialProxy, actor: Any, move: str, note: str = "") -> FinancialProxy:
    """Approve or reject a proposal. Approving a new version retires the one before."""
    proxy = FinancialProxy.objects.select_for_update().get(pk=proxy.pk)
    step = workflow.ensure_allowed(proxy, move, actor)
    if step.internal:
        # Retiring follows only from approving the next version.
        raise TransitionNotAllowed(_("There is no such step for a financial proxy."))
    note = _text(note)
    if step.needs_reason and not note:
        raise ValidationError({"note": _("Give the reason.")}, code="reason")
    before = audit_snapshot(proxy)
    if step.name == "approve" and proxy.previous_id is not None:
        previous = FinancialProxy.objects.select_for_update().get(pk=proxy.previous_id)
        workflow.ensure_allowed(previous, "retire", None)
        previous_before = audit_snapshot(previous)
        previous.state = FinancialProxy.State.RETIRED
        previous.save(update_fields=["state", "updated_at"])
        _proxy_event(
            previous,
            ProxyEvent.Kind.RETIRED,
            actor,
            _("Replaced by version %(version)s.") % {"version": proxy.version},
        )
        audit_record(
            actor=actor,
            action="proxy.retire",
            instance=previous,
            partnership=None,
            before=previous_before,
        )
    proxy.state = step.target
    proxy.decided_by = _user(actor)
    proxy.decided_at = timezone.now()
    proxy.decision_note = note
    proxy.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "updated_at"])
    kind = ProxyEvent.Kind.APPROVED if step.name == "approve" else ProxyEvent.Kind.REJECTED
    _proxy_event(proxy, kind, actor, note)
    audit_record(
        actor=actor, action=f"proxy.{step.name}", instance=proxy, partnership=None, before=before
    )
    return proxy
