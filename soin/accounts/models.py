from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.core.emails import CanonicalEmailField, canonical_email, with_canonical


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        # The address as typed (trimmed); an account is found by its canonical form.
        user = self.model(email=email.strip(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # Addresses are compared on their canonical form (soin.core.emails): the same address
        # typed another way finds the account, one that only looks like it does not.
        return self.get(email_canonical=canonical_email(username))

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: staff, advisors, partner contacts. Logs in with e-mail."""

    email = models.EmailField(_("e-mail address"), unique=True)
    email_canonical = CanonicalEmailField(_("e-mail as compared"), source="email", unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("sv", _("Swedish")), ("en", _("English"))],
        default="sv",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Only for Django's admin, which is kept for superusers repairing data.
    is_staff = models.BooleanField(_("admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The canonical form of the address follows it, also in a save of a few fields.
        kwargs["update_fields"] = with_canonical(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # A form that edits the address (the admin's) is told of an account with the same
        # address typed another way, instead of failing on the unique canonical column.
        super().clean()
        canonical = canonical_email(self.email)
        if (
            canonical
            and User.objects.filter(email_canonical=canonical).exclude(pk=self.pk).exists()
        ):
            raise ValidationError(
                {"email": _("An account with this e-mail address already exists.")}
            )

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.Model):
    """What a user may do, and where: a role in one partnership, or national."""

    class Kind(models.TextChoices):
        COORDINATOR = "coordinator", pgettext_lazy("role", "Coordinator")
        ADVISOR = "advisor", pgettext_lazy("role", "Advisor")
        PARTNER_CONTACT = "partner_contact", pgettext_lazy("role", "Partner contact")
        NATIONAL_COORDINATOR = "national_coordinator", pgettext_lazy("role", "National coordinator")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    kind = models.CharField(_("role"), max_length=30, choices=Kind.choices)
    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("partnership"),
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contact_roles",
        verbose_name=_("organisation"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["partnership", "kind"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                name="role_national_has_no_partnership",
                condition=(
                    Q(
                        kind="national_coordinator",
                        partnership__isnull=True,
                        organisation__isnull=True,
                    )
                    | (~Q(kind="national_coordinator") & Q(partnership__isnull=False))
                ),
            ),
            models.CheckConstraint(
                name="role_partner_contact_has_organisation",
                condition=Q(kind="partner_contact", organisation__isnull=False)
                | (~Q(kind="partner_contact") & Q(organisation__isnull=True)),
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "partnership"],
                condition=Q(organisation__isnull=True, partnership__isnull=False),
                name="role_unique_in_partnership",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(organisation__isnull=False),
                name="role_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(partnership__isnull=True),
                name="role_unique_national",
            ),
        ]

    def __str__(self) -> str:
        where = self.organisation or self.partnership
        return f"{self.get_kind_display()} ({where})" if where else str(self.get_kind_display())
