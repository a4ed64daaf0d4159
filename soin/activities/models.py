"""Activities: the partnership's meetings, seminars, outreach stops and fairs (seed 001, seed 003
§3–5, seed 004), series of meetings, registration with a waiting list, and minutes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.core.emails import CanonicalEmailField, with_canonical
from soin.core.i18n import Localized


class Kind(models.TextChoices):
    PLENARY = "plenary", pgettext_lazy("activity kind", "Plenary meeting")
    WORKING_COMMITTEE = (
        "working_committee",
        pgettext_lazy("activity kind", "Working committee meeting"),
    )
    COORDINATION = "coordination", pgettext_lazy("activity kind", "Coordination meeting")
    EXPERIENCE_SEMINAR = (
        "experience_seminar",
        pgettext_lazy("activity kind", "Experience seminar"),
    )
    LEARNING_SEMINAR = "learning_seminar", pgettext_lazy("activity kind", "Learning seminar")
    RESEARCH_CIRCLE = (
        "research_circle",
        pgettext_lazy("activity kind", "Research circle or dialogue meeting"),
    )
    OUTREACH_STOP = "outreach_stop", pgettext_lazy("activity kind", "Outreach stop")
    FAIR = "fair", pgettext_lazy("activity kind", "Fair")


# Meetings of the partnership itself: they have an agenda and minutes and are not shown on the
# public calendar unless staff choose to.
INTERNAL_KINDS = frozenset({Kind.PLENARY, Kind.WORKING_COMMITTEE, Kind.COORDINATION})
# Where ideas are met (the ideas' "met at").
MEETING_PLACES_FOR_IDEAS = frozenset(
    {
        Kind.OUTREACH_STOP,
        Kind.EXPERIENCE_SEMINAR,
        Kind.LEARNING_SEMINAR,
        Kind.RESEARCH_CIRCLE,
        Kind.FAIR,
        Kind.PLENARY,
    }
)


class Series(models.Model):
    """Meetings that recur by a rule (RFC 5545 RRULE, e.g. every third week). Each occurrence
    is its own Activity, so that one can be moved or cancelled without touching the rest."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.CASCADE,
        related_name="activity_series",
        verbose_name=_("partnership"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    rule = models.CharField(_("recurrence rule"), max_length=200)
    first_start = models.DateTimeField(_("first meeting starts"))
    duration_minutes = models.PositiveIntegerField(_("length in minutes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    title = Localized("title")

    class Meta:
        ordering = ["-first_start", "pk"]
        verbose_name = _("series of meetings")
        verbose_name_plural = _("series of meetings")

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """A meeting, seminar, outreach stop or fair."""

    PARTNERSHIP_PATH = "partnership"

    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("activity state", "Planned")
        CANCELLED = "cancelled", pgettext_lazy("activity state", "Cancelled")

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("partnership"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("municipality"),
    )
    hosts = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="hosted_activities",
        verbose_name=_("hosting organisations"),
    )
    participants = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="attended_activities",
        verbose_name=_("participating organisations"),
    )
    is_public = models.BooleanField(_("shown on the public calendar"), default=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=300, blank=True)
    series = models.ForeignKey(
        Series,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name=_("series"),
    )
    # The start the series' rule gave this occurrence (RFC 5545 RECURRENCE-ID), kept when it is
    # moved.
    series_start = models.DateTimeField(_("start by the series' rule"), null=True, blank=True)
    # Internal meetings.
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # Registration for public events.
    registration_open = models.BooleanField(_("takes registrations"), default=False)
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    registration_deadline = models.DateField(
        _("register by"),
        null=True,
        blank=True,
        help_text=_("Registration closes at the end of this day."),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed seat"),
        default=48,
        help_text=_("How long the next person on the waiting list has to take a freed seat."),
    )
    # RFC 5545 SEQUENCE: raised on every change a calendar program must pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)
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
    description = Localized("description")

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                name="activity_ends_after_start", condition=Q(ends_at__gte=models.F("starts_at"))
            ),
            models.CheckConstraint(
                name="activity_capacity_positive",
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
            ),
        ]
        indexes = [models.Index(fields=["partnership", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def is_internal(self) -> bool:
        return self.kind in INTERNAL_KINDS

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED


class Registration(models.Model):
    """A person's registration for a public event: a seat, a place on the waiting list, or an
    offer of a freed seat that expires."""

    PARTNERSHIP_PATH = "activity__partnership"

    class State(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration", "Has a seat")
        WAITING = "waiting", pgettext_lazy("registration", "On the waiting list")
        OFFERED = "offered", pgettext_lazy("registration", "Offered a freed seat")
        CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")
        EXPIRED = "expired", pgettext_lazy("registration", "Offer expired")

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("activity"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    email_canonical = CanonicalEmailField(_("e-mail as compared"), source="email")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    dietary_needs = models.CharField(_("food preferences or allergies"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("sv", _("Swedish")), ("en", _("English"))],
        default="sv",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, db_index=True)
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_text = models.TextField(_("information shown at consent"), blank=True)
    # The registrant's private link (soin.core.tokens); a new nonce revokes the old link.
    nonce = models.CharField(max_length=32, editable=False)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "email_canonical"],
                condition=Q(state__in=["confirmed", "waiting", "offered"]),
                name="registration_one_active_per_email",
            ),
            models.CheckConstraint(
                name="registration_offer_has_expiry",
                condition=~Q(state="offered") | Q(offer_expires_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["activity", "state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} – {self.activity}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The canonical form of the address follows it, also in a save of a few fields.
        kwargs["update_fields"] = with_canonical(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    @property
    def holds_seat(self) -> bool:
        return self.state in (self.State.CONFIRMED, self.State.OFFERED)

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.CONFIRMED, self.State.WAITING, self.State.OFFERED)


class MeetingItem(models.Model):
    """A decision or an action in a meeting's minutes; actions are followed up until done."""

    PARTNERSHIP_PATH = "activity__partnership"

    class Kind(models.TextChoices):
        DECISION = "decision", pgettext_lazy("minutes", "Decision")
        ACTION = "action", pgettext_lazy("minutes", "Action")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"))
    responsible = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_actions",
        verbose_name=_("responsible organisation"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("decision or action")
        verbose_name_plural = _("decisions and actions")

    def __str__(self) -> str:
        return self.text[:60]


class ActivityEvent(models.Model):
    """A row on an activity's timeline, written in the same transaction as the change:
    planning, moves, cancellation, and every registration's steps."""

    PARTNERSHIP_PATH = "activity__partnership"

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("activity event", "Created")
        CHANGED = "changed", pgettext_lazy("activity event", "Changed")
        MOVED = "moved", pgettext_lazy("activity event", "Moved")
        CANCELLED = "cancelled", pgettext_lazy("activity event", "Cancelled")
        MINUTES = "minutes", pgettext_lazy("activity event", "Agenda or minutes updated")
        ITEM = "item", pgettext_lazy("activity event", "Decision or action recorded")
        ITEM_DONE = "item_done", pgettext_lazy("activity event", "Action done")
        REGISTERED = "registered", pgettext_lazy("activity event", "Registered")
        WAITLISTED = "waitlisted", pgettext_lazy("activity event", "Put on the waiting list")
        OFFERED = "offered", pgettext_lazy("activity event", "Offered a freed seat")
        ACCEPTED = "accepted", pgettext_lazy("activity event", "Took the offered seat")
        EXPIRED = "expired", pgettext_lazy("activity event", "Offer expired")
        UNREGISTERED = "unregistered", pgettext_lazy("activity event", "Registration cancelled")
        ATTENDANCE = "attendance", pgettext_lazy("activity event", "Attendance marked")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="events", verbose_name=_("activity")
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("registration"),
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    from_state = models.CharField(_("from"), max_length=10, blank=True)
    to_state = models.CharField(_("to"), max_length=10, blank=True)
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
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_kind_display()}"


class CalendarFeed(models.Model):
    """A staff user's private calendar feed: its link is derived from this nonce (a new nonce
    revokes the old link)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    nonce = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("private calendar feed")
        verbose_name_plural = _("private calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
