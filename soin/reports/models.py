"""The yearly activity report (its narrative and, once published, its frozen figures) and the
key figures of the social economy entered per year and municipality."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.regions.models import Municipality, Partnership


class YearlyReport(models.Model):
    """A partnership's activity report for one year (seed 003). Its tables are generated from
    the data; staff write the narrative. Publishing stores the figures as they stand, so that
    later changes to the data do not change a published report."""

    PARTNERSHIP_PATH = "partnership"

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report state", "Draft")
        PUBLISHED = "published", pgettext_lazy("report state", "Published")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="yearly_reports",
        verbose_name=_("partnership"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # {section key: {"sv": text, "en": text}} for the sections of ``sections.SECTIONS``.
    narrative = models.JSONField(_("narrative"), default=dict, blank=True)
    # The figures as they stood when the report was published; empty for a draft.
    figures = models.JSONField(_("figures at publication"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"], name="reports_one_report_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership.slug} {self.year}"

    def text(self, section: str, language: str) -> str:
        value = self.narrative.get(section) or {}
        return str(value.get(language) or "")


class ReportEvent(models.Model):
    """A row on a report's timeline, written in the same transaction as the change."""

    PARTNERSHIP_PATH = "report__partnership"

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("report event", "Created")
        EDITED = "edited", pgettext_lazy("report event", "Text changed")
        MOVED = "moved", pgettext_lazy("report event", "State changed")

    report = models.ForeignKey(
        YearlyReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("report")
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    from_state = models.CharField(
        _("from"), max_length=10, choices=YearlyReport.State.choices, blank=True
    )
    to_state = models.CharField(
        _("to"), max_length=10, choices=YearlyReport.State.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    # At each publication, the figures published: earlier versions stay readable after a
    # reopened report is published again.
    figures = models.JSONField(_("figures published"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.get_kind_display()}"


class Measure(models.TextChoices):
    """The key figures of the social economy (seed 000 "nyckeltal", seed 001 annex 10)."""

    DEVELOPMENT_GROUPS = "development_groups", _("Local development groups")
    SOCIAL_ENTERPRISES = "social_enterprises", _("Work-integrating social enterprises")
    COOPERATIVES = "cooperatives", _("Cooperatives")
    PAID_EMPLOYEES = "paid_employees", _("People in paid employment")
    VOLUNTEER_HOURS = "volunteer_hours", _("Hours of voluntary work")
    WAGES = "wages", _("Wages paid (SEK)")
    TAX = "tax", _("Tax paid (SEK)")


class KeyFigure(models.Model):
    """One key figure for one year, for one municipality or (without one) the whole region,
    with where it comes from."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="key_figures",
        verbose_name=_("partnership"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990)])
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("Leave empty for a figure for the whole region."),
    )
    measure = models.CharField(_("key figure"), max_length=30, choices=Measure.choices)
    value = models.DecimalField(
        _("value"), max_digits=16, decimal_places=1, validators=[MinValueValidator(Decimal(0))]
    )
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("link to the source"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-year", "measure", "municipality__name"]
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year", "municipality", "measure"],
                condition=Q(municipality__isnull=False),
                name="reports_one_figure_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["partnership", "year", "measure"],
                condition=Q(municipality__isnull=True),
                name="reports_one_figure_per_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.measure}: {self.value}"


def _report_file_name(instance: ReportFile, filename: str) -> str:
    # A name of its own for every drawing: a file left behind by a rolled back drawing (or a
    # restore) never stands in the way of the next one.
    return f"reports/{instance.report_id}/{uuid.uuid4().hex[:12]}-{filename}"


class ReportFile(models.Model):
    """A published report drawn as a file (PDF, DOCX or HTML) for one version and language,
    as the public site shows it. Drawn once, after publication by the worker or by the first
    reader before it has run; removed when the report is reopened."""

    PARTNERSHIP_PATH = "report__partnership"

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        HTML = "html", "HTML"

    report = models.ForeignKey(
        YearlyReport, on_delete=models.CASCADE, related_name="files", verbose_name=_("report")
    )
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=2)
    fmt = models.CharField(_("format"), max_length=4, choices=Format.choices)
    # Empty until drawn: the row is what a drawing locks, so that one draws and others wait.
    file = models.FileField(_("file"), upload_to=_report_file_name, max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "version", "language", "fmt"], name="reports_one_file_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version} {self.language}.{self.fmt}"
