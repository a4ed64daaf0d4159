"""The optional read replica: heavy reads of the statistics may go there, nothing else does.

``SOIN_REPLICA_DATABASE_URL`` adds a ``replica`` database (a PostgreSQL hot standby). Reads go
to it only inside ``reporting_reads()``, which the statistics across every partnership use;
every other read, and every write wherever the row was read, goes to the default database,
and migrations run on the default database only (the standby follows it). A replica lags a
little behind, so only pages that may show figures a few seconds old ask for it. Without a
replica ``reporting_reads()`` changes nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.models import Model

REPLICA = "replica"

_reporting: ContextVar[bool] = ContextVar("soin_reporting_reads", default=False)


def reporting_database() -> str:
    """Return the database alias for reads of reports: the replica if configured, else the
    default database."""
    return str(getattr(settings, "REPORTING_DATABASE", "default"))


@contextlib.contextmanager
def reporting_reads() -> Iterator[str]:
    """Send the reads made inside the block to ``reporting_database()``; yield its alias."""
    token = _reporting.set(True)
    try:
        yield reporting_database()
    finally:
        _reporting.reset(token)


class ReplicaRouter:
    """Reads inside ``reporting_reads()`` to the replica; writes always to the default."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reporting.get() and reporting_database() == REPLICA:
            return REPLICA
        # Django's own choice: the default database, or the one the related row came from.
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # Also for a row that was read from the replica: a standby cannot take writes.
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the same rows as the default database.
        if {obj1._state.db, obj2._state.db} <= {"default", REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None
