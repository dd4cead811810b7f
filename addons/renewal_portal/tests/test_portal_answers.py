from odoo.tests import tagged

from .common import RenewalPortalCase


@tagged("post_install", "-at_install")
class TestPortalAnswers(RenewalPortalCase):
    """Answers instead of server errors, and refusals with nothing written."""

    def test_amend_form_refuses_numbers_out_of_range(self):
        contract = self.contracts["SH-A1"]
        line = contract.line_ids[0]
        messages = len(contract.message_ids)
        for price in ("nan", "inf", "-inf", "1e308", "1e999", "-1", "abc"):
            with self.subTest(price=price):
                response = self.post(
                    self.path_seller,
                    contract,
                    action="amend_line",
                    line_id=line.id,
                    renewal_price=price,
                    renewal_discount="5",
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(
                    "The renewal price must be a number from 0 to 1,000,000,000.",
                    response.text,
                )
        for discount in ("nan", "101", "-3"):
            with self.subTest(discount=discount):
                response = self.post(
                    self.path_seller,
                    contract,
                    action="amend_line",
                    line_id=line.id,
                    renewal_price="10",
                    renewal_discount=discount,
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(
                    "The discount must be a number from 0 to 100.", response.text
                )
        line.invalidate_recordset()
        self.assertEqual((line.renewal_price, line.renewal_discount), (0.0, 0.0))
        self.assertEqual(len(contract.message_ids), messages)

    def test_certificate_download(self):
        contract = self.contracts["SH-A1"]
        response = self.get(
            f"{self.path_customer}/contract/{contract.id}/certificate?download=true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        disposition = response.headers["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment;"))
        self.assertIn("Certificate_SH_A1.pdf", disposition)
        # Other report types are not served.
        response = self.get(
            f"{self.path_customer}/contract/{contract.id}/certificate?report_type=text"
        )
        self.assertEqual(response.status_code, 404)

    def test_certificate_of_another_company_is_not_found(self):
        other = self.contracts["SH-B1"]
        for path in (self.path_customer, self.path_seller):
            response = self.get(
                f"{path}/contract/{other.id}/certificate?report_type=pdf"
            )
            self.assertEqual(response.status_code, 404)
            self.assertIn("This link is not valid any more", response.text)

    def test_odd_urls_and_searches(self):
        user = self.portal_user("answers_ida", self.customer_contact)
        self.authenticate(user.login, user.login)
        for path in ("/my/renewals/0", "/my/renewals/999999999"):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith("/my/renewals"))
        for path in (
            "/my/renewals?search=%00",
            "/my/renewals?search=SH-A1%00",
            f"{self.path_customer}?search=%00",
            f"{self.path_customer}?search=a%00b",
        ):
            with self.subTest(path=path[-25:]):
                self.assertEqual(self.get(path).status_code, 200)

    def test_portal_users_search_their_contracts(self):
        """The search covers contract numbers, serial numbers and product
        names, for each kind of portal user, within what they may see."""
        users = {
            "customer": self.portal_user("search_ida", self.customer_contact),
            "seller": self.portal_user("search_sam", self.seller_1),
        }
        expected = {
            # search -> what each kind of user finds
            "Storage": {
                "customer": {"SH-A1", "SH-A2", "SH-A3", "SH-A4"},
                "seller": {"SH-A1"},
            },
            "SH-A2 Server": {"customer": {"SH-A2"}, "seller": set()},
            "SH-A1-SN2": {"customer": {"SH-A1"}, "seller": {"SH-A1"}},
            "SH-A3": {"customer": {"SH-A3"}, "seller": set()},
        }
        for kind, user in users.items():
            self.authenticate(user.login, user.login)
            for search, found in expected.items():
                with self.subTest(user=kind, search=search):
                    response = self.get(f"/my/renewals?search={search}")
                    self.assertEqual(response.status_code, 200)
                    for name in ("SH-A1", "SH-A2", "SH-A3", "SH-A4", "SH-B1"):
                        if name in found[kind]:
                            self.assertIn(f'data-contract="{name}"', response.text)
                        else:
                            self.assertNotIn(f'data-contract="{name}"', response.text)

    def test_customer_cannot_decline_a_cancelled_contract(self):
        contract = self.contracts["SH-A1"]
        response = self.post(
            self.path_seller, contract, action="cancel", reason_id=self.reason.id
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(contract.cancel_reason_id, self.reason)
        messages = len(contract.message_ids)
        response = self.post(
            self.path_customer,
            contract,
            action="decline",
            reason_id=self.other_reason.id,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is cancelled already", response.text)
        contract.invalidate_recordset()
        self.assertEqual(contract.cancel_reason_id, self.reason)
        self.assertEqual(len(contract.message_ids), messages)
        # The page no longer offers it.
        page = self.get(f"{self.path_customer}/contract/{contract.id}").text
        self.assertNotIn('value="decline"', page)
        self.assertIn("Reach reason", page)

    def test_sales_link_cannot_reopen(self):
        contract = self.contracts["SH-A1"]
        contract._cancel(self.reason)
        page = self.get(f"{self.path_seller}/contract/{contract.id}").text
        self.assertNotIn('value="reopen"', page)
        self.assertIn("re-opened by a renewals manager", page)
        messages = len(contract.message_ids)
        for path in (self.path_seller, self.path_vendor):
            response = self.post(path, contract, action="reopen")
            self.assertEqual(response.status_code, 400)
            self.assertIn("is re-opened by a renewals manager of", response.text)
        contract.invalidate_recordset()
        self.assertTrue(contract.is_cancelled)
        self.assertEqual(contract.cancel_reason_id, self.reason)
        self.assertEqual(len(contract.message_ids), messages)
