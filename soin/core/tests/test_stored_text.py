"""One rule for stored text (``soin/core/cleaning.py``): what XML, feeds and documents cannot
hold never reaches a text column by ``save()``, and every writer (Atom, sitemap, iCalendar,
DOCX, PDF, XLSX) cleans again, so that a value written around the rule (``update()``, a row
stored before the rule) never makes a document fail."""

from __future__ import annotations

import html
import io
import re
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from soin.core.cleaning import CONTROL, UNSTORABLE, clean_instance, clean_text
from soin.core.testing import COORDINATOR, login

# Stored by update(), around the rule. No NUL: PostgreSQL holds none in text at all.
DIRTY = "Före\x0bmed\x1b[31mfärg\ufffe\x07slut\x85ny rad\x9f"
CLEANED = "Föremed[31mfärgslut\nny rad"
# What no document may contain, whichever writer wrote it.
NOT_IN_DOCUMENTS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("Tab\tand\nlines\r\n", "Tab\tand\nlines\r\n"),
        ("Före\x00efter", "Föreefter"),
        ("".join(chr(c) for c in range(32)) + "\x7f", "\t\n\r"),
        ("a\x80b\x85c\x9fd", "ab\ncd"),
        ("lone \ud800 surrogate \udfff", "lone  surrogate "),
        ("non \ufffe\uffff characters", "non  characters"),
        ("𝕾𝖔𝖎𝖓 👍🏽 \U0010fffd", "𝕾𝖔𝖎𝖓 👍🏽 \U0010fffd"),
        ("\u202eexe.txt", "\u202eexe.txt\u202c"),
        ("\u2067x", "\u2067x\u2069"),
        ("\u202eexe\u202c.txt \u2067x\u2069", "\u202eexe\u202c.txt \u2067x\u2069"),
        ("\u2066\u202eab\ncd", "\u2066\u202eab\u202c\u2069\ncd"),
        ("closers alone \u202c\u2069", "closers alone \u202c\u2069"),
    ],
)
def test_the_rule_takes_out_what_documents_cannot_hold_and_closes_open_bidi(value, cleaned) -> None:  # type: ignore[no-untyped-def]
    assert clean_text(value) == cleaned
    assert clean_text(cleaned) == cleaned


def test_no_room_to_close_an_embedding_removes_it_instead() -> None:
    assert clean_text("abc\u202e", max_length=4) == "abc"
    assert clean_text("a\u202eb\u202c", max_length=4) == "a\u202eb\u202c"


def test_what_forms_refuse_is_part_of_what_the_rule_takes_out() -> None:
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if CONTROL.match(char):
            assert UNSTORABLE.match(char), hex(code)


def test_every_text_column_of_the_project_is_cleaned_when_saved() -> None:
    checked = 0
    for model in apps.get_models():
        if not model.__module__.startswith("soin."):
            continue
        instance = model()
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for field in fields:
            setattr(instance, field.attname, "a\x0bb")
        clean_instance(instance)
        for field in fields:
            assert getattr(instance, field.attname) == "ab", f"{model.__name__}.{field.name}"
            checked += 1
    assert checked > 250


def test_a_service_stores_text_cleaned(world) -> None:  # type: ignore[no-untyped-def]
    from soin.knowledge import services
    from soin.knowledge.models import Entry

    entry = services.entry_update(entry=world.draft_entry, actor=None, title_sv=DIRTY)
    assert Entry.objects.get(pk=entry.pk).title_sv == CLEANED


def test_a_management_command_stores_text_cleaned(world) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from soin.regions.models import Partnership, Region

    free = Region.objects.exclude(pk__in=Partnership.objects.values("region")).first()
    assert free is not None
    call_command(
        "create_partnership",
        "--slug",
        "ny",
        "--name-sv",
        "Ny\x1b[2J partnerskap",
        "--name-en",
        "New",
        "--region",
        free.code,
        stdout=io.StringIO(),
    )
    assert Partnership.objects.get(slug="ny").name_sv == "Ny[2J partnerskap"


def _no_control(body: bytes | str, where: str) -> None:
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    found = NOT_IN_DOCUMENTS.search(text)
    assert found is None, f"{where} holds {found.group()!r}"


def _docx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


