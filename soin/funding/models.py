"""Funding calls the partnership watches, joint applications to them, and the projects the
partners run (seed 001 "Projektkoordinering", seed 003 §6 "Projektsamordning")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.regions.models import Partnership


class Programme(models.TextChoices):
    """The funding programmes a call or a project belongs to."""

    ESF_PLUS = "esf_plus", pgettext_lazy("funding programme", "ESF+")
    ERDF = "erdf", pgettext_lazy("funding programme", "ERDF (Regional Fund)")
    INTERREG = "interreg", pgettext_lazy("funding programme", "Interreg")
    VINNOVA = "vinnova", pgettext_lazy("funding programme", "Vinnova")
    HORIZON_EUROPE = "horizon_europe", pgettext_lazy("funding programme", "Horizon Europe")
    LEADER = "leader", pgettext_lazy("funding programme", "Leader")
    ARVSFONDEN = "arvsfonden", pgettext_lazy("funding programme", "Allmänna arvsfonden")
    OTHER = "other", pgettext_lazy("funding programme", "Other")


def money_field(verbose_name: Any, **kwargs: Any) -> Any:
    """An amount in whole kronor, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=0,
        validators=[MinValueValidator(Decimal(0))],
        **kwargs,
    )


class FundingCall(models.Model):
    """A national or European call for proposals the partnership keeps an eye on."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="funding_calls",
        verbose_name=_("partnership"),
    )
    funder = models.CharField(_("funder"), max_length=200)
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    title = models.CharField(_("title"), max_length=250)
    url = models.URLField(_("link"), max_length=500, blank=True)
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("closes"))
    themes = models.TextField(_("themes"), blank=True)
    challenges = models.ManyToManyField(
        "ideas.Challenge",
        blank=True,
        related_name="funding_calls",
        verbose_name=_("societal challenges"),
    )
    watcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="watched_calls",
        verbose_name=_("watched by"),
    )
    interested = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="interesting_calls",
        verbose_name=_("interested partners"),
    )
    remind_days = models.PositiveSmallIntegerField(
        _("remind days before the deadline"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    # The closing date the reminder was sent for: a reminder goes once per deadline, and again
    # only if the deadline moves.
    reminded_for = models.DateField(_("reminder sent for the deadline"), null=True, blank=True)
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
        ordering = ["closes_on", "title"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    """A joint application by partners, to a call or elsewhere."""

    PARTNERSHIP_PATH = "partnership"

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("application status", "Planned")
        SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
        GRANTED = "granted", pgettext_lazy("application status", "Granted")
        REJECTED = "rejected", pgettext_lazy("application status", "Rejected")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="funding_applications",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=250)
    call = models.ForeignKey(
        FundingCall,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("call"),
    )
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    programme = models.CharField(
        _("programme"), max_length=20, choices=Programme.choices, blank=True
    )
    lead = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="led_applications",
        verbose_name=_("lead partner"),
    )
    partners = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="funding_applications",
        verbose_name=_("participating partners"),
    )
    budget = money_field(_("total budget (SEK)"))
    applied = money_field(_("amount applied for (SEK)"))
    description = models.TextField(_("description"), blank=True)
    ideas = models.ManyToManyField(
        "ideas.Idea",
        blank=True,
        related_name="funding_applications",
        verbose_name=_("grew from the ideas"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    submitted_on = models.DateField(_("submitted"), null=True, blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
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
        ordering = ["-created_at", "-pk"]
        verbose_name = _("joint application")
        verbose_name_plural = _("joint applications")

    def __str__(self) -> str:
        return self.title

    @property
    def co_financing_total(self) -> Decimal:
        return sum((line.amount for line in self.co_financing.all()), Decimal(0))


class CoFinancing(models.Model):
    """One partner's share of an application's budget, in cash or as work in kind."""

    PARTNERSHIP_PATH = "application__partnership"

    class Kind(models.TextChoices):
        CASH = "cash", pgettext_lazy("co-financing", "Cash")
        IN_KIND = "in_kind", pgettext_lazy("co-financing", "Work in kind")

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="co_financing",
        verbose_name=_("application"),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    amount = money_field(_("amount (SEK)"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("co-financing")
        verbose_name_plural = _("co-financing")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.amount}"


class ApplicationEvent(models.Model):
    """A row on an application's timeline, written in the same transaction as the change."""

    PARTNERSHIP_PATH = "application__partnership"

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("application event", "Created")
        EDITED = "edited", pgettext_lazy("application event", "Changed")
        MOVED = "moved", pgettext_lazy("application event", "Status changed")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    from_state = models.CharField(
        _("from"), max_length=10, choices=Application.Status.choices, blank=True
    )
    to_state = models.CharField(
        _("to"), max_length=10, choices=Application.Status.choices, blank=True
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
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_kind_display()}"


class Project(models.Model):
    """A project a partner runs, told to the other partners: granted joint applications become
    projects, and partners add the ones they lead themselves."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="funding_projects",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name"), max_length=250)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    lead = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("lead partner"),
    )
    partners = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="funding_projects",
        verbose_name=_("partner organisations"),
    )
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    programme = models.CharField(
        _("programme"), max_length=20, choices=Programme.choices, blank=True
    )
    budget = money_field(_("budget (SEK)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    meetings = models.ManyToManyField(
        "activities.Activity",
        blank=True,
        related_name="funding_projects",
        verbose_name=_("meetings"),
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project",
        verbose_name=_("granted application"),
    )
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
        ordering = ["-starts_on", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.name


class ProjectResult(models.Model):
    """A dated note of what a project has achieved."""

    PARTNERSHIP_PATH = "project__partnership"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="results", verbose_name=_("project")
    )
    noted_on = models.DateField(_("date"))
    text = models.TextField(_("result"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("noted by"),
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        ordering = ["-noted_on", "-pk"]
        verbose_name = _("project result")
        verbose_name_plural = _("project results")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.noted_on}"
