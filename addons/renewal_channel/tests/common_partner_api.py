import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo import Command, fields

from odoo.addons.fastapi.tests.common import FastAPITransactionCase

from ..partner_api import MODULE

CANONICAL = (
    "serial_number",
    "contract_number",
    "customer_name",
    "product_code",
    "date_start",
    "date_end",
    "list_price",
)


class PartnerApiFixture:
    """Two resellers (A and B) and a distributor (D), each with a renewals
    manager on the portal, a feed source and a contract of its own; and an
    API key for each manager. A's contract has a line due in 30 days and one
    live for 200; B's and D's one line each, due in 30 days."""

    @classmethod
    def setup_partner_api(cls):
        env = cls.env
        cls.today = fields.Date.context_today(env["renewal.contract"])
        Partner = env["res.partner"]
        cls.product = env["product.product"].create(
            {"name": "Api Server", "default_code": "API-R1", "list_price": 500.0}
        )
        cls.distributor = Partner.create(
            {"name": "Api Distri", "is_company": True, "is_renewal_distributor": True}
        )
        cls.reseller_a = Partner.create(
            {"name": "Api Reseller A", "is_company": True, "is_renewal_reseller": True}
        )
        cls.reseller_b = Partner.create(
            {"name": "Api Reseller B", "is_company": True, "is_renewal_reseller": True}
        )
        cls.manager_a = cls.make_portal_user("api_manager_a", cls.reseller_a)
        cls.manager_b = cls.make_portal_user("api_manager_b", cls.reseller_b)
        cls.manager_d = cls.make_portal_user("api_manager_d", cls.distributor)
        cls.seller_a = cls.make_portal_user(
            "api_seller_a", cls.reseller_a, manager=False
        )
        cls.source_a = cls.make_source("Api feed A", cls.reseller_a, "reseller")
        cls.source_b = cls.make_source("Api feed B", cls.reseller_b, "reseller")
        cls.source_d = cls.make_source("Api feed D", cls.distributor, "distributor")
        cls.customer_a = Partner.create({"name": "Alpha Hospital", "is_company": True})
        cls.customer_b = Partner.create({"name": "Bravo Bank", "is_company": True})
        cls.contract_a = cls.make_contract(
            "API-A-1",
            cls.customer_a,
            [("SN-A-1", 30), ("SN-A-2", 200)],
            reseller_id=cls.reseller_a.id,
        )
        cls.contract_b = cls.make_contract(
            "API-B-1", cls.customer_b, [("SN-B-1", 30)], reseller_id=cls.reseller_b.id
        )
        cls.contract_d = cls.make_contract(
            "API-D-1",
            cls.customer_b,
            [("SN-D-1", 30)],
            distributor_id=cls.distributor.id,
        )
        Key = env["auth.api.key"]
        _key, cls.key_a = Key._renewal_issue(cls.manager_a, "ERP A")
        cls.key_a_record = _key
        _key, cls.key_b = Key._renewal_issue(cls.manager_b, "ERP B")
        _key, cls.key_d = Key._renewal_issue(cls.manager_d, "ERP D")

    @classmethod
    def make_portal_user(cls, login, company, manager=True):
        partner = cls.env["res.partner"].create(
            {
                "name": login.replace("_", " ").title(),
                "parent_id": company.id,
                "email": f"{login}@example.com",
                "renewal_reseller_manager": manager,
            }
        )
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": partner.name,
                    "login": login,
                    "partner_id": partner.id,
                    "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
                    # The day of the test's "today": the API answers in its
                    # caller's timezone (at 23:30 UTC it is tomorrow in Brussels).
                    "tz": cls.env.user.tz,
                }
            )
        )

    @classmethod
    def make_source(cls, name, partner, role):
        return cls.env["renewal.feed.source"].create(
            {
                "name": name,
                "partner_id": partner.id,
                "role": role,
                "column_ids": [
                    Command.create({"target": target, "column_name": target})
                    for target in CANONICAL
                ],
            }
        )

    @classmethod
    def make_contract(cls, number, customer, lines, **values):
        today = cls.today
        return cls.env["renewal.contract"].create(
            dict(
                {
                    "name": number,
                    "partner_id": customer.id,
                    "date_start": today - timedelta(days=300),
                    "date_end": today + timedelta(days=max(end for _s, end in lines)),
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "serial_number": serial,
                                "date_start": today - timedelta(days=300),
                                "date_end": today + timedelta(days=end),
                                "list_price": 100.0,
                            }
                        )
                        for serial, end in lines
                    ],
                },
                **values,
            )
        )

    @classmethod
    def rows(cls, count, prefix="PUSH", contract_size=5, **values):
        """``count`` canonical rows for a push."""
        start = cls.today - timedelta(days=100)
        return [
            dict(
                {
                    "serial_number": f"{prefix}-{index:06d}",
                    "contract_number": f"{prefix}-C-{index // contract_size:05d}",
                    "customer_name": "Alpha Hospital",
                    "product_code": "API-R1",
                    "date_start": start.isoformat(),
                    "date_end": (start + timedelta(days=365)).isoformat(),
                    "list_price": 100.0 + index % 7,
                },
                **values,
            )
            for index in range(count)
        ]


class PartnerApiCase(PartnerApiFixture, FastAPITransactionCase):
    """The partner API app in the test transaction (FastAPI's test client):
    requests carry real keys, checked by the real dependencies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_partner_api()
        cls.endpoint = cls.env.ref(f"{MODULE}.renewal_partner_api_endpoint")
        cls.default_fastapi_app = cls.endpoint._get_app()
        cls.default_fastapi_dependency_overrides = dict(
            cls.default_fastapi_app.dependency_overrides
        )

    def call(self, method, path, key=None, env=None, headers=None, **kwargs):
        headers = dict(headers or {})
        headers.setdefault("HTTP-API-KEY", self.key_a if key is None else key)
        if not headers["HTTP-API-KEY"]:
            del headers["HTTP-API-KEY"]
        with self._create_test_client(env=env, raise_server_exceptions=False) as client:
            return client.request(method, path, headers=headers, **kwargs)

    def push(self, rows, key=None, source=None, env=None, headers=None, **body):
        return self.call(
            "POST",
            f"/sources/{(source or self.source_a).id}/rows",
            key=key,
            env=env,
            json=dict(body, rows=rows),
            headers=headers,
        )


class WebhookReceiver:
    """A real HTTP server on 127.0.0.1 (a random port) that records what it
    receives and answers the statuses it is told, in order (then 200)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def payloads(self):
        return [json.loads(body) for _headers, body in self.received]
