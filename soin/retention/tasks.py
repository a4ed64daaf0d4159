"""The nightly retention run. It queues itself again for the next night at 03:00 in Sweden;
``manage.py apply_retention --schedule`` (run by scripts/run.sh before the worker starts)
queues the first one on a fresh installation, and does nothing when one is already queued."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.utils import timezone
from django_tasks import task

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
HOUR = 3


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """Return the next 03:00 Europe/Stockholm after ``now``."""
    local = (now or timezone.now()).astimezone(STOCKHOLM)
    day = local.date() if local.hour < HOUR else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(HOUR), tzinfo=STOCKHOLM)


def task_path() -> str:
    return apply_retention.module_path


def retention_schedule(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Queue the next run unless one is queued already; return its time (None when one was
    queued already)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(task_path=task_path(), status=TaskResultStatus.READY)
    if queued.exists():
        return None
    when = next_run(now)
    apply_retention.using(run_after=when).enqueue()
    return when


@task()
def apply_retention() -> dict[str, Any]:
    """Anonymise what every partnership has kept past its time, then queue the next night's
    run. Return the counts per partnership."""
    from soin.retention.services import retention_apply_all

    try:
        results = retention_apply_all()
    finally:
        retention_schedule()
    return results
