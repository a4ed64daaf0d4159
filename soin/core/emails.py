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

import idna

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
