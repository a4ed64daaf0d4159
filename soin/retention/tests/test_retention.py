"""Retention: what has passed its time is anonymised every night, what has not is kept."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from soin.activities.models import Activity, Registration
from soin.core.testing import COORDINATOR
from soin.ideas import services as idea_services
from soin.ideas.models import Idea
from soin.newsletter.models import Subscriber
from soin.retention import services, tasks
from soin.retention.models import ErasureRecord

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _closed_idea(world, months_ago: int, name: str) -> Idea:  # type: ignore[no-untyped-def]
    idea = idea_services.idea_register(
        partnership=world.partnership,
        actor=world.users[COORDINATOR],
        channel="phone",
        received_on=datetime.date(2015, 1, 1),
        title=f"Idé av {name}",
        description="En idé som lades ner.",
        carrier_category="private",
        carrier_name=name,
        carrier_email=f"{name.split()[0].lower()}@exempel.se",
    )
    idea = idea_services.idea_move(
        idea=idea, actor=world.users[COORDINATOR], move="drop", note="Nej"
    )
    Idea.objects.filter(pk=idea.pk).update(
        stage_changed_at=NOW - datetime.timedelta(days=30 * months_ago + 5)
    )
    return idea


def _past_registration(world, months_ago: int, name: str) -> Registration:  # type: ignore[no-untyped-def]
    ends = NOW - datetime.timedelta(days=30 * months_ago + 5)
    activity = Activity.objects.create(
        partnership=world.partnership,
        kind="experience_seminar",
        title_sv=f"Seminarium {name}",
        starts_at=ends - datetime.timedelta(hours=2),
        ends_at=ends,
    )
    return Registration.objects.create(
        activity=activity,
        name=name,
        email=f"{name.split()[0].lower()}@exempel.se",
        state="confirmed",
        nonce="x" * 32,
    )


def _unsubscribed(world, months_ago: int, email: str) -> Subscriber:  # type: ignore[no-untyped-def]
    return Subscriber.objects.create(
        partnership=world.partnership,
        email=email,
        state="unsubscribed",
        nonce="y" * 32,
        unsubscribed_at=NOW - datetime.timedelta(days=30 * months_ago + 5),
    )


def test_records_past_their_time_are_anonymised_and_younger_ones_kept(world) -> None:  # type: ignore[no-untyped-def]
    old_idea, young_idea = (
        _closed_idea(world, 37, "Gammal Bärare"),
        _closed_idea(world, 35, "Ung Bärare"),
    )
    old_reg, young_reg = (
        _past_registration(world, 13, "Gammal Deltagare"),
        _past_registration(world, 11, "Ung Deltagare"),
    )
    old_sub, young_sub = (
        _unsubscribed(world, 2, "gammal@exempel.se"),
        _unsubscribed(world, 0, "ung@exempel.se"),
    )
    open_idea = world.idea  # open ideas are never anonymised by retention

    counts = services.retention_apply(partnership=world.partnership)

    old_idea.refresh_from_db()
    assert (old_idea.carrier_name, old_idea.carrier_email, old_idea.status_nonce) == ("", "", "")
    assert old_idea.description == "En idé som lades ner."
    assert Idea.objects.get(pk=young_idea.pk).carrier_name == "Ung Bärare"
    assert Idea.objects.get(pk=open_idea.pk).carrier_name == "Idé Bärare"
    old_reg.refresh_from_db()
    assert old_reg.name == "" and old_reg.email.endswith("@erased.invalid")
    assert old_reg.state == "confirmed"
    assert Registration.objects.get(pk=young_reg.pk).name == "Ung Deltagare"
    assert not Subscriber.objects.filter(pk=old_sub.pk).exists()
    assert Subscriber.objects.filter(pk=young_sub.pk).exists()
    assert counts["ideas"] == 1 and counts["registrations"] == 1 and counts["subscribers"] == 1
    record = ErasureRecord.objects.get()
    assert record.via == "retention" and record.counts == counts and record.subject_hash == ""


def test_a_second_run_touches_nothing(world) -> None:  # type: ignore[no-untyped-def]
    _closed_idea(world, 40, "Gammal Bärare")
    _past_registration(world, 20, "Gammal Deltagare")
    assert services.retention_apply(partnership=world.partnership)
    assert services.retention_apply(partnership=world.partnership) == {}
    assert ErasureRecord.objects.count() == 1


def test_a_changed_policy_is_respected(world) -> None:  # type: ignore[no-untyped-def]
    idea = _closed_idea(world, 13, "Kortare Tid")
    assert services.retention_apply(partnership=world.partnership).get("ideas") is None
    services.retention_policy_update(
        partnership=world.partnership,
        actor=world.users[COORDINATOR],
        idea_months=12,
        registration_months=12,
        subscriber_months=1,
    )
    assert services.retention_apply(partnership=world.partnership)["ideas"] == 1
    assert Idea.objects.get(pk=idea.pk).carrier_name == ""


def test_the_policy_is_made_with_defaults_and_refuses_odd_months(world) -> None:  # type: ignore[no-untyped-def]
    policy = services.retention_policy_for(partnership=world.partnership)
    assert (policy.idea_months, policy.registration_months, policy.subscriber_months) == (36, 12, 1)
    for wrong in (0, 241, 1.5, True):
        with pytest.raises(ValidationError):
            services.retention_policy_update(
                partnership=world.partnership,
                actor=None,
                idea_months=wrong,
                registration_months=12,
                subscriber_months=1,  # type: ignore[arg-type]
            )


def test_the_task_runs_every_partnership_and_queues_itself_for_three_at_night(world) -> None:  # type: ignore[no-untyped-def]
    _closed_idea(world, 40, "Gammal Bärare")
    results = tasks.apply_retention.call()
    assert results[world.partnership.slug]["ideas"] == 1
    queued = DBTaskResult.objects.get(task_path=tasks.task_path(), status="READY")
    local = queued.run_after.astimezone(tasks.STOCKHOLM)
    assert (local.hour, local.minute) == (3, 0)
    assert queued.run_after > timezone.now()
    assert queued.run_after - timezone.now() <= datetime.timedelta(hours=25)
    # Queueing again while one is queued does nothing.
    assert tasks.retention_schedule() is None
    out = io.StringIO()
    call_command("apply_retention", "--schedule", stdout=out)
    assert "queued already" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path=tasks.task_path()).count() == 1


def test_the_next_run_is_three_in_the_morning_in_sweden() -> None:
    stockholm = tasks.STOCKHOLM
    before = datetime.datetime(2026, 3, 28, 2, 30, tzinfo=stockholm)
    assert tasks.next_run(before) == datetime.datetime(2026, 3, 28, 3, 0, tzinfo=stockholm)
    # Across the change to summer time the next 03:00 is still local time.
    after = datetime.datetime(2026, 3, 28, 3, 0, tzinfo=stockholm)
    nxt = tasks.next_run(after)
    assert nxt == datetime.datetime(2026, 3, 29, 3, 0, tzinfo=stockholm)
    assert nxt.utcoffset() == datetime.timedelta(hours=2)


def test_the_command_runs_the_retention_now(world) -> None:  # type: ignore[no-untyped-def]
    _closed_idea(world, 40, "Gammal Bärare")
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "ideas 1" in out.getvalue()
    call_command("apply_retention", stdout=out)
    assert "Nothing has passed" in out.getvalue()
