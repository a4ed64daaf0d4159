"""One canonical form per e-mail address, the only form addresses are compared on.

The rule (docs/security.md):

- Surrounding white space is dropped and the text is put in Unicode normalisation form C (as
  RFC 6532 asks of addresses), so an accent typed as a letter and a combining mark is the same
  address, and so are the characters Unicode declares canonically equivalent (the Kelvin sign
  is K). Compatibility look-alikes (full-width letters) are not folded.
- The domain is converted to its IDNA form (UTS #46, non-transitional, as browsers and mail
  clients do): ``Malmö.SE`` and ``xn--malm-8qa.se`` are one domain; ``kıruna.se`` (dotless i)
  is another domain than ``kiruna.se`` and stays another.
- In the local part only the ASCII letters A–Z are folded to lower case, as mail servers
  treat local parts in practice. No other character is folded or mapped: a full-width letter,
  a dotless i or a dotted capital I in the local part is a different mailbox. (Database
  functions such as PostgreSQL's ``UPPER()`` fold ``ı`` to ``I``; that is why addresses are
  never compared with ``__iexact``.)

Mail still goes to the address the person typed; the canonical form is for finding and
comparing only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

import idna
from django.db import models

_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def canonical_email(address: str | None) -> str:
    """Return the canonical form of ``address`` ('' for an empty one).

    An address whose domain IDNA cannot encode keeps its domain normalised (NFC, ASCII letters
    in lower case): it still compares equal only to itself."""
    text = unicodedata.normalize("NFC", (address or "").strip())
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at:
        return text.translate(_ASCII_UPPER)
    return f"{local.translate(_ASCII_UPPER)}@{canonical_domain(domain)}"


def canonical_domain(domain: str) -> str:
    """Return ``domain`` in its IDNA (A-label) form in lower case."""
    domain = unicodedata.normalize("NFC", domain.strip()).rstrip(".")
    try:
        return idna.encode(domain, uts46=True, transitional=False).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError):
        return domain.translate(_ASCII_UPPER)


# The canonical column ------------------------------------------------------------------------


class CanonicalEmailField(models.CharField):  # type: ignore[type-arg]
    """The canonical form of the address in the model's field ``source``, kept beside it.

    It is computed whenever a row is written through ``save()``, ``create()`` or
    ``bulk_create()`` (Django asks each field for its value then); a model's ``save()`` adds it
    to ``update_fields`` through ``with_canonical``. A ``QuerySet.update()`` that changes an
    address sets the canonical column itself, with ``canonical_email``."""

    def __init__(self, *args: Any, source: str = "email", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 320)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, value in (("max_length", 320), ("blank", True), ("editable", False)):
            if kwargs.get(key) == value:
                del kwargs[key]
        if kwargs.get("default") == "":
            del kwargs["default"]
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = canonical_email(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def canonical_fields(model: type[models.Model]) -> list[CanonicalEmailField]:
    """Return ``model``'s canonical address columns."""
    return [f for f in model._meta.concrete_fields if isinstance(f, CanonicalEmailField)]


def with_canonical(instance: models.Model, update_fields: Iterable[str] | None) -> Any:
    """Return ``update_fields`` with the canonical column of every address in it, so that a
    ``save(update_fields=[...])`` that changes an address changes its canonical form too."""
    if update_fields is None:
        return None
    names = set(update_fields)
    for f in canonical_fields(type(instance)):
        if f.source in names:
            names.add(f.name)
    return names


class CanonicalClash(Exception):
    """Existing rows whose addresses have one canonical form where only one row may have it."""


def canonical_fill(
    model: type[models.Model],
    *,
    source: str,
    target: str,
    unique_within: tuple[str, ...] | None = None,
    unique_among: models.Q | None = None,
    write: Callable[[str], Any] | None = None,
) -> list[list[int]]:
    """Fill ``target`` with the canonical form of ``source`` for every existing row of
    ``model`` (also a migration's historical model).

    With ``unique_within`` (the fields that, with ``target``, must be unique; ``()`` for the
    whole table), the rows (those matching ``unique_among``, if given) whose canonical forms
    collide are reported through ``write`` and nothing is written: ``CanonicalClash`` names
    them, so that a person decides which row keeps the address. Rows are never merged.
    Return the colliding groups of row ids (empty when the column was filled)."""
    rows = list(model._default_manager.order_by("pk").values_list("pk", source))
    values = {pk: canonical_email(address) for pk, address in rows}
    clashes: list[list[int]] = []
    if unique_within is not None:
        checked = model._default_manager.order_by("pk")
        if unique_among is not None:
            checked = checked.filter(unique_among)
        groups: dict[tuple[Any, ...], list[int]] = {}
        for pk, *scope in checked.values_list("pk", *unique_within):
            if values[pk]:
                groups.setdefault((*scope, values[pk]), []).append(pk)
        clashes = [pks for pks in groups.values() if len(pks) > 1]
    label = model._meta.label
    for pks in clashes:
        if write is not None:
            write(
                f"{label}: the rows {', '.join(str(pk) for pk in pks)} hold one address in "
                f"{source} ({values[pks[0]]!r}), written in different ways.\n"
            )
    if clashes:
        raise CanonicalClash(
            f"{label}: {len(clashes)} address(es) are in more than one row where one row may "
            "hold them (row ids: "
            + "; ".join(", ".join(str(pk) for pk in pks) for pks in clashes)
            + f"). Decide which row keeps each address, change or remove the others' {source}, "
            "and migrate again."
        )
    by_value: dict[str, list[int]] = {}
    for pk, value in values.items():
        by_value.setdefault(value, []).append(pk)
    for value, pks in by_value.items():
        for start in range(0, len(pks), 500):
            model._default_manager.filter(pk__in=pks[start : start + 500]).update(**{target: value})
    return clashes
