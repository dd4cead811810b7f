"""Helpers shared by the benchmarks: an Odoo database with the suite."""

import os
import random
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def addons_path():
    out = subprocess.run(
        ["bash", "-c", f"source {REPO}/bin/lib.sh && addons_path"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def database_exists(name):
    out = subprocess.run(
        [
            "psql",
            "-XtAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
            "postgres",
        ],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() == "1"


def odoo_command(db, *options):
    """The command line that runs this repo's Odoo on ``db``."""
    return [
        sys.executable,
        # Not ``-m odoo``: with workers, Odoo re-runs its own script for the
        # long-polling process (see bin/odoo_server.py).
        os.path.join(REPO, "bin", "odoo_server.py"),
        "-c",
        os.path.join(REPO, "odoo.conf"),
        f"--addons-path={addons_path()}",
        "-d",
        db,
        *options,
    ]


def ensure_database(name, modules="renewal_contracts"):
    """Create ``name`` with ``modules`` installed, without demo data."""
    if database_exists(name):
        return False
    print(f"Creating database {name} with {modules} (no demo data)...", flush=True)
    subprocess.run(
        odoo_command(
            name,
            "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--no-http",
        ),
        check=True,
        cwd=REPO,
    )
    return True


def drop_database(name):
    try:
        import odoo.sql_db

        odoo.sql_db.close_all()
    except ImportError:
        pass
    subprocess.run(["dropdb", "--if-exists", name], check=True)


@contextmanager
def odoo_env(db):
    """An environment as superuser on ``db``; what is not committed is
    rolled back."""
    import odoo
    from odoo import api
    from odoo.tools import config

    config.parse_config(
        [
            "-c",
            os.path.join(REPO, "odoo.conf"),
            f"--addons-path={addons_path()}",
            "-d",
            db,
            "--log-level=warn",
        ]
    )
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            yield env
        finally:
            cr.rollback()


@contextmanager
def timer(label, results):
    started = time.perf_counter()
    yield
    results[label] = time.perf_counter() - started


class Measure:
    seconds = 0.0
    queries = 0


@contextmanager
def measured(env):
    """Time and count the queries of the block, pending writes included:
    ``with measured(env) as m: ...`` then ``m.seconds``, ``m.queries``."""
    measure = Measure()
    env.flush_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    yield measure
    env.flush_all()
    measure.seconds = time.perf_counter() - started
    measure.queries = env.cr.sql_log_count - queries


def free_port():
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db, port, *options, wait=60):
    """Serve ``db`` on 127.0.0.1:``port`` with 4 workers (plus ``options``);
    return the process once its login page answers."""
    import requests  # only the server benchmarks need it

    process = subprocess.Popen(
        odoo_command(
            db,
            # One database, named with -d and no --db-filter: with a filter,
            # Odoo lists the server's databases on every request that comes
            # without a session (every partner API call) before serving it.
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={free_port()}",
            "--workers=4",
            "--max-cron-threads=0",
            "--log-level=warn",
            *options,
        ),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + wait
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/login", timeout=2).ok:
                return process
        except requests.RequestException:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("the Odoo server did not start")


def load(url, clients, total, headers=None, cookies=None, body=None):
    """``total`` requests by ``clients`` threads, each on its own kept-alive
    connection (``cookies`` sent with every request); latencies in ms, as
    ``(latencies, errors, seconds)``. ``url`` is a URL, or a function of a
    random generator giving ``(url, payload)``; with a payload (a function of
    the generator) the request is a JSON POST, else a GET. An answer counts as
    an error unless it is a 200, and, for JSON, carries no JSON-RPC
    ``"error"``.

    The client is ``http.client``, not ``requests``: on a two-core machine the
    load client shares the CPU and the GIL with what it measures, and
    ``requests`` spends several times more of both per call."""
    import http.client
    import json
    from urllib.parse import urlsplit

    latencies, errors = [], []
    lock = threading.Lock()
    per_client = max(total // clients, 1)
    base_headers = dict(headers or {})
    if cookies:
        base_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in dict(cookies).items())

    def client(seed):
        rng = random.Random(seed)
        connection = None
        for _ in range(per_client):
            target, payload = url(rng) if callable(url) else (url, body)
            parts = urlsplit(target)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            request_headers = dict(base_headers)
            data = None
            if payload is not None:
                data = json.dumps(payload(rng)).encode()
                request_headers["Content-Type"] = "application/json"
            started = time.perf_counter()
            for attempt in (1, 2):  # once more on a connection the server closed
                if connection is None:
                    connection = http.client.HTTPConnection(parts.netloc, timeout=60)
                try:
                    connection.request(
                        "POST" if data is not None else "GET",
                        path,
                        body=data,
                        headers=request_headers,
                    )
                    response = connection.getresponse()
                    text = response.read()
                    break
                except (http.client.HTTPException, ConnectionError):
                    connection.close()
                    connection = None
                    if attempt == 2:
                        raise
            if response.will_close:
                connection.close()
                connection = None
            elapsed = (time.perf_counter() - started) * 1000
            kind = response.getheader("Content-Type") or ""
            ok = response.status == 200 and not (
                kind.startswith("application/json") and b'"error"' in text[:200]
            )
            with lock:
                (latencies if ok else errors).append(elapsed)
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]
