from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.core.emails import CanonicalEmailField, with_canonical
from soin.core.i18n import Localized


class Challenge(models.Model):
    """A societal challenge an idea answers: the seven of seed 003 (no partnership) or a
    regional one that a partnership adds from its development strategy."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("partnership"),
        help_text=_("Empty for the seven shared societal challenges."),
    )
    key = models.SlugField(_("key"), max_length=60)
    name_sv = models.CharField(_("name (Swedish)"), max_length=250)
    name_en = models.CharField(_("name (English)"), max_length=250)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    name = Localized("name")

    class Meta:
        ordering = ["partnership_id", "position", "name_sv"]
        verbose_name = _("societal challenge")
        verbose_name_plural = _("societal challenges")
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(partnership__isnull=True), name="challenge_shared_key"
            ),
            models.UniqueConstraint(
                fields=["partnership", "key"],
                condition=Q(partnership__isnull=False),
                name="challenge_regional_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# The stages of an idea still being worked on (soin.ideas.workflow.OPEN), for the indexes.
OPEN_STAGES = [
    "clarifying",
    "in_advice",
    "in_development",
    "received",
    "referred",
    "refined",
    "registered",
]


class Idea(models.Model):
    """An idea brought to the partnership, its carrier, its documentation (seed 001 annex 8)
    and where it stands in the advisory process (annex 9)."""

    PARTNERSHIP_PATH = "partnership"
    # The fields whose words the staff list is searched in (``search_terms``).
    SEARCHED = ("number", "title", "description")

    class Channel(models.TextChoices):
        WEB = "web", pgettext_lazy("idea channel", "Web form")
        OUTREACH = "outreach", pgettext_lazy("idea channel", "Outreach stop")
        SEMINAR = "seminar", pgettext_lazy("idea channel", "Seminar or meeting")
        PARTNER = "partner", pgettext_lazy("idea channel", "Through a partner")
        EMAIL = "email", pgettext_lazy("idea channel", "E-mail")
        PHONE = "phone", pgettext_lazy("idea channel", "Phone")

    class CarrierCategory(models.TextChoices):
        PRIVATE = "private", pgettext_lazy("carrier", "Private person")
        ASSOCIATION = "association", pgettext_lazy("carrier", "Association")
        COMPANY = "company", pgettext_lazy("carrier", "Company")
        PUBLIC = "public", pgettext_lazy("carrier", "Public body")
        SEVERAL = "several", pgettext_lazy("carrier", "Several together")

    class Stage(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("idea stage", "Received")
        REGISTERED = "registered", pgettext_lazy("idea stage", "Registered")
        IN_ADVICE = "in_advice", pgettext_lazy("idea stage", "In advice")
        CLARIFYING = "clarifying", pgettext_lazy("idea stage", "Clarifying with the carrier")
        REFINED = "refined", pgettext_lazy("idea stage", "Refined by the carrier")
        REFERRED = "referred", pgettext_lazy("idea stage", "Referred")
        DROPPED = "dropped", pgettext_lazy("idea stage", "Dropped")
        IN_DEVELOPMENT = "in_development", pgettext_lazy("idea stage", "In development")
        DISSEMINATED = "disseminated", pgettext_lazy("idea stage", "Disseminated and in use")

    class Tier(models.TextChoices):
        PRIMARY = "primary", pgettext_lazy("advisory tier", "Primary advisory group")
        EXTENDED = "extended", pgettext_lazy("advisory tier", "Extended advisory group")

    class Outcome(models.TextChoices):
        NONE = "", pgettext_lazy("idea outcome", "No outcome yet")
        FUNDING_APPLICATION = (
            "funding_application",
            pgettext_lazy("idea outcome", "Became a funding application"),
        )
        SOCIAL_ENTERPRISE = (
            "social_enterprise",
            pgettext_lazy("idea outcome", "Social enterprise started"),
        )
        IMPLEMENTED = "implemented", pgettext_lazy("idea outcome", "Implemented")
        OUTSIDE_BODY = "outside_body", pgettext_lazy("idea outcome", "Handed to an outside body")

    class SolutionType(models.TextChoices):
        SOCIAL_ENTERPRISE = "social_enterprise", pgettext_lazy("solution", "Social enterprise")
        SERVICE = "service", pgettext_lazy("solution", "Service")
        EDUCATION = "education", pgettext_lazy("solution", "Education")
        WORKING_METHOD = "working_method", pgettext_lazy("solution", "Working method")
        ASSOCIATION = "association", pgettext_lazy("solution", "Association")
        PRODUCT = "product", pgettext_lazy("solution", "Product or aid")
        EVENT = "event", pgettext_lazy("solution", "Event or meeting place")
        OTHER = "other", pgettext_lazy("solution", "Other")

    class Novelty(models.TextChoices):
        TARGET_GROUP = "target_group", pgettext_lazy("new for", "The target group")
        LOCALITY = "locality", pgettext_lazy("new for", "The locality")
        MUNICIPALITY = "municipality", pgettext_lazy("new for", "The municipality")
        REGION = "region", pgettext_lazy("new for", "The region")
        COUNTRY = "country", pgettext_lazy("new for", "Sweden")
        EUROPE = "europe", pgettext_lazy("new for", "Europe")

    class Answer(models.TextChoices):
        YES = "yes", pgettext_lazy("answer", "Yes")
        NO = "no", pgettext_lazy("answer", "No")
        UNKNOWN = "unknown", pgettext_lazy("answer", "Not known yet")

    class Evidence(models.TextChoices):
        NONE = "none", pgettext_lazy("evidence", "No evidence yet")
        EXPERIENCE = "experience", pgettext_lazy("evidence", "Experience and testimony")
        DOCUMENTED = "documented", pgettext_lazy("evidence", "Documented results")
        EVALUATED = "evaluated", pgettext_lazy("evidence", "Evaluated")
        INDEPENDENT = (
            "independent",
            pgettext_lazy("evidence", "Independently evaluated or researched"),
        )

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.PROTECT,
        related_name="ideas",
        verbose_name=_("partnership"),
    )
    number = models.CharField(_("number"), max_length=20, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("the idea in the carrier's words"))
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("sv", _("Swedish")), ("en", _("English"))],
        default="sv",
    )
    # Intake: always kept.
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    channelled_by = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="channelled_ideas",
        verbose_name=_("channelled by"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("municipality"),
    )
    # The outreach stop, seminar or meeting where the idea was met.
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("met at"),
    )
    # The carrier.
    carrier_category = models.CharField(
        _("carrier"), max_length=20, choices=CarrierCategory.choices
    )
    carrier_name = models.CharField(_("name"), max_length=200, blank=True)
    carrier_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    carrier_email = models.EmailField(_("e-mail"), blank=True)
    carrier_email_canonical = CanonicalEmailField(_("e-mail as compared"), source="carrier_email")
    carrier_phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_text = models.TextField(_("information shown at consent"), blank=True)
    # The carrier's private status link is derived from this and the site's secret key
    # (services.status_token); a new nonce makes every earlier link stop working.
    status_nonce = models.CharField(max_length=32, blank=True, editable=False)
    # The advisory process.
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED, db_index=True
    )
    tier = models.CharField(
        _("advisory group"), max_length=10, choices=Tier.choices, default=Tier.PRIMARY
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_ideas",
        verbose_name=_("handler"),
    )
    referred_to = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_ideas",
        verbose_name=_("referred to"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=30, choices=Outcome.choices, blank=True, default=""
    )
    outcome_note = models.CharField(_("about the outcome"), max_length=300, blank=True)
    stage_changed_at = models.DateTimeField(_("in this stage since"), auto_now_add=True)
    # The documentation template (seed 001 annex 8): five questions, each categorised.
    solution_type = models.CharField(
        _("what kind of solution"), max_length=30, choices=SolutionType.choices, blank=True
    )
    challenges = models.ManyToManyField(
        Challenge, blank=True, related_name="ideas", verbose_name=_("societal challenges")
    )
    new_for = models.CharField(_("new for"), max_length=20, choices=Novelty.choices, blank=True)
    similar_solutions = models.TextField(_("similar solutions"), blank=True)
    evaluated = models.CharField(
        _("has it been evaluated"), max_length=10, choices=Answer.choices, blank=True
    )
    evaluation = models.TextField(_("how, and by whom"), blank=True)
    evidence_level = models.CharField(
        _("evidence"), max_length=20, choices=Evidence.choices, blank=True
    )
    can_spread = models.CharField(
        _("can it spread"), max_length=10, choices=Answer.choices, blank=True
    )
    spread_to = models.TextField(_("to which groups or places"), blank=True)
    # The stems of the title and description (soin.core.text), for finding similar ideas.
    search_stems = models.TextField(blank=True, editable=False)
    # The terms of the ``SEARCHED`` fields (soin.core.normalise.stored_terms), that the staff
    # list is searched in.
    search_terms = models.TextField(blank=True, editable=False)
    # A duplicate merged into another idea: hidden from lists, its history kept, reversible.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related ideas")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="idea_number"),
            models.CheckConstraint(
                name="idea_referred_has_organisation",
                condition=~Q(stage="referred") | Q(referred_to__isnull=False),
            ),
        ]
        indexes = [
            models.Index(
                fields=["partnership", "carrier_email_canonical"], name="idea_carrier_email"
            ),
            models.Index(fields=["partnership", "stage", "stage_changed_at"]),
            # The staff list, newest first a page at a time (soin.core.paging).
            models.Index(
                "partnership",
                F("received_on").desc(),
                F("id").desc(),
                name="idea_list_newest",
                condition=Q(merged_into__isnull=True),
            ),
            # The work list's sections (soin.ideas.selectors.inbox), each in its order among
            # the open ideas (workflow.OPEN; a test keeps the two the same): the ideas that
            # have not moved for a while, and those waiting for someone to take them.
            models.Index(
                "partnership",
                "stage_changed_at",
                "id",
                name="idea_open_by_change",
                condition=Q(merged_into__isnull=True, stage__in=OPEN_STAGES),
            ),
            models.Index(
                "partnership",
                "received_on",
                "id",
                name="idea_waiting",
                condition=Q(
                    merged_into__isnull=True,
                    handler__isnull=True,
                    stage__in=["received", "registered"],
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The canonical form of the address follows it, also in a save of a few fields.
        kwargs["update_fields"] = with_canonical(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def missing_documentation(self) -> list[str]:
        """Return the template's questions that are not answered yet, as the staff page
        names them."""
        missing = []
        if not self.solution_type:
            missing.append(str(_("What kind of solution it is")))
        if not self.pk or not self.challenges.exists():
            missing.append(str(_("Which societal challenge it answers")))
        if not self.new_for:
            missing.append(str(_("Whom it is new for")))
        if not self.evaluated or not self.evidence_level:
            missing.append(str(_("Whether and how it has been evaluated")))
        if not self.can_spread:
            missing.append(str(_("Whether it can spread")))
        return missing


class IdeaEvent(models.Model):
    """A row on an idea's timeline, written in the same transaction as the change."""

    PARTNERSHIP_PATH = "idea__partnership"

    class Kind(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("idea event", "Received")
        MOVED = "moved", pgettext_lazy("idea event", "Moved")
        ESCALATED = "escalated", pgettext_lazy("idea event", "Escalated to the extended group")
        DOCUMENTED = "documented", pgettext_lazy("idea event", "Documentation updated")
        OUTCOME = "outcome", pgettext_lazy("idea event", "Outcome recorded")
        CONTACT = "contact", pgettext_lazy("idea event", "Contact with the carrier")
        HANDLER = "handler", pgettext_lazy("idea event", "Handler changed")
        LINKED = "linked", pgettext_lazy("idea event", "Linked to a similar idea")
        MERGED = "merged", pgettext_lazy("idea event", "Merged as a duplicate")
        UNMERGED = "unmerged", pgettext_lazy("idea event", "Merge undone")
        ATTACHED = "attached", pgettext_lazy("idea event", "File attached")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="events", verbose_name=_("idea")
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    from_stage = models.CharField(_("from"), max_length=20, choices=Idea.Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Idea.Stage.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("why"), blank=True)
    # What the carrier sees on their status page.
    public = models.BooleanField(_("shown to the carrier"), default=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("idea event")
        verbose_name_plural = _("idea events")

    def __str__(self) -> str:
        return f"{self.idea.number}: {self.get_kind_display()}"


class CarrierContact(models.Model):
    """One conversation with the carrier: the contact log."""

    PARTNERSHIP_PATH = "idea__partnership"

    class Means(models.TextChoices):
        MEETING = "meeting", pgettext_lazy("contact means", "Meeting")
        PHONE = "phone", pgettext_lazy("contact means", "Phone")
        EMAIL = "email", pgettext_lazy("contact means", "E-mail")
        VIDEO = "video", pgettext_lazy("contact means", "Video call")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("idea")
    )
    happened_on = models.DateField(_("date"))
    means = models.CharField(_("how"), max_length=10, choices=Means.choices)
    summary = models.TextField(_("what was said"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("contact with the carrier")
        verbose_name_plural = _("contacts with the carrier")

    def __str__(self) -> str:
        return f"{self.idea.number}: {self.happened_on}"


class Attachment(models.Model):
    """A file staff attach to an idea. Stored outside the web root and served only through a
    view that checks the reader's permission."""

    PARTNERSHIP_PATH = "idea__partnership"

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("idea")
    )
    file = models.FileField(_("file"), upload_to="ideas/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
