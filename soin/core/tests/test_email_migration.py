"""The migrations' filling of the canonical columns (``soin.core.emails.canonical_fill``):
every row gets its address's canonical form; two rows whose addresses turn out to be one
address where only one row may hold it are reported by id and nothing is written (never
merged); where many rows may share an address, they simply do."""

from __future__ import annotations

import pytest

from soin.accounts.models import User
from soin.core.emails import CanonicalClash, canonical_fill
from soin.core.testing import World

pytestmark = pytest.mark.django_db


def stale(model, pk: int, **values: str) -> None:  # type: ignore[no-untyped-def]
    """Write ``values`` past ``save()``, leaving the canonical column stale, as the rows a
    migration finds have it."""
    model._default_manager.filter(pk=pk).update(**values)


def test_two_accounts_with_one_address_stop_the_fill_and_are_named(world: World) -> None:
    anna = User.objects.create_user(email="anna@malm\u00f6.se", full_name="Anna")
    other = User.objects.create_user(email="other@kiruna.se", full_name="Other")
    # Rows from before the canonical column: the same address typed two ways.
    stale(User, other.pk, email="Anna@XN--MALM-8QA.SE", email_canonical="old-2")
    stale(User, anna.pk, email_canonical="old-1")
    lines: list[str] = []
    with pytest.raises(CanonicalClash) as clash:
        canonical_fill(
            User, source="email", target="email_canonical", unique_within=(), write=lines.append
        )
    assert f"{anna.pk}, {other.pk}" in str(clash.value)
    assert "Decide which row keeps each address" in str(clash.value)
    [line] = lines
    assert f"rows {anna.pk}, {other.pk}" in line and "anna@xn--malm-8qa.se" in line
    # Nothing was written, nothing merged: both accounts are as they were.
    assert set(
        User.objects.filter(pk__in=[anna.pk, other.pk]).values_list("email_canonical", flat=True)
    ) == {"old-1", "old-2"}
    assert User.objects.filter(pk__in=[anna.pk, other.pk]).count() == 2


def test_lookalike_accounts_are_no_clash_and_every_row_is_filled(world: World) -> None:
    anna = User.objects.create_user(email="anna@kiruna.se", full_name="Anna")
    other = User.objects.create_user(email="anna@k\u0131runa.se", full_name="Annan")
    stale(User, anna.pk, email="Anna@Kiruna.SE", email_canonical="old-1")
    stale(User, other.pk, email_canonical="old-2")
    assert canonical_fill(User, source="email", target="email_canonical", unique_within=()) == []
    assert User.objects.get(pk=anna.pk).email_canonical == "anna@kiruna.se"
    assert User.objects.get(pk=other.pk).email_canonical == "anna@xn--kruna-n4a.se"
    assert not User.objects.filter(email_canonical__startswith="old-").exists()


def test_subscribers_clash_only_within_one_partnership(world: World) -> None:
    from soin.newsletter.models import Subscriber

    def subscriber(partnership, email: str) -> Subscriber:  # type: ignore[no-untyped-def]
        return Subscriber.objects.create(
            partnership=partnership, email=email, state="active", nonce="n" * 32
        )

    here = subscriber(world.partnership, "lisa@malm\u00f6.se")
    there = subscriber(world.other_partnership, "lisa@xn--malm-8qa.se")
    fill = {"source": "email", "target": "email_canonical", "unique_within": ("partnership_id",)}
    assert canonical_fill(Subscriber, **fill) == []  # type: ignore[arg-type]
    second = subscriber(world.partnership, "lisa@example.org")
    stale(Subscriber, second.pk, email="LISA@MALMO\u0308.SE", email_canonical="")
    with pytest.raises(CanonicalClash) as clash:
        canonical_fill(Subscriber, **fill)  # type: ignore[arg-type]
    assert f"{here.pk}, {second.pk}" in str(clash.value)
    assert str(there.pk) not in str(clash.value).split("row ids:")[1]


def test_where_many_rows_may_share_an_address_they_are_all_filled(world: World) -> None:
    from soin.ideas.models import Idea

    ideas = list(Idea.objects.filter(partnership=world.partnership)[:2])
    assert len(ideas) == 2
    stale(Idea, ideas[0].pk, carrier_email="Kim@Malm\u00f6.se", carrier_email_canonical="")
    stale(Idea, ideas[1].pk, carrier_email="kim@xn--malm-8qa.se", carrier_email_canonical="")
    assert canonical_fill(Idea, source="carrier_email", target="carrier_email_canonical") == []
    assert {Idea.objects.get(pk=i.pk).carrier_email_canonical for i in ideas} == {
        "kim@xn--malm-8qa.se"
    }
