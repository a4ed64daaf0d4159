"""Public forms: a person is told that something was received only when it was stored, and a
submission sent twice is stored once.

Every public form carries a stamp in a hidden field ``started``: signed, naming the form, a
random nonce and the time the form was first shown (kept when the form comes back with an
error, so a person who corrects a mistake is not taken for a robot). A form that times its
sender (the idea form) binds the stamp to the visitor's session and counts from the first
time the form was shown in it; the others make no session until something is stored, so an
event's page or the partnership's page opened by anyone writes nothing. A view reads the stamp
with ``Stamped(request, form=...)``; the form shown again carries the same stamp.

The submission is stored inside ``submission_once(stamp)``: one transaction that first inserts
a ``SubmissionToken`` row with the stamp's nonce as its unique key. A second request with the
same stamp, at the same time or later, fails on that key and gets ``AlreadySubmitted``; the
transaction that would have stored a second record is rolled back. A submission that fails
rolls its token back with it, so the stamp can be sent again.

After storing, ``submission_sent`` notes in the session what was stored; the page that says
"thank you" reads it with ``sent_result`` and says nothing was received when it finds none.

A view does not take these steps itself: it declares its form once as a ``PublicForm`` (the
stamp's name, what a person is told, the statuses) and answers a POST with
``PublicForm.handle``, giving what differs from form to form: how to store, to thank, to
answer a robot and to show the form again.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from soin.core.forms import apply_service_error
from soin.core.models import SubmissionToken
from soin.core.ratelimit import limited

SALT = "soin.core.form-stamp"
FIELD = "started"
# A stamp older than this is refused (the form is shown again); its token row can go.
MAX_AGE = 60 * 60 * 24
SHOWN = "soin.forms.shown"
SENT = "soin.forms.sent"

# What a person is told when the form comes back unstored.
STALE = _("The form had been open for a long time. Check what you wrote and send it again.")
TOO_FAST = _(
    "The form was sent very quickly, so nothing has been stored yet. Check what you wrote "
    "and send it again."
)
SENT_ELSEWHERE = _(
    "This form had already been sent, and what was sent then is stored. Nothing more was "
    "stored now. If you want to send something new, check the form and send it again."
)


@dataclass(frozen=True)
class Stamp:
    form: str
    nonce: str
    shown_at: float
    session: str

    @property
    def age(self) -> float:
        """Seconds since the form was first shown."""
        return timezone.now().timestamp() - self.shown_at


def _session_mark(request: HttpRequest, *, create: bool = True) -> str:
    """A keyed hash of the visitor's session ("" without one, unless ``create``)."""
    session = request.session
    if session.session_key is None:
        if not create:
            return ""
        session.save()
    key = str(session.session_key)
    return hmac.new(
        settings.SECRET_KEY.encode(), f"form:{key}".encode(), hashlib.sha256
    ).hexdigest()


def stamp_issue(
    request: HttpRequest, *, form: str, keep: Stamp | None = None, bind: bool = True
) -> str:
    """Return a signed stamp for ``form``: ``keep``'s when it is given, else a new nonce and
    the time the form was first shown (in this session, when ``bind``; else now)."""
    now = timezone.now().timestamp()
    if keep is not None:
        nonce, shown_at = keep.nonce, keep.shown_at
        bind = bool(keep.session)
    elif not bind:
        nonce, shown_at = secrets.token_urlsafe(18), now
    else:
        first: dict[str, float] = dict(request.session.get(SHOWN, {}))
        shown_at = first.get(form, now)
        if not isinstance(shown_at, int | float) or not 0 <= now - shown_at < MAX_AGE:
            shown_at = now
        first[form] = shown_at
        request.session[SHOWN] = first
        nonce = secrets.token_urlsafe(18)
    payload = {"f": form, "n": nonce, "t": shown_at, "s": _session_mark(request) if bind else ""}
    return signing.dumps(payload, salt=SALT)


def stamp_read(request: HttpRequest, *, form: str, value: Any) -> Stamp | None:
    """Return the stamp sent with ``form``; None when it is missing, forged, too old, of
    another form or of another session."""
    try:
        data = signing.loads(str(value or ""), salt=SALT, max_age=MAX_AGE)
        stamp = Stamp(
            form=str(data["f"]),
            nonce=str(data["n"]),
            shown_at=float(data["t"]),
            session=str(data["s"]),
        )
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return None
    if stamp.form != form or stamp.age >= MAX_AGE:
        return None
    if stamp.session and stamp.session != _session_mark(request, create=False):
        return None
    return stamp


