import ast
import email
import email.policy
import re
import socket
from datetime import timedelta
from unittest.mock import patch

from aiosmtpd.controller import Controller

from odoo import Command, fields, modules
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.mail.tests.common import MockEmail

LINK_RE = re.compile(r'href="(https?://[^"]+/renewals/[A-Za-z0-9_-]{43})"')


class SinkHandler:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoticeMailCase(HttpCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        env.cr.execute(SQL("UPDATE renewal_contract SET do_not_contact = TRUE"))
        env["renewal.contract"].invalidate_model(["do_not_contact"])
        env.company.write(
            {
                "email": "renewals@vendor.example.com",
                "renewal_notice_from": "salesperson",
                "renewal_notice_reply_to": "gateway",
            }
        )
        cls.salesperson = new_test_user(
            env,
            login="portal_notice_sales",
            name="Sam Sales",
            email="sam.sales@vendor.example.com",
            groups="renewal_contracts.renewal_contracts_group_user",
        )
        cls.customer = env["res.partner"].create(
            {
                "name": "Gamma Clinic",
                "is_company": True,
                "email": "it@gamma.example.com",
            }
        )
        product = env["product.product"].create(
            {"name": "Notice Server", "default_code": "NS-1", "list_price": 700.0}
        )
        cls.today = fields.Date.context_today(env["renewal.contract"])
        cls.contract = env["renewal.contract"].create(
            {
                "name": "GAMMA-90",
                "partner_id": cls.customer.id,
                "user_id": cls.salesperson.id,
                "date_start": cls.today - timedelta(days=275),
                "date_end": cls.today + timedelta(days=90),
                "line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "serial_number": "GAMMA-SN-1",
                            "date_start": cls.today - timedelta(days=275),
                            "date_end": cls.today + timedelta(days=90),
                            "list_price": 700.0,
                        }
                    )
                ],
            }
        )
        cls.Notice = env["renewal.notice"]

    def notice(self, role):
        return self.Notice.search(
            [("line_ids.contract_id", "=", self.contract.id), ("role", "=", role)]
        )


