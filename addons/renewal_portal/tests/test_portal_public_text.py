import io
import json

from openpyxl import load_workbook

from odoo import http
from odoo.tests import tagged

from .common import RenewalPortalCase

HTML = '<h1>Big</h1><a href="https://evil.example">link</a><img src="https://t.example/p.gif">'
FORMULA = '=HYPERLINK("https://evil.example","Click")'


@tagged("post_install", "-at_install")
class TestPublicText(RenewalPortalCase):
    """Text typed on a renewal page is stored as text: escaped where it is
    shown as HTML, never a spreadsheet formula."""

    def test_callback_note_is_text_in_the_activity_and_the_chatter(self):
        contract = self.contracts["SH-A4"]
        response = self.post(
            self.path_customer, contract, action="callback", note=f"{HTML}\nAfter 3pm"
        )
        self.assertEqual(response.status_code, 303)
        activity = contract.activity_ids
        self.assertEqual(activity.user_id, self.sales_user)
        message = contract.message_ids[0]
        for html in (str(activity.note), str(message.body)):
            with self.subTest(html=html[:30]):
                self.assertIn("&lt;h1&gt;Big&lt;/h1&gt;", html)
                self.assertIn("&lt;a href=", html)
                self.assertIn("&lt;img src=", html)
                self.assertNotIn("<h1", html)
                self.assertNotIn("<a ", html)
                self.assertNotIn("<img", html)
                self.assertIn("After 3pm", html)
                self.assertNotIn("href", html.replace("&lt;a href=", ""))

    def test_replies_and_decline_notes_are_text(self):
        contract = self.contracts["SH-A1"]
        self.post(self.path_customer, contract, action="reply", body=HTML)
        self.post(self.path_seller, contract, action="reply", body=HTML)
        self.post(
            self.path_customer,
            contract,
            action="decline",
            reason_id=self.reason.id,
            note=HTML,
        )
        self.assertTrue(contract.is_cancelled)
        bodies = [
            str(body) for body in contract.message_ids.mapped("body") if "Big" in body
        ]
        self.assertEqual(len(bodies), 3)
        for body in bodies:
            self.assertIn("&lt;h1&gt;Big&lt;/h1&gt;", body)
            self.assertNotIn("<img", body)

    def test_formulas_are_neutralised_where_they_enter(self):
        contract = self.contracts["SH-A1"]
        self.post(self.path_customer, contract, action="po", po=FORMULA)
        self.assertEqual(contract.customer_po_number, "'" + FORMULA)
        for text in ("+1+2", "-2+3", "@SUM(A1)", "\t=1"):
            with self.subTest(text=text):
                self.post(self.path_customer, contract, action="reply", body=text)
                self.assertIn(f"'{text.strip()}", contract.message_ids[0].body)
        self.post(self.path_customer, contract, action="callback", note="=1+1")
        self.assertIn("'=1+1", str(contract.activity_ids.note))
        self.post(
            self.path_customer,
            contract,
            action="decline",
            reason_id=self.reason.id,
            note="=CMD()",
        )
        self.assertTrue(
            any("'=CMD()" in body for body in contract.message_ids.mapped("body"))
        )
        # Ordinary text stays as typed.
        self.post(self.path_customer, contract, action="po", po="PO-4711")
        self.assertEqual(contract.customer_po_number, "PO-4711")

    def test_xlsx_export_holds_text_not_a_formula(self):
        contract = self.contracts["SH-A4"]
        self.post(self.path_customer, contract, action="po", po="=1+1")
        self.sales_user.groups_id += self.env.ref("base.group_allow_export")
        self.authenticate(self.sales_user.login, self.sales_user.login)
        response = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(
                    {
                        "model": "renewal.contract",
                        "fields": [
                            {"name": "name", "label": "Contract"},
                            {"name": "customer_po_number", "label": "Customer PO"},
                        ],
                        "ids": contract.ids,
                        "domain": [],
                        "import_compat": False,
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        cell = sheet["B2"]
        self.assertEqual(sheet["A2"].value, "SH-A4")
        self.assertNotEqual(cell.data_type, "f")
        self.assertEqual(cell.value, "'=1+1")
