#!/usr/bin/env python3
"""Benchmark: the partner API, on a real Odoo server on loopback.

Fills a database with a reseller, its renewals manager (a portal user with
an API key), 2,000 end customers and 5 products, starts Odoo with worker
processes and its job runner, then, in one run:

(a) imports N rows (N/5 contracts) twice, each from the same kind of
    starting point (fresh serials and contracts, the same customers):
    - as a CSV file, uploaded to the reseller's feed source
      (``POST /sources/{id}/files``): the suite's file import;
    - as a JSON push of the same rows (``POST /sources/{id}/rows``);
    each timed from the request until the import is done (its chunks run as
    queue jobs), and, for scale, Odoo's own ``load()`` on a sample of the
    rows (scaled) and a raw PostgreSQL COPY of the rows (the floor);
(b) asks the status of a serial number (``GET /lines?serial_number=``) with
    8 concurrent clients, beside Odoo's own way for the same portal user
    (JSON-RPC ``search_read`` of the line through a session) and the raw SQL
    lookup (the floor); on a settled database (the imported tables vacuumed
    and analysed first), the two ways taking turns in four rounds.
The server serves one database, named with -d and no --db-filter, as a
single-database API server is deployed: with a filter, Odoo lists the
server's databases on every request that comes without a session.

Usage: python3 benchmarks/partner_api.py [--rows 100000] [--clients 8]
       [--requests 800] [--load-rows 2000] [--db NAME] [--keep]
Targets (issue #11): the push within 1.2x of the file import; status by
serial p95 at most 50 ms under 8 clients.
All traffic stays on 127.0.0.1; every loop is bounded in count and time.
"""

import argparse
import csv
import io
import json
import os
import random
import re
import sys
import time
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

# The addon that serves the partner API.
MODULE = "renewal_channel"

ROOT = "/renewal/api/v1"
LOGIN = "bench-api"
PRODUCTS = ["PWR-R660", "PWR-T360", "STG-PS1200", "NET-X1052", "SW-BKP-STD"]
FIELDS = [
    "serial_number",
    "contract_number",
    "customer_name",
    "customer_vat",
    "customer_city",
    "product_code",
    "quantity",
    "date_start",
    "date_end",
    "list_price",
    "currency",
]


def make_rows(count, prefix, today):
    rows = []
    for index in range(count):
        contract = index // 5
        customer = contract % 2000
        end = today + timedelta(days=(index * 7919) % 1500 - 500)
        rows.append(
            {
                "serial_number": f"{prefix}{index:07d}",
                "contract_number": f"{prefix}C-{contract:06d}",
                "customer_name": f"Bench Customer {customer:04d} Ltd",
                "customer_vat": f"GB8{customer:08d}",
                "customer_city": "London",
                "product_code": PRODUCTS[index % 5],
                "quantity": 1.0,
                "date_start": (end - timedelta(days=364)).isoformat(),
                "date_end": end.isoformat(),
                "list_price": 100 + index % 900 + (index % 100) / 100,
                "currency": "USD",
            }
        )
    return rows


def to_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([row[name] for name in FIELDS])
    return buffer.getvalue().encode()


