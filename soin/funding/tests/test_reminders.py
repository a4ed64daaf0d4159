"""The deadline reminder: queued with ``run_after`` for the call's deadline, run by the real
worker, sent once per deadline to the interested partners' contact persons and the watcher,
and following the deadline when it moves."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from soin.core.testing import build_world
from soin.funding import services
from soin.funding.models import FundingCall
from soin.funding.tasks import send_call_reminder


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def addresses() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_reminder_once_per_deadline(reference_data, settings) -> None:  # type: ignore[no-untyped-def]
    # The worker opens and closes its own connections: a transactional test, as in production.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = build_world()
    work()
    mail.outbox.clear()
    coordinator = world.users["coordinator"]
    today = timezone.localdate()
    call = world.funding_call  # closes in 60 days, reminder 14 days before: not yet due
    queued = DBTaskResult.objects.filter(args_kwargs__kwargs__call_id=call.pk, status="READY")
    assert queued.count() == 1
    assert queued.get().run_after == services.reminder_due_at(call)
    work()
    assert mail.outbox == []

    # The deadline moves to ten days ahead: the reminder is due now, and the worker sends it.
    services.call_update(
        call=call,
        actor=coordinator,
        closes_on=today + datetime.timedelta(days=10),
        interested=[world.own_org, world.other_org],
    )
    work()
    assert addresses() == [
        "coordinator@example.org",  # the watcher
        "kontakt@example.org",  # both contacts share one address: mailed once
    ]
    assert all(call.title in m.subject for m in mail.outbox)
    body = mail.outbox[0].body
    assert "/staff/orebro/funding/calls/" in body
    call.refresh_from_db()
    assert call.reminded_for == call.closes_on

    # The same deadline never gets a second reminder, even if the task runs again.
    mail.outbox.clear()
    send_call_reminder.enqueue(call_id=call.pk, closes_on=call.closes_on.isoformat())
    services.call_update(call=call, actor=coordinator, themes="Ändrat tema")
    work()
    assert mail.outbox == []

    # A new deadline gets its reminder; the one queued for the old date does nothing.
    services.call_update(call=call, actor=coordinator, closes_on=today + datetime.timedelta(days=8))
    work()
    assert len(mail.outbox) == 2
    call.refresh_from_db()
    assert call.reminded_for == today + datetime.timedelta(days=8)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_queued_reminder_when_its_moment_comes(  # type: ignore[no-untyped-def]
    reference_data, settings, monkeypatch
) -> None:
    from soin.partners import services as partner_services

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = build_world()
    call = world.funding_call  # closes in 60 days: queued for 08:00 Stockholm time, 14 days before
    # Every interested partner's contacts are reached, not only the first partner's.
    for organisation, address in (
        (world.own_org, "hallefors@example.org"),
        (world.other_org, "coompanion@example.org"),
    ):
        partner_services.contact_create(
            organisation=organisation, actor=None, name="Kontakt", email=address
        )
    services.call_update(
        call=call, actor=world.users["coordinator"], interested=[world.own_org, world.other_org]
    )
    work()
    mail.outbox.clear()
    due = services.reminder_due_at(call)
    assert due.astimezone(datetime.UTC).hour in (6, 7)  # 08:00 in Stockholm
    monkeypatch.setattr(timezone, "now", lambda: due - datetime.timedelta(minutes=1))
    work()
    assert mail.outbox == []
    monkeypatch.setattr(timezone, "now", lambda: due + datetime.timedelta(minutes=1))
    work()
    assert addresses() == [
        "coompanion@example.org",
        "coordinator@example.org",
        "hallefors@example.org",
        "kontakt@example.org",
    ]
    # The mail says how many days are left (14 days, 14 dagar); a second run sends nothing.
    assert "14 d" in mail.outbox[0].body
    work()
    assert len(mail.outbox) == 4


def test_the_reminder_task_checks_when_it_runs(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    call = world.funding_call
    today = timezone.localdate()
    # Too early: sixty days ahead, reminded fourteen days before.
    send_call_reminder.call(call_id=call.pk, closes_on=call.closes_on.isoformat())
    assert mail.outbox == []
    # Queued for a deadline the call no longer has.
    FundingCall.objects.filter(pk=call.pk).update(closes_on=today + datetime.timedelta(days=3))
    send_call_reminder.call(call_id=call.pk, closes_on=call.closes_on.isoformat())
    assert mail.outbox == []
    # For the present deadline: sent to the watcher and Coompanion's contact, once.
    day = (today + datetime.timedelta(days=3)).isoformat()
    send_call_reminder.call(call_id=call.pk, closes_on=day)
    send_call_reminder.call(call_id=call.pk, closes_on=day)
    assert addresses() == ["coordinator@example.org", "kontakt@example.org"]
    # After the deadline nothing is sent.
    mail.outbox.clear()
    FundingCall.objects.filter(pk=call.pk).update(
        closes_on=today - datetime.timedelta(days=1), reminded_for=None
    )
    send_call_reminder.call(
        call_id=call.pk, closes_on=(today - datetime.timedelta(days=1)).isoformat()
    )
    assert mail.outbox == []


def test_a_failed_mail_gives_the_claim_back(world, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from soin.funding import tasks

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call = world.funding_call
    day = timezone.localdate() + datetime.timedelta(days=3)
    FundingCall.objects.filter(pk=call.pk).update(closes_on=day)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("no mail server")

    monkeypatch.setattr(tasks, "_send", broken)
    with pytest.raises(OSError):
        send_call_reminder.call(call_id=call.pk, closes_on=day.isoformat())
    call.refresh_from_db()
    assert call.reminded_for is None
    # Nothing runs a failed task again: it queues itself to be tried an hour later.
    retry = DBTaskResult.objects.get(
        args_kwargs__kwargs__call_id=call.pk,
        args_kwargs__kwargs__closes_on=day.isoformat(),
        status="READY",
    )
    assert retry.run_after > timezone.now() + datetime.timedelta(minutes=59)
