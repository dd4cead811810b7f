from odoo.tests import tagged

from ..partner_api.serializers import line_status_data, line_status_rows
from .common_partner_api import PartnerApiCase


@tagged("post_install", "-at_install")
class TestPartnerApiContracts(PartnerApiCase):
    """Reading contracts, lines, due renewals and quotations; accepting a
    quotation on the customer's behalf."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.renewal_quote_lead_days = 100
        cls.line_a1 = cls.contract_a.line_ids.filtered(
            lambda line: line.serial_number == "SN-A-1"
        )
        cls.order = cls.env["sale.order"]._renewal_generate(cls.line_a1)
        cls.order.validity_date = cls.today.replace(year=cls.today.year + 1)

    def test_me(self):
        data = self.call("GET", "/me").json()
        self.assertEqual(data["user"]["id"], self.manager_a.id)
        self.assertEqual(data["partner"]["name"], "Api Reseller A")
        self.assertEqual(data["key"], "ERP A")

    def test_contract_by_serial_number_contract_number_customer(self):
        for params in (
            {"serial_number": "SN-A-2"},
            {"contract_number": "API-A-1"},
            {"customer": "alpha hosp"},
        ):
            with self.subTest(params=params):
                data = self.call("GET", "/contracts", params=params).json()
                self.assertEqual([c["number"] for c in data], ["API-A-1"])
        contract = self.call("GET", f"/contracts/{self.contract_a.id}").json()
        self.assertEqual(contract["customer"]["name"], "Alpha Hospital")
        self.assertEqual(contract["reseller"]["name"], "Api Reseller A")
        self.assertEqual((contract["status"], contract["colour"]), ("due", "amber"))
        lines = {line["serial_number"]: line for line in contract["lines"]}
        self.assertEqual(lines["SN-A-1"]["colour"], "amber")
        self.assertEqual(lines["SN-A-2"]["colour"], "green")
        self.assertEqual(lines["SN-A-1"]["list_price"], 100.0)
        self.assertEqual(contract["open_quotation"]["id"], self.order.id)
        # Nothing the vendor keeps internal is answered.
        self.assertNotIn("note", contract)
        self.assertNotIn("distributor", contract)

    def test_status_of_a_serial(self):
        data = self.call("GET", "/lines", params={"serial_number": "SN-A-1"}).json()
        self.assertEqual(len(data), 1)
        line = data[0]
        self.assertEqual(
            (line["contract_number"], line["status"], line["colour"]),
            ("API-A-1", "due", "amber"),
        )
        self.assertEqual(line["open_quotation"]["name"], self.order.name)
        self.assertEqual(self.call("GET", "/lines").status_code, 422)

    def test_status_rows_answer_what_the_records_say(self):
        """The status-by-serial lookup reads its answer in one query; it must
        answer what the records say, field for field: service level,
        translated product name, customer, open quotation or none."""
        level = self.env["renewal.service.level"].create({"name": "Gold 24x7"})
        line_a2 = self.contract_a.line_ids - self.line_a1
        line_a2.service_level_id = level
        lines = (self.contract_a | self.contract_d).line_ids
        self.assertGreater(len(lines), 2)
        self.env.flush_all()
        expected = [line_status_data(line) for line in lines]
        self.assertEqual(line_status_rows(lines), expected)
        self.assertEqual(expected[0]["open_quotation"]["id"], self.order.id)
        self.assertIn("Gold 24x7", [row["service_level"] for row in expected])
        self.assertIsNone(expected[-1]["open_quotation"])
        self.assertEqual(line_status_rows(lines[::-1]), expected[::-1])
        self.assertEqual(line_status_rows(lines.browse()), [])

    def test_due_renewals(self):
        due = self.call("GET", "/renewals/due", params={"days": 60}).json()
        self.assertEqual([d["serial_number"] for d in due], ["SN-A-1"])
        self.assertEqual(due[0]["days_left"], 30)
        everything = self.call("GET", "/renewals/due", params={"days": 365}).json()
        self.assertEqual([d["serial_number"] for d in everything], ["SN-A-1", "SN-A-2"])
        self.assertEqual(
            self.call("GET", "/renewals/due", params={"days": 5000}).status_code, 422
        )

    def test_distributor_reads_what_it_distributes(self):
        data = self.call("GET", "/contracts", key=self.key_d).json()
        self.assertEqual([c["number"] for c in data], ["API-D-1"])

    def test_quotation_json_and_pdf(self):
        data = self.call("GET", f"/quotations/{self.order.id}").json()
        self.assertEqual(data["name"], self.order.name)
        self.assertEqual(data["contracts"], ["API-A-1"])
        self.assertEqual([line["serial_number"] for line in data["lines"]], ["SN-A-1"])
        self.assertEqual(data["customer"]["name"], "Alpha Hospital")
        pdf = self.call("GET", f"/quotations/{self.order.id}/pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["content-type"], "application/pdf")
        self.assertIn(
            self.order.name.replace("/", "-"), pdf.headers["content-disposition"]
        )
        self.assertTrue(pdf.content)

    def test_accept_on_the_customers_behalf(self):
        missing = self.call("POST", f"/quotations/{self.order.id}/accept", json={})
        self.assertEqual(missing.status_code, 422)
        response = self.call(
            "POST",
            f"/quotations/{self.order.id}/accept",
            json={"customer_po": "=PO-2026-77"},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.order.state, "sale")
        # Stored as text, never a spreadsheet formula.
        self.assertEqual(self.order.client_order_ref, "'=PO-2026-77")
        self.assertEqual(self.contract_a.customer_po_number, "'=PO-2026-77")
        self.assertIn("Api Manager A", self.order.signed_by)
        self.assertTrue(self.line_a1.is_renewed)
        self.assertTrue(
            any("partner API" in body for body in self.order.message_ids.mapped("body"))
        )
        again = self.call(
            "POST", f"/quotations/{self.order.id}/accept", json={"customer_po": "PO-2"}
        )
        self.assertEqual(again.status_code, 400)
        self.assertIn("no longer open", again.json()["detail"])
