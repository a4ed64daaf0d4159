"""Writes for yearly reports and key figures: one transaction each, with a timeline row
(reports) and an audit entry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import apply_changes
from soin.regions.models import Municipality, Partnership
from soin.reports import workflow
from soin.reports.figures import LANGUAGES, SECTION_KEYS, report_figures
from soin.reports.models import KeyFigure, ReportEvent, YearlyReport

MAX_TEXT = 20_000


def _user(actor: Any) -> Any:
    """The person behind a change (None for the system: a command, the demo)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(report: YearlyReport, kind: str, actor: Any, note: str = "", **fields: Any) -> None:
    ReportEvent.objects.create(report=report, kind=kind, actor=_user(actor), note=note, **fields)


def _lock(report: YearlyReport) -> YearlyReport:
    return YearlyReport.objects.select_for_update().select_related("partnership").get(pk=report.pk)


def _check_year(year: int) -> None:
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("Choose a year from 2000 to this year.")}, code="year")


@transaction.atomic
def report_create(*, partnership: Partnership, actor: Any, year: int) -> YearlyReport:
    """Start the yearly report for ``year`` as a draft."""
    _check_year(year)
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    if YearlyReport.objects.filter(partnership=partnership, year=year).exists():
        raise ValidationError(
            {"year": _("There is already a report for %(year)s.") % {"year": year}},
            code="exists",
        )
    report = YearlyReport.objects.create(partnership=partnership, year=year)
    _event(report, ReportEvent.Kind.CREATED, actor, to_state=report.state)
    audit_record(actor=actor, action="yearly_report.create", instance=report)
    return report


@transaction.atomic
def report_update(
    *, report: YearlyReport, actor: Any, narrative: dict[str, dict[str, str]]
) -> YearlyReport:
    """Replace the narrative of the sections named in ``narrative`` (each in Swedish and
    English). Only a draft can change."""
    report = _lock(report)
    workflow.ensure_editable(report)
    unknown = set(narrative) - set(SECTION_KEYS)
    if unknown:
        raise ValidationError(
            _("The report has no section %(sections)s.") % {"sections": ", ".join(sorted(unknown))}
        )
    text = dict(report.narrative)
    errors = {}
    for key, languages in narrative.items():
        if set(languages) - set(LANGUAGES):
            raise ValidationError(_("Texts can be written in Swedish and English only."))
        value = {
            lang: str(languages.get(lang, "")).replace("\r\n", "\n").strip() for lang in LANGUAGES
        }
        for lang, body in value.items():
            if len(body) > MAX_TEXT:
                errors[f"{key}_{lang}"] = _("Keep the text under %(max)s characters.") % {
                    "max": MAX_TEXT
                }
        text[key] = value
    if errors:
        raise ValidationError(errors)
    if text == report.narrative:
        return report
    before = audit_snapshot(report)
    report.narrative = text
    report.save(update_fields=["narrative", "updated_at"])
    _event(report, ReportEvent.Kind.EDITED, actor)
    audit_record(actor=actor, action="yearly_report.update", instance=report, before=before)
    return report


@transaction.atomic
def report_move(*, report: YearlyReport, actor: Any, move: str, note: str = "") -> YearlyReport:
    """Publish the report (its figures are frozen as they stand now) or reopen it."""
    report = _lock(report)
    step = workflow.ensure_allowed(report, move, actor)
    note = note.strip()
    if step.needs_reason and not note:
        raise ValidationError({"note": _("Say why.")})
    before = {k: v for k, v in audit_snapshot(report).items() if k != "figures"}
    source = report.state
    report.state = step.target
    fields = ["state", "updated_at"]
    if step.target == YearlyReport.State.PUBLISHED:
        report.figures = report_figures(partnership=report.partnership, year=report.year)
        report.version += 1
        report.published_at = timezone.now()
        report.published_by = _user(actor)
        fields += ["figures", "version", "published_at", "published_by"]
    else:
        report.figures = {}
        fields.append("figures")
    report.save(update_fields=fields)
    _event(
        report,
        ReportEvent.Kind.MOVED,
        actor,
        note=note,
        from_state=source,
        to_state=step.target,
        figures=report.figures,
    )
    after = {k: v for k, v in audit_snapshot(report).items() if k != "figures"}
    audit_record(
        actor=actor, action=f"yearly_report.{move}", instance=report, before=before, after=after
    )
    return report


# Key figures of the social economy ---------------------------------------------------------


def _check_figure(partnership: Partnership, fields: dict[str, Any], exclude: int | None) -> None:
    municipality = fields.get("municipality")
    if municipality is not None and municipality.region_id != partnership.region_id:
        raise ValidationError(
            {
                "municipality": _("Choose a municipality of %(region)s.")
                % {"region": partnership.region.name}
            }
        )
    clash = KeyFigure.objects.filter(
        partnership=partnership,
        year=fields["year"],
        measure=fields["measure"],
        municipality=municipality,
    )
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError(
            _("That key figure is already entered for this year and place: change it instead."),
            code="exists",
        )


FIGURE_FIELDS = ("year", "municipality", "measure", "value", "source", "source_url")


@transaction.atomic
def key_figure_create(
    *,
    partnership: Partnership,
    actor: Any,
    year: int,
    measure: str,
    value: Decimal,
    source: str,
    municipality: Municipality | None = None,
    source_url: str = "",
) -> KeyFigure:
    """Enter a key figure for a year and a municipality (or the whole region)."""
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    fields = {
        "year": year,
        "municipality": municipality,
        "measure": measure,
        "value": value,
        "source": source.strip(),
        "source_url": source_url.strip(),
    }
    _check_figure(partnership, fields, None)
    figure = KeyFigure(partnership=partnership, created_by=_user(actor), **fields)
    figure.full_clean()
    figure.save()
    audit_record(actor=actor, action="key_figure.create", instance=figure)
    return figure


@transaction.atomic
def key_figure_update(*, figure: KeyFigure, actor: Any, **changes: Any) -> KeyFigure:
    unknown = set(changes) - set(FIGURE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    figure = KeyFigure.objects.select_for_update().select_related("partnership").get(pk=figure.pk)
    before = audit_snapshot(figure)
    for key in ("source", "source_url"):
        if key in changes:
            changes[key] = str(changes[key]).strip()
    merged = {f: changes.get(f, getattr(figure, f)) for f in FIGURE_FIELDS}
    _check_figure(figure.partnership, merged, figure.pk)
    changed = apply_changes(figure, changes)
    if changed:
        figure.full_clean()
        figure.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="key_figure.update", instance=figure, before=before)
    return figure


@transaction.atomic
def key_figure_delete(*, figure: KeyFigure, actor: Any) -> None:
    figure = KeyFigure.objects.select_for_update().get(pk=figure.pk)
    before = audit_snapshot(figure)
    audit_record(
        actor=actor,
        action="key_figure.delete",
        instance=figure,
        partnership=figure.partnership,
        before=before,
        deleted=True,
    )
    figure.delete()
