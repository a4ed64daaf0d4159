from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.core.emails import CanonicalEmailField, with_canonical
from soin.core.i18n import Localized


class Sector(models.TextChoices):
    """The two kinds of actor seed 003 counts partners by, plus business."""

    PUBLIC = "public", _("Public actors")
    CIVIL_SOCIETY = "civil_society", _("Civil society and social economy")
    BUSINESS = "business", _("Business")


class Organisation(models.Model):
    """An organisation known to a partnership; a partner while it has an open membership."""

    PARTNERSHIP_PATH = "partnership"
    # The fields whose words the back office's list is searched in (``search_terms``).
    SEARCHED = ("name",)

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", pgettext_lazy("organisation kind", "Municipality")
        REGION = "region", pgettext_lazy("organisation kind", "Region")
        COUNTY_BOARD = (
            "county_board",
            pgettext_lazy("organisation kind", "County administrative board"),
        )
        UNIVERSITY = "university", pgettext_lazy("organisation kind", "University")
        COORDINATION_ASSOCIATION = (
            "coordination_association",
            pgettext_lazy("organisation kind", "Coordination association (Finsam)"),
        )
        EMPLOYMENT_SERVICE = (
            "employment_service",
            pgettext_lazy("organisation kind", "Public Employment Service"),
        )
        STUDY_ASSOCIATION = (
            "study_association",
            pgettext_lazy("organisation kind", "Study association"),
        )
        FOUNDATION = "foundation", pgettext_lazy("organisation kind", "Foundation")
        ASSOCIATION = "association", pgettext_lazy("organisation kind", "Association")
        COOPERATIVE_DEVELOPMENT = (
            "cooperative_development",
            pgettext_lazy("organisation kind", "Cooperative development centre"),
        )
        SPORTS_FEDERATION = (
            "sports_federation",
            pgettext_lazy("organisation kind", "Sports federation"),
        )
        FOLK_HIGH_SCHOOL = (
            "folk_high_school",
            pgettext_lazy("organisation kind", "Folk high school"),
        )
        BUSINESS = "business", pgettext_lazy("organisation kind", "Business")

    SECTOR_OF_KIND = {
        Kind.MUNICIPALITY: Sector.PUBLIC,
        Kind.REGION: Sector.PUBLIC,
        Kind.COUNTY_BOARD: Sector.PUBLIC,
        Kind.UNIVERSITY: Sector.PUBLIC,
        Kind.COORDINATION_ASSOCIATION: Sector.PUBLIC,
        Kind.EMPLOYMENT_SERVICE: Sector.PUBLIC,
        Kind.STUDY_ASSOCIATION: Sector.CIVIL_SOCIETY,
        Kind.FOUNDATION: Sector.CIVIL_SOCIETY,
        Kind.ASSOCIATION: Sector.CIVIL_SOCIETY,
        Kind.COOPERATIVE_DEVELOPMENT: Sector.CIVIL_SOCIETY,
        Kind.SPORTS_FEDERATION: Sector.CIVIL_SOCIETY,
        Kind.FOLK_HIGH_SCHOOL: Sector.CIVIL_SOCIETY,
        Kind.BUSINESS: Sector.BUSINESS,
    }

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("partnership"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    # The terms of the ``SEARCHED`` fields (soin.core.normalise.stored_terms), that the back
    # office's list is searched in.
    search_terms = models.TextField(blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_coordinator = models.BooleanField(
        _("coordinates the partnership"),
        default=False,
        help_text=_("The organisation the other partners sign their agreements with."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    description = Localized("description")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="organisation_slug"),
            models.UniqueConstraint(fields=["partnership", "name"], name="organisation_name"),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(is_coordinator=True),
                name="organisation_one_coordinator",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "public:partner",
            kwargs={"partnership": self.partnership.slug, "organisation": self.slug},
        )

    @property
    def sector(self) -> Sector:
        return self.SECTOR_OF_KIND[self.Kind(self.kind)]

    def is_partner_on(self, day: datetime.date) -> bool:
        return any(p.covers(day) for p in self.memberships.all())


class Membership(models.Model):
    """A period during which an organisation is a partner. Partners join and leave over time."""

    PARTNERSHIP_PATH = "organisation__partnership"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["joined_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_left_after_joined",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.joined_on}–{self.left_on or ''}"

    def covers(self, day: datetime.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class Group(models.TextChoices):
    """The partnership's standing groups (seed 003 §3–4)."""

    WORKING_COMMITTEE = "working_committee", _("Working committee")
    PRIMARY_ADVISORY = "primary_advisory", _("Primary advisory group")
    EXTENDED_ADVISORY = "extended_advisory", _("Extended advisory group")


class GroupMembership(models.Model):
    """An organisation's seat in one of the partnership's groups, for a period."""

    PARTNERSHIP_PATH = "organisation__partnership"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("organisation"),
    )
    group = models.CharField(_("group"), max_length=30, choices=Group.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["group", "organisation__name"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.CheckConstraint(
                name="group_membership_until_after_since",
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
            ),
            models.UniqueConstraint(
                fields=["organisation", "group"],
                condition=Q(until__isnull=True),
                name="group_membership_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_group_display()}"

    def covers(self, day: datetime.date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


class ContactPerson(models.Model):
    """A person the public or the partnership can reach at an organisation."""

    PARTNERSHIP_PATH = "organisation__partnership"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    email_canonical = CanonicalEmailField(_("e-mail as compared"), source="email", db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_public = models.BooleanField(
        _("show on the public site"),
        default=False,
        help_text=_("Only with the person's agreement."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The canonical form of the address follows it, also in a save of a few fields.
        kwargs["update_fields"] = with_canonical(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)


class AgreementTemplate(models.Model):
    """A standard agreement for one or more kinds of partner (seed 001, annex 1–7)."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.PROTECT,
        related_name="agreement_templates",
        verbose_name=_("partnership"),
    )
    key = models.SlugField(_("key"), max_length=50)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kinds = models.JSONField(
        _("for kinds of partner"),
        default=list,
        help_text=_("The kinds of organisation this template is made for."),
    )
    preamble_sv = models.TextField(_("preamble (Swedish)"))
    preamble_en = models.TextField(_("preamble (English)"))
    coordinator_commitments_sv = models.TextField(
        _("the coordinator's commitments (Swedish)"), help_text=_("One commitment per line.")
    )
    coordinator_commitments_en = models.TextField(
        _("the coordinator's commitments (English)"), help_text=_("One commitment per line.")
    )
    partner_commitments_sv = models.TextField(
        _("the partner's commitments (Swedish)"), help_text=_("One commitment per line.")
    )
    partner_commitments_en = models.TextField(
        _("the partner's commitments (English)"), help_text=_("One commitment per line.")
    )

    name = Localized("name")

    class Meta:
        ordering = ["key"]
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="agreement_template_key")
        ]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A partner's agreement with the partnership's coordinator, made from a template.

    The text is copied from the template when the agreement is drafted, so later edits to the
    template never change an agreement; a signed agreement's text is frozen.
    """

    PARTNERSHIP_PATH = "partnership"

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("agreement state", "Draft")
        SIGNED = "signed", pgettext_lazy("agreement state", "Signed")
        ENDED = "ended", pgettext_lazy("agreement state", "Ended")

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("partnership"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("partner"),
    )
    counterpart = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="counterpart_agreements",
        verbose_name=_("counterpart"),
        help_text=_("The organisation that signs for the partnership."),
    )
    template = models.ForeignKey(
        AgreementTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("template"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    preamble_sv = models.TextField(_("preamble (Swedish)"))
    preamble_en = models.TextField(_("preamble (English)"))
    coordinator_commitments_sv = models.TextField(_("the coordinator's commitments (Swedish)"))
    coordinator_commitments_en = models.TextField(_("the coordinator's commitments (English)"))
    partner_commitments_sv = models.TextField(_("the partner's commitments (Swedish)"))
    partner_commitments_en = models.TextField(_("the partner's commitments (English)"))
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    preamble = Localized("preamble")

    class Meta:
        ordering = ["organisation__name", "-created_at"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                name="agreement_signed_has_dates",
                condition=Q(state="draft") | Q(signed_on__isnull=False, valid_from__isnull=False),
            ),
            models.CheckConstraint(
                name="agreement_ended_has_date",
                condition=~Q(state="ended") | Q(ended_on__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=~Q(state="ended"),
                name="agreement_one_in_force",
            ),
            models.CheckConstraint(
                name="agreement_valid_until_after_from",
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Agreement with %(partner)s") % {"partner": self.organisation.name})

    def commitments(self, party: str, language: str) -> list[str]:
        """Return the commitments of ``party`` ("coordinator" or "partner") in ``language``."""
        text = getattr(self, f"{party}_commitments_{language}")
        return [line.strip() for line in text.splitlines() if line.strip()]


class AgreementEvent(models.Model):
    """A row on an agreement's timeline, written in the same transaction as the change."""

    PARTNERSHIP_PATH = "agreement__partnership"

    class Kind(models.TextChoices):
        DRAFTED = "drafted", pgettext_lazy("agreement event", "Drafted")
        EDITED = "edited", pgettext_lazy("agreement event", "Edited")
        SIGNED = "signed", pgettext_lazy("agreement event", "Signed")
        ENDED = "ended", pgettext_lazy("agreement event", "Ended")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="events", verbose_name=_("agreement")
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
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
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")

    def __str__(self) -> str:
        return f"{self.agreement}: {self.get_kind_display()}"
