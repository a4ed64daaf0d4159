"""Erasures survive a restore of an older backup: the journal outside the database repeats
them, and the restore says how many."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from soin.core import backups
from soin.core.testing import build_world
from soin.ideas.models import Idea
from soin.newsletter.models import Subscriber
from soin.retention.erasure import erasure_replay, person_erase
from soin.retention.models import ErasureRecord
from soin.retention.tests.people import ADDRESS, NAME, PHONE, make_person, rows_mentioning


@pytest.mark.django_db(transaction=True)
def test_a_restore_of_an_older_backup_erases_the_person_again(
    reference_data, tmp_path, journal
) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    person = make_person(world)
    archive = backups.backup_create(directory=tmp_path / "backups")

    person_erase(partnership=world.partnership, email=ADDRESS, actor=None, via="self-service")
    assert rows_mentioning(world.partnership, ADDRESS, NAME, PHONE) == []
    assert len(journal.read_text().splitlines()) == 1

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)

    assert "Erasures made since then, repeated: 1." in out.getvalue()
    assert rows_mentioning(world.partnership, ADDRESS, NAME, PHONE) == []
    assert Idea.objects.get(pk=person.idea.pk).carrier_email == ""
    # The record of the erasure is back (as a replay); the journal has no new line.
    assert ErasureRecord.objects.get(partnership=world.partnership).via == "replay"
    assert len(journal.read_text().splitlines()) == 1
    # The other partnership's person with the same address was never erased.
    assert Idea.objects.get(pk=person.other_idea.pk).carrier_email == ADDRESS
    assert Subscriber.objects.filter(pk=person.other_subscriber.pk).exists()


@pytest.mark.django_db
def test_the_replay_reads_only_lines_after_the_time_given(world, journal: Path) -> None:  # type: ignore[no-untyped-def]
    make_person(world)
    from soin.retention.erasure import subject_hash

    line = {
        "at": "2026-01-10T12:00:00+00:00",
        "partnership": world.partnership.slug,
        "subject_hash": subject_hash(ADDRESS),
        "via": "self-service",
    }
    journal.write_text("not json\n" + json.dumps(line) + "\n" + '{"at": "2026-01-1')
    later = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    assert erasure_replay(since=later) == 0
    assert Idea.objects.filter(carrier_email=ADDRESS, partnership=world.partnership).exists()
    out = io.StringIO()
    call_command("replay_erasures", "--since", "2026-01-01T00:00:00+00:00", stdout=out)
    assert "1 erasure(s) repeated" in out.getvalue()
    assert not Idea.objects.filter(carrier_email=ADDRESS, partnership=world.partnership).exists()
    # Replaying again finds nobody.
    assert erasure_replay(since=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)) == 0


@pytest.mark.django_db
def test_a_journal_line_from_before_canonical_addresses_is_still_replayed(  # type: ignore[no-untyped-def]
    world, journal: Path
) -> None:
    from django.conf import settings
    from django.utils.crypto import salted_hmac

    from soin.ideas import services as idea_services
    from soin.retention.erasure import HASH_SALT

    typed = "Lars@Malm\u00f6.se"
    idea_services.idea_submit(
        partnership=world.partnership,
        consent_text="Samtycke",
        title="Lars idé",
        description="En idé.",
        carrier_category="private",
        carrier_name="Lars",
        carrier_email=typed,
    )
    # Such a line hashed the address in lower case, not its canonical form.
    legacy = salted_hmac(
        HASH_SALT, typed.lower(), secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()
    line = {"at": "2026-01-10T12:00:00+00:00", "partnership": world.partnership.slug}
    journal.write_text(json.dumps({**line, "subject_hash": legacy, "via": "staff"}) + "\n")
    assert erasure_replay(since=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)) == 1
    assert not Idea.objects.filter(carrier_email=typed).exists()
