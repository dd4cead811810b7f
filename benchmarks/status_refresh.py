#!/usr/bin/env python3
"""Benchmark: the daily status refresh over N covered lines.

Fills a database with N contract lines (N/5 contracts, 2,000 customers, end
dates spread from 500 days ago to 1,000 days ahead), then times:

- the cold refresh: every stored status is stale (all N lines rewritten);
- the next-day refresh: what the daily scheduled action really does;
- a refresh 30 days later;

and compares with the same refresh done the ORM's way on a 10,000-line sample:
a per-record loop that computes each line's status and writes it, and Odoo's
own batch recompute of the stored computed field.

Usage: python3 benchmarks/status_refresh.py [--lines 1000000] [--db NAME] [--keep]
Everything the benchmark writes is rolled back; the database it creates is
dropped unless --keep. Target (issue #2): 1,000,000 lines in 15 s or less.
"""

import argparse
import os
import sys
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import drop_database, ensure_database, odoo_env, timer  # noqa: E402

SAMPLE = 10_000


def fill(env, lines, today):
    """Insert ``lines`` covered lines set-based, with stale (NULL) statuses."""
    from odoo.tools import SQL

    cr = env.cr
    partners = env["res.partner"].create(
        [{"name": f"Bench Customer {i:04d}", "is_company": True} for i in range(2000)]
    )
    products = env["product.product"].search([("default_code", "=like", "BP-%")])
    if len(products) < 5:
        products = env["product.product"].create(
            [
                {"name": f"Bench Product {i}", "default_code": f"BP-{i}"}
                for i in range(5)
            ]
        )
    env.flush_all()
    contracts = max(lines // 5, 1)
    company = env.company
    cr.execute(
        SQL(
            """
            INSERT INTO renewal_contract (
                name, company_id, partner_id, currency_id, user_id,
                date_start, date_end, next_expiry_date, is_cancelled,
                is_renewed, is_consolidated, warranty_only, amount_renewal,
                create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH-' || g, %(company)s,
                   (%(partners)s::int[])[1 + mod(g, %(n_partners)s)],
                   %(currency)s, %(uid)s,
                   %(today)s::date - 864 + mod(g::bigint * 7919, 1500)::int,
                   %(today)s::date - 500 + mod(g::bigint * 7919, 1500)::int,
                   %(today)s::date - 500 + mod(g::bigint * 7919, 1500)::int,
                   false, false, false, false, 0,
                   %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(contracts)s) AS g
            """,
            company=company.id,
            partners=partners.ids,
            n_partners=len(partners),
            currency=company.currency_id.id,
            uid=env.uid,
            today=today,
            contracts=contracts,
        )
    )
    cr.execute("SELECT min(id) FROM renewal_contract WHERE name = 'BENCH-1'")
    first = cr.fetchone()[0]
    cr.execute(
        SQL(
            """
            INSERT INTO renewal_contract_line (
                contract_id, company_id, partner_id, product_id, serial_number,
                quantity, date_start, date_end, list_price, renewal_price,
                renewal_subtotal, warranty_only, is_cancelled, is_renewed,
                cancel_reason_id, create_uid, write_uid, create_date, write_date)
            SELECT c.id, c.company_id, c.partner_id,
                   (%(products)s::int[])[1 + mod(g, 5)], 'BSN' || g, 1,
                   e - 364, e, 100, 0, 100, mod(g, 10) = 0, mod(g, 50) = 0,
                   mod(g, 97) = 0, CASE WHEN mod(g, 50) = 0 THEN %(reason)s END,
                   %(uid)s, %(uid)s, now(), now()
              FROM generate_series(0, %(lines)s - 1) AS g
              JOIN renewal_contract c ON c.id = %(first)s + mod(g, %(contracts)s)
              CROSS JOIN LATERAL (
                  SELECT %(today)s::date - 500 + mod(g::bigint * 104729, 1500)::int AS e
              ) AS d
            """,
            products=products.ids,
            reason=env.ref("renewal_contracts.cancel_reason_other").id,
            uid=env.uid,
            lines=lines,
            first=first,
            contracts=contracts,
            today=today,
        )
    )
    if cr.rowcount != lines:
        raise RuntimeError(f"inserted {cr.rowcount} lines instead of {lines}")
    cr.execute("ANALYZE renewal_contract")
    cr.execute("ANALYZE renewal_contract_line")
    env.invalidate_all()
    return first


def orm_loop(env, sample, day):
    """The refresh as a per-record ORM loop: compute, write, one by one."""
    from odoo.addons.renewal_contracts.tools import status as rules

    for line in sample:
        status = rules.line_status(
            line.date_end,
            day,
            line.company_id.renewal_due_days,
            cancelled=line.is_cancelled or line.contract_id.is_cancelled,
            renewed=line.is_renewed,
        )
        if line.status != status:
            line.write({"status": status})
        line.flush_recordset()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--db", default="renewals_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    created = ensure_database(args.db)
    results = {}
    try:
        with odoo_env(args.db) as env:
            from odoo import fields

            today = fields.Date.context_today(env["renewal.contract"])
            Contract = env["renewal.contract"]
            # Start from a clean base, then commit the fill: PostgreSQL checks
            # foreign keys again on rows updated in the transaction that
            # inserted them, which the real daily refresh never pays.
            env.cr.execute("DELETE FROM renewal_contract WHERE name LIKE 'BENCH-%'")
            env.cr.execute("DELETE FROM res_partner WHERE name LIKE 'Bench Customer %'")
            with timer("fill", results):
                fill(env, args.lines, today)
            env.cr.commit()
            with timer("cold", results):
                cold = Contract._refresh_status(today)
            with timer("next_day", results):
                next_day = Contract._refresh_status(today + timedelta(days=1))
            with timer("month", results):
                month = Contract._refresh_status(today + timedelta(days=31))

            counts = {
                run_name: (run.line_count, run.contract_count)
                for run_name, run in (
                    ("cold", cold),
                    ("next_day", next_day),
                    ("month", month),
                )
            }
            # The ORM's ways, on a sample, statuses made stale again.
            env.cr.execute(
                "UPDATE renewal_contract_line SET status = NULL WHERE id IN "
                "(SELECT id FROM renewal_contract_line ORDER BY id LIMIT %s)",
                [SAMPLE],
            )
            env.invalidate_all()
            sample = env["renewal.contract.line"].search([], order="id", limit=SAMPLE)
            with timer("orm_loop", results):
                orm_loop(env, sample, today + timedelta(days=31))
            env.cr.execute(
                "UPDATE renewal_contract_line SET status = NULL WHERE id = ANY(%s)",
                [sample.ids],
            )
            env.invalidate_all()
            sample = sample.browse(sample.ids)
            with timer("orm_recompute", results):
                env.add_to_compute(sample._fields["status"], sample)
                sample.flush_recordset()
    finally:
        if created and not args.keep:
            drop_database(args.db)

    n = args.lines
    cold_rate = n / results["cold"]
    loop_rate = SAMPLE / results["orm_loop"]
    recompute_rate = SAMPLE / results["orm_recompute"]
    print()
    print(
        f"Status refresh benchmark: {n:,} covered lines, {max(n // 5, 1):,} contracts"
    )
    print(f"  fill (SQL generate_series)      {results['fill']:8.2f} s")
    print(
        f"  cold refresh, all stale         {results['cold']:8.2f} s  "
        f"{counts['cold'][0]:,} lines + {counts['cold'][1]:,} contracts written  "
        f"{cold_rate:,.0f} lines/s"
    )
    print(
        f"  next-day refresh                {results['next_day']:8.2f} s  "
        f"{counts['next_day'][0]:,} lines + {counts['next_day'][1]:,} "
        "contracts changed  "
        f"{n / results['next_day']:,.0f} lines/s scanned"
    )
    print(
        f"  refresh 30 days on              {results['month']:8.2f} s  "
        f"{counts['month'][0]:,} lines + {counts['month'][1]:,} contracts changed"
    )
    print(
        f"  ORM per-record loop ({SAMPLE:,})  {results['orm_loop']:8.2f} s  "
        f"{loop_rate:,.0f} lines/s"
    )
    print(
        f"  ORM batch recompute ({SAMPLE:,})  {results['orm_recompute']:8.2f} s  "
        f"{recompute_rate:,.0f} lines/s"
    )
    print(
        f"  per-record loop extrapolated to {n:,} lines: {n / loop_rate:,.0f} s "
        f"(it must visit every line to find the few that change)"
    )
    print(
        f"  ratio cold set-based / per-record loop:     {cold_rate / loop_rate:,.0f}x"
    )
    print(
        "  ratio next-day set-based / per-record loop: "
        f"{(n / results['next_day']) / loop_rate:,.0f}x"
    )
    print(
        "  ratio cold set-based / ORM batch recompute: "
        f"{cold_rate / recompute_rate:,.0f}x"
    )
    target = 15.0 * n / 1_000_000
    verdict = "met" if results["cold"] <= target else "MISSED"
    print(f"  target: {n:,} lines in {target:.1f} s or less (cold): {verdict}")


if __name__ == "__main__":
    main()
