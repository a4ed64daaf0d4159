"""Impact (SROI) analyses of an innovation, and the national bank of financial proxies."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class FinancialProxy(models.Model):
    """A financial proxy in the shared national bank: what one unit of an outcome is worth to
    a stakeholder, with its indicator and source. Approved proxies are never edited: a change
    is a new version that retires the one before (``previous``)."""

    # The fields whose words the bank is searched in (``search_terms``).
    SEARCHED = ("stakeholder", "outcome", "indicator", "source")

    # The bank is national: a proxy belongs to no partnership (GLOBAL_MODELS in
    # soin/core/tests/test_scoping.py); ``proposed_in`` only says where a proposal came from.

    class State(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("proxy state", "Proposed")
        APPROVED = "approved", pgettext_lazy("proxy state", "Approved")
        REJECTED = "rejected", pgettext_lazy("proxy state", "Rejected")
        RETIRED = "retired", pgettext_lazy("proxy state", "Replaced by a newer version")

    stakeholder = models.CharField(_("stakeholder"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    value = models.DecimalField(
        _("proxy value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="SEK")
    price_year = models.PositiveSmallIntegerField(_("price year"))
    source = models.TextField(_("source"))
    source_url = models.URLField(_("source address"), blank=True)
    # The terms of the ``SEARCHED`` fields (soin.core.normalise.stored_terms), that the bank
    # is searched in.
    search_terms = models.TextField(blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # The version this one replaces (a rejected proposal of a next version leaves room for
    # another).
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("previous version"),
    )
    # Where the proposal came from (None for the national coordinator's own).
    proposed_in = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed in"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("financial proxy")
        verbose_name_plural = _("financial proxies")
        ordering = ["stakeholder", "outcome", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="impact_proxy_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outcome} ({self.stakeholder}), v{self.version}"


class ProxyEvent(models.Model):
    """The timeline of a proxy: proposed, approved, rejected, replaced."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("proxy event", "Proposed")
        APPROVED = "approved", pgettext_lazy("proxy event", "Approved")
        REJECTED = "rejected", pgettext_lazy("proxy event", "Rejected")
        RETIRED = "retired", pgettext_lazy("proxy event", "Replaced by a newer version")

    proxy = models.ForeignKey(
        FinancialProxy, on_delete=models.CASCADE, related_name="events", verbose_name=_("proxy")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
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
        verbose_name = _("proxy event")
        verbose_name_plural = _("proxy events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proxy_id} {self.kind}"


class Analysis(models.Model):
    """An SROI analysis of one innovation or project of the partnership: an idea, a
    knowledge-bank entry or a joint project."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.CASCADE,
        related_name="impact_analyses",
        verbose_name=_("partnership"),
    )
    idea = models.ForeignKey(
        "ideas.Idea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="impact_analyses",
        verbose_name=_("idea"),
    )
    entry = models.ForeignKey(
        "knowledge.Entry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="impact_analyses",
        verbose_name=_("innovation in the knowledge bank"),
    )
    project = models.ForeignKey(
        "funding.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="impact_analyses",
        verbose_name=_("joint project"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    discount_rate = models.DecimalField(
        _("discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.50"),
        validators=PERCENT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("impact analysis")
        verbose_name_plural = _("impact analyses")
        ordering = ["-first_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(idea__isnull=False, entry__isnull=True, project__isnull=True)
                | models.Q(idea__isnull=True, entry__isnull=False, project__isnull=True)
                | models.Q(idea__isnull=True, entry__isnull=True, project__isnull=False),
                name="impact_analysis_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def innovation(self) -> object:
        return self.idea or self.entry or self.project


class Stakeholder(models.Model):
    PARTNERSHIP_PATH = "analysis__partnership"

    analysis = models.ForeignKey(
        Analysis,
        on_delete=models.CASCADE,
        related_name="stakeholders",
        verbose_name=_("analysis"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("how the stakeholder is involved"), blank=True)

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "name"], name="impact_stakeholder_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Input(models.Model):
    """What a stakeholder puts in (the investment), valued in SEK."""

    PARTNERSHIP_PATH = "analysis__partnership"

    analysis = models.ForeignKey(
        Analysis, on_delete=models.CASCADE, related_name="inputs", verbose_name=_("analysis")
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.PROTECT,
        related_name="inputs",
        verbose_name=_("stakeholder"),
    )
    description = models.CharField(_("description"), max_length=300)
    value = models.DecimalField(
        _("value (SEK)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


class Outcome(models.Model):
    """A change for a stakeholder, with its indicator, quantity, financial proxy and the
    shares that are not the innovation's doing."""

    PARTNERSHIP_PATH = "analysis__partnership"

    analysis = models.ForeignKey(
        Analysis, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("analysis")
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.PROTECT,
        related_name="outcomes",
        verbose_name=_("stakeholder"),
    )
    output = models.CharField(_("output"), max_length=300, blank=True)
    description = models.CharField(_("outcome"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    # The exact version of the bank's proxy the analysis used, or a proxy of its own below.
    proxy = models.ForeignKey(
        FinancialProxy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("financial proxy from the bank"),
    )
    proxy_value = models.DecimalField(
        _("proxy value (SEK)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    proxy_source = models.TextField(_("source of the proxy"), blank=True)
    proxy_source_url = models.URLField(_("source address"), blank=True)
    deadweight = models.DecimalField(
        _("deadweight (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    displacement = models.DecimalField(
        _("displacement (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    attribution = models.DecimalField(
        _("attribution (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    drop_off = models.DecimalField(
        _("drop-off (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    duration = models.PositiveSmallIntegerField(
        _("duration (years)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def unit_value(self) -> Decimal:
        """The proxy's value for one unit of the outcome."""
        if self.proxy_id is not None:
            return self.proxy.value  # type: ignore[union-attr]
        return self.proxy_value or Decimal(0)
