#!/usr/bin/env python3
"""Benchmark: a 100,000-row contract feed, end to end.

Generates a feed in the vendor's CSV layout (N rows, N/5 contracts, 2,000 end
customers already in the database, 5 products), then times in one run, each
from the same starting point (everything is rolled back in between):

- the suite's import (``renewal.feed.source.import_file``): read, check,
  match, upsert, in chunks of 5,000 rows, each in its own savepoint;
- Odoo's standard import of the same records: ``load()`` on
  ``renewal.contract`` with the lines as one2many rows, as the Import wizard
  sends them (contract columns on the first row of each contract);
- a raw PostgreSQL COPY of the same rows into a scratch table: the physical
  floor.

and prints the times, the ratios and the process's peak memory.

Usage: python3 benchmarks/feed_import.py [--rows 100000] [--load-rows N]
       [--db NAME] [--keep]
--load-rows times Odoo's load() on the first N rows only and scales the
figure to all rows (say so in the output); by default it loads them all.
Target (issue #3): 100,000 rows in 60 s or less, peak memory under 1 GB, at
least 10x faster than load().
"""

import argparse
import csv
import io
import os
import resource
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import drop_database, ensure_database, odoo_env  # noqa: E402

PRODUCTS = ["PWR-R660", "PWR-T360", "STG-PS1200", "NET-X1052", "SW-BKP-STD"]
LEVELS = ["Basic NBD", "ProSupport 4h", "ProSupport Plus 4h", "Warranty only"]
HEADER = [
    "serial_number",
    "contract_number",
    "customer_name",
    "customer_vat",
    "customer_city",
    "customer_email",
    "product_code",
    "quantity",
    "service_level",
    "coverage_start",
    "coverage_end",
    "list_price",
    "currency",
    "customer_po",
    "vendor_sales_order",
]


def customer(index):
    return {
        "name": f"Bench Customer {index:04d} Ltd",
        "vat": f"GB8{index:08d}",
        "city": "London",
        "email": f"it@bench{index}.example",
    }


