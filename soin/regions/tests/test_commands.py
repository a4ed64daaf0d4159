from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from soin.regions.models import Partnership


@pytest.mark.django_db
def test_create_partnership_from_the_command_line() -> None:
    out = io.StringIO()
    call_command(
        "create_partnership",
        "--slug",
        "varmland",
        "--region",
        "17",
        "--name-sv",
        "Partnerskapet i Värmland",
        "--name-en",
        "Värmland",
        stdout=out,
    )
    assert "7 agreement templates" in out.getvalue()
    p = Partnership.objects.get(slug="varmland")
    assert p.region.name_sv == "Värmlands län"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "x", "--region", "99"], "No region has the code"),
        (["--slug", "privacy", "--region", "17"], "slug: "),
        (["--slug", "ok slug", "--region", "17"], "slug: "),
    ],
)
def test_bad_input_is_explained_and_nothing_is_created(args, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=message):
        call_command("create_partnership", *args, "--name-sv", "a", "--name-en", "b")
    assert not Partnership.objects.exists()


@pytest.mark.django_db
def test_one_partnership_per_region() -> None:
    call_command(
        "create_partnership",
        "--slug",
        "a",
        "--region",
        "17",
        "--name-sv",
        "a",
        "--name-en",
        "a",
        stdout=io.StringIO(),
    )
    with pytest.raises(CommandError, match="har redan ett partnerskap"):
        call_command(
            "create_partnership",
            "--slug",
            "b",
            "--region",
            "17",
            "--name-sv",
            "b",
            "--name-en",
            "b",
        )
    assert Partnership.objects.count() == 1