class Stamped:
    """The stamp of one public form in one request: the one sent (``stamp``, None on a GET or
    when it is not valid) and the one the form carries when it is shown (again)."""

    def __init__(self, request: HttpRequest, *, form: str, bind: bool = False) -> None:
        self.request = request
        self.form = form
        self.bind = bind
        self.posted = request.method == "POST"
        self.stamp = (
            stamp_read(request, form=form, value=request.POST.get(FIELD)) if self.posted else None
        )
        self.renewed = stamp_issue(request, form=form, keep=self.stamp, bind=bind)

    def data(self) -> QueryDict | None:
        """The POST with the stamp for the form shown again; None on a GET."""
        if not self.posted:
            return None
        data = self.request.POST.copy()
        data[FIELD] = self.renewed
        return data

    @property
    def initial(self) -> dict[str, str]:
        return {FIELD: self.renewed}

    def renew(self) -> str:
        """A stamp of its own for a form whose stamp was spent by another session's
        submission: sending it again stores a new one."""
        self.stamp = None
        self.renewed = stamp_issue(self.request, form=self.form, bind=self.bind)
        return self.renewed


class AlreadySubmitted(Exception):
    """The stamp was used to store a submission already."""

    def __init__(self, token: SubmissionToken | None, *, same_session: bool) -> None:
        super().__init__("already submitted")
        self.token = token
        self.same_session = same_session

    @property
    def result(self) -> dict[str, Any]:
        return dict(self.token.result) if self.token is not None else {}


