"""Two advisors moving the same idea at the same moment cannot corrupt it."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from soin.core.testing import build_world
from soin.ideas import services, workflow
from soin.ideas.models import Idea, IdeaEvent


@pytest.mark.django_db(transaction=True)
def test_two_advisors_taking_the_same_idea_at_once(reference_data, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises every writer anyway")
    world = build_world()
    idea_pk = world.idea.pk
    advisors = [world.users["advisor"], world.users["coordinator"]]
    # Hold each transaction after it has read the idea's stage, until the other has read it
    # too (or two seconds have passed). Without the row lock both would read "registered" and
    # both would move the idea; with it the second waits and then sees the first's move.
    barrier = threading.Barrier(2, timeout=2)
    real_ensure = workflow.ensure_allowed

    def slow_ensure(idea, move, actor):  # type: ignore[no-untyped-def]
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return real_ensure(idea, move, actor)

    monkeypatch.setattr(workflow, "ensure_allowed", slow_ensure)
    results: list[str] = []

    def take(actor) -> None:  # type: ignore[no-untyped-def]
        try:
            services.idea_move(idea=Idea.objects.get(pk=idea_pk), actor=actor, move="take")
            results.append("moved")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(a,)) for a in advisors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["moved", "refused"]
    idea = Idea.objects.get(pk=idea_pk)
    assert idea.stage == Idea.Stage.IN_ADVICE
    assert idea.events.filter(kind=IdeaEvent.Kind.MOVED, to_stage="in_advice").count() == 1
