import socket

from odoo.tests import HttpCase, tagged

from ..partner_api import MODULE
from .common_partner_api import PartnerApiFixture

ROOT = "/renewal/api/v1"


@tagged("post_install", "-at_install")
class TestPartnerApiHttp(PartnerApiFixture, HttpCase):
    """The real HTTP path: Odoo's dispatcher, the size limit before the body
    is read, key authentication, the log, the served documentation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_partner_api()
        cls.endpoint = cls.env.ref(f"{MODULE}.renewal_partner_api_endpoint")
        cls.endpoint._handle_registry_sync()
        cls.env["ir.config_parameter"].set_param(
            "renewal_channel.max_request_bytes", "4096"
        )

    def request(self, method, path, key=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if key:
            headers["HTTP-API-KEY"] = key
        return self.opener.request(
            method, self.base_url() + ROOT + path, headers=headers, timeout=30, **kwargs
        )

    def raw(self, head):
        """Send ``head`` (request line and headers) and no body; return the
        status line and what follows."""
        answer = b""
        with socket.create_connection(
            ("127.0.0.1", self.http_port()), timeout=20
        ) as sock:
            sock.sendall(head.encode())
            while chunk := sock.recv(65536):
                answer += chunk
        return answer.decode(errors="replace")

    def test_key_authentication_over_http(self):
        self.assertEqual(self.request("GET", "/me").status_code, 401)
        wrong = self.request("GET", "/me", key="rnwk_wrong-key")
        self.assertEqual(wrong.status_code, 401)
        self.assertEqual(wrong.json(), {"detail": "This API key is not valid."})
        bad = self.request(
            "POST",
            f"/sources/{self.source_a.id}/rows",
            key=self.key_a,
            json={"rows": [{"serial_number": 1}]},
        )
        self.assertEqual(bad.status_code, 422)
        me = self.request("GET", "/me", key=self.key_a)
        self.assertEqual(me.status_code, 200)
        self.assertEqual(me.json()["user"]["id"], self.manager_a.id)
        self.assertNotIn("session_id", me.cookies)

    def test_push_over_http(self):
        response = self.request(
            "POST",
            f"/sources/{self.source_a.id}/rows",
            key=self.key_a,
            json={"rows": self.rows(2, "HTTP")},
            headers={"Idempotency-Key": "http-1"},
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()["created"], 2)

    def test_oversize_body_is_refused_before_it_is_read(self):
        # A body announced at 1 GB, of which nothing is sent: the answer
        # comes at once, so the server read none of it.
        answer = self.raw(
            f"POST {ROOT}/sources/{self.source_a.id}/rows HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nHTTP-API-KEY: {self.key_a}\r\n"
            "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n"
        )
        self.assertTrue(answer.startswith("HTTP/1.1 413"), answer[:200])
        self.assertIn("the limit is 4096 bytes", answer)
        # And a real one just over the limit, through the client.
        rows = self.rows(40, "BIG")
        response = self.request(
            "POST",
            f"/sources/{self.source_a.id}/rows",
            key=self.key_a,
            json={"rows": rows},
        )
        self.assertEqual(response.status_code, 413)
        self.assertIn("4096", response.json()["detail"])
        self.assertFalse(
            self.env["renewal.contract.line"].search(
                [("serial_number", "=like", "BIG-%")]
            )
        )

    def test_chunked_body_needs_a_length(self):
        answer = self.raw(
            f"POST {ROOT}/sources/{self.source_a.id}/rows HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nHTTP-API-KEY: {self.key_a}\r\n"
            "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
            "0\r\n\r\n"
        )
        self.assertTrue(answer.startswith("HTTP/1.1 411"), answer[:200])

    def test_documentation_is_served_without_a_cdn(self):
        spec = self.request("GET", "/openapi.json")
        self.assertEqual(spec.status_code, 200)
        paths = spec.json()["paths"]
        for path in (
            "/sources/{source_id}/rows",
            "/sources/{source_id}/files",
            "/imports/{import_id}",
            "/contracts",
            "/lines",
            "/renewals/due",
            "/quotations/{quotation_id}/accept",
            "/webhooks",
        ):
            self.assertIn(path, paths)
        self.assertIn("APIKeyHeader", spec.json()["components"]["securitySchemes"])
        docs = self.request("GET", "/docs")
        self.assertEqual(docs.status_code, 200)
        self.assertIn(
            f"/{MODULE}/static/lib/swagger-ui/swagger-ui-bundle.js", docs.text
        )
        self.assertIn(f"{ROOT}/openapi.json", docs.text)
        self.assertNotIn("cdn.", docs.text)
        self.assertNotIn("fastapi.tiangolo.com", docs.text)
        asset = self.opener.get(
            self.base_url() + f"/{MODULE}/static/lib/swagger-ui/swagger-ui-bundle.js",
            timeout=30,
        )
        self.assertEqual(asset.status_code, 200)
        self.assertIn(b"SwaggerUIBundle", asset.content)
        self.assertEqual(self.request("GET", "/redoc").status_code, 404)
