"""Files and their rows saved together: a failure of either leaves neither.

A service that stores an uploaded file runs under ``atomic_with_files`` instead of
``transaction.atomic`` and saves the file with ``save_file``. A disk that is full (or any
other failure to write) removes what was written of the file and is told to the person as a
form error: nothing was saved. A failure after the file was stored (the row, the audit, the
commit itself) rolls the transaction back and removes the file.
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

logger = logging.getLogger("soin.storage")

F = TypeVar("F", bound=Callable[..., Any])

_saved: contextvars.ContextVar[list[tuple[Storage, str]] | None] = contextvars.ContextVar(
    "soin_saved_files", default=None
)


def not_stored_message() -> str:
    return _(
        "The file could not be stored, so nothing was saved. Try again, or tell the "
        "administrator if it happens again."
    )


def _remove(storage: Storage, name: str) -> None:
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:
        logger.exception("Could not remove %s after a failed save", name)


def save_file(field_file: FieldFile, name: str, data: bytes) -> None:
    """Store ``data`` as ``field_file`` (without saving its row); on failure remove what was
    written and raise a ValidationError that says nothing was saved."""
    storage = field_file.storage
    target = field_file.field.generate_filename(field_file.instance, name)
    if storage.exists(target):
        raise ValidationError(not_stored_message(), code="not_stored")
    try:
        field_file.save(name, ContentFile(data), save=False)
    except OSError as error:
        logger.error("Storing %s failed: %s", target, error)
        _remove(storage, target)
        raise ValidationError(not_stored_message(), code="not_stored") from error
    saved = _saved.get()
    if saved is not None:
        saved.append((storage, str(field_file.name)))


def atomic_with_files(func: F) -> F:
    """Run ``func`` in a transaction; if it fails, its commit included, remove the files it
    stored with ``save_file``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        saved: list[tuple[Storage, str]] = []
        token = _saved.set(saved)
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except BaseException:
            for storage, name in saved:
                _remove(storage, name)
            raise
        finally:
            _saved.reset(token)

    return wrapper  # type: ignore[return-value]
