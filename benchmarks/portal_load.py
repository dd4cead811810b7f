#!/usr/bin/env python3
"""Benchmark: the renewal page of a customer with 2,000 contracts, under load.

Fills a database with one customer holding N contracts (and N confirmed sale
orders, for Odoo's own portal page), starts an Odoo server on loopback with
worker processes, then sends the same number of requests with 8 concurrent
clients to:

- the customer's renewal page, through its e-mailed link (``/renewals/<token>``);
- the same list for the customer logged in (``/my/renewals``);
- Odoo's own ``/my/orders`` page for the same customer;

and prints p50/p95 latency and throughput side by side, plus the single-client
render time of the renewal page (target: 250 ms or less).

Usage: python3 benchmarks/portal_load.py [--contracts 2000] [--clients 8]
       [--requests 400] [--db NAME] [--keep]
All traffic stays on 127.0.0.1; the run is bounded by --requests.
"""

import argparse
import os
import re
import statistics
import sys
import time
import urllib.parse
from datetime import date, timedelta

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (  # noqa: E402
    drop_database,
    ensure_database,
    free_port,
    load,
    odoo_env,
    percentile,
    start_server,
)

LOGIN = "loadportal"


def fixtures(env, contracts):
    from odoo import Command

    if env["res.users"].search([("login", "=", LOGIN)]):
        return env["res.users"].search([("login", "=", LOGIN)]).partner_id
    today = date.today()
    customer = env["res.partner"].create(
        {"name": "Load Test Customer", "is_company": True, "email": "it@load.example"}
    )
    contact = env["res.partner"].create(
        {"name": "Lou Load", "parent_id": customer.id, "email": "lou@load.example"}
    )
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "name": "Lou Load",
            "login": LOGIN,
            "password": LOGIN,
            "partner_id": contact.id,
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
        }
    )
    products = env["product.product"].create(
        [{"name": f"Load Product {i}", "list_price": 100.0 + i} for i in range(5)]
    )
    env["renewal.contract"].with_context(tracking_disable=True).create(
        [
            {
                "name": f"LOAD-{index:05d}",
                "partner_id": customer.id,
                "date_start": today - timedelta(days=300),
                "date_end": today + timedelta(days=index % 700 - 100),
                "line_ids": [
                    Command.create(
                        {
                            "product_id": products[(index + k) % 5].id,
                            "serial_number": f"LD{index:05d}{k}",
                            "list_price": 100.0,
                        }
                    )
                    for k in range(1 + index % 3)
                ],
            }
            for index in range(contracts)
        ]
    )
    orders = (
        env["sale.order"]
        .with_context(tracking_disable=True)
        .create(
            [
                {
                    "partner_id": customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": products[index % 5].id, "product_uom_qty": 1}
                        )
                    ],
                }
                for index in range(contracts)
            ]
        )
    )
    orders.with_context(tracking_disable=True).action_confirm()
    return customer


def login(base):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=10).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(
        f"{base}/web/login",
        data={"login": LOGIN, "password": LOGIN, "csrf_token": csrf, "redirect": "/my"},
        timeout=10,
    )
    return session


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--contracts", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--db", default="renewals_bench_portal")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    created = ensure_database(args.db, modules="renewal_contracts,renewal_portal")
    server = None
    try:
        with odoo_env(args.db) as env:
            customer = fixtures(env, args.contracts)
            _link, url = env["renewal.portal.link"]._issue(customer, "customer")
            token_path = urllib.parse.urlparse(url).path
            env.cr.commit()
        import odoo.sql_db

        odoo.sql_db.close_all()
        port = free_port()
        server = start_server(args.db, port, "--limit-time-real=120")
        base = f"http://127.0.0.1:{port}"
        cookies = login(base).cookies
        pages = [
            ("renewal page (link)", f"{base}{token_path}", None),
            ("/my/renewals", f"{base}/my/renewals", cookies),
            ("Odoo /my/orders", f"{base}/my/orders", cookies),
        ]
        single = []
        for _ in range(20):  # one client, warm
            started = time.perf_counter()
            requests.get(pages[0][1], timeout=60).raise_for_status()
            single.append((time.perf_counter() - started) * 1000)
        results = []
        for label, page_url, page_cookies in pages:
            load(
                page_url, args.clients, args.clients * 2, cookies=page_cookies
            )  # warm-up
            results.append(
                (
                    label,
                    *load(page_url, args.clients, args.requests, cookies=page_cookies),
                )
            )
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        if created and not args.keep:
            drop_database(args.db)

    print()
    print(
        f"Portal load benchmark: 1 customer, {args.contracts:,} contracts, "
        f"{args.clients} concurrent clients, {args.requests} requests per page, "
        "Odoo with 4 workers on loopback"
    )
    print(f"  {'page':24} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'errors':>7}")
    for label, latencies, errors, seconds in results:
        print(
            f"  {label:24} {percentile(latencies, 0.5):8.1f} "
            f"{percentile(latencies, 0.95):8.1f} {len(latencies) / seconds:8.1f} "
            f"{len(errors):7}"
        )
    render = statistics.median(single)
    print(
        f"  single client, renewal page: median {render:.1f} ms "
        f"(target 250 ms: {'met' if render <= 250 else 'MISSED'})"
    )
    mine, odoo_orders = results[0][1], results[2][1]
    print(
        f"  p50 renewal page / Odoo /my/orders: "
        f"{percentile(mine, 0.5) / percentile(odoo_orders, 0.5):.2f}"
    )


if __name__ == "__main__":
    main()
