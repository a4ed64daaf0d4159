"""The multi-year activity plan (seed 000's "Verksamhetsplan 2011–2012"; seed 001: the
partnership "utarbetar en flerårig verksamhetsplan"): areas of items, each item with its
responsible partners and its follow-up reports over time."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.core.i18n import Localized


class Plan(models.Model):
    """A plan for one or more years. Coordinators write it; it is adopted, followed up at the
    plenary meetings and closed when its years are over."""

    PARTNERSHIP_PATH = "partnership"

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan state", "Draft")
        ADOPTED = "adopted", pgettext_lazy("plan state", "Adopted")
        CLOSED = "closed", pgettext_lazy("plan state", "Closed")

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("partnership"),
    )
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    first_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    last_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    adopted_on = models.DateField(_("adopted"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    title = Localized("title")

    class Meta:
        ordering = ["-first_year", "-pk"]
        verbose_name = _("activity plan")
        verbose_name_plural = _("activity plans")
        constraints = [
            models.CheckConstraint(
                name="plans_years_in_order",
                condition=Q(last_year__gte=models.F("first_year")),
                violation_error_message=_("The last year cannot come before the first."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title_sv} ({self.first_year}–{self.last_year})"

    @property
    def years(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


class PlanEvent(models.Model):
    """A row on a plan's timeline, written in the same transaction as the change."""

    PARTNERSHIP_PATH = "plan__partnership"

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("plan event", "Created")
        EDITED = "edited", pgettext_lazy("plan event", "Changed")
        MOVED = "moved", pgettext_lazy("plan event", "State changed")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="events", verbose_name=_("plan")
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    from_state = models.CharField(_("from"), max_length=10, choices=Plan.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=10, choices=Plan.State.choices, blank=True)
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
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.get_kind_display()}"


class Area(models.Model):
    """An area of the plan (seed 000: KUNSKAP OCH KOMPETENS, MÖTESPLATSER, …)."""

    PARTNERSHIP_PATH = "plan__partnership"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="areas", verbose_name=_("plan")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    title = Localized("title")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("area of the plan")
        verbose_name_plural = _("areas of the plan")

    def __str__(self) -> str:
        return self.title_sv


class Item(models.Model):
    """An item of the plan: what is to be done, the goal, and who is responsible — partners
    of the partnership, or someone named in words ("Styrelsen", "Verksamhetsledaren")."""

    PARTNERSHIP_PATH = "area__plan__partnership"

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="items", verbose_name=_("area")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    goal_sv = models.TextField(_("goal (Swedish)"), blank=True)
    goal_en = models.TextField(_("goal (English)"), blank=True)
    responsible = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="plan_items",
        verbose_name=_("responsible partners"),
    )
    responsible_text = models.CharField(
        _("responsible, in words"),
        max_length=200,
        blank=True,
        help_text=_("When the responsible is not a partner, e.g. the board."),
    )

    title = Localized("title")
    description = Localized("description")
    goal = Localized("goal")

    class Meta:
        ordering = ["area__position", "area_id", "position", "pk"]
        verbose_name = _("item of the plan")
        verbose_name_plural = _("items of the plan")

    def __str__(self) -> str:
        return self.title_sv


class FollowUp(models.Model):
    """A follow-up report on an item: its status and what was done, on a day. The latest
    report is the item's status; a report may be presented at a plenary meeting."""

    PARTNERSHIP_PATH = "item__area__plan__partnership"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("plan status", "Not started")
        ON_TRACK = "on_track", pgettext_lazy("plan status", "On track")
        DELAYED = "delayed", pgettext_lazy("plan status", "Delayed")
        DONE = "done", pgettext_lazy("plan status", "Done")
        DROPPED = "dropped", pgettext_lazy("plan status", "Dropped")

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="followups", verbose_name=_("item")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    text = models.TextField(_("what was done"))
    reported_on = models.DateField(_("reported on"))
    meeting = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_followups",
        verbose_name=_("plenary meeting"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "created_at", "pk"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        indexes = [models.Index(fields=["item", "reported_on"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.reported_on}: {self.status}"
