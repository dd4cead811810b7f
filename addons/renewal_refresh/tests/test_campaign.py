from ast import literal_eval

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RefreshCase


@tagged("post_install", "-at_install")
class TestCampaignTargets(RefreshCase):
    def campaign(self, partners=None, **values):
        """A campaign restricted to the test's customers (the demo data has
        an installed base of its own)."""
        campaign = super().campaign(**values)
        partners = partners or (self.direct | self.channel | self.orphan)
        campaign.domain = repr(
            expression.AND(
                [literal_eval(campaign.domain), [("partner_id", "in", partners.ids)]]
            )
        )
        return campaign

    def test_end_of_support_selection_groups_per_customer(self):
        direct = self.install(self.direct, count=2)
        self.install(self.orphan, product=self.later)  # support ends in 30 months
        campaign = self.campaign()
        campaign.action_launch()
        targets = self.targets(campaign)
        self.assertEqual(list(targets), [self.direct])
        target = targets[self.direct]
        self.assertEqual(target.installed_product_ids, direct)
        self.assertEqual(target.product_count, 2)
        self.assertEqual(target.value, 2000.0)
        # The successor's price, per product it replaces.
        self.assertEqual(target.expected_revenue, 6000.0)
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.product_count, 2)

    def test_old_selection_by_install_else_purchase_date(self):
        self.install(
            self.direct,
            product=self.later,
            install_date=self.today - relativedelta(years=5),
        )
        self.install(
            self.channel,
            product=self.later,
            install_date=self.today - relativedelta(years=2),
            purchase_date=self.today - relativedelta(years=6),
        )
        self.install(
            self.orphan,
            product=self.later,
            purchase_date=self.today - relativedelta(years=6),
        )
        campaign = self.campaign(preset="old")
        campaign.action_launch()
        self.assertEqual(set(self.targets(campaign)), {self.direct, self.orphan})

    def test_uncovered_selection(self):
        covered = self.install(self.direct, product=self.later)
        self.install(self.orphan, product=self.later)
        self.env["renewal.contract"].create(
            {
                "name": "RF-T-COV",
                "partner_id": self.direct.id,
                "date_start": self.today - relativedelta(months=6),
                "date_end": self.today + relativedelta(months=6),
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.later.id,
                            "serial_number": covered.serial_number,
                            "installed_product_id": covered.id,
                            "date_start": self.today - relativedelta(months=6),
                            "date_end": self.today + relativedelta(months=6),
                        },
                    )
                ],
            }
        )
        self.assertEqual(covered.coverage_state, "covered")
        campaign = self.campaign(preset="uncovered")
        campaign.action_launch()
        self.assertEqual(list(self.targets(campaign)), [self.orphan])

    def test_service_level_selection(self):
        gold = self.env["renewal.service.level"].create({"name": "Gold T"})
        silver = self.env["renewal.service.level"].create({"name": "Silver T"})
        at_gold = self.install(self.direct, product=self.later)
        at_silver = self.install(self.orphan, product=self.later)
        for product, level in ((at_gold, gold), (at_silver, silver)):
            self.env["renewal.contract"].create(
                {
                    "name": f"RF-T-{level.name}",
                    "partner_id": product.partner_id.id,
                    "date_start": self.today - relativedelta(months=6),
                    "date_end": self.today + relativedelta(months=6),
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.later.id,
                                "serial_number": product.serial_number,
                                "installed_product_id": product.id,
                                "service_level_id": level.id,
                                "date_start": self.today - relativedelta(months=6),
                                "date_end": self.today + relativedelta(months=6),
                            },
                        )
                    ],
                }
            )
        campaign = self.campaign(preset="service_level", service_level_id=gold.id)
        campaign.action_launch()
        self.assertEqual(list(self.targets(campaign)), [self.direct])
        with self.assertRaisesRegex(ValidationError, "Service Level"):
            self.campaign(preset="service_level")

    def test_routing(self):
        self.install(self.direct)
        self.install(self.channel, count=2, reseller_id=self.reseller.id)
        self.install(self.channel)  # sold direct: the reseller sold most
        self.install(self.orphan)
        campaign = self.campaign()
        campaign.action_launch()
        targets = self.targets(campaign)

        # The customer's salesperson, in their own team.
        direct = targets[self.direct]
        self.assertEqual(direct.owner_kind, "salesperson")
        self.assertEqual(direct.user_id, self.salesperson)
        self.assertEqual(direct.team_id, self.other_team)
        self.assertEqual(direct.owner_name, self.salesperson.name)

        # The reseller, through its salesperson on the customer's contract,
        # followed by the vendor's salesperson who handles the reseller.
        channel = targets[self.channel]
        self.assertEqual(channel.owner_kind, "reseller")
        self.assertEqual(channel.reseller_id, self.reseller)
        self.assertEqual(channel.reseller_contact_id, self.reseller_contact)
        self.assertEqual(channel.user_id, self.channel_manager)
        self.assertEqual(channel.team_id, self.team)
        self.assertEqual(channel.owner_name, self.reseller_contact.display_name)
        self.assertEqual(channel.product_count, 3)

        # Nobody: the campaign's team.
        orphan = targets[self.orphan]
        self.assertEqual(orphan.owner_kind, "team")
        self.assertFalse(orphan.user_id)
        self.assertEqual(orphan.team_id, self.team)

    def test_products_salesperson_before_customers(self):
        self.install(self.direct, count=2, user_id=self.user.id)
        campaign = self.campaign()
        campaign.action_launch()
        self.assertEqual(self.targets(campaign)[self.direct].user_id, self.user)

    def test_no_double_targeting_on_rerun(self):
        self.install(self.direct)
        campaign = self.campaign()
        campaign.action_launch()
        first = campaign.target_ids
        self.assertEqual(len(first), 1)
        self.assertEqual(campaign.lead_count, 1)

        # Nothing new: nothing added.
        campaign.action_launch()
        self.assertEqual(campaign.target_ids, first)
        campaign.invalidate_recordset()
        self.assertEqual(campaign.lead_count, 1)

        # A new customer comes in; a new product of a customer targeted
        # already does not target them again.
        self.install(self.direct)
        self.install(self.orphan)
        campaign.action_launch()
        self.assertEqual(len(campaign.target_ids), 2)
        self.assertEqual(self.targets(campaign)[self.direct], first)
        self.assertEqual(first.product_count, 1)
        campaign.invalidate_recordset()
        self.assertEqual(campaign.lead_count, 2)
        self.assertEqual(
            self.env["crm.lead"].search_count(
                [
                    ("renewal_refresh_campaign_id", "=", campaign.id),
                    ("partner_id", "=", self.direct.id),
                ]
            ),
            1,
        )
        # The database refuses a second target for a customer as well.
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["renewal.refresh.target"].create(
                {
                    "campaign_id": campaign.id,
                    "company_id": campaign.company_id.id,
                    "partner_id": self.direct.id,
                }
            )
            self.env.flush_all()

    def test_do_not_contact(self):
        self.install(self.direct)
        self.install(self.orphan, count=2)
        self.orphan.renewal_notice_opt_out = True
        # A product whose contract says "do not contact" stays out too.
        quiet = self.install(self.channel)
        self.install(self.channel, reseller_id=self.reseller.id)
        self.contract.write(
            {
                "do_not_contact": True,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.old.id,
                            "serial_number": quiet.serial_number,
                            "installed_product_id": quiet.id,
                            "date_start": self.today - relativedelta(years=2),
                            "date_end": self.today - relativedelta(days=10),
                        },
                    )
                ],
            }
        )
        campaign = self.campaign()
        campaign.action_launch()
        targets = self.targets(campaign)
        self.assertEqual(set(targets), {self.direct, self.channel})
        self.assertNotIn(quiet, targets[self.channel].installed_product_ids)
        self.assertEqual(targets[self.channel].product_count, 1)
        self.assertEqual(campaign.excluded_partner_count, 1)
        self.assertEqual(campaign.excluded_product_count, 3)

    def test_blacklisted_email(self):
        self.install(self.direct)
        self.install(self.orphan)
        self.env["mail.blacklist"]._add(self.orphan.email)
        campaign = self.campaign()
        campaign.action_launch()
        self.assertEqual(list(self.targets(campaign)), [self.direct])
        self.assertEqual(campaign.excluded_partner_count, 1)

    def test_bad_input(self):
        with self.assertRaisesRegex(UserError, "Campaign Bad.*Installed Products"):
            self.campaign(name="Bad", preset="custom", domain="[('nope', '=', 1)]")
        campaign = self.campaign(output_opportunity=False)
        with self.assertRaisesRegex(UserError, "choose what it produces"):
            campaign.action_launch()
        self.assertFalse(campaign.target_ids)
        campaign.write({"output_opportunity": True, "state": "done"})
        with self.assertRaisesRegex(UserError, "is done"):
            campaign.action_launch()

    def test_other_company_products_not_selected(self):
        other = self.env["res.company"].create({"name": "Other Vendor T"})
        self.install(self.direct)
        self.env["renewal.installed.product"].create(
            {
                "partner_id": self.orphan.id,
                "product_id": self.old.id,
                "serial_number": "RFT-OTHER",
                "company_id": other.id,
            }
        )
        campaign = self.campaign()
        campaign.with_user(self.user).action_launch()
        self.assertEqual(list(self.targets(campaign)), [self.direct])
        self.assertEqual(campaign.target_ids.company_id, self.company)
