#!/usr/bin/env python3
"""Benchmark: renewal quotations for 10,000 due lines across 2,000 customers.

Fills a database with N customers, two contracts each and five due lines per
customer, then times from the same starting point (rolled back in between):

- the suite's generation for every due line (what the daily scheduled
  action runs): batched, one ``sale.order.create`` for all quotations;
- the same for a tenth of the customers, to compare the queries per
  quotation: they must not grow with the number of quotations;
- Odoo's usual way on that tenth: one ``sale.order.create`` per quotation.

Usage: python3 benchmarks/quote_generation.py [--customers 2000] [--db NAME] [--keep]
Target (issue #4): 10,000 lines across 2,000 customers in 60 s or less.
"""

import argparse
import os
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (  # noqa: E402
    drop_database,
    ensure_database,
    measured,
    odoo_env,
)


def fixtures(env, customers):
    from odoo import Command

    today = date.today()
    partners = env["res.partner"].create(
        [
            {"name": f"Quote Customer {i:04d}", "is_company": True}
            for i in range(customers)
        ]
    )
    products = env["product.product"].create(
        [
            {"name": f"Quote Product {i}", "list_price": 100.0 * (i + 1)}
            for i in range(5)
        ]
    )
    level = env["renewal.service.level"].create({"name": "Bench Gold"})
    vals = []
    for index, partner in enumerate(partners):
        for half in (0, 1):
            ends = [
                today + timedelta(days=10 + (index + k) % 80) for k in range(3 - half)
            ]
            vals.append(
                {
                    "name": f"QB-{index:05d}-{half}",
                    "partner_id": partner.id,
                    "date_start": today - timedelta(days=300),
                    "date_end": max(ends),
                    "service_level_id": level.id,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": products[(index + k) % 5].id,
                                "serial_number": f"QB{index:05d}{half}{k}",
                                "date_start": end - timedelta(days=364),
                                "date_end": end,
                                "renewal_price": 0.0 if k else 250.0,
                            }
                        )
                        for k, end in enumerate(ends)
                    ],
                }
            )
    contracts = env["renewal.contract"].with_context(tracking_disable=True).create(vals)
    env.flush_all()
    return contracts


def run(env, lines):
    with measured(env) as m:
        orders = env["sale.order"]._renewal_generate(lines)
    return orders, m.seconds, m.queries


def run_one_by_one(env, lines):
    """Odoo's usual way: one create per quotation."""
    SaleOrder = env["sale.order"]
    count = 0
    with measured(env) as m:
        for _partner, group in lines.grouped("partner_id").items():
            count += len(SaleOrder._renewal_generate(group))
    return count, m.seconds, m.queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--db", default="renewals_bench_quotes")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    created = ensure_database(args.db)
    try:
        with odoo_env(args.db) as env:
            env = env(context=dict(env.context, tracking_disable=True))
            if not env["renewal.contract"].search_count([("name", "=like", "QB-%")]):
                fixtures(env, args.customers)
                env.cr.commit()
            SaleOrder = env["sale.order"]
            due = SaleOrder._renewal_due_lines().filtered(
                lambda line: line.contract_id.name.startswith("QB-")
            )
            tenth = due.filtered(
                lambda line: (
                    line.partner_id
                    in due.partner_id[: max(len(due.partner_id) // 10, 1)]
                )
            )
            orders, seconds, queries = run(env, due)
            full = (len(due), len(orders), seconds, queries)
            env.cr.rollback()
            env.invalidate_all()
            orders, seconds, queries = run(env, tenth)
            small = (len(tenth), len(orders), seconds, queries)
            env.cr.rollback()
            env.invalidate_all()
            one = run_one_by_one(env, tenth)
            env.cr.rollback()
    finally:
        if created and not args.keep:
            drop_database(args.db)

    print()
    print(f"Quote generation benchmark: {args.customers:,} customers")
    for label, (lines, quotes, seconds, queries) in (
        ("all due lines", full),
        ("a tenth of the customers", small),
    ):
        print(
            f"  {label:26} {lines:6,} lines -> {quotes:5,} quotations in "
            f"{seconds:7.2f} s  ({quotes / seconds:,.0f}/s), {queries:,} queries = "
            f"{queries / quotes:.1f} per quotation"
        )
    quotes, seconds, queries = one
    print(
        f"  one create per quotation   {small[0]:6,} lines -> {quotes:5,} "
        f"quotations in {seconds:7.2f} s  ({quotes / seconds:,.0f}/s), "
        f"{queries / quotes:.1f} queries per quotation"
    )
    print(
        f"  ratio batched / one by one (same tenth): {seconds / small[2]:.1f}x faster"
    )
    target = 60.0
    verdict = "met" if full[2] <= target else "MISSED"
    print(f"  target: {full[0]:,} lines in {target:.0f} s or less: {verdict}")


if __name__ == "__main__":
    main()
