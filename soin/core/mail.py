"""Mail sent by the task worker: handed to the mail server once, tried again later when it
fails.

Every mail task is wrapped in ``mail_task`` (under ``@task()``) and sends through ``send`` or
``send_mail`` from here. When the mail server refuses, is unreachable or answers "try again
later", the task is queued again with ``run_after`` (nothing else runs a failed task again),
with a growing pause, and its run is marked failed with the reason. Each mail is recorded
(``MailHandover``) before it is handed over, under the first run's task id: a later attempt of
the same task, or the same run started again after its worker was killed, skips the mails
already handed over, so nobody gets one twice. A mail whose hand-over was cut off by the
worker's death is not sent again (the newsletter's sender makes the same choice).
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import hashlib
import inspect
import logging
import smtplib
import sys
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks.signals import task_finished, task_started

logger = logging.getLogger("soin.mail")

F = TypeVar("F", bound=Callable[..., Any])

# The task run being executed in this thread (set by the worker's signal) and the delivery
# its mails are recorded under.
_running: contextvars.ContextVar[str] = contextvars.ContextVar("soin_task_running", default="")
_delivery: contextvars.ContextVar[str] = contextvars.ContextVar("soin_mail_delivery", default="")


@receiver(task_started, dispatch_uid="soin.core.mail.started")
def _task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _running.set(str(task_result.id))


@receiver(task_finished, dispatch_uid="soin.core.mail.finished")
def _task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _running.set("")


def retry_delay(attempt: int, first: datetime.timedelta | None = None) -> datetime.timedelta:
    """Return the pause before attempt ``attempt + 1``: the first pause (the setting unless
    given), doubled each time, at most six hours."""
    base = first.total_seconds() if first else settings.SOIN_MAIL_RETRY_SECONDS
    return datetime.timedelta(seconds=max(base, min(base * 2**attempt, 6 * 60 * 60)))


def is_temporary(error: BaseException) -> bool:
    """Whether trying again later may help: the server unreachable, gone silent or saying
    4xx. A permanent refusal (5xx: no such user) is not tried again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return bool(error.smtp_code < 500)
    return isinstance(error, OSError)


def mail_task(func: F | None = None, *, retry_after: datetime.timedelta | None = None) -> Any:
    """Make a task that sends mail try again later when the mail server fails: used as
    ``@mail_task`` or ``@mail_task(retry_after=...)`` (the first pause), under ``@task()``.

    The wrapped function takes two more keyword arguments that only this wrapper passes:
    ``delivery`` (the first run's id, under which mails are recorded) and ``attempt``.
    """
    if func is None:
        return functools.partial(mail_task, retry_after=retry_after)

    @functools.wraps(func)
    def wrapper(*args: Any, delivery: str = "", attempt: int = 0, **kwargs: Any) -> Any:
        delivery = delivery or _running.get() or uuid.uuid4().hex
        token = _delivery.set(delivery)
        try:
            return func(*args, **kwargs)
        except Exception as error:
            if not is_temporary(error) or attempt + 1 >= settings.SOIN_MAIL_ATTEMPTS:
                raise
            task = getattr(sys.modules[func.__module__], func.__name__)
            when = timezone.now() + retry_delay(attempt, retry_after)
            task.using(run_after=when).enqueue(
                *args, delivery=delivery, attempt=attempt + 1, **kwargs
            )
            logger.warning(
                "%s could not send (%s); tried again at %s", func.__qualname__, error, when
            )
            raise
        finally:
            _delivery.reset(token)

    signature = inspect.signature(func)
    extra = [
        inspect.Parameter("delivery", inspect.Parameter.KEYWORD_ONLY, default=""),
        inspect.Parameter("attempt", inspect.Parameter.KEYWORD_ONLY, default=0),
    ]
    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), *extra]
    )
    wrapper.mail_task = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _digest(message: EmailMessage) -> str:
    recipients = sorted(a.lower() for a in message.recipients())
    text = "\n".join([str(message.subject), *recipients])
    return hashlib.sha256(text.encode()).hexdigest()


def one_line(subject: object) -> str:
    """A subject as one line: a title typed with line breaks (or sent to break the header)
    has each run of white space read as one space."""
    return " ".join(str(subject).split())


def send(message: EmailMessage) -> bool:
    """Hand ``message`` to the mail server unless this task's delivery already did; return
    whether it was sent now. A failure takes the record back, so that a retry sends it.
    The subject is put on one line first: it is often made of what a visitor typed."""
    from soin.core.models import MailHandover

    message.subject = one_line(message.subject)
    delivery = _delivery.get()
    if not delivery:
        message.send()
        return True
    digest = _digest(message)
    try:
        with transaction.atomic():
            record = MailHandover.objects.create(delivery=delivery, digest=digest)
    except IntegrityError:
        logger.info("Mail %s of delivery %s was handed over before: skipped", digest, delivery)
        return False
    try:
        message.send()
    except BaseException:
        MailHandover.objects.filter(pk=record.pk).delete()
        raise
    return True


def send_mail(
    *,
    subject: str,
    message: str,
    from_email: str | None = None,
    recipient_list: Sequence[str],
) -> bool:
    """Django's ``send_mail`` (plain text), sent through ``send``."""
    return send(
        EmailMessage(subject=subject, body=message, from_email=from_email, to=list(recipient_list))
    )
