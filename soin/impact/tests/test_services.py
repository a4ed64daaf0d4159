"""The rules of analyses and of the national bank of financial proxies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from soin.audit.models import AuditEntry
from soin.core.testing import ADVISOR, COORDINATOR, NATIONAL
from soin.impact import selectors, services
from soin.impact.models import FinancialProxy, ProxyEvent

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def outcome_args(w, **changes):  # type: ignore[no-untyped-def]
    return {
        "analysis": w.impact_analysis,
        "actor": w.users[COORDINATOR],
        "stakeholder": w.impact_stakeholder,
        "description": "Färre sjukdagar",
        "indicator": "Antal dagar",
        "quantity": D(10),
        "proxy_value": D(1000),
        "proxy_source": "Exempelvärde",
        **changes,
    }


def test_the_worlds_analysis_gives_the_worked_example(world) -> None:  # type: ignore[no-untyped-def]
    results = selectors.analysis_results(world.impact_analysis)
    assert results.investment == D(1000000)
    assert round(results.total) == 3246409
    assert results.ratio is not None and round(results.ratio, 2) == D("3.25")
    assert results.payback_text() == "9 months"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("deadweight", D("100.5"), "Enter a percentage from 0 to 100."),
        ("attribution", D(-1), "Enter a percentage from 0 to 100."),
        ("drop_off", D(101), "Enter a percentage from 0 to 100."),
        ("duration", 0, "Enter a duration from 1 to 50 years."),
        ("duration", 51, "Enter a duration from 1 to 50 years."),
        ("indicator", "  ", "Say how the outcome is measured (the indicator)."),
        ("proxy_source", "", "Say where the proxy's value comes from (its source)."),
    ],
)
def test_an_outcome_is_checked_before_it_is_kept(world, field, value, message) -> None:  # type: ignore[no-untyped-def]
    before = world.impact_analysis.outcomes.count()
    with pytest.raises(ValidationError) as error:
        services.outcome_add(**outcome_args(world, **{field: value}))
    assert error.value.message_dict[field] == [message]
    assert world.impact_analysis.outcomes.count() == before


def test_an_outcome_needs_a_proxy_from_the_bank_or_its_own_not_both(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.outcome_add(**outcome_args(world, proxy_value=None))
    assert "proxy_value" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.outcome_add(**outcome_args(world, proxy=world.impact_proxy))
    assert "proxy_value" in error.value.message_dict
    # A proposal that is not approved cannot be used.
    with pytest.raises(ValidationError) as error:
        services.outcome_add(
            **outcome_args(world, proxy=world.impact_proposal, proxy_value=None, proxy_source="")
        )
    assert error.value.message_dict["proxy"] == ["Choose an approved proxy of the bank."]


def test_a_bank_proxy_brings_its_own_value_and_source(world) -> None:  # type: ignore[no-untyped-def]
    outcome = services.outcome_add(
        **outcome_args(world, proxy=world.impact_proxy, proxy_value=None, proxy_source="")
    )
    assert outcome.unit_value == D(150000)
    assert outcome.proxy_source == "" and outcome.proxy_value is None


def test_a_stakeholder_of_another_analysis_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    other = services.stakeholder_add(analysis=world.impact_other_analysis, actor=None, name="Andra")
    with pytest.raises(ValidationError) as error:
        services.input_add(
            analysis=world.impact_analysis,
            actor=None,
            stakeholder=other,
            description="Pengar",
            value=D(1),
        )
    assert error.value.message_dict["stakeholder"] == ["Choose a stakeholder of this analysis."]


def test_an_analysis_is_for_one_innovation_of_the_partnership(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.analysis_create(
            partnership=world.partnership, actor=None, title="X", first_year=2018
        )
    assert "idea" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.analysis_create(
            partnership=world.partnership,
            actor=None,
            title="X",
            first_year=2018,
            idea=world.impact_other_analysis.idea,
        )
    assert error.value.message_dict["idea"] == ["Choose an idea of this partnership."]
    with pytest.raises(ValidationError) as error:
        services.analysis_create(
            partnership=world.partnership,
            actor=None,
            title="X",
            first_year=2018,
            idea=world.idea,
            discount_rate=D(120),
        )
    assert error.value.message_dict["discount_rate"] == ["Enter a percentage from 0 to 100."]
    analysis = services.analysis_create(
        partnership=world.partnership,
        actor=world.users[COORDINATOR],
        title="För banken",
        first_year=2018,
        entry=world.entry,
    )
    assert analysis.innovation == world.entry
    assert analysis.discount_rate == D("3.50")
    assert AuditEntry.objects.filter(action="impact_analysis.create", object_pk=str(analysis.pk))


def test_a_stakeholder_in_use_cannot_be_removed(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.stakeholder_remove(stakeholder=world.impact_stakeholder, actor=None)
    assert error.value.messages == ["Remove the stakeholder's inputs and outcomes first."]
    services.outcome_remove(outcome=world.impact_outcome, actor=None)
    services.input_remove(item=world.impact_input, actor=None)
    services.stakeholder_remove(stakeholder=world.impact_stakeholder, actor=None)
    assert not world.impact_analysis.stakeholders.exists()


def test_without_an_investment_there_is_no_ratio(world) -> None:  # type: ignore[no-untyped-def]
    services.input_update(item=world.impact_input, actor=None, value=D(0))
    results = selectors.analysis_results(world.impact_analysis)
    assert results.ratio is None
    assert results.payback_text() == "No payback period without an investment."


# The bank ----------------------------------------------------------------------------------


def test_only_the_national_coordinator_approves(world) -> None:  # type: ignore[no-untyped-def]
    for role in (COORDINATOR, ADVISOR):
        with pytest.raises(ValidationError):
            services.proxy_move(
                proxy=world.impact_proposal, actor=world.users[role], move="approve"
            )
    proxy = services.proxy_move(
        proxy=world.impact_proposal, actor=world.users[NATIONAL], move="approve"
    )
    assert proxy.state == FinancialProxy.State.APPROVED
    assert proxy.decided_by == world.users[NATIONAL]
    assert [e.kind for e in proxy.events.all()] == ["proposed", "approved"]
    # Approved once: no second approval.
    with pytest.raises(ValidationError):
        services.proxy_move(proxy=proxy, actor=world.users[NATIONAL], move="approve")


def test_a_rejection_needs_a_reason(world) -> None:  # type: ignore[no-untyped-def]
    national = world.users[NATIONAL]
    with pytest.raises(ValidationError) as error:
        services.proxy_move(proxy=world.impact_proposal, actor=national, move="reject")
    assert error.value.message_dict["note"] == ["Give the reason."]
    proxy = services.proxy_move(
        proxy=world.impact_proposal, actor=national, move="reject", note="Källan saknas"
    )
    assert proxy.state == FinancialProxy.State.REJECTED
    assert not selectors.approved_proxies().filter(pk=proxy.pk).exists()


def test_a_change_to_an_approved_proxy_is_a_new_version(world) -> None:  # type: ignore[no-untyped-def]
    old = world.impact_proxy
    advisor, national = world.users[ADVISOR], world.users[NATIONAL]
    with pytest.raises(ValidationError):
        services.proxy_new_version(proxy=old, actor=advisor, partnership=world.partnership)
    new = services.proxy_new_version(
        proxy=old, actor=advisor, partnership=world.partnership, value=D(160000), price_year=2018
    )
    assert (new.version, new.previous, new.state) == (2, old, FinancialProxy.State.PROPOSED)
    # Only one next version at a time.
    with pytest.raises(ValidationError):
        services.proxy_new_version(
            proxy=old, actor=advisor, partnership=world.partnership, value=D(1)
        )
    old.refresh_from_db()
    assert old.state == FinancialProxy.State.APPROVED and old.value == D(150000)
    services.proxy_move(proxy=new, actor=national, move="approve")
    old.refresh_from_db()
    assert old.state == FinancialProxy.State.RETIRED and old.value == D(150000)
    assert ProxyEvent.objects.filter(proxy=old, kind="retired").exists()
    # The analysis keeps the version it used and is told of the newer one.
    outcome = world.impact_outcome
    outcome.refresh_from_db()
    assert outcome.proxy == old
    results = selectors.analysis_results(world.impact_analysis)
    assert results.newer == {outcome.pk: new}
    assert [p.version for p in selectors.proxy_versions(old)] == [1, 2]
    # An edit that keeps the retired version is allowed.
    services.outcome_update(outcome=outcome, actor=None, quantity=D(21))
    outcome = services.outcome_proxy_update(outcome=outcome, actor=None)
    assert outcome.proxy == new
    assert selectors.analysis_results(world.impact_analysis).newer == {}
    with pytest.raises(ValidationError):
        services.outcome_proxy_update(outcome=outcome, actor=None)


def test_a_rejected_new_version_leaves_room_for_another(world) -> None:  # type: ignore[no-untyped-def]
    old = world.impact_proxy
    coordinator, national = world.users[COORDINATOR], world.users[NATIONAL]
    first = services.proxy_new_version(
        proxy=old, actor=coordinator, partnership=world.partnership, value=D(1)
    )
    services.proxy_move(proxy=first, actor=national, move="reject", note="Fel värde")
    second = services.proxy_new_version(
        proxy=old, actor=coordinator, partnership=world.partnership, value=D(151000)
    )
    assert second.version == 2
    assert services.latest_version(old) == old
    services.proxy_move(proxy=second, actor=national, move="approve")
    assert services.latest_version(old) == second


def test_a_proxy_is_checked_before_it_is_proposed(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.proxy_propose(
            actor=world.users[COORDINATOR],
            partnership=world.partnership,
            stakeholder="",
            outcome="Något",
            indicator="Antal",
            value=D(-1),
            price_year=1980,
            source="",
            currency="KR1",
        )
    assert set(error.value.message_dict) == {
        "stakeholder",
        "value",
        "price_year",
        "source",
        "currency",
    }
    assert error.value.message_dict["price_year"] == [
        "Enter the price year, from 1990 to this year."
    ]


def test_the_bank_is_searched_and_filtered(world) -> None:  # type: ignore[no-untyped-def]
    national = world.users[NATIONAL]
    services.proxy_move(proxy=world.impact_proposal, actor=national, move="approve")
    assert list(selectors.approved_proxies(query="arbete")) == [world.impact_proxy]
    assert list(selectors.approved_proxies(stakeholder="Kommunen")) == [world.impact_proposal]
    assert list(selectors.approved_proxies(outcome="Arbete efter insatsen")) == [world.impact_proxy]
    assert selectors.proxy_facets()["stakeholder"] == ["Deltagare", "Kommunen"]


def test_an_approved_proxy_is_retired_only_by_approving_its_next_version(world) -> None:  # type: ignore[no-untyped-def]
    proxy = world.impact_proxy
    for actor in (world.users[NATIONAL], None):
        with pytest.raises(ValidationError):
            services.proxy_move(proxy=proxy, actor=actor, move="retire")
    proxy.refresh_from_db()
    assert proxy.state == FinancialProxy.State.APPROVED
    assert [e.kind for e in proxy.events.all()] == ["proposed", "approved"]


def test_the_bank_of_proxies_reads_a_search_as_the_knowledge_bank_does(world) -> None:  # type: ignore[no-untyped-def]
    national = world.users[NATIONAL]
    services.proxy_move(proxy=world.impact_proposal, actor=national, move="approve")

    def found(query: str) -> list[FinancialProxy]:
        return list(selectors.approved_proxies(query=query))

    # Inflections, compounds and every word counted.
    assert found("hushållen") == [world.impact_proposal]
    assert found("försörjningsstödet") == [world.impact_proposal]
    assert found("deltagaren arbetet") == [world.impact_proxy]
    assert found("deltagare hushåll") == []
    # Without Swedish letters.
    assert found("forsorjning") == [world.impact_proposal]
    assert found("vindkraft") == []