@tagged("post_install", "-at_install")
class TestNoticeLinks(NoticeMailCase):
    def test_customer_and_sales_links(self):
        with self.mock_mail_gateway():
            self.Notice._run(today=self.today)
        customer_mail = self.notice("customer").mail_id
        sales_mail = self.notice("sales").mail_id
        customer_url = LINK_RE.search(customer_mail.body_html).group(1)
        sales_url = LINK_RE.search(sales_mail.body_html).group(1)
        self.assertNotEqual(customer_url, sales_url)
        # Each link opens the customer's list, in its own view.
        page = self.url_open(customer_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("GAMMA-90", page.text)
        self.assertNotIn("o_renewal_sales_view", page.text)
        page = self.url_open(sales_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_renewal_sales_view", page.text)
        self.assertIn("Sam Sales", page.text)
        links = self.env["renewal.portal.link"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(sorted(links.mapped("scope")), ["customer", "sales"])
        self.assertEqual(
            links.filtered(lambda link: link.scope == "sales").holder_id,
            self.salesperson.partner_id,
        )
        # The unsubscribe address is in the headers, for mail clients.
        headers = ast.literal_eval(customer_mail.headers)
        self.assertEqual(headers["List-Unsubscribe"], f"<{customer_url}/unsubscribe>")
        self.assertNotIn("unsubscribe", sales_mail.body_html)

    def test_unsubscribe_then_next_run_skips(self):
        with self.mock_mail_gateway():
            self.Notice._run(today=self.today)
        url = LINK_RE.search(self.notice("customer").mail_id.body_html).group(1)
        page = self.url_open(f"{url}/unsubscribe")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_renewal_unsubscribe_confirm", page.text)
        self.assertFalse(self.customer.renewal_notice_opt_out)
        # One-click unsubscribe (RFC 8058): a POST with no CSRF token.
        page = self.url_open(
            f"{url}/unsubscribe", data={"List-Unsubscribe": "One-Click"}
        )
        self.assertEqual(page.status_code, 200)
        self.assertTrue(self.customer.renewal_notice_opt_out)
        self.assertTrue(
            self.customer.message_ids.filtered(
                lambda m: "unsubscribed from renewal notices" in (m.body or "")
            )
        )
        # The next step reaches the salesperson only.
        with self.mock_mail_gateway():
            self.Notice._run(today=self.today + timedelta(days=30))
        later = self.Notice.search(
            [("customer_id", "=", self.customer.id), ("offset_days", "=", -60)]
        )
        self.assertEqual(later.mapped("role"), ["sales"])
        # And back.
        self.url_open(f"{url}/unsubscribe", data={"resubscribe": "1"})
        self.assertFalse(self.customer.renewal_notice_opt_out)

    def test_unsubscribe_needs_customer_link(self):
        with self.mock_mail_gateway():
            self.Notice._run(today=self.today)
        sales_url = LINK_RE.search(self.notice("sales").mail_id.body_html).group(1)
        page = self.url_open(f"{sales_url}/unsubscribe", data={"x": "1"})
        self.assertEqual(page.status_code, 403)
        page = self.url_open("/renewals/" + "x" * 43 + "/unsubscribe", data={"x": "1"})
        self.assertEqual(page.status_code, 404)
        self.assertFalse(self.customer.renewal_notice_opt_out)


@tagged("post_install", "-at_install")
class TestNoticeSmtp(NoticeMailCase):
    """End to end: the notices go through a real SMTP server on loopback."""

    def test_received_message(self):
        # A sender in the mail domain keeps their own From address (others
        # are sent from the domain's notifications address, under their name).
        sender = f"sam.sales@{self.alias_domain}"
        self.salesperson.partner_id.email = sender
        handler = SinkHandler()
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        self.addCleanup(controller.stop)
        self.env["ir.mail_server"].search([]).active = False
        self.env["ir.mail_server"].create(
            {
                "name": "Loopback",
                "smtp_host": "127.0.0.1",
                "smtp_port": port,
                "smtp_encryption": "none",
                "from_filter": self.alias_domain,
            }
        )
        self.env["sale.order"]._renewal_generate(
            self.env["sale.order"]._renewal_due_lines(contracts=self.contract)
        )
        self.Notice._run(today=self.today)
        wkhtmltopdf = self.env["ir.actions.report"].get_wkhtmltopdf_state() == "ok"
        Mail = self.env["mail.mail"].with_context(force_report_rendering=wkhtmltopdf)
        # Odoo does not talk to SMTP servers in tests unless told.
        with patch.object(modules.module, "current_test", False):
            Mail.process_email_queue()
        self.assertEqual(self.notice("customer").state, "sent")
        self.assertEqual(self.notice("sales").state, "sent")

        received = {}
        for envelope in handler.envelopes:
            message = email.message_from_bytes(
                envelope.content, policy=email.policy.default
            )
            received[tuple(envelope.rcpt_tos)] = message
        self.assertEqual(
            set(received),
            {("it@gamma.example.com",), (sender,)},
        )
        to_customer = received[("it@gamma.example.com",)]

        def address(header):
            (addr,) = header.addresses
            return addr.display_name, addr.addr_spec

        self.assertEqual(address(to_customer["From"]), ("Sam Sales", sender))
        self.assertEqual(
            address(to_customer["Reply-To"]),
            ("Sam Sales", f"{self.alias_catchall}@{self.alias_domain}"),
        )
        self.assertIn("renewal of your service contracts", to_customer["Subject"])
        self.assertEqual(to_customer["Message-Id"], self.notice("customer").message_id)
        html = to_customer.get_body(("html",)).get_content()
        url = LINK_RE.search(html).group(1)
        self.assertEqual(to_customer["List-Unsubscribe"], f"<{url}/unsubscribe>")
        attachments = {
            part.get_filename(): part for part in to_customer.iter_attachments()
        }
        extension = "pdf" if wkhtmltopdf else "html"
        self.assertIn(f"Certificates.{extension}", attachments)
        self.assertEqual(len(attachments), 2)
        for part in attachments.values():
            content = part.get_content()
            if wkhtmltopdf:
                self.assertEqual(part.get_content_type(), "application/pdf")
                self.assertTrue(content.startswith(b"%PDF"))
            else:
                self.assertIn(
                    "GAMMA", content if isinstance(content, str) else content.decode()
                )
        # The link in the received mail opens the customer's page.
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("GAMMA-90", page.text)

        to_sales = received[(sender,)]
        sales_html = to_sales.get_body(("html",)).get_content()
        sales_url = LINK_RE.search(sales_html).group(1)
        self.assertNotEqual(sales_url, url)
        self.assertIn("Gamma Clinic", to_sales["Subject"])
        self.assertFalse(list(to_sales.iter_attachments()))
