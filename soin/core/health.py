"""The health check at ``/healthz``, for load balancers and monitors.

It answers 200 with ``{"status": "ok", "database": "ok", "tasks": {...}}`` while the database
answers, and 503 with ``"database": "unavailable"`` when it does not. ``tasks`` tells how far
the task workers are behind: how many tasks are due and waiting, how many are running, and
the age in seconds of the oldest due task (``oldest_ready_seconds``, null when none waits), so
that a monitor can alert when no worker runs. It is one query, holds no personal data, needs
no login or session, and is exempt from the SSL redirect (``SECURE_REDIRECT_EXEMPT``) so that
a probe over plain HTTP on the loopback gets the answer rather than a redirect.
"""

from __future__ import annotations

import logging

from django.db.models import Count, Min, Q
from django.db.models.functions import Greatest
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from soin.core.unavailable import DATABASE_ERRORS, RETRY_AFTER

logger = logging.getLogger("soin.health")


def task_figures() -> dict[str, int | float | None]:
    """Return the queue's figures: tasks due and waiting, tasks running, the oldest due wait."""
    now = timezone.now()
    ready = Q(status=TaskResultStatus.READY)
    # django-tasks-db gives a task queued to run at once the greatest date as its time; one
    # queued for later waits only from its time on.
    at_once = ready & Q(run_after=get_date_max())
    later = ready & Q(run_after__lte=now)
    figures = DBTaskResult.objects.aggregate(
        ready=Count("pk", filter=at_once | later),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        at_once=Min("enqueued_at", filter=at_once),
        later=Min(Greatest("run_after", "enqueued_at"), filter=later),
    )
    since = [t for t in (figures["at_once"], figures["later"]) if t is not None]
    return {
        "ready": figures["ready"],
        "running": figures["running"],
        "oldest_ready_seconds": (
            round(max((now - min(since)).total_seconds(), 0.0), 1) if since else None
        ),
    }


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Return whether the database answers, with the task queue's figures."""
    try:
        tasks = task_figures()
    except DATABASE_ERRORS as error:
        logger.warning("Health check: the database does not answer: %s", error)
        response = JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
    else:
        response = JsonResponse({"status": "ok", "database": "ok", "tasks": tasks})
    response["Cache-Control"] = "no-store"
    return response
