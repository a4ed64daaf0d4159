"""The arithmetic of a social return on investment (A Guide to Social Return on Investment,
2012), in ``Decimal`` and with no database: the services and pages give it numbers, it gives
back values, present values, ratios, the payback period and the sensitivity of the ratio.

    value_year1  = quantity × financial proxy
    impact_year1 = value_year1 × (1 − deadweight) × (1 − displacement) × (1 − attribution)
    impact_t     = impact_year1 × (1 − drop_off)^(t − 1)          for t = 1 … duration
    PV           = Σ_t impact_t / (1 + r)^t
    SROI ratio   = PV / investment;   net SROI = (PV − investment) / investment

Shares (deadweight, displacement, attribution, drop-off, the discount rate) are fractions
here (0.25 for 25 %); the models keep percentages and convert.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext

ZERO = Decimal(0)
ONE = Decimal(1)
KRONA = Decimal(1)
# What the sensitivity table varies by (the SROI Guide's stage 5 suggests testing the
# assumptions that matter most; these are the usual steps).
SHARE_STEP = Decimal("0.10")
PROXY_STEP = Decimal("0.20")
DURATION_STEP = 1
# The discount rate is tried at 0 % and at 6 %, or 2.5 points above the analysis's own rate
# when that is 6 % or more already.
RATES = (Decimal("0"), Decimal("0.06"))
RATE_STEP = Decimal("0.025")
MAX_DURATION = 50
PRECISION = 40


@dataclass(frozen=True)
class OutcomeFigures:
    """One outcome's numbers as the arithmetic needs them."""

    quantity: Decimal
    proxy: Decimal
    deadweight: Decimal = ZERO
    displacement: Decimal = ZERO
    attribution: Decimal = ZERO
    drop_off: Decimal = ZERO
    duration: int = 1

    def with_(self, **changes: object) -> OutcomeFigures:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Payback:
    """When the cumulative discounted value reaches the investment: ``months`` after the
    start (value is taken to come evenly over each year), or None if not within the period."""

    months: int | None

    @property
    def within_period(self) -> bool:
        return self.months is not None

    @property
    def years_and_months(self) -> tuple[int, int] | None:
        return None if self.months is None else divmod(self.months, 12)


@dataclass(frozen=True)
class Result:
    # impacts[i][t - 1]: outcome i's impact in year t (undiscounted).
    impacts: list[list[Decimal]]
    # The present value of each year, every outcome added up.
    present_values: list[Decimal]
    total_present_value: Decimal
    investment: Decimal
    rate: Decimal

    @property
    def years(self) -> int:
        return len(self.present_values)

    @property
    def ratio(self) -> Decimal | None:
        return ratio(self.total_present_value, self.investment)

    @property
    def net_ratio(self) -> Decimal | None:
        if self.investment <= 0:
            return None
        return (self.total_present_value - self.investment) / self.investment

    @property
    def payback(self) -> Payback:
        return payback(self.present_values, self.investment)


def value_year1(outcome: OutcomeFigures) -> Decimal:
    return outcome.quantity * outcome.proxy


def impact_year1(outcome: OutcomeFigures) -> Decimal:
    return (
        value_year1(outcome)
        * (ONE - outcome.deadweight)
        * (ONE - outcome.displacement)
        * (ONE - outcome.attribution)
    )


def impacts(outcome: OutcomeFigures) -> list[Decimal]:
    """The outcome's impact in each year of its duration."""
    # Year by year rather than keep ** (t - 1): Decimal refuses 0 ** 0 (a drop-off of 100 %).
    keep = ONE - outcome.drop_off
    values = [impact_year1(outcome)]
    for _year in range(2, outcome.duration + 1):
        values.append(values[-1] * keep)
    return values


def present_values(outcomes: Sequence[OutcomeFigures], rate: Decimal) -> list[Decimal]:
    """Each year's impact of every outcome, discounted to the start: year t by (1 + r)^t."""
    years = max((o.duration for o in outcomes), default=0)
    totals = [ZERO] * years
    for outcome in outcomes:
        for index, impact in enumerate(impacts(outcome)):
            totals[index] += impact
    return [total / (ONE + rate) ** (index + 1) for index, total in enumerate(totals)]


