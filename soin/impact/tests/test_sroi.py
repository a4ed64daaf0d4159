"""The SROI arithmetic (A Guide to Social Return on Investment, 2012): the worked example, and
properties that hold for any numbers."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from soin.impact import sroi
from soin.impact.sroi import OutcomeFigures

D = Decimal

WORKED = OutcomeFigures(
    quantity=D(20),
    proxy=D(150000),
    deadweight=D("0.25"),
    displacement=D("0.10"),
    attribution=D("0.30"),
    drop_off=D("0.20"),
    duration=3,
)


def test_the_worked_example_of_the_guide() -> None:
    result = sroi.calculate([WORKED], investment=D(1000000), rate=D("0.035"))
    assert [sroi.krona(v) for v in result.impacts[0]] == [D(1417500), D(1134000), D(907200)]
    assert sroi.krona(result.total_present_value) == D(3246409)
    assert sroi.two_decimals(result.ratio) == D("3.25")
    assert sroi.two_decimals(result.net_ratio) == D("2.25")
    # The first year's present value (1 369 565) is past the million in its ninth month.
    assert result.payback.months == 9


def test_without_an_investment_there_is_no_ratio() -> None:
    result = sroi.calculate([WORKED], investment=D(0), rate=D("0.035"))
    assert result.ratio is None
    assert result.net_ratio is None


def test_payback_is_not_within_the_period_when_the_value_never_reaches_the_investment() -> None:
    result = sroi.calculate([WORKED], investment=D(5000000), rate=D("0.035"))
    assert result.payback.months is None
    assert not result.payback.within_period


def test_payback_counts_whole_years_before_the_year_it_is_reached() -> None:
    # 1 369 565 + 1 058 601 = 2 428 166 after two years; 2 500 000 is reached in the third.
    result = sroi.calculate([WORKED], investment=D(2500000), rate=D("0.035"))
    remaining = D(2500000) - result.present_values[0] - result.present_values[1]
    month = int(
        (remaining / result.present_values[2] * 12).to_integral_value(rounding="ROUND_CEILING")
    )
    assert result.payback.months == 24 + month
    assert result.payback.years_and_months == (2, month)


def test_the_payback_period_is_written_in_the_singular_or_plural() -> None:
    from django.utils import translation

    from soin.impact.selectors import payback_text

    with translation.override("en"):
        written = [payback_text(sroi.Payback(m), D(1)) for m in (1, 9, 12, 13, 26, 36)]
    assert written == [
        "1 month",
        "9 months",
        "1 year",
        "1 year and 1 month",
        "2 years and 2 months",
        "3 years",
    ]


def test_outcomes_of_different_durations_are_added_up_year_by_year() -> None:
    short = WORKED.with_(duration=1, drop_off=D(0))
    result = sroi.calculate([WORKED, short], investment=D(1), rate=D(0))
    assert result.present_values[0] == sroi.impact_year1(WORKED) + sroi.impact_year1(short)
    assert result.present_values[1:] == sroi.impacts(WORKED)[1:]


def test_the_sensitivity_table_varies_each_assumption_on_its_own() -> None:
    rows = sroi.sensitivity([WORKED], investment=D(1000000), rate=D("0.035"))
    by_name = {(r.assumption, r.outcome): r for r in rows}
    assert set(by_name) == {
        ("deadweight", None),
        ("displacement", None),
        ("attribution", None),
        ("drop_off", None),
        ("duration", None),
        ("rate", None),
        ("proxy", 0),
    }
    base = sroi.calculate([WORKED], investment=D(1000000), rate=D("0.035")).ratio
    assert base is not None
    for row in rows:
        assert row.low_ratio is not None and row.high_ratio is not None
    deadweight = by_name[("deadweight", None)]
    expected = sroi.calculate(
        [WORKED.with_(deadweight=D("0.15"))], investment=D(1000000), rate=D("0.035")
    ).ratio
    assert deadweight.low_ratio == expected
    assert deadweight.low_ratio > base > deadweight.high_ratio
    rate = by_name[("rate", None)]
    assert rate.low_ratio > base > rate.high_ratio
    assert sroi.two_decimals(rate.low_ratio) == D("3.46")  # 3 458 700 undiscounted
    proxy = by_name[("proxy", 0)]
    assert proxy.low == D(120000) and proxy.high == D(180000)
    assert sroi.two_decimals(proxy.high_ratio) == sroi.two_decimals(base * D("1.2"))
    duration = by_name[("duration", None)]
    assert duration.low_ratio < base < duration.high_ratio


def test_the_sensitivity_keeps_shares_and_durations_within_their_bounds() -> None:
    edge = WORKED.with_(deadweight=D("0.95"), attribution=D(0), duration=1)
    rows = {r.assumption: r for r in sroi.sensitivity([edge], investment=D(1), rate=D(0))}
    # Deadweight cannot pass 100 % (no negative value) and attribution not below 0 %.
    assert rows["deadweight"].high_ratio == D(0)
    assert rows["attribution"].low_ratio == sroi.calculate([edge], investment=D(1), rate=D(0)).ratio
    # A duration stays at least one year.
    assert rows["duration"].low_ratio == sroi.calculate([edge], investment=D(1), rate=D(0)).ratio


def test_the_higher_discount_rate_tried_is_above_the_analysis_own() -> None:
    for own, higher in ((D("0.035"), D("0.06")), (D("0.06"), D("0.085")), (D("0.08"), D("0.105"))):
        rows = {r.assumption: r for r in sroi.sensitivity([WORKED], investment=D(1), rate=own)}
        assert rows["rate"].low == D(0) and rows["rate"].high == higher
        base = sroi.calculate([WORKED], investment=D(1), rate=own).ratio
        assert base is not None and rows["rate"].high_ratio < base


# Properties --------------------------------------------------------------------------------

shares = st.decimals(min_value=0, max_value=1, places=2)
amounts = st.decimals(min_value=0, max_value=1_000_000, places=2)
rates = st.decimals(min_value=0, max_value=D("0.2"), places=3)
durations = st.integers(min_value=1, max_value=50)
outcomes = st.builds(
    OutcomeFigures,
    quantity=amounts,
    proxy=amounts,
    deadweight=shares,
    displacement=shares,
    attribution=shares,
    drop_off=shares,
    duration=durations,
)
INVESTMENT = D(100000)


def ratio(outcome: OutcomeFigures, rate: Decimal) -> Decimal:
    value = sroi.calculate([outcome], investment=INVESTMENT, rate=rate).ratio
    assert value is not None
    return value


@settings(max_examples=150, deadline=None)
@given(outcomes, rates, st.sampled_from(sroi.SHARES), shares, shares)
def test_the_ratio_never_rises_with_a_share(  # type: ignore[no-untyped-def]
    outcome, rate, name, a, b
) -> None:
    low, high = min(a, b), max(a, b)
    lower, higher = (
        ratio(outcome.with_(**{name: low}), rate),
        ratio(outcome.with_(**{name: high}), rate),
    )
    assert lower >= higher
    # Where the share can matter (something is left without it, and for the drop-off a year
    # after the first), a higher share takes strictly more off: a share left out would fail.
    left = sroi.impact_year1(outcome.with_(**{name: D(0)})) > 0
    if low < high and left and (name != "drop_off" or outcome.duration > 1):
        assert lower > higher


@settings(max_examples=100, deadline=None)
@given(outcomes, rates, st.sampled_from(["deadweight", "displacement", "attribution"]))
def test_a_share_of_a_hundred_percent_leaves_no_value(outcome, rate, name) -> None:  # type: ignore[no-untyped-def]
    assert ratio(outcome.with_(**{name: D(1)}), rate) == 0


@settings(max_examples=150, deadline=None)
@given(outcomes, rates, rates)
def test_the_ratio_never_rises_with_the_discount_rate(outcome, a, b) -> None:  # type: ignore[no-untyped-def]
    assert ratio(outcome, min(a, b)) >= ratio(outcome, max(a, b))
    if a != b and sroi.impact_year1(outcome) > 0:
        assert ratio(outcome, min(a, b)) > ratio(outcome, max(a, b))


@settings(max_examples=150, deadline=None)
@given(outcomes, rates, st.sampled_from(["quantity", "proxy"]), amounts, amounts)
def test_the_ratio_never_falls_with_quantity_or_proxy(  # type: ignore[no-untyped-def]
    outcome, rate, name, a, b
) -> None:
    low, high = min(a, b), max(a, b)
    assert ratio(outcome.with_(**{name: low}), rate) <= ratio(outcome.with_(**{name: high}), rate)


@settings(max_examples=150, deadline=None)
@given(outcomes, rates, durations, durations)
def test_the_ratio_never_falls_with_the_duration(outcome, rate, a, b) -> None:  # type: ignore[no-untyped-def]
    low, high = min(a, b), max(a, b)
    shorter, longer = (
        ratio(outcome.with_(duration=low), rate),
        ratio(outcome.with_(duration=high), rate),
    )
    assert shorter <= longer
    # Strictly more with more years left (a drop-off of at most half keeps the added years
    # within the ratio's precision).
    if low < high and sroi.impact_year1(outcome) > 0 and outcome.drop_off <= D("0.5"):
        assert shorter < longer


def undiscounted(outcome: OutcomeFigures) -> Decimal:
    # Σ quantity × proxy × (1 − drop_off)^(t − 1), with 0^0 = 1 (Decimal refuses it).
    keep = 1 - outcome.drop_off
    return sum(
        (
            outcome.quantity * outcome.proxy * (keep ** (t - 1) if t > 1 else D(1))
            for t in range(1, outcome.duration + 1)
        ),
        D(0),
    )


@settings(max_examples=150, deadline=None)
@given(outcomes)
def test_with_nothing_taken_off_and_no_discount_pv_is_the_plain_sum(outcome) -> None:  # type: ignore[no-untyped-def]
    plain = outcome.with_(deadweight=D(0), displacement=D(0), attribution=D(0))
    pv = sroi.calculate([plain], investment=INVESTMENT, rate=D(0)).total_present_value
    assert abs(pv - undiscounted(plain)) <= D("1e-20") * max(D(1), pv)


@settings(max_examples=150, deadline=None)
@given(outcomes, st.decimals(min_value=D("0.001"), max_value=D("0.2"), places=3))
def test_with_a_discount_rate_pv_is_below_the_plain_sum(outcome, rate) -> None:  # type: ignore[no-untyped-def]
    plain = outcome.with_(deadweight=D(0), displacement=D(0), attribution=D(0))
    pv = sroi.calculate([plain], investment=INVESTMENT, rate=rate).total_present_value
    total = undiscounted(plain)
    if total > 0:
        assert pv < total
    else:
        assert pv == 0
