from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from soin.ideas.models import Idea

SEED_003 = """Idé;Idébärare;Relation till samhällsutmaning;Hur hanteras idén
Hjälpmedel inom hälso- och Sjukvård;Privatperson;Hälsa, demografiska förändringar och välbefinnande;Innovations-slussen (hälso- och sjukvård)
Socialt företag för kvinnor;Privatperson;Europa i en föränderlig värld - Inkluderande, innovativa och reflekterande samhällen;Coompanion
Omställning av lokalsamhälle;Privatperson;Klimatåtgärder, miljö, resurseffektivitet och råvaror Livsmedelstrygghet, hållbart jord- och skogsbruk, marin-, maritim- samt insjöforskning och bioekonomi;Under utveckling i större grupp
Basar;Privatperson;Europa i en föränderlig värld - Inkluderande, innovativa och reflekterande samhällen;Cocompanion
Sammanhållen turismsatsning;Föreningar, privatpersoner, företag;Europa i en föränderlig värld - Inkluderande, innovativa och reflekterande samhällen;Under utveckling hos idébärarna
Maker Space;Förening;Klimatåtgärder, miljö, resurseffektivitet och råvaror;Idén utvecklad till ansökan
"""  # noqa: E501


@pytest.fixture
def coompanion(world):  # type: ignore[no-untyped-def]
    return world.other_org  # named "Coompanion" in the test world


def run(path, *extra: str) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command(
        "import_ideas",
        str(path),
        "--partnership",
        "orebro",
        "--received-on",
        "2017-06-01",
        *extra,
        stdout=out,
        stderr=out,
    )
    return out.getvalue()


def test_the_ideas_table_of_seed_003_imports_as_it_stands(world, coompanion, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ideas.csv"
    path.write_text(SEED_003, encoding="utf-8")
    output = run(path)
    assert "Imported 6 ideas" in output and "6/6" in output
    ideas = {i.title: i for i in Idea.objects.filter(received_on="2017-06-01")}
    assert ideas["Socialt företag för kvinnor"].referred_to == coompanion
    assert ideas["Basar"].referred_to == coompanion  # "Cocompanion" in the table
    assert ideas["Omställning av lokalsamhälle"].tier == Idea.Tier.EXTENDED
    assert sorted(c.key for c in ideas["Omställning av lokalsamhälle"].challenges.all()) == [
        "climate",
        "food-bioeconomy",
    ]
    assert ideas["Sammanhållen turismsatsning"].carrier_category == "several"
    assert ideas["Sammanhållen turismsatsning"].stage == Idea.Stage.REFINED
    assert ideas["Maker Space"].outcome == Idea.Outcome.FUNDING_APPLICATION
    assert ideas["Hjälpmedel inom hälso- och Sjukvård"].outcome == Idea.Outcome.OUTSIDE_BODY
    assert all(i.registered_by == world.users["coordinator"] for i in ideas.values())


def test_one_bad_row_imports_nothing_and_is_named(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = SEED_003.splitlines()
    lines.insert(3, "Trasig rad;Marsian;Hälsa, demografiska förändringar och välbefinnande;")
    lines.append(";Privatperson;Okänd utmaning;")
    path = tmp_path / "ideas.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    before = Idea.objects.count()
    with pytest.raises(CommandError, match="2 of 8 rows have errors; nothing was imported"):
        out = io.StringIO()
        call_command("import_ideas", str(path), "--partnership", "orebro", stderr=out)
    report = out.getvalue()
    assert "Row 4: unknown carrier 'Marsian'" in report
    assert "Row 9: the idea's name (title / Idé) is empty" in report
    assert "no societal challenge matches 'Okänd utmaning'" in report
    assert Idea.objects.count() == before


def test_an_excel_file_with_english_headers(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        ["title", "carrier_category", "challenges", "municipality", "received_on", "carrier_email"]
    )
    sheet.append(
        ["Skolträdgård", "association", "climate", "Kumla", "2018-04-01", "tradgard@example.org"]
    )
    path = tmp_path / "ideas.xlsx"
    book.save(path)
    run(path, "--channel", "seminar")
    idea = Idea.objects.get(title="Skolträdgård")
    assert (idea.channel, idea.number, idea.municipality.name) == ("seminar", "2018-001", "Kumla")
    assert idea.stage == Idea.Stage.REGISTERED


def test_the_command_refuses_what_it_cannot_use(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = tmp_path / "ideas.txt"
    text.write_text("x")
    with pytest.raises(CommandError, match=r"must be \.csv or \.xlsx"):
        call_command("import_ideas", str(text), "--partnership", "orebro")
    with pytest.raises(CommandError, match="No partnership"):
        call_command("import_ideas", str(text), "--partnership", "nowhere")
    with pytest.raises(CommandError, match="is not a coordinator or advisor"):
        csv = tmp_path / "a.csv"
        csv.write_text("Idé;Idébärare\nX;Privatperson\n")
        call_command(
            "import_ideas", str(csv), "--partnership", "orebro", "--as", "contact@example.org"
        )