@pytest.fixture
def dirty(world) -> Any:  # type: ignore[no-untyped-def]
    """Text with control characters stored directly, around the rule, in what each writer
    writes."""
    from soin.activities.models import Activity
    from soin.knowledge.models import Entry, News
    from soin.partners.models import Organisation
    from soin.regions.models import Partnership
    from soin.reports.models import YearlyReport

    Entry.objects.filter(pk=world.entry.pk).update(title_sv=DIRTY, summary_sv=DIRTY)
    News.objects.filter(partnership=world.partnership).update(title_sv=DIRTY, body_sv=DIRTY)
    Partnership.objects.filter(pk=world.partnership.pk).update(name_sv=DIRTY)
    Activity.objects.filter(pk=world.activity.pk).update(
        title_sv=DIRTY, description_sv=DIRTY, place=DIRTY
    )
    Organisation.objects.filter(pk=world.own_agreement.organisation_id).update(name=DIRTY)
    report = world.published_report
    YearlyReport.objects.filter(pk=report.pk).update(
        narrative={key: {"sv": DIRTY, "en": DIRTY} for key in (report.narrative or {"intro": 1})}
    )
    return world


def test_the_atom_feeds_and_the_sitemap_answer_with_a_stored_control_character(dirty) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for url in (
        reverse("public:national_feed"),
        reverse("public:feed", kwargs={"partnership": dirty.partnership.slug}),
        reverse("sitemap"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _no_control(response.content, url)
    feed = client.get(reverse("public:national_feed")).content.decode()
    assert CLEANED in feed
    entry = reverse(
        "public:bank_entry",
        kwargs={"partnership": dirty.partnership.slug, "slug": dirty.entry.slug},
    )
    assert client.get(entry).status_code == 200


def test_icalendar_answers_without_the_control_characters(dirty) -> None:  # type: ignore[no-untyped-def]
    url = reverse(
        "public:activity_ics",
        kwargs={"partnership": dirty.partnership.slug, "pk": dirty.activity.pk},
    )
    response = Client().get(url)
    assert response.status_code == 200
    _no_control(response.content, url)
    assert "Föremed[31mfärg" in response.content.decode()


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    """Return a response's bytes, streamed (a stored file) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def test_docx_pdf_and_xlsx_answer_without_the_control_characters(dirty) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, dirty.users[COORDINATOR])
    p = dirty.partnership.slug
    agreement = {"partnership": p, "pk": dirty.own_agreement.pk}
    docx = client.get(reverse("staff:agreement_docx", kwargs=agreement))
    assert docx.status_code == 200
    _no_control(_docx_text(docx.content), "agreement DOCX")
    assert "Föremed[31mfärg" in _docx_text(docx.content)
    pdf = client.get(reverse("staff:agreement_pdf", kwargs=agreement))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    report = {"partnership": p, "year": dirty.published_report.year}
    report_docx = Client().get(reverse("public:report_download", kwargs={**report, "fmt": "docx"}))
    assert report_docx.status_code == 200
    _no_control(_docx_text(body(report_docx)), "report DOCX")
    report_pdf = Client().get(reverse("public:report_download", kwargs={**report, "fmt": "pdf"}))
    assert report_pdf.status_code == 200 and body(report_pdf).startswith(b"%PDF")
    xlsx = client.get(
        reverse("staff:partner_export", kwargs={"partnership": p}), {"format": "xlsx"}
    )
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as archive:
        # openpyxl writes characters beyond ASCII as character references.
        strings = html.unescape(
            "".join(
                archive.read(name).decode("utf-8")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
        )
    _no_control(strings, "partners XLSX")
    assert "Föremed[31mfärg" in strings


def test_the_migration_cleans_the_text_stored_before_the_rule(dirty) -> None:  # type: ignore[no-untyped-def]
    from importlib import import_module
    from types import SimpleNamespace

    from django.db import connection

    from soin.activities.models import Activity
    from soin.knowledge.models import Entry
    from soin.partners.models import Organisation

    Entry.objects.filter(pk=dirty.draft_entry.pk).update(title_en="open \u202eembedding")
    migration = import_module("soin.core.migrations.0005_clean_stored_text")
    migration.clean_stored_text(apps, SimpleNamespace(connection=connection))
    entry = Entry.objects.get(pk=dirty.entry.pk)
    assert (entry.title_sv, entry.summary_sv) == (CLEANED, CLEANED)
    assert Entry.objects.get(pk=dirty.draft_entry.pk).title_en == "open \u202eembedding\u202c"
    assert Activity.objects.get(pk=dirty.activity.pk).place == CLEANED
    assert Organisation.objects.get(pk=dirty.own_agreement.organisation_id).name == CLEANED
    # Nothing else changed: a clean row is not even read.
    assert Entry.objects.get(pk=dirty.draft_entry.pk).title_sv == dirty.draft_entry.title_sv