@contextmanager
def submission_once(request: HttpRequest, stamp: Stamp) -> Iterator[SubmissionToken]:
    """Open the transaction that stores a submission, its stamp claimed first: raise
    ``AlreadySubmitted`` when another request has claimed it (the rest is not run)."""
    _forget_old_tokens()
    session = _session_mark(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                token = SubmissionToken.objects.create(
                    form=stamp.form, nonce=stamp.nonce, session=session
                )
        except IntegrityError:
            # PostgreSQL made this insert wait for the first request's transaction, so its
            # row is there to read now.
            existing = SubmissionToken.objects.filter(nonce=stamp.nonce).first()
            raise AlreadySubmitted(
                existing,
                same_session=existing is not None and existing.session == session,
            ) from None
        yield token


def submission_record(token: SubmissionToken, **result: Any) -> None:
    """Keep with the claimed stamp what the person may see again (never a private link)."""
    token.result = result
    token.save(update_fields=["result"])


def _forget_old_tokens() -> None:
    cutoff = timezone.now() - datetime.timedelta(seconds=2 * MAX_AGE)
    SubmissionToken.objects.filter(created_at__lt=cutoff).delete()


def submission_sent(request: HttpRequest, stamp: Stamp, **result: Any) -> None:
    """Note in the session what was stored, for the page that thanks for it; the next form
    shown starts its clock anew."""
    sent: dict[str, Any] = dict(request.session.get(SENT, {}))
    sent[stamp.form] = {"nonce": stamp.nonce, **result}
    request.session[SENT] = sent
    shown: dict[str, float] = dict(request.session.get(SHOWN, {}))
    shown.pop(stamp.form, None)
    request.session[SHOWN] = shown


def submission_replayed(request: HttpRequest, stamp: Stamp, replay: AlreadySubmitted) -> bool:
    """Lead a replay to the first submission's result: True when it was sent from this
    session (its result is noted for the thank-you page), False otherwise."""
    if not replay.same_session:
        return False
    current = sent_result(request, stamp.form)
    if current is None or current.get("nonce") != stamp.nonce:
        submission_sent(request, stamp, **replay.result)
    return True


def sent_result(
    request: HttpRequest, form: str, *, once: tuple[str, ...] = ()
) -> dict[str, Any] | None:
    """What this session last stored with ``form``; None when it stored nothing. The keys in
    ``once`` (a private link) are forgotten once read: a later visitor of the same browser
    does not see them."""
    sent: dict[str, Any] = dict(request.session.get(SENT, {}))
    result = sent.get(form)
    if not isinstance(result, dict):
        return None
    if any(key in result for key in once):
        sent[form] = {k: v for k, v in result.items() if k not in once}
        request.session[SENT] = sent
    return dict(result)


class _Checked(Protocol):
    def is_valid(self) -> bool: ...


@runtime_checkable
class _Honeypot(Protocol):
    def filled_in_honeypot(self) -> bool: ...


@dataclass(frozen=True)
class PublicForm:
    """One public form's way from a POST to "thank you", the same steps for every form.

    ``name`` names its stamp. ``too_many`` is what a person is told when their connection has
    sent the form too often within the hour (``soin.core.ratelimit.limited``); ``changed``
    when the information about personal data the form showed has changed since. A form that
    times its sender (``bind``) names the setting of the least time a person needs to write it
    (``min_seconds``). ``correct_status`` is the status of a form sent back for its sender to
    correct. ``once`` names what the thank-you page shows once (a private link): noted in the
    session, never kept with the spent stamp.
    """

    name: str
    too_many: str | Promise
    changed: str | Promise = ""
    bind: bool = False
    min_seconds: str = ""
    correct_status: int = 400
    once: tuple[str, ...] = ()

    def stamped(self, request: HttpRequest) -> Stamped:
        """The stamp sent with the form, and the one it carries when it is shown (again)."""
        return Stamped(request, form=self.name, bind=self.bind)

    def sent(self, request: HttpRequest) -> dict[str, Any] | None:
        """What this visit stored with the form, for its thank-you page; None when nothing."""
        return sent_result(request, self.name, once=self.once)

    def handle(
        self,
        request: HttpRequest,
        stamped: Stamped,
        *,
        form: forms.BaseForm,
        store: Callable[[], Mapping[str, Any] | None],
        thanks: Callable[[], HttpResponse],
        decoy: Callable[[], HttpResponse],
        again: Callable[[str, int], HttpResponse],
        also: Sequence[_Checked] = (),
        changed: bool = False,
        refused: bool | Callable[[], int] = False,
    ) -> HttpResponse:
        """Answer the POST of a public form whose stamp is ``stamped``.

        A robot that filled in the honeypot gets ``decoy()`` (thanks, as if all went well) and
        nothing is kept. Otherwise the form (and the forms in ``also``) is checked, so that
        its errors show whatever comes next, and it is shown again with ``again(notice,
        status)`` when: its stamp is missing, forged or too old (``STALE``, 400); it showed
        information that has changed since (``changed``); it is not valid; it was sent sooner
        after its first showing than a person could write it (``TOO_FAST``, 400); the
        connection has sent too many (``too_many``, 429).

        Then ``store()`` runs in one transaction that first claims the stamp. What it returns
        is kept with the stamp (but the keys in ``once``) and noted in the session for the
        thank-you page, and the answer is ``thanks()``. A stamp claimed before leads the visit
        that sent it to ``thanks()`` (its first result noted again), and any other visit back
        to the form with ``SENT_ELSEWHERE`` (409) and a stamp of its own. With ``refused``,
        the service may refuse the submission with a ValidationError: its error is shown on the
        form, with ``correct_status`` or the status ``refused()`` returns.
        """
        assert isinstance(form, _Honeypot), "a public form has a field robots fill in"
        if form.filled_in_honeypot():
            return decoy()
        valid = all([form.is_valid(), *(other.is_valid() for other in also)])
        stamp = stamped.stamp
        if stamp is None:
            return again(str(STALE), 400)
        if changed:
            return again(str(self.changed), self.correct_status)
        if not valid:
            return again("", self.correct_status)
        if self.min_seconds and stamp.age < getattr(settings, self.min_seconds):
            # Too fast for a person, or a robot: either way nothing is stored, and a person
            # who sends the form again a moment later is let through.
            return again(str(TOO_FAST), 400)
        if limited(request):
            return again(str(self.too_many), 429)
        try:
            with submission_once(request, stamp) as claim:
                result = dict(store() or {})
                kept = {key: value for key, value in result.items() if key not in self.once}
                if kept:
                    submission_record(claim, **kept)
        except ValidationError as error:
            if not refused:
                raise
            apply_service_error(form, error)
            return again("", refused() if callable(refused) else self.correct_status)
        except AlreadySubmitted as replay:
            if submission_replayed(request, stamp, replay):
                return thanks()
            # The form shown again carries what was typed, with a stamp of its own.
            data = form.data
            assert isinstance(data, QueryDict)  # the copy ``stamped.data()`` made
            data[FIELD] = stamped.renew()
            return again(str(SENT_ELSEWHERE), 409)
        submission_sent(request, stamp, **result)
        return thanks()
