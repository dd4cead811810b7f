"""The demo renewal history, planned without the ORM.

``history_plan`` lays out, for a given "today", the contracts of the demo
history and the chain of renewal periods of each covered line: how each
period ended (renewed on time, renewed late, lost for a reason, still open or
overdue), on which day that was decided, and the price of the next period.
``renewal.contract._demo_renewal_history`` turns the plan into records.

Everything is fixed relative to the quarter of "today": the first periods end
eight to five quarters ago, their renewals four to one quarter ago, and the
periods after that end this quarter or in the next three. The draw is seeded,
so the same day always gives the same history, and every outcome and every
cancel reason shows.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

ON_TIME = "renewed_on_time"
LATE = "renewed_late"
LOST = "lost"
OPEN = "open"
OVERDUE = "overdue"

# Contracts of the history; each covers one to three lines.
CONTRACTS = 48
SEED = 20261127

# How a decided period in the past ends, out of 20 draws.
PAST_OUTCOMES = [ON_TIME] * 13 + [LATE] * 4 + [LOST] * 3
# This quarter (the dashboard's default period), one renewal in LOST_NOW of
# those not renewed yet is lost already: the cancellations show whatever the
# day.
LOST_NOW = 3
# A period that ended less than LATE_WINDOW days ago may still be overdue.
LATE_WINDOW = 60


def quarter_start(day):
    """The first day of the quarter of ``day``."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def add_quarters(day, quarters):
    return day + relativedelta(months=3 * quarters)


@dataclass
class Period:
    """One renewal period of a covered line."""

    date_start: date
    date_end: date
    price: float
    upgraded: bool = False  # renewed into a higher service level
    outcome: str = OPEN
    decided_on: date | None = None  # renewed_date or cancel_date
    reason_index: int | None = None  # index of the cancel reason


@dataclass
class LinePlan:
    product_index: int
    quantity: float
    periods: list = field(default_factory=list)


@dataclass
class ContractPlan:
    index: int
    customer_index: int
    channel_index: int
    salesperson_index: int
    lines: list = field(default_factory=list)


def history_plan(today, customers, channels, salespeople, products, reasons):
    """Plan the demo history as of ``today``.

    :param date today: the reference day
    :param list customers: one team key per end customer (the team that
        covers the customer's region)
    :param int channels: how many routes to market to cycle through
    :param dict salespeople: team key -> number of salespeople in the team
    :param list products: the list price of each product
    :param int reasons: how many cancel reasons to cycle through
    :return: list of :class:`ContractPlan`
    """
    rng = random.Random(SEED)
    this_quarter = quarter_start(today)
    first_quarter = add_quarters(this_quarter, -8)
    reason_counter = due_now = 0
    plans = []
    for index in range(CONTRACTS):
        customer_index = index % len(customers)
        team = customers[customer_index]
        contract = ContractPlan(
            index=index,
            customer_index=customer_index,
            # A customer buys some contracts direct, some through the channel.
            channel_index=(index + index // len(customers)) % channels,
            salesperson_index=(index // len(customers)) % salespeople[team],
        )
        quarter = add_quarters(first_quarter, index % 4)
        for line_index in range(1 + index % 3):
            product_index = (index + 2 * line_index) % len(products)
            end = quarter + timedelta(days=(index * 11 + line_index * 17) % 85)
            line = LinePlan(
                product_index=product_index,
                quantity=float(rng.choice((1, 1, 1, 2, 5))),
            )
            period = Period(
                date_start=end - relativedelta(years=1) + timedelta(days=1),
                date_end=end,
                price=round(products[product_index] * rng.uniform(0.1, 0.2), 2),
            )
            while period:
                line.periods.append(period)
                _decide(period, today, rng)
                if quarter_start(
                    period.date_end
                ) == this_quarter and period.outcome in (OPEN, OVERDUE):
                    due_now += 1
                    if due_now % LOST_NOW == 0:
                        period.outcome = LOST
                        period.decided_on = min(period.date_end, today) - timedelta(
                            days=due_now % 20
                        )
                if period.outcome == LOST:
                    period.reason_index = reason_counter % reasons
                    reason_counter += 1
                period = _next_period(period, rng)
            contract.lines.append(line)
        plans.append(contract)
    return plans


def _next_period(period, rng):
    """The period that renews ``period``, if it was renewed: a year more, at
    the uplifted price, or at a quarter more for an upgrade to a higher
    service level (the up-sell)."""
    if period.outcome not in (ON_TIME, LATE):
        return None
    upgraded = rng.random() < 0.2
    factor = 1.25 if upgraded else rng.choice((1.0, 1.03, 1.05))
    return Period(
        date_start=period.date_end + timedelta(days=1),
        date_end=period.date_end + relativedelta(years=1),
        price=round(period.price * factor, 2),
        upgraded=upgraded,
    )


def _decide(period, today, rng):
    """Draw how ``period`` ends, as seen on ``today``."""
    end = period.date_end
    if end >= today:
        # Not due yet: mostly open; some renewed early, a few lost early.
        draw = rng.random()
        if end - today <= timedelta(days=90) and draw < 0.3:
            period.outcome = ON_TIME
            period.decided_on = today - timedelta(days=rng.randint(1, 20))
        elif draw > 0.96:
            period.outcome = LOST
            period.decided_on = today - timedelta(days=rng.randint(0, 20))
        return
    outcome = rng.choice(PAST_OUTCOMES)
    if today - end <= timedelta(days=LATE_WINDOW) and rng.random() < 0.45:
        outcome = OVERDUE
    if outcome == ON_TIME:
        period.decided_on = end - timedelta(days=rng.randint(0, 75))
    elif outcome == LATE:
        late = end + timedelta(days=rng.randint(3, 45))
        if late >= today:
            outcome = OVERDUE
        else:
            period.decided_on = late
    elif outcome == LOST:
        period.decided_on = min(end + timedelta(days=rng.randint(-30, 30)), today)
    period.outcome = outcome


def missing_outcomes(plans, reasons):
    """What the plan lacks to show every figure: the outcomes that no period
    has, and the indexes of the cancel reasons that no lost period has (the
    tests check the plan for every day of several years)."""
    periods = [
        period for plan in plans for line in plan.lines for period in line.periods
    ]
    missing = {ON_TIME, LATE, LOST, OPEN, OVERDUE} - {p.outcome for p in periods}
    used = {p.reason_index for p in periods if p.outcome == LOST}
    return missing, set(range(reasons)) - used
