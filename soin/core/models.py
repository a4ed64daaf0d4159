"""What the core keeps of its own: the record of mails handed to the mail server, the hits
against the public forms' limits, the stamps of the cached aggregates, and the stamps of the
public forms' submissions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailHandover(models.Model):
    """A mail a task has handed (or is handing) to the mail server, written before the
    hand-over: a task run again after its worker died, or tried again after the server
    failed, skips the mails already given to the server. ``delivery`` is the first run's
    task id; ``digest`` a SHA-256 of the recipients, so no address is kept here."""

    delivery = models.CharField(_("delivery"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mail hand-over")
        verbose_name_plural = _("mail hand-overs")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "digest"], name="core_mail_handover_once")
        ]
        indexes = [models.Index(fields=["created_at"], name="core_mail_handover_created")]

    def __str__(self) -> str:
        return f"{self.delivery}:{self.digest[:12]}"


class RateLimitHit(models.Model):
    """A request counted against a public form's hourly limit (soin.core.ratelimit). Only a
    keyed hash of who sent it (the address, or the private link) is stored, and only for an
    hour; the hash names the partnership too, so the row itself names none."""

    scope = models.CharField(_("form"), max_length=40)
    key_hash = models.CharField(_("sender"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("limited submission")
        verbose_name_plural = _("limited submissions")
        indexes = [models.Index(fields=["scope", "key_hash"], name="core_ratelimit_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key_hash[:8]}"


class AggregateStamp(models.Model):
    """The version of the data one kind of cached aggregate counts (soin.core.aggregates): a
    new random token on every write to that data, in the write's transaction. A rolled-back
    write's token never comes back, so nothing counted inside it is served afterwards."""

    source = models.CharField(_("source"), max_length=40, unique=True)
    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("aggregate stamp")
        verbose_name_plural = _("aggregate stamps")

    def __str__(self) -> str:
        return f"{self.source}:{self.token}"


class SubmissionToken(models.Model):
    """A public form's stamp, spent: inserted in the transaction that stores the submission
    (soin.core.submissions), so its unique nonce lets one submission through and refuses a
    second with the same stamp, sent at the same time or later. ``session`` is a keyed hash of
    the session that sent it; ``result`` what that session may see again (a number, never a
    private link). Kept for two days."""

    form = models.CharField(_("form"), max_length=40)
    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    session = models.CharField(_("session"), max_length=64)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sent form")
        verbose_name_plural = _("sent forms")

    def __str__(self) -> str:
        return f"{self.form}:{self.nonce[:8]}"
