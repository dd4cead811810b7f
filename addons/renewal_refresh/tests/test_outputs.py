import re
from ast import literal_eval

from odoo.osv import expression
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from ..tools.links import RENEWAL_LINK_PLACEHOLDER
from .common import RefreshCase


@tagged("post_install", "-at_install")
class TestCampaignOutputs(RefreshCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.direct_products = cls.install(cls.direct, count=2)
        cls.channel_products = cls.install(
            cls.channel, count=1, reseller_id=cls.reseller.id
        ) | cls.install(cls.channel, product=cls.later)
        cls.campaign_all = cls.env["renewal.refresh.campaign"].create(
            {
                "name": "Upgrade <b>T</b>",
                "preset": "custom",
                "domain": repr([("partner_id", "in", (cls.direct | cls.channel).ids)]),
                "team_id": cls.team.id,
                "output_opportunity": True,
                "output_mailing": True,
                "output_quotation": True,
                "mail_subject": "Time for an upgrade",
            }
        )

    def test_opportunities(self):
        self.campaign_all.action_launch()
        leads = self.env["crm.lead"].search(
            [("renewal_refresh_campaign_id", "=", self.campaign_all.id)]
        )
        self.assertEqual(leads.partner_id, self.direct | self.channel)
        self.assertEqual(set(leads.mapped("type")), {"opportunity"})
        by_partner = {lead.partner_id: lead for lead in leads}
        direct = by_partner[self.direct]
        self.assertEqual(direct.user_id, self.salesperson)
        self.assertEqual(direct.team_id, self.other_team)
        self.assertEqual(direct.expected_revenue, 6000.0)
        self.assertEqual(direct.renewal_refresh_target_id.partner_id, self.direct)
        self.assertEqual(direct.renewal_installed_product_ids, self.direct_products)
        self.assertEqual(direct.name, "Upgrade <b>T</b>: Direct Customer T")
        # The stage Odoo gives it: the team's first.
        self.assertEqual(
            direct.stage_id,
            self.env["crm.lead"]._stage_find(
                team_id=self.other_team.id, domain=[("fold", "=", False)]
            ),
        )
        channel = by_partner[self.channel]
        self.assertEqual(channel.user_id, self.channel_manager)
        self.assertEqual(channel.team_id, self.team)
        self.assertEqual(channel.renewal_reseller_id, self.reseller)
        self.assertEqual(channel.renewal_reseller_contact_id, self.reseller_contact)
        # Successor price for the old server, own list price for the switch.
        self.assertEqual(channel.expected_revenue, 3500.0)

        # Results on the campaign.
        direct.action_set_won()
        channel.action_set_lost()
        self.campaign_all.invalidate_recordset()
        self.assertEqual(self.campaign_all.lead_count, 2)
        self.assertEqual(self.campaign_all.lead_won_count, 1)
        self.assertEqual(self.campaign_all.lead_lost_count, 1)
        # A lost opportunity is not made again on the next run.
        self.campaign_all.action_launch()
        self.campaign_all.invalidate_recordset()
        self.assertEqual(self.campaign_all.lead_count, 2)

    def test_upgrade_quotations(self):
        self.campaign_all.action_launch()
        orders = self.env["sale.order"].search(
            [("renewal_refresh_campaign_id", "=", self.campaign_all.id)]
        )
        self.assertEqual(orders.partner_id, self.direct | self.channel)
        direct = orders.filtered(lambda order: order.partner_id == self.direct)
        product_lines = direct.order_line.filtered(lambda line: not line.display_type)
        self.assertEqual(product_lines.product_id, self.successor)
        self.assertEqual(product_lines.product_uom_qty, 2)
        note = direct.order_line.filtered(lambda line: line.display_type == "line_note")
        for product in self.direct_products:
            self.assertIn(product.serial_number, note.name)
        self.assertEqual(direct.sale_order_option_ids.product_id, self.rail | self.psu)
        self.assertEqual(direct.opportunity_id.partner_id, self.direct)
        self.assertEqual(direct.user_id, self.salesperson)
        self.assertEqual(direct.origin, self.campaign_all.name)
        # The switch has no successor: its own accessories are proposed.
        channel = orders - direct
        self.assertEqual(
            channel.order_line.filtered(lambda line: not line.display_type).product_id,
            self.successor,
        )
        self.assertEqual(channel.sale_order_option_ids.product_id, self.rail | self.psu)

        direct.action_confirm()
        self.campaign_all.invalidate_recordset()
        self.assertEqual(self.campaign_all.order_count, 2)
        self.assertEqual(self.campaign_all.order_confirmed_count, 1)
        self.assertAlmostEqual(self.campaign_all.revenue, direct.amount_untaxed)
        self.assertEqual(direct.amount_untaxed, 6000.0)
        # No second quotation on the next run.
        self.campaign_all.action_launch()
        self.campaign_all.invalidate_recordset()
        self.assertEqual(self.campaign_all.order_count, 2)

    def test_mailing_carries_each_customers_link(self):
        self.campaign_all.action_launch()
        mailing = self.campaign_all.mailing_id
        self.assertEqual(mailing.mailing_model_real, "renewal.refresh.target")
        self.assertEqual(mailing.subject, "Time for an upgrade")
        self.assertEqual(mailing.state, "draft")
        self.assertEqual(
            self.env["renewal.refresh.target"].search(
                literal_eval(mailing.mailing_domain)
            ),
            self.campaign_all.target_ids,
        )
        self.assertIn(RENEWAL_LINK_PLACEHOLDER, mailing.body_html)

        Link = self.env["renewal.portal.link"]
        links_before = Link.sudo().search([])
        with self.mock_mail_gateway():
            mailing.action_send_mail()
            self.env["mail.mail"].sudo().search(
                [("mailing_id", "=", mailing.id), ("state", "=", "outgoing")]
            ).send()
        self.assertEqual(len(self._mails), 2)
        for sent in self._mails:
            self.assertNotIn(RENEWAL_LINK_PLACEHOLDER, sent["body"])
            tokens = re.findall(r"/renewals/([A-Za-z0-9_-]{40,})", sent["body"])
            self.assertEqual(len(tokens), 1, sent["body"])
            link = Link._find(tokens[0])
            self.assertEqual(link.scope, "customer")
            customer = link.partner_id
            self.assertIn(customer.email, sent["email_to"][0])
            # The mail speaks of the customer's own products.
            self.assertIn(customer.name.replace("&", "&amp;"), sent["body"])
        new_links = Link.sudo().search([]) - links_before
        self.assertEqual(new_links.partner_id, self.direct | self.channel)
        # A second run reuses the mailing: each address gets one mail.
        self.campaign_all.action_launch()
        self.assertEqual(self.campaign_all.mailing_id, mailing)

    def test_mailing_respects_later_opt_out(self):
        self.campaign_all.action_launch()
        mailing = self.campaign_all.mailing_id
        self.channel.renewal_notice_opt_out = True
        with self.mock_mail_gateway():
            mailing.action_send_mail()
            self.env["mail.mail"].sudo().search(
                [("mailing_id", "=", mailing.id), ("state", "=", "outgoing")]
            ).send()
        self.assertEqual(
            [sent["email_to"] for sent in self._mails],
            [[self.direct.email_formatted]],
        )

    def test_mailing_domain_targets_campaign_only(self):
        self.campaign_all.action_launch()
        other = self.env["renewal.refresh.campaign"].create(
            {
                "name": "Other T",
                "preset": "custom",
                "domain": repr(expression.AND([[("partner_id", "=", self.direct.id)]])),
                "output_mailing": True,
                "output_opportunity": False,
            }
        )
        other.action_launch()
        recipients = self.env["renewal.refresh.target"].search(
            literal_eval(other.mailing_id.mailing_domain)
        )
        self.assertEqual(recipients.partner_id, self.direct)
        self.assertEqual(recipients.campaign_id, other)

    def test_test_mail_keeps_the_placeholder(self):
        """A test mail goes to whoever tests the mailing: it carries no
        customer's link."""
        self.campaign_all.action_launch()
        Link = self.env["renewal.portal.link"].sudo()
        links_before = Link.search_count([])
        with self.mock_mail_gateway():
            self.env["mailing.mailing.test"].create(
                {
                    "mass_mailing_id": self.campaign_all.mailing_id.id,
                    "email_to": "tester@vendor.example",
                }
            ).send_mail_test()
        self.assertEqual(len(self._mails), 1)
        self.assertIn(RENEWAL_LINK_PLACEHOLDER, self._mails[0]["body"])
        self.assertEqual(Link.search_count([]), links_before)