def ratio(present_value: Decimal, investment: Decimal) -> Decimal | None:
    """The SROI ratio; None without an investment (there is no ratio to a zero)."""
    if investment <= 0:
        return None
    return present_value / investment


def calculate(outcomes: Sequence[OutcomeFigures], *, investment: Decimal, rate: Decimal) -> Result:
    with localcontext() as context:
        context.prec = PRECISION
        values = present_values(outcomes, rate)
        return Result(
            impacts=[impacts(o) for o in outcomes],
            present_values=values,
            total_present_value=sum(values, ZERO),
            investment=investment,
            rate=rate,
        )


def payback(values: Sequence[Decimal], investment: Decimal) -> Payback:
    """The month in which the cumulative discounted value first reaches ``investment``."""
    if investment <= 0:
        return Payback(0)
    reached = ZERO
    for index, value in enumerate(values):
        if value > 0 and reached + value >= investment:
            share = (investment - reached) / value
            month = (share * 12).to_integral_value(rounding=ROUND_CEILING)
            return Payback(index * 12 + max(1, int(month)))
        reached += value
    return Payback(None)


def krona(value: Decimal) -> Decimal:
    """A sum of money to the krona (half up), as the pages and downloads show it."""
    return value.quantize(KRONA, rounding=ROUND_HALF_UP)


def two_decimals(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Sensitivity -------------------------------------------------------------------------------

SHARES = ("deadweight", "displacement", "attribution", "drop_off")


@dataclass(frozen=True)
class Variation:
    """One assumption changed down and up, and the ratio each way."""

    assumption: str  # "deadweight", …, "duration", "rate", "proxy"
    outcome: int | None  # the outcome's index for "proxy"
    low: Decimal | int  # the value tried below (a fraction, years, a rate, a proxy)
    high: Decimal | int
    low_ratio: Decimal | None
    high_ratio: Decimal | None


def _clamp(value: Decimal) -> Decimal:
    return min(ONE, max(ZERO, value))


def sensitivity(
    outcomes: Sequence[OutcomeFigures], *, investment: Decimal, rate: Decimal
) -> list[Variation]:
    """The ratio with each assumption varied while the others stay: every share of every
    outcome ± 10 percentage points (kept within 0–100 %), every duration ± 1 year (within
    1–50), the discount rate at 0 % and 6 % (2.5 points above its own when that is 6 % or
    more), and every proxy ± 20 %."""

    higher_rate = RATES[1] if rate < RATES[1] else rate + RATE_STEP

    def ratio_with(changed: Sequence[OutcomeFigures], r: Decimal = rate) -> Decimal | None:
        return calculate(changed, investment=investment, rate=r).ratio

    rows: list[Variation] = []
    for name in SHARES:
        low = [o.with_(**{name: _clamp(getattr(o, name) - SHARE_STEP)}) for o in outcomes]
        high = [o.with_(**{name: _clamp(getattr(o, name) + SHARE_STEP)}) for o in outcomes]
        rows.append(
            Variation(name, None, -SHARE_STEP, SHARE_STEP, ratio_with(low), ratio_with(high))
        )
    shorter = [o.with_(duration=max(1, o.duration - DURATION_STEP)) for o in outcomes]
    longer = [o.with_(duration=min(MAX_DURATION, o.duration + DURATION_STEP)) for o in outcomes]
    rows.append(
        Variation(
            "duration",
            None,
            -DURATION_STEP,
            DURATION_STEP,
            ratio_with(shorter),
            ratio_with(longer),
        )
    )
    rows.append(
        Variation(
            "rate",
            None,
            RATES[0],
            higher_rate,
            ratio_with(outcomes, RATES[0]),
            ratio_with(outcomes, higher_rate),
        )
    )
    for index, outcome in enumerate(outcomes):
        changed_low = list(outcomes)
        changed_high = list(outcomes)
        changed_low[index] = outcome.with_(proxy=outcome.proxy * (ONE - PROXY_STEP))
        changed_high[index] = outcome.with_(proxy=outcome.proxy * (ONE + PROXY_STEP))
        rows.append(
            Variation(
                "proxy",
                index,
                changed_low[index].proxy,
                changed_high[index].proxy,
                ratio_with(changed_low),
                ratio_with(changed_high),
            )
        )
    return rows
