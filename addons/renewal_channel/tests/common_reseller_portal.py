import csv
import io
from datetime import timedelta

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user

# A tiny PNG (green): the reseller's logo.
LOGO = (
    b"iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAFElEQVR4nGPU6w5ngAEmBiSAmwMA"
    b"NfsBGOb2p3QAAAAASUVORK5CYII="
)
FEED_HEADER = ("Serial", "Contract", "Customer", "Product", "Start", "End", "Price")


def feed_csv(rows, header=FEED_HEADER):
    """A feed file in the test sources' layout."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


class ResellerPortalCase(HttpCase):
    """Two resellers, Alpha (publishing in its own name, buying through the
    distributor Delta) and Beta, each with a renewals manager in the portal;
    Alpha's salesperson with a portal account but no manager's rights; an
    end customer in the portal; the vendor's staff.

    Contracts: AL-1 (Cora, by Alpha, ends in 20 days), AL-2 (Cora, by Alpha,
    in 75 days), AL-3 (Dirk, by Alpha, ended 10 days ago), BE-1 (Dirk, by
    Beta, in 20 days), VD-1 (Cora, direct from the vendor, in 40 days). Each
    covers two serial numbers, ``<contract>-SN1`` and ``-SN2``. A feed source
    each for Alpha and Beta, in one simple layout.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env = env
        Partner = env["res.partner"]
        cls.company = env.company
        cls.company.write({"primary_color": "#123456", "secondary_color": "#abcdef"})
        cls.distributor = Partner.create(
            {
                "name": "Delta Distribution",
                "is_company": True,
                "is_renewal_distributor": True,
            }
        )
        cls.alpha = Partner.create(
            {
                "name": "Alpha Resell BV",
                "is_company": True,
                "is_renewal_reseller": True,
                "renewal_distributor_id": cls.distributor.id,
                "renewal_own_brand": True,
                "renewal_brand_primary_color": "#2e8b57",
                "renewal_brand_secondary_color": "#212529",
                "street": "Keizersgracht 1",
                "zip": "1015 AA",
                "city": "Amsterdam",
                "phone": "+31 20 000 0001",
                "email": "sales@alpha.example",
                "website": "https://alpha.example",
                "image_1920": LOGO,
            }
        )
        cls.beta = Partner.create(
            {
                "name": "Beta Resell BV",
                "is_company": True,
                "is_renewal_reseller": True,
                "email": "sales@beta.example",
            }
        )
        cls.alpha_seller = Partner.create(
            {
                "name": "Sam Seller",
                "parent_id": cls.alpha.id,
                "email": "sam@alpha.example",
                "phone": "+31 20 000 0002",
            }
        )
        cls.customer_cora = Partner.create(
            {"name": "Cora Care", "is_company": True, "email": "it@cora.example"}
        )
        cls.cora_contact = Partner.create(
            {
                "name": "Carl Cora",
                "parent_id": cls.customer_cora.id,
                "email": "carl@cora.example",
            }
        )
        cls.customer_dirk = Partner.create(
            {"name": "Dirk Data", "is_company": True, "email": "it@dirk.example"}
        )
        cls.manager_alpha = cls._portal_user(
            "alpha_boss", "Anna Alpha", cls.alpha, True
        )
        cls.manager_beta = cls._portal_user("beta_boss", "Bert Beta", cls.beta, True)
        cls.manager_delta = cls._portal_user(
            "delta_boss", "Dana Delta", cls.distributor, True
        )
        cls.seller_alpha = cls._account(cls.alpha_seller, "alpha_seller")
        cls.customer_user = cls._account(cls.cora_contact, "cora_user")
        cls.staff = new_test_user(
            env,
            login="vendor_staff",
            name="Vera Vendor",
            email="vera@vendor.example",
            groups="renewal_contracts.renewal_contracts_group_manager",
        )
        cls.product = env["product.product"].create(
            {"name": "Rack Server", "default_code": "RS-1", "list_price": 1000.0}
        )
        cls.today = fields.Date.context_today(env["renewal.contract"])
        cls.contracts = {}
        for name, customer, reseller, end in [
            ("AL-1", cls.customer_cora, cls.alpha, 20),
            ("AL-2", cls.customer_cora, cls.alpha, 75),
            ("AL-3", cls.customer_dirk, cls.alpha, -10),
            ("BE-1", cls.customer_dirk, cls.beta, 20),
            ("VD-1", cls.customer_cora, None, 40),
        ]:
            cls.contracts[name] = cls._make_contract(name, customer, reseller, end)
        cls.contracts["AL-1"].reseller_salesperson_id = cls.alpha_seller
        cls.source_alpha = cls._make_source("Alpha feed", cls.alpha)
        cls.source_beta = cls._make_source("Beta feed", cls.beta)

    @classmethod
    def _account(cls, contact, login):
        """A portal account for ``contact``, keeping its name and e-mail."""
        return new_test_user(
            cls.env,
            login=login,
            name=contact.name,
            email=contact.email,
            groups="base.group_portal",
            partner_id=contact.id,
            # The day of the test's "today": the pages answer in their
            # reader's timezone (at 23:30 UTC it is tomorrow in Brussels).
            tz=cls.env.user.tz,
        )

    @classmethod
    def _portal_user(cls, login, name, company, manager):
        contact = cls.env["res.partner"].create(
            {
                "name": name,
                "parent_id": company.id,
                "email": f"{login}@example.com",
                "renewal_reseller_manager": manager,
            }
        )
        return cls._account(contact, login)

    @classmethod
    def _make_contract(cls, name, customer, reseller, end):
        values = {
            "name": name,
            "partner_id": customer.id,
            "user_id": cls.staff.id,
            "date_start": cls.today + timedelta(days=end - 364),
            "date_end": cls.today + timedelta(days=end),
            "line_ids": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "serial_number": f"{name}-SN{index}",
                        "list_price": 100.0 * index,
                    }
                )
                for index in (1, 2)
            ],
        }
        if reseller:
            values.update(
                reseller_id=reseller.id,
                distributor_id=reseller.renewal_distributor_id.id,
            )
        return cls.env["renewal.contract"].create(values)

    @classmethod
    def _make_source(cls, name, partner):
        targets = (
            "serial_number",
            "contract_number",
            "customer_name",
            "product_code",
            "date_start",
            "date_end",
            "list_price",
        )
        return cls.env["renewal.feed.source"].create(
            {
                "name": name,
                "partner_id": partner.id,
                "role": "reseller",
                "column_ids": [
                    Command.create(
                        {"sequence": index, "target": target, "column_name": column}
                    )
                    for index, (target, column) in enumerate(
                        zip(targets, FEED_HEADER, strict=True)
                    )
                ],
            }
        )

    def names(self, records, field="name"):
        return set(records.mapped(field))

    def csrf(self):
        return http.Request.csrf_token(self)
