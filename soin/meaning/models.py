"""A vector of meaning per idea and per knowledge-bank entry, from the embedding model
(``soin.meaning.engine``), kept with the model's name and a hash of the text it was computed
from, so that it is computed again only when either changes. Plain bytes in a BinaryField: the
same on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _

from soin.ideas.models import Idea
from soin.knowledge.models import Entry

# Half precision: 768 bytes a vector; the scores it gives differ by less than 1e-3.
DTYPE = np.float16


class Vector(models.Model):
    model = models.CharField(_("model"), max_length=200)
    text_hash = models.CharField(_("hash of the text"), max_length=64)
    vector = models.BinaryField(_("vector"))
    updated_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        abstract = True

    def as_array(self) -> np.ndarray:
        return np.frombuffer(bytes(self.vector), dtype=DTYPE).astype(np.float32)


class IdeaVector(Vector):
    PARTNERSHIP_PATH = "idea__partnership"
    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, related_name="meaning", verbose_name=_("idea")
    )
    # The nearest ideas (in the idea's partnership and in the others) and knowledge-bank
    # entries, as the worker found them with this vector: [[pk, score], …], best first. An idea
    # page reads them in one query instead of comparing the idea with every other.
    neighbours = models.JSONField(_("nearest ideas"), default=list, blank=True)
    solutions = models.JSONField(_("nearest entries"), default=list, blank=True)
    neighbours_at = models.DateTimeField(_("nearest found"), null=True, blank=True)

    class Meta:
        verbose_name = _("vector of an idea")
        verbose_name_plural = _("vectors of ideas")

    def __str__(self) -> str:
        return f"{self.idea_id} ({self.model})"


class EntryVector(Vector):
    PARTNERSHIP_PATH = "entry__partnership"
    entry = models.OneToOneField(
        Entry, on_delete=models.CASCADE, related_name="meaning", verbose_name=_("entry")
    )

    class Meta:
        verbose_name = _("vector of an entry")
        verbose_name_plural = _("vectors of entries")

    def __str__(self) -> str:
        return f"{self.entry_id} ({self.model})"
