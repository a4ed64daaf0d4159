"""The task worker's housekeeping: tasks whose worker died are queued again.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when
it ends; a worker killed in between (SIGKILL, out of memory, the machine restarted) leaves
it RUNNING for ever, and no worker picks it up again. ``recover_stale_tasks`` puts such tasks
back to READY once they have been running longer than any task should. The tasks are safe
to run again: mail tasks skip the mails already handed to the server (``soin.core.mail``),
and the others check their record before acting.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from soin.core.models import MailHandover

logger = logging.getLogger("soin.worker")

# Hand-overs are kept while a task could still be tried again (about two and a half days
# with the default pauses), with a wide margin.
HANDOVERS_KEPT = datetime.timedelta(days=30)


@transaction.atomic
def recover_stale_tasks(*, stale_after: datetime.timedelta) -> list[str]:
    """Queue again the tasks RUNNING for longer than ``stale_after``; return their ids."""
    cutoff = timezone.now() - stale_after
    stale = list(
        DBTaskResult.objects.select_for_update()
        .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
        .values_list("id", "task_path", "worker_ids")
    )
    ids = [pk for pk, _path, _workers in stale]
    if ids:
        DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY
        )
    for pk, path, workers in stale:
        logger.warning("Task %s (%s) lost its worker %s: queued again", pk, path, workers[-1:])
    MailHandover.objects.filter(created_at__lt=timezone.now() - HANDOVERS_KEPT).delete()
    return [str(pk) for pk in ids]
