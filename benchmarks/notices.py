#!/usr/bin/env python3
"""Benchmark: renewal notices for 10,000 customers due on the same day.

Fills a database (renewal_contracts + renewal_portal, no demo data) with N
customers, each with one contract whose coverage ends 90 days from today, and
50 salespeople; then times, from the same starting point (rolled back in
between):

- the suite's run (what the daily scheduled action does, batch after batch):
  what is due, the send log, the portal links, the customer and the
  salesperson e-mails rendered and queued;
- the same for a tenth of the customers, to compare the queries per
  customer: they must not grow with the number of customers;
- Odoo's own mass send of the same templates (``mail.template.send_mail_batch``)
  on the notices the run made: rendering and queueing alone, with no
  selection, no log, no links.

Usage: python3 benchmarks/notices.py [--customers 10000] [--db NAME] [--keep]
Target (issue #6): 10,000 customers queued in 120 s or less.
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

MODULES = "renewal_contracts,renewal_portal"


def fixtures(env, customers):
    from odoo import Command

    today = date.today()
    end = today + timedelta(days=90)
    users = env["res.users"].create(
        [
            {
                "name": f"Bench Sales {i:02d}",
                "login": f"bench_sales_{i:02d}",
                "email": f"sales{i:02d}@vendor.example.com",
            }
            for i in range(50)
        ]
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"Notice Customer {i:05d}",
                "is_company": True,
                "email": f"it@customer{i:05d}.example.com",
            }
            for i in range(customers)
        ]
    )
    product = env["product.product"].create(
        {"name": "Bench Array", "list_price": 1200.0}
    )
    env["renewal.contract"].create(
        [
            {
                "name": f"NB-{index:05d}",
                "partner_id": partner.id,
                "user_id": users[index % 50].id,
                "date_start": end - timedelta(days=365),
                "date_end": end,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "serial_number": f"NB{index:05d}",
                            "date_start": end - timedelta(days=365),
                            "date_end": end,
                            "list_price": 1200.0,
                        }
                    )
                ],
            }
            for index, partner in enumerate(partners)
        ]
    )
    env.flush_all()


def mails(env):
    return env["mail.mail"].search_count([("model", "=", "renewal.notice")])


def run(env, today):
    before = mails(env)
    with measured(env) as m:
        customers = env["renewal.notice"]._run(today=today)
    return customers, mails(env) - before, m.seconds, m.queries


def odoo_mass_send(env, notices):
    """Odoo's own way: the same templates, sent in bulk with
    ``send_mail_batch`` on the same records."""
    from odoo.addons.renewal_contracts.models.renewal_notice import TEMPLATES

    count = 0
    with measured(env) as m:
        for role, xmlid in TEMPLATES.items():
            records = notices.filtered(lambda n, role=role: n.role == role)
            if records:
                count += len(env.ref(xmlid).send_mail_batch(records.ids))
    return count, m.seconds, m.queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--db", default="renewals_bench_notices")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    created = ensure_database(args.db, MODULES)
    today = date.today()
    try:
        with odoo_env(args.db) as env:
            env = env(context=dict(env.context, tracking_disable=True))
            if not env["renewal.contract"].search_count([("name", "=like", "NB-%")]):
                print(f"Making {args.customers:,} customers...", flush=True)
                fixtures(env, args.customers)
                env.cr.commit()
            # The run, for every customer.
            full = run(env, today)
            notices = env["renewal.notice"].search([])
            mass = odoo_mass_send(env, notices)
            env.cr.rollback()
            env.invalidate_all()
            # The same for a tenth of the customers.
            env.cr.execute(
                "UPDATE renewal_contract SET do_not_contact = TRUE "
                "WHERE name LIKE 'NB-%' AND substr(name, 4)::int % 10 != 0"
            )
            env.invalidate_all()
            small = run(env, today)
            env.cr.rollback()
    finally:
        if created and not args.keep:
            drop_database(args.db)

    print()
    print(f"Renewal notice benchmark: {args.customers:,} customers due the same day")
    for label, (customers, count, seconds, queries) in (
        ("every customer", full),
        ("a tenth of the customers", small),
    ):
        print(
            f"  {label:26} {customers:6,} customers -> {count:6,} mails queued in "
            f"{seconds:7.2f} s  ({count / seconds:,.0f} mails/s), {queries:,} "
            f"queries = {queries / customers:.1f} per customer"
        )
    count, seconds, queries = mass
    print(
        f"  Odoo send_mail_batch       same notices   -> {count:6,} mails queued in "
        f"{seconds:7.2f} s  ({count / seconds:,.0f} mails/s), {queries:,} queries"
    )
    print(
        f"  ratio suite run / Odoo's mass send: {full[2] / seconds:.2f}x the time "
        "(the run also selects, logs and issues two links per customer)"
    )
    target = 120.0
    verdict = "met" if full[2] <= target else "MISSED"
    print(f"  target: {full[0]:,} customers in {target:.0f} s or less: {verdict}")


if __name__ == "__main__":
    main()