def fixtures(env):
    """The reseller, its manager with a key, its feed source, customers and
    products; returns ``(source, key)``."""
    from odoo import Command

    Source = env["renewal.feed.source"]
    source = Source.search([("name", "=", "Bench reseller feed")])
    user = env["res.users"].search([("login", "=", LOGIN)])
    if not source:
        env.ref("base.USD").active = True
        env["res.partner"].create(
            [
                {
                    "name": f"Bench Customer {index:04d} Ltd",
                    "vat": f"GB8{index:08d}",
                    "city": "London",
                    "is_company": True,
                }
                for index in range(2000)
            ]
        )
        for code in PRODUCTS:
            env["product.product"].create(
                {"name": f"Bench {code}", "default_code": code}
            )
        reseller = env["res.partner"].create(
            {"name": "Bench Reseller", "is_company": True, "is_renewal_reseller": True}
        )
        contact = env["res.partner"].create(
            {
                "name": "Bench Api",
                "parent_id": reseller.id,
                "renewal_reseller_manager": True,
            }
        )
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Bench Api",
                    "login": LOGIN,
                    "password": LOGIN,
                    "partner_id": contact.id,
                    "groups_id": [Command.set([env.ref("base.group_portal").id])],
                }
            )
        )
        source = Source.create(
            {
                "name": "Bench reseller feed",
                "partner_id": reseller.id,
                "role": "reseller",
                "column_ids": [
                    Command.create({"target": name, "column_name": name})
                    for name in FIELDS
                ],
            }
        )
    _record, key = env["auth.api.key"]._renewal_issue(user, f"bench {time.time()}")
    return source, key


def wait_done(base, headers, import_id, deadline):
    while time.time() < deadline:
        data = requests.get(
            f"{base}/imports/{import_id}?errors_limit=0", headers=headers, timeout=60
        ).json()
        if data["state"] in ("done", "failed"):
            return data
        time.sleep(0.2)
    raise RuntimeError(f"import {import_id} did not finish in time")


def timed_import(base, headers, send, deadline):
    started = time.perf_counter()
    response = send()
    response.raise_for_status()
    data = wait_done(base, headers, response.json()["id"], deadline)
    return time.perf_counter() - started, data


ROUNDS = 4


def merge(parts):
    """One ``load`` result out of several: their latencies, errors and time."""
    return (
        [ms for latencies, _errors, _elapsed in parts for ms in latencies],
        [ms for _latencies, errors, _elapsed in parts for ms in errors],
        sum(elapsed for _latencies, _errors, elapsed in parts),
    )


def settle(db):
    """VACUUM and ANALYZE the tables the imports wrote."""
    import psycopg2

    connection = psycopg2.connect(dbname=db)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM (ANALYZE) renewal_contract_line, renewal_contract, res_partner"
            )
    finally:
        connection.close()


def portal_session(base):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=10).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(
        f"{base}/web/login",
        data={"login": LOGIN, "password": LOGIN, "csrf_token": csrf, "redirect": "/my"},
        timeout=10,
    )
    return session.cookies


