from odoo.tests import tagged

from .common_partner_api import PartnerApiCase


@tagged("post_install", "-at_install")
class TestPartnerApiScoping(PartnerApiCase):
    """Reseller A never reads or writes reseller B's data, through any
    endpoint; wrong, revoked and withdrawn keys open nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.renewal_quote_lead_days = 100
        cls.order_b = cls.env["sale.order"]._renewal_generate(cls.contract_b.line_ids)
        cls.webhook_b, _secret = (
            cls.env["renewal.webhook"]
            .with_user(cls.manager_b)
            ._renewal_register("B hook", "https://b.example.com/hook", ["renewed"])
        )
        cls.import_b = cls.source_b.with_user(cls.manager_b).import_file(
            b'[{"serial_number": "B-X", "contract_number": "B-X", '
            b'"customer_name": "Bravo Bank", "product_code": "API-R1", '
            b'"date_start": "2026-01-01", "date_end": "2026-12-31"}]',
            "b.json",
            delay=False,
        )

    def test_a_reads_nothing_of_b(self):
        get = self.call
        self.assertEqual(
            get("GET", "/contracts", params={"contract_number": "API-B-1"}).json(), []
        )
        self.assertEqual(
            get("GET", "/contracts", params={"serial_number": "SN-B-1"}).json(), []
        )
        self.assertEqual(
            get("GET", "/contracts", params={"customer": "Bravo"}).json(), []
        )
        self.assertEqual(
            {c["number"] for c in get("GET", "/contracts").json()}, {"API-A-1"}
        )
        self.assertEqual(
            get("GET", f"/contracts/{self.contract_b.id}").status_code, 404
        )
        self.assertEqual(
            get("GET", "/lines", params={"serial_number": "SN-B-1"}).json(), []
        )
        self.assertEqual(
            get("GET", "/lines", params={"contract_number": "API-D-1"}).json(), []
        )
        due = get("GET", "/renewals/due", params={"days": 365, "include_overdue": True})
        self.assertEqual({d["contract_number"] for d in due.json()}, {"API-A-1"})
        self.assertEqual(get("GET", f"/imports/{self.import_b.id}").status_code, 404)
        self.assertNotIn(
            self.import_b.id, [i["id"] for i in get("GET", "/imports").json()]
        )
        self.assertEqual(get("GET", f"/quotations/{self.order_b.id}").status_code, 404)
        self.assertEqual(
            get("GET", f"/quotations/{self.order_b.id}/pdf").status_code, 404
        )
        self.assertEqual(get("GET", "/webhooks").json(), [])
        self.assertEqual(
            get("GET", f"/webhooks/{self.webhook_b.id}/deliveries").status_code, 404
        )
        self.assertEqual(
            {s["id"] for s in get("GET", "/sources").json()}, set(self.source_a.ids)
        )

    def test_a_writes_nothing_of_b(self):
        response = self.push(self.rows(1, "AB"), source=self.source_b)
        self.assertEqual(response.status_code, 404)
        upload = self.call(
            "POST",
            f"/sources/{self.source_b.id}/files",
            files={"file": ("x.csv", b"serial_number\nX\n", "text/csv")},
        )
        self.assertEqual(upload.status_code, 404)
        accept = self.call(
            "POST", f"/quotations/{self.order_b.id}/accept", json={"customer_po": "PO"}
        )
        self.assertEqual(accept.status_code, 404)
        self.assertEqual(self.order_b.state, "draft")
        self.assertEqual(
            self.call("DELETE", f"/webhooks/{self.webhook_b.id}").status_code, 404
        )
        self.assertTrue(self.webhook_b.active)

    def test_a_cannot_push_over_bs_contracts(self):
        rows = self.rows(2, "STEAL")
        rows[0]["contract_number"] = "API-B-1"  # B's contract number
        rows[1]["serial_number"] = "SN-B-1"  # a serial on B's contract
        data = self.push(rows).json()
        self.assertEqual((data["created"], data["rejected"]), (0, 2))
        reasons = [
            e["reason"]
            for e in self.call("GET", f"/imports/{data['id']}").json()["errors"]
        ]
        # The feed's own check (renewal.feed.matcher): by contract number
        # (row 1) and by serial (row 2), each named by the row's serial.
        sold_by_other = (
            "Serial %s belongs to a contract sold by another channel partner: a "
            "feed of Api Reseller A brings only the contracts Api Reseller A sells."
        )
        self.assertEqual(
            sorted(reasons),
            sorted([sold_by_other % "STEAL-000000", sold_by_other % "SN-B-1"]),
        )
        self.assertEqual(self.contract_b.line_ids.mapped("serial_number"), ["SN-B-1"])
        self.assertEqual(self.contract_b.reseller_id, self.reseller_b)

    def test_missing_wrong_and_revoked_keys(self):
        self.assertEqual(self.call("GET", "/me", key="").status_code, 401)
        wrong = self.call("GET", "/me", key="rnwk_not-a-key")
        self.assertEqual(wrong.status_code, 401)
        self.assertNotIn("rnwk_not-a-key", wrong.text)
        self.assertEqual(self.call("GET", "/me").status_code, 200)
        self.key_a_record.with_user(self.manager_a).action_revoke()
        self.assertEqual(self.call("GET", "/me").status_code, 401)
        self.assertEqual(self.push(self.rows(1, "REV")).status_code, 401)

    def test_withdrawn_users_get_nothing(self):
        self.manager_b.partner_id.renewal_reseller_manager = False
        self.assertEqual(
            self.call("GET", "/contracts", key=self.key_b).status_code, 403
        )
        self.manager_d.active = False
        self.assertIn(self.call("GET", "/me", key=self.key_d).status_code, (401, 403))

    def test_key_of_another_app_does_not_open_the_partner_api(self):
        other = self.env["auth.api.key"].create(
            {"name": "Other app", "user_id": self.manager_a.id, "key": "other-app-key"}
        )
        self.assertFalse(other.is_renewal_partner_key)
        self.assertEqual(self.call("GET", "/me", key="other-app-key").status_code, 401)
