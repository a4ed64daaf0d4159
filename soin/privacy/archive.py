"""A person's own data as a ZIP: a README in Swedish and English, and each kind of data as
JSON and as CSV (the CSV as Swedish offices open it, from ``soin.core.exports``)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from soin.core.exports import table_csv
from soin.privacy.processing import by_key
from soin.privacy.selectors import KINDS, Rows, person_data
from soin.regions.models import Partnership


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def rows_csv(rows: Rows) -> bytes:
    headers: list[str] = []
    for row in rows:
        headers += [k for k in row if k not in headers]
    return table_csv(headers, ([_cell(row.get(h, "")) for h in headers] for row in rows))


def readme(*, partnership: Partnership, email: str, data: dict[str, Rows]) -> str:
    """Return the README: what each file holds, where it came from, the legal basis from the
    record of processing, and how to ask for correction or erasure; first in Swedish, then
    in English."""
    parts = []
    for language in ("sv", "en"):
        with translation.override(language):
            lines = [
                _("Your data held by %(partnership)s") % {"partnership": partnership.name},
                "=" * 60,
                _("Address: %(email)s. Made: %(when)s.")
                % {
                    "email": email,
                    "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                },
                _("Controller: %(controller)s.") % {"controller": settings.SOIN_OPERATOR_NAME},
                "",
            ]
            held = [kind for kind in KINDS if data.get(kind.key)]
            if not held:
                lines.append(_("We hold no data about this address."))
                lines.append("")
            for kind in held:
                processing = by_key(kind.processing)
                lines += [
                    f"{kind.key}.json, {kind.key}.csv — {kind.title}",
                    "  " + _("Records: %(count)s") % {"count": len(data[kind.key])},
                    "  " + _("Where it came from: %(source)s") % {"source": kind.source},
                    "  " + _("Why we keep it: %(purpose)s") % {"purpose": processing.purpose},
                    "  "
                    + _("Legal basis: %(basis)s") % {"basis": "; ".join(processing.basis_labels)},
                    "  " + str(processing.basis_note),
                    "  " + _("How long: %(retention)s") % {"retention": processing.retention},
                    "",
                ]
            lines += [
                _(
                    "To have something corrected, write to %(address)s. To have your data "
                    "erased, use the button on the page your link opened, or ask for a new "
                    "link on the partnership's page “My data”. What the archive law requires "
                    "us to keep is kept without your contact details."
                )
                % {"address": partnership.contact_email or settings.SOIN_OPERATOR_EMAIL},
                _(
                    "You may complain to the Swedish Authority for Privacy Protection (IMY), "
                    "www.imy.se."
                ),
                "",
            ]
            parts.append("\n".join(lines))
    return ("\n\n".join(parts)).replace("\n", "\r\n")


def person_archive(*, partnership: Partnership, email: str) -> bytes:
    """Return the ZIP of everything ``partnership`` holds about ``email``."""
    data = person_data(partnership=partnership, email=email)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(partnership=partnership, email=email, data=data))
        for kind in KINDS:
            rows = data[kind.key]
            if not rows:
                continue
            archive.writestr(
                f"{kind.key}.json", json.dumps(rows, ensure_ascii=False, indent=2, default=str)
            )
            archive.writestr(f"{kind.key}.csv", rows_csv(rows))
    return out.getvalue()
