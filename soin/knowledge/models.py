from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.core.i18n import Localized
from soin.ideas.models import Idea


class Entry(models.Model):
    """A documented social innovation in the knowledge bank: an idea documented far enough to
    publish, or an existing solution found in a research circle. Its fields follow the
    documentation template (seed 001 annex 8)."""

    PARTNERSHIP_PATH = "partnership"

    class Kind(models.TextChoices):
        IDEA = "idea", pgettext_lazy("bank entry kind", "An idea the partnership has worked with")
        EXISTING = (
            "existing",
            pgettext_lazy("bank entry kind", "An existing solution found in a research circle"),
        )

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("bank entry state", "Draft")
        IN_REVIEW = "in_review", pgettext_lazy("bank entry state", "In review")
        PUBLISHED = "published", pgettext_lazy("bank entry state", "Published")
        ARCHIVED = "archived", pgettext_lazy("bank entry state", "Archived")

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.PROTECT,
        related_name="bank_entries",
        verbose_name=_("partnership"),
    )
    # The stable identifier: the same in every installation that holds the entry.
    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=80, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.IDEA)
    idea = models.OneToOneField(
        Idea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bank_entry",
        verbose_name=_("idea"),
    )
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_sv = models.TextField(_("summary (Swedish)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    story_sv = models.TextField(_("story (Swedish)"), blank=True)
    story_en = models.TextField(_("story (English)"), blank=True)
    # The documentation template, categorised so that it can be searched and counted.
    solution_type = models.CharField(
        _("what kind of solution"), max_length=30, choices=Idea.SolutionType.choices, blank=True
    )
    challenges = models.ManyToManyField(
        "ideas.Challenge",
        blank=True,
        related_name="bank_entries",
        verbose_name=_("societal challenges"),
    )
    new_for = models.CharField(
        _("new for"), max_length=20, choices=Idea.Novelty.choices, blank=True
    )
    evidence_level = models.CharField(
        _("evidence"), max_length=20, choices=Idea.Evidence.choices, blank=True
    )
    can_spread = models.CharField(
        _("can it spread"), max_length=10, choices=Idea.Answer.choices, blank=True
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_entries",
        verbose_name=_("municipality"),
    )
    organisations = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="bank_entries",
        verbose_name=_("partners involved"),
    )
    other_organisations = models.TextField(
        _("other organisations involved"), blank=True, help_text=_("One name per line.")
    )
    # The carrier is named only with their consent, recorded here.
    carrier_name = models.CharField(_("carrier as named publicly"), max_length=200, blank=True)
    carrier_consent_at = models.DateTimeField(
        _("carrier's consent to publication"), null=True, blank=True
    )
    carrier_consent_note = models.CharField(
        _("how the consent was given"), max_length=300, blank=True
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_changed_at = models.DateTimeField(_("in this state since"), auto_now_add=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    # One more with every change of what would be published (text, categories, images, links,
    # the carrier's consent): a step that approves the entry names the version it approves.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Empty for the installation's own entries; the address of the installation an imported
    # entry came from, and when it last changed there.
    origin = models.CharField(_("imported from"), max_length=300, blank=True)
    origin_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The search index: PostgreSQL's stored vectors (the "swedish" and "english"
    # configurations); on SQLite the FTS5 tables of soin.knowledge.search hold the same words.
    search_sv = SearchVectorField(null=True, editable=False)
    search_en = SearchVectorField(null=True, editable=False)
    # The title as a key that sorts in Swedish order (å, ä, ö after z) on every database.
    sort_key = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    title = Localized("title")
    summary = Localized("summary")
    story = Localized("story")

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("knowledge bank entry")
        verbose_name_plural = _("knowledge bank entries")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="bank_entry_slug"),
            models.CheckConstraint(
                name="bank_entry_published_has_date",
                condition=~Q(state="published") | Q(published_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="bank_entry_state_pub"),
            models.Index(fields=["partnership", "state"], name="bank_entry_partnership"),
            # A bank's newest entries first, one partnership's and the nation's, read from
            # the index however many entries there are.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="bank_entry_newest",
                condition=Q(state="published"),
            ),
            models.Index(
                "partnership", F("updated_at").desc(), F("id").desc(), name="bank_entry_changed"
            ),
            models.Index(
                "partnership",
                F("published_at").desc(),
                F("id").desc(),
                name="bank_entry_partnership_newest",
                condition=Q(state="published"),
            ),
            # An exchange source's entries by state, the latest imported first: the counts
            # and the waiting list of the exchange page, for imported entries only.
            models.Index(
                "origin",
                "state",
                F("created_at").desc(),
                F("id").desc(),
                name="bank_entry_imported",
                condition=~Q(origin=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        return reverse(
            "public:bank_entry", kwargs={"partnership": self.partnership.slug, "slug": self.slug}
        )

    def other_organisation_names(self) -> list[str]:
        return [n.strip() for n in self.other_organisations.splitlines() if n.strip()]


class EntryImage(models.Model):
    """An image of an entry with its description for those who cannot see it. Stored outside
    the web root; served by a view while the entry is published."""

    PARTNERSHIP_PATH = "entry__partnership"

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="images", verbose_name=_("entry")
    )
    file = models.FileField(_("image"), upload_to="knowledge/%Y/")
    content_type = models.CharField(max_length=50)
    alt_sv = models.CharField(_("description (Swedish)"), max_length=300, blank=True)
    alt_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    alt = Localized("alt")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return self.alt or str(self.pk)


class EntryLink(models.Model):
    """A link from an entry to more about it: the initiative's site, a report, a film."""

    PARTNERSHIP_PATH = "entry__partnership"

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="links", verbose_name=_("entry")
    )
    url = models.URLField(_("address"), max_length=500)
    label_sv = models.CharField(_("text (Swedish)"), max_length=200, blank=True)
    label_en = models.CharField(_("text (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    label = Localized("label")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.url


class EntryEvent(models.Model):
    """A row on an entry's timeline: who did what to it, when, written in the same
    transaction as the change."""

    PARTNERSHIP_PATH = "entry__partnership"

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("bank entry event", "Created")
        EDITED = "edited", pgettext_lazy("bank entry event", "Edited")
        MOVED = "moved", pgettext_lazy("bank entry event", "State changed")
        IMAGE = "image", pgettext_lazy("bank entry event", "Images changed")
        LINK = "link", pgettext_lazy("bank entry event", "Links changed")
        IMPORTED = "imported", pgettext_lazy("bank entry event", "Imported")

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="events", verbose_name=_("entry")
    )
    kind = models.CharField(_("event"), max_length=10, choices=Kind.choices)
    from_state = models.CharField(_("from"), max_length=10, choices=Entry.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=10, choices=Entry.State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    # The entry's version after a change of its content, and the text fields it changed
    # ({field: [before, after]}), to show a reviewer what changed since they opened it.
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("entry event")
        verbose_name_plural = _("entry events")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.get_kind_display()}"


class News(models.Model):
    """A news item on the partnership's public site."""

    PARTNERSHIP_PATH = "partnership"

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("news state", "Draft")
        PUBLISHED = "published", pgettext_lazy("news state", "Published")

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.PROTECT,
        related_name="news",
        verbose_name=_("partnership"),
    )
    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=80)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_sv = models.TextField(_("text (Swedish)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # One more with every change of its text: publishing names the version it publishes.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    title = Localized("title")
    body = Localized("body")

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="news_slug"),
            models.CheckConstraint(
                name="news_published_has_date",
                condition=~Q(state="published") | Q(published_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["partnership", "state", "-published_at"])]

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        return reverse(
            "public:news_item", kwargs={"partnership": self.partnership.slug, "slug": self.slug}
        )


class ExchangeSource(models.Model):
    """Another installation whose open data this one reads (``manage.py import_open_data``),
    and what its coordinators decided about it: whether its entries are published here at once
    or wait in review, and whether it may pass on entries of other installations (a relay,
    such as the national bank)."""

    origin = models.CharField(_("address"), max_length=300, unique=True)
    publish_directly = models.BooleanField(
        _("publish its entries directly"),
        default=False,
        help_text=_("Otherwise each new or changed entry waits in review."),
    )
    trusted_as_relay = models.BooleanField(
        _("trusted to pass on other installations' entries"), default=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        ordering = ["origin"]
        verbose_name = _("exchange source")
        verbose_name_plural = _("exchange sources")

    def __str__(self) -> str:
        return self.origin


class SearchWord(models.Model):
    """A word of the published entries as the search reads it (soin.core.normalise): the
    vocabulary a query's words are widened against (the longer words that begin or end with
    them: inflections and compounds) and corrected against (typos). Kept by the search index;
    a word no entry uses any more stays, and finds nothing."""

    language = models.CharField(max_length=2)
    # Lower-case, as written.
    word = models.CharField(max_length=100)
    term = models.CharField(max_length=100)
    # The term backwards, without the endings Snowball leaves on (soin.core.normalise):
    # the compounds that end with a query's word are a range of it.
    reversed_term = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="bank_search_word"),
        ]
        indexes = [
            models.Index(fields=["language", "term"], name="bank_search_term"),
            models.Index(fields=["language", "reversed_term"], name="bank_search_reversed"),
        ]

    def __str__(self) -> str:
        return self.word
