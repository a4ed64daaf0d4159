"""Writes for yearly reports and key figures: one transaction each, with a timeline row
(reports) and an audit entry."""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from soin.audit.services import audit_record, audit_snapshot
from soin.core.changes import apply_changes
from soin.core.storage import atomic_with_files, save_file
from soin.regions.models import Municipality, Partnership
from soin.reports import documents, workflow
from soin.reports.figures import LANGUAGES, SECTION_KEYS, report_figures
from soin.reports.models import KeyFigure, ReportEvent, ReportFile, YearlyReport

logger = logging.getLogger("soin.reports")

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
        # The public files are drawn by the worker, not while the coordinator waits.
        from soin.reports.tasks import draw_report_files

        pk, version = report.pk, report.version
        transaction.on_commit(lambda: draw_report_files.enqueue(report_id=pk, version=version))
    else:
        report.figures = {}
        fields.append("figures")
        _files_remove(report)
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


# The public files of a published report ---------------------------------------------------

FORMATS = tuple(ReportFile.Format.values)


def _files_remove(report: YearlyReport) -> None:
    """Let go of a report's files (in the caller's transaction; the files themselves once it
    has committed). A drawing under way is waited for: its row is locked until it is stored."""
    rows = list(ReportFile.objects.select_for_update().filter(report=report))
    if not rows:
        return
    names = [(row.file.storage, row.file.name) for row in rows if row.file]
    ReportFile.objects.filter(pk__in=[row.pk for row in rows]).delete()

    def remove() -> None:
        for storage, name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not remove the report file %s", name)

    transaction.on_commit(remove)


def report_file_on_disk(row: ReportFile) -> bool:
    """Whether the row's file is there: one whose file is gone (a database restored without
    its files) is drawn again."""
    return bool(row.file) and row.file.storage.exists(row.file.name)


def _drawing(report: YearlyReport, language: str, fmt: str) -> bytes:
    """The report as the public site shows it, in ``language``, as ``fmt``."""
    with translation.override(language):
        if fmt == ReportFile.Format.PDF:
            return documents.report_pdf(report, language, public=True)
        if fmt == ReportFile.Format.DOCX:
            return documents.report_docx(report, language, public=True)
        return documents.report_html(report, language, public=True).encode()


def report_file_get_or_draw(*, report: YearlyReport, language: str, fmt: str) -> ReportFile | None:
    """The published ``report``'s file in ``language`` as ``fmt``: the one stored, or drawn
    now and stored. One drawing per version, language and format, however many ask at once:
    the first locks the file's row and draws, the others wait on the row and read what it
    stored. None when the report is not (or no longer) published in this version."""
    if language not in LANGUAGES or fmt not in FORMATS:
        raise ValueError(f"No report file {language}.{fmt}")
    kind: dict[str, Any] = {
        "report_id": report.pk,
        "version": report.version,
        "language": language,
        "fmt": fmt,
    }
    stored = ReportFile.objects.filter(**kind).exclude(file="").first()
    if stored is not None and report_file_on_disk(stored):
        return stored
    if report.state != YearlyReport.State.PUBLISHED:
        return None
    # The row to lock, committed at once so that every drawer finds the same one.
    ReportFile.objects.get_or_create(**kind)
    return _file_draw(kind)


@atomic_with_files
def _file_draw(kind: dict[str, Any]) -> ReportFile | None:
    row = ReportFile.objects.select_for_update().filter(**kind).first()
    if row is None:
        return None  # reopened meanwhile: its files are gone
    if row.file and report_file_on_disk(row):
        return row  # drawn by whoever held the lock before us
    report = (
        YearlyReport.objects.select_related("partnership")
        .filter(pk=kind["report_id"], version=kind["version"], state=YearlyReport.State.PUBLISHED)
        .first()
    )
    if report is None:
        row.delete()  # a reader of a version that has just been reopened
        return None
    data = _drawing(report, row.language, row.fmt)
    name = (
        f"verksamhetsrapport-{report.partnership.slug}-{report.year}-v{report.version}"
        f"-{row.language}.{row.fmt}"
    )
    save_file(row.file, name, data)
    row.size = len(data)
    row.sha256 = hashlib.sha256(data).hexdigest()
    row.drawn_at = timezone.now()
    row.save(update_fields=["file", "size", "sha256", "drawn_at"])
    return row


def report_files_draw(*, report_id: int, version: int) -> int:
    """Draw every public file of the report's ``version`` not drawn yet (the worker, after
    publication); how many it drew. Nothing when that version is no longer the published one."""
    drawn = 0
    for language in LANGUAGES:
        for fmt in FORMATS:
            report = (
                YearlyReport.objects.select_related("partnership")
                .filter(pk=report_id, version=version, state=YearlyReport.State.PUBLISHED)
                .first()
            )
            if report is None:
                return drawn
            kind = {"report": report, "version": version, "language": language, "fmt": fmt}
            stored = ReportFile.objects.filter(**kind).exclude(file="").first()
            if stored is not None and report_file_on_disk(stored):
                continue
            if report_file_get_or_draw(report=report, language=language, fmt=fmt):
                drawn += 1
    return drawn


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