def odoo_load_sample(env, rows):
    """Odoo's own import, ``load()`` with one2many lines, on ``rows``."""
    fields = [
        "name",
        "partner_id",
        "date_start",
        "date_end",
        "currency_id",
        "line_ids/serial_number",
        "line_ids/product_id",
        "line_ids/quantity",
        "line_ids/date_start",
        "line_ids/date_end",
        "line_ids/list_price",
    ]
    data, previous = [], None
    for row in rows:
        head = (
            [
                row["contract_number"],
                row["customer_name"],
                row["date_start"],
                row["date_end"],
                "USD",
            ]
            if row["contract_number"] != previous
            else [""] * 5
        )
        previous = row["contract_number"]
        data.append(
            head
            + [
                row["serial_number"],
                row["product_code"],
                "1",
                row["date_start"],
                row["date_end"],
                str(row["list_price"]),
            ]
        )
    result = (
        env["renewal.contract"].with_context(tracking_disable=True).load(fields, data)
    )
    errors = [m for m in result["messages"] if m.get("type") == "error"]
    if errors:
        raise RuntimeError(f"load() refused the rows: {errors[:3]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--load-rows", type=int, default=2000)
    parser.add_argument("--db", default="renewals_bench_partner_api")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    created = ensure_database(args.db, modules=MODULE)
    today = date.today()
    stamp = f"{int(time.time()) % 100000:05d}"
    file_rows = make_rows(args.rows, f"F{stamp}", today)
    push_rows = make_rows(args.rows, f"P{stamp}", today)
    results = {}
    server = None
    try:
        with odoo_env(args.db) as env:
            env = env(context=dict(env.context, tracking_disable=True))
            source, key = fixtures(env)
            env["ir.config_parameter"].set_param(
                "renewal_channel.max_request_bytes", str(256 * 1024 * 1024)
            )
            # Both ways in the background, through the same job runner.
            env["ir.config_parameter"].set_param("renewal_channel.background_rows", "0")
            env.cr.commit()
            source_id = source.id
            # Odoo's own load() on a sample, and the COPY floor; rolled back.
            sample = make_rows(min(args.load_rows, args.rows), f"L{stamp}", today)
            started = time.perf_counter()
            odoo_load_sample(env, sample)
            env.flush_all()
            results["load"] = (time.perf_counter() - started) * args.rows / len(sample)
            env.cr.rollback()
            env.cr.execute(
                "CREATE TEMP TABLE bench_rows ("
                + ", ".join(f"{name} text" for name in FIELDS)
                + ")"
            )
            started = time.perf_counter()
            env.cr._obj.copy_expert(
                "COPY bench_rows FROM STDIN WITH (FORMAT csv, HEADER true)",
                io.BytesIO(to_csv(file_rows)),
            )
            results["copy"] = time.perf_counter() - started
            env.cr.rollback()
        import odoo.sql_db

        odoo.sql_db.close_all()
        port = free_port()
        server = start_server(
            args.db,
            port,
            "--limit-time-real=1800",
            "--limit-time-cpu=1800",
            "--limit-memory-soft=4294967296",
            "--limit-memory-hard=6442450944",
            wait=90,
        )
        base = f"http://127.0.0.1:{port}{ROOT}"
        headers = {"HTTP-API-KEY": key}
        deadline = time.time() + 3600

        # Warm the workers and the job runner up with a small import.
        timed_import(
            base,
            headers,
            lambda: requests.post(
                f"{base}/sources/{source_id}/rows",
                headers=headers,
                json={"rows": make_rows(10, f"W{stamp}", today)},
                timeout=60,
            ),
            deadline,
        )
        # (a) the same rows as a file, then as a push (fresh serials each).
        content = to_csv(file_rows)
        results["file"], file_data = timed_import(
            base,
            headers,
            lambda: requests.post(
                f"{base}/sources/{source_id}/files",
                headers=headers,
                files={"file": ("bench.csv", content, "text/csv")},
                timeout=600,
            ),
            deadline,
        )
        body = json.dumps({"rows": push_rows}).encode()
        results["push"], push_data = timed_import(
            base,
            headers,
            lambda: requests.post(
                f"{base}/sources/{source_id}/rows",
                headers=dict(
                    headers,
                    **{
                        "Content-Type": "application/json",
                        "Idempotency-Key": f"bench-{stamp}",
                    },
                ),
                data=body,
                timeout=600,
            ),
            deadline,
        )

        # (b) status by serial: the API, Odoo's JSON-RPC, the SQL floor.
        serials = [row["serial_number"] for row in push_rows]

        def api_url(rng):
            return f"{base}/lines?serial_number={rng.choice(serials)}", None

        # A settled database, as autovacuum leaves it a few minutes after an
        # import: measured at once, the first way would share the machine
        # with the vacuum of the rows just imported, and the second not.
        settle(args.db)
        cookies = portal_session(f"http://127.0.0.1:{port}")
        rpc_url = f"http://127.0.0.1:{port}/web/dataset/call_kw/renewal.contract.line/search_read"

        def rpc_payload(rng):
            return {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "model": "renewal.contract.line",
                    "method": "search_read",
                    "args": [[("serial_number", "=", rng.choice(serials))]],
                    "kwargs": {
                        "fields": [
                            "serial_number",
                            "status",
                            "date_end",
                            "list_price",
                            "renewal_price",
                            "contract_id",
                        ]
                    },
                },
            }

        def rpc(total):
            return load(
                lambda rng: (rpc_url, rpc_payload),
                args.clients,
                total,
                cookies=cookies,
            )

        load(api_url, args.clients, args.clients * 4, headers)  # warm-up
        rpc(args.clients * 4)
        # The two ways take turns, in rounds, so that whatever else the
        # machine does falls on both alike.
        rounds = [
            (
                load(api_url, args.clients, args.requests // ROUNDS, headers),
                rpc(args.requests // ROUNDS),
            )
            for _ in range(ROUNDS)
        ]
        results["api"] = merge([api for api, _rpc in rounds])
        results["rpc"] = merge([rpc for _api, rpc in rounds])
        import psycopg2

        connection = psycopg2.connect(dbname=args.db)
        try:
            cursor = connection.cursor()
            rng = random.Random(1)
            timings = []
            for _ in range(200):
                started = time.perf_counter()
                cursor.execute(
                    "SELECT l.id, l.status, l.date_end FROM renewal_contract_line l"
                    " WHERE l.serial_number = %s",
                    [rng.choice(serials)],
                )
                cursor.fetchall()
                timings.append((time.perf_counter() - started) * 1000)
            results["sql"] = timings
        finally:
            connection.close()
    finally:
        if server:
            server.terminate()
            server.wait(timeout=60)
        if created and not args.keep:
            drop_database(args.db)

    print()
    print(
        f"Partner API benchmark: {args.rows:,} rows ({args.rows // 5:,} contracts), "
        f"Odoo with 4 workers and its job runner on loopback"
    )
    print("(a) import, from the request until the import is done")
    for label, name, data in (
        ("file upload (CSV), the suite's import", "file", file_data),
        ("API push (JSON rows)", "push", push_data),
    ):
        print(
            f"  {label:40} {results[name]:8.2f} s  {args.rows / results[name]:8,.0f} "
            f"rows/s  state={data['state']} created={data['created']:,} "
            f"rejected={data['rejected']:,}"
        )
    sampled = f"Odoo load() (scaled from {min(args.load_rows, args.rows):,} rows)"
    print(f"  {sampled:40} {results['load']:8.2f} s")
    print(f"  {'PostgreSQL COPY (floor)':40} {results['copy']:8.2f} s")
    ratio = results["push"] / results["file"]
    print(
        f"  push / file import: {ratio:.2f}x (target <= 1.2x: "
        f"{'met' if ratio <= 1.2 else 'MISSED'}); load() / push: "
        f"{results['load'] / results['push']:.1f}x; push / COPY: "
        f"{results['push'] / results['copy']:.0f}x"
    )
    print(
        f"(b) status by serial, {args.clients} concurrent clients, "
        f"{args.requests} requests each way"
    )
    print(f"  {'way':40} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'errors':>7}")
    for label, name in (
        ("API GET /lines?serial_number=", "api"),
        ("Odoo JSON-RPC search_read (portal)", "rpc"),
    ):
        latencies, errors, seconds = results[name]
        print(
            f"  {label:40} {percentile(latencies, 0.5):8.1f} "
            f"{percentile(latencies, 0.95):8.1f} {len(latencies) / seconds:8.1f} "
            f"{len(errors):7}"
        )
    print(
        f"  {'raw SQL lookup, one client (floor)':40} "
        f"{percentile(results['sql'], 0.5):8.2f} "
        f"{percentile(results['sql'], 0.95):8.2f}"
    )
    p95 = percentile(results["api"][0], 0.95)
    verdict = "met" if p95 <= 50 else "MISSED"
    api_p50 = percentile(results["api"][0], 0.5)
    print(
        f"  API p95 {p95:.1f} ms (target <= 50 ms: {verdict}); "
        f"API p50 / JSON-RPC p50: {api_p50 / percentile(results['rpc'][0], 0.5):.2f}"
    )


if __name__ == "__main__":
    main()