def make_feed(rows, today):
    """The feed as CSV bytes, and its rows as lists."""
    table = []
    for index in range(rows):
        contract = index // 5
        person = customer(contract % 2000)
        end = today + timedelta(days=(index * 7919) % 1500 - 500)
        table.append(
            [
                f"BS{index:07d}",
                f"BC-{contract:06d}",
                person["name"],
                person["vat"],
                person["city"],
                person["email"],
                PRODUCTS[index % 5],
                "1",
                LEVELS[index % 4],
                (end - timedelta(days=364)).isoformat(),
                end.isoformat(),
                f"{100 + index % 900}.{index % 100:02d}",
                "USD",
                f"PO{contract:06d}",
                f"SO{contract:06d}",
            ]
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(table)
    return buffer.getvalue().encode("utf-8"), table


def fixtures(env):
    """Products, service levels, 2,000 customers and the feed source."""
    from odoo import Command

    source = env["renewal.feed.source"].search([("name", "=", "Bench vendor feed")])
    if source:  # a kept database from an earlier run
        return source, env["renewal.service.level"].search([("name", "in", LEVELS)])
    env["res.partner"].create(
        [dict(customer(index), is_company=True) for index in range(2000)]
    )
    for code in PRODUCTS:
        env["product.product"].create({"name": f"Bench {code}", "default_code": code})
    levels = env["renewal.service.level"].create(
        [{"name": name, "warranty_only": name == "Warranty only"} for name in LEVELS]
    )
    source = env["renewal.feed.source"].create(
        {
            "name": "Bench vendor feed",
            "partner_id": env.company.partner_id.id,
            "column_ids": [
                Command.create({"target": target, "column_name": column})
                for target, column in [
                    ("serial_number", "serial_number"),
                    ("contract_number", "contract_number"),
                    ("customer_name", "customer_name"),
                    ("customer_vat", "customer_vat"),
                    ("customer_city", "customer_city"),
                    ("customer_email", "customer_email"),
                    ("product_code", "product_code"),
                    ("quantity", "quantity"),
                    ("service_level", "service_level"),
                    ("date_start", "coverage_start"),
                    ("date_end", "coverage_end"),
                    ("list_price", "list_price"),
                    ("currency", "currency"),
                    ("customer_po", "customer_po"),
                    ("vendor_order", "vendor_sales_order"),
                ]
            ],
        }
    )
    env.ref("base.USD").active = True
    env.flush_all()
    return source, levels


def odoo_load(env, table):
    """Odoo's standard import: ``load()`` with one2many line rows."""
    fields = [
        "name",
        "partner_id",
        "date_start",
        "date_end",
        "customer_po_number",
        "vendor_order_number",
        "currency_id",
        "line_ids/serial_number",
        "line_ids/product_id",
        "line_ids/quantity",
        "line_ids/service_level_id",
        "line_ids/date_start",
        "line_ids/date_end",
        "line_ids/list_price",
    ]
    rows = []
    previous = None
    for (
        serial,
        number,
        name,
        _vat,
        _city,
        _email,
        product,
        quantity,
        level,
        start,
        end,
        price,
        currency,
        po,
        so,
    ) in table:
        head = (
            [number, name, start, end, po, so, currency]
            if number != previous
            else [""] * 7
        )
        previous = number
        rows.append(
            head
            + [
                serial,
                f"[{product}] Bench {product}",
                quantity,
                level,
                start,
                end,
                price,
            ]
        )
    result = (
        env["renewal.contract"]
        .with_context(tracking_disable=True, mail_create_nolog=True)
        .load(fields, rows)
    )
    errors = [m for m in result["messages"] if m.get("type") == "error"]
    if errors:
        raise RuntimeError(f"load() refused the rows: {errors[:3]}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--load-rows", type=int, default=0)
    parser.add_argument("--db", default="renewals_bench_feed")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    load_rows = args.load_rows or args.rows

    created = ensure_database(args.db, modules="renewal_channel")
    results = {}
    try:
        with odoo_env(args.db) as env:
            env = env(context=dict(env.context, tracking_disable=True))
            cr = env.cr
            today = date.today()
            content, table = make_feed(args.rows, today)
            source, _levels = fixtures(env)
            cr.commit()

            started = time.perf_counter()
            feed_import = source.import_file(content, "bench.csv", delay=False)
            env.flush_all()
            results["suite"] = time.perf_counter() - started
            # Peak resident memory so far: the registry, the feed and the import.
            suite_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            counts = (
                feed_import.state,
                feed_import.row_count,
                feed_import.created_count,
                feed_import.rejected_count,
                feed_import.message,
            )
            cr.execute("SELECT count(*) FROM renewal_contract_line")
            lines_written = cr.fetchone()[0]
            cr.rollback()

            started = time.perf_counter()
            odoo_load(env, table[:load_rows])
            env.flush_all()
            results["load"] = time.perf_counter() - started
            cr.execute("SELECT count(*) FROM renewal_contract_line")
            lines_loaded = cr.fetchone()[0]
            cr.rollback()

            cr.execute(
                "CREATE TEMP TABLE feed_scratch ("
                + ", ".join(f"{name} text" for name in HEADER)
                + ")"
            )
            started = time.perf_counter()
            cr._obj.copy_expert(
                "COPY feed_scratch FROM STDIN WITH (FORMAT csv, HEADER true)",
                io.BytesIO(content),
            )
            results["copy"] = time.perf_counter() - started
            cr.rollback()
    finally:
        if created and not args.keep:
            drop_database(args.db)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_full = results["load"] * args.rows / load_rows
    print()
    print(f"Feed import benchmark: {args.rows:,} rows, {args.rows // 5:,} contracts")
    print(
        f"  suite import_file()          {results['suite']:8.2f} s  "
        f"{args.rows / results['suite']:,.0f} rows/s  state={counts[0]} "
        f"rows={counts[1]:,} created={counts[2]:,} rejected={counts[3]:,} "
        f"lines in db={lines_written:,}"
    )
    if counts[4]:
        print(f"  !! {counts[4]}")
    scaled = "" if load_rows == args.rows else f" (measured on {load_rows:,} rows)"
    print(
        f"  Odoo load() / Import wizard  {load_full:8.2f} s  "
        f"{args.rows / load_full:,.0f} rows/s{scaled}  lines in db={lines_loaded:,}"
    )
    print(
        f"  PostgreSQL COPY (floor)      {results['copy']:8.2f} s  "
        f"{args.rows / results['copy']:,.0f} rows/s"
    )
    print(f"  ratio load() / suite:        {load_full / results['suite']:,.1f}x")
    print(f"  ratio suite / COPY:          {results['suite'] / results['copy']:,.0f}x")
    print(f"  peak memory through the suite's import: {suite_peak:,.0f} MB")
    print(f"  peak memory of the process (after load()): {peak:,.0f} MB")
    target = 60.0 * args.rows / 100_000
    verdict = (
        "met"
        if results["suite"] <= target
        and suite_peak < 1024
        and load_full / results["suite"] >= 10
        else "MISSED"
    )
    print(f"  target: {target:.0f} s, < 1 GB, >= 10x load(): {verdict}")


if __name__ == "__main__":
    main()
