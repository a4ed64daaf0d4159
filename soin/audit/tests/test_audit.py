from __future__ import annotations

from soin.audit.models import AuditEntry
from soin.audit.services import audit_record, audit_snapshot
from soin.core.testing import COORDINATOR


def test_snapshots_never_hold_passwords(world) -> None:  # type: ignore[no-untyped-def]
    user = world.users[COORDINATOR]
    user.set_password("hemligt-lösen-123")
    snapshot = audit_snapshot(user)
    assert "password" not in snapshot and snapshot["email"] == "coordinator@example.org"


def test_an_entry_names_actor_record_and_changes(world) -> None:  # type: ignore[no-untyped-def]
    org = world.own_org
    before = audit_snapshot(org)
    org.website = "https://hellefors.example.org"
    entry = audit_record(
        actor=world.users[COORDINATOR], action="organisation.update", instance=org, before=before
    )
    assert entry.partnership == world.partnership
    assert entry.model == "partners.organisation" and entry.object_pk == str(org.pk)
    assert entry.changed_fields() == [("website", "", "https://hellefors.example.org")]
    assert AuditEntry.objects.filter(action="organisation.update").count() == 1
