from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class RefreshCase(TransactionCase):
    """An installed base to run refresh campaigns on: a product reaching its
    end of support with a successor and accessories, customers owned in
    every way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.today = fields.Date.context_today(cls.env["renewal.refresh.campaign"])
        cls.company = cls.env.company
        Product = cls.env["product.product"]
        cls.rail = Product.create({"name": "Rail kit T", "list_price": 100.0})
        cls.psu = Product.create({"name": "Spare PSU T", "list_price": 200.0})
        cls.successor = Product.create(
            {
                "name": "Server T2",
                "list_price": 3000.0,
                "optional_product_ids": [
                    Command.set((cls.rail | cls.psu).product_tmpl_id.ids)
                ],
            }
        )
        cls.old = Product.create(
            {
                "name": "Server T1",
                "list_price": 1000.0,
                "renewal_end_of_support_date": cls.today + relativedelta(months=6),
                "renewal_successor_id": cls.successor.id,
            }
        )
        cls.later = Product.create(
            {
                "name": "Switch T9",
                "list_price": 500.0,
                "renewal_end_of_support_date": cls.today + relativedelta(months=30),
                "optional_product_ids": [Command.set(cls.psu.product_tmpl_id.ids)],
            }
        )
        cls.team = cls.env["crm.team"].create({"name": "Refresh Team T"})
        cls.other_team = cls.env["crm.team"].create({"name": "Direct Team T"})
        cls.salesperson = new_test_user(
            cls.env,
            login="refresh_sales",
            groups="sales_team.group_sale_salesman,renewal_contracts.renewal_contracts_group_user",
        )
        cls.env["crm.team.member"].create(
            {"crm_team_id": cls.other_team.id, "user_id": cls.salesperson.id}
        )
        cls.channel_manager = new_test_user(
            cls.env, login="refresh_channel", groups="sales_team.group_sale_salesman"
        )
        cls.user = new_test_user(
            cls.env,
            login="refresh_user",
            groups="renewal_contracts.renewal_contracts_group_user,"
            "sales_team.group_sale_salesman_all_leads,"
            "mass_mailing.group_mass_mailing_user",
        )
        Partner = cls.env["res.partner"]
        cls.reseller = Partner.create(
            {
                "name": "Reseller T",
                "is_company": True,
                "is_renewal_reseller": True,
                "user_id": cls.channel_manager.id,
            }
        )
        cls.reseller_contact = Partner.create(
            {"name": "Rita Reseller T", "parent_id": cls.reseller.id}
        )
        cls.direct = Partner.create(
            {
                "name": "Direct Customer T",
                "is_company": True,
                "email": "it@direct-t.example",
                "user_id": cls.salesperson.id,
            }
        )
        cls.channel = Partner.create(
            {
                "name": "Channel Customer T",
                "is_company": True,
                "email": "it@chan-t.example",
            }
        )
        cls.orphan = Partner.create(
            {
                "name": "Orphan Customer T",
                "is_company": True,
                "email": "it@orph-t.example",
            }
        )
        cls.contract = cls.env["renewal.contract"].create(
            {
                "name": "RF-T-1",
                "partner_id": cls.channel.id,
                "reseller_id": cls.reseller.id,
                "reseller_salesperson_id": cls.reseller_contact.id,
                "date_start": cls.today - relativedelta(years=2),
                "date_end": cls.today - relativedelta(days=10),
            }
        )
        cls._serial = 0

    @classmethod
    def install(cls, partner, product=None, count=1, **values):
        """``count`` installed ``product`` (the old server) at ``partner``."""
        vals_list = []
        for _index in range(count):
            cls._serial += 1
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "product_id": (product or cls.old).id,
                    "serial_number": f"RFT-{cls._serial:05d}",
                    **values,
                }
            )
        return cls.env["renewal.installed.product"].create(vals_list)

    def campaign(self, **values):
        return self.env["renewal.refresh.campaign"].create(
            {
                "name": "Campaign T",
                "preset": "end_of_support",
                "team_id": self.team.id,
                "output_opportunity": True,
                "output_mailing": False,
                "output_quotation": False,
                **values,
            }
        )

    def targets(self, campaign):
        return {target.partner_id: target for target in campaign.target_ids}
