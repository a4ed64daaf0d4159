"""A person's request for their own data: the private link is made from the request's id and
nonce (``soin.core.tokens``) and opens once, for one address in one partnership, for a day."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soin.core.emails import CanonicalEmailField, with_canonical


class AccessRequest(models.Model):
    """A link sent to ``email`` that opens that address's data in ``partnership`` once."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("partnership"),
    )
    email = models.EmailField(_("e-mail"))
    email_canonical = CanonicalEmailField(_("e-mail as compared"), source="email")
    nonce = models.CharField(max_length=64)
    # The language of the page the person asked on: the mail and the link speak it.
    language = models.CharField(_("language"), max_length=2, default="sv")
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for one's own data")
        verbose_name_plural = _("requests for one's own data")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.partnership_id}:{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The canonical form of the address follows it, also in a save of a few fields.
        kwargs["update_fields"] = with_canonical(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
