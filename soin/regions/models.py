from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from soin.core.i18n import Localized


class Region(models.Model):
    """One of Sweden's 21 regions (län), reference data shipped with the project."""

    code = models.CharField(_("county code"), max_length=2, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    name = Localized("name")


class Municipality(models.Model):
    """One of Sweden's 290 municipalities (kommuner), reference data shipped with the project."""

    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


# Words the URL map uses beside a partnership's slug.
RESERVED_SLUGS = frozenset(
    {
        "accessibility",
        "bank",
        "privacy",
        "login",
        "logout",
        "password",
        "admin",
        "api",
        "static",
        "media",
        "i18n",
        "staff",
        "sv",
        "en",
        "national",
    }
)


def validate_partnership_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved; choose another."))


class Partnership(models.Model):
    """A regional partnership for social innovation: the owner of every domain record."""

    slug = models.SlugField(
        _("short name"), max_length=50, unique=True, validators=[validate_partnership_slug]
    )
    name_sv = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, related_name="partnership", verbose_name=_("region")
    )
    about_sv = models.TextField(_("about (Swedish)"), blank=True)
    about_en = models.TextField(_("about (English)"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    idea_stale_days = models.PositiveSmallIntegerField(
        _("days before an idea counts as standing still"),
        default=21,
        help_text=_(
            "Ideas that have not moved for this long appear on the advisors' work "
            "list and in their weekly mail."
        ),
    )
    fte_hours = models.DecimalField(
        _("hours of voluntary work per full-time equivalent"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("1700.0"),
        validators=[MinValueValidator(Decimal(1))],
        help_text=_(
            "Used to state hours of voluntary work as full-time equivalents in the key "
            "figures of the social economy."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name_sv"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name

    name = Localized("name")
    about = Localized("about")

    def get_absolute_url(self) -> str:
        return reverse("public:partnership", kwargs={"partnership": self.slug})
