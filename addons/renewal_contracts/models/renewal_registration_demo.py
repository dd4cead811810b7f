from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models


class RenewalRegistrationDemo(models.AbstractModel):
    """The installed-base demo data, mixed into ``renewal.registration``."""

    _name = "renewal.registration.demo"
    _description = "Product Registration Demo Data"

    @api.model
    def _demo_register_products(self):
        """Demo registrations through every channel, dated from today: R770
        servers under warranty (one expired, uncovered), switches without
        warranty, customers found by e-mail or new, and a serial number of
        the demo contracts claimed by another customer, to review. Runs once
        (its external ids say it ran)."""
        if self.env.ref("renewal_contracts.demo_registration_00", False):
            return self.browse()
        # The lifecycle of the demo catalogue.
        ref = self.env.ref
        today = fields.Date.context_today(self)
        r770 = ref("renewal_contracts.product_pwr_r770")
        switch = ref("renewal_contracts.product_net_x1052")
        ref("renewal_contracts.product_pwr_r660").write(
            {
                "renewal_end_of_sale_date": today - relativedelta(months=14),
                "renewal_end_of_support_date": today + relativedelta(months=8),
                "renewal_successor_id": r770.id,
                "optional_product_ids": [
                    Command.set(
                        ref(
                            "renewal_contracts.product_acc_rail_kit"
                        ).product_tmpl_id.ids
                    )
                ],
                "renewal_alternative_ids": [
                    Command.set(
                        (
                            ref("renewal_contracts.product_pwr_t360") | r770
                        ).product_tmpl_id.ids
                    )
                ],
            }
        )
        ref("renewal_contracts.product_pwr_t360").renewal_end_of_support_date = (
            today + relativedelta(years=3)
        )
        switch.write(
            {
                "renewal_serial_pattern": "[A-Z]{3}[0-9]{6}",
                "renewal_warranty_months": 12,
            }
        )
        customers = [
            ref(f"renewal_contracts.partner_customer_{i:02d}") for i in range(40)
        ]
        resellers = [
            ref(f"renewal_contracts.partner_reseller_{name}")
            for name in ("serverhuis", "bitsbytes", "northwind", "pacific")
        ]

        def ago(days_ago):
            return (today - timedelta(days=days_ago)).isoformat()

        batches = {
            "back_office": [
                {
                    "product_id": r770.id,
                    "serial_number": f"R770-{100001 + index:06d}",
                    "partner_id": customers[index].id,
                    "purchase_date": ago(days_ago),
                    "install_date": ago(days_ago - 14),
                    "vendor_order_number": f"SO{700100 + index}",
                    "customer_po_number": f"PO-{4400 + index}",
                }
                for index, days_ago in enumerate((40, 200, 420, 700, 990, 1250))
            ],
            "customer_page": [
                {
                    "product_code": "PWR-R770",
                    "serial_number": "R770-200001",
                    "purchase_date": ago(60),
                    "where_bought": "ServerHuis webshop",
                    "contact": {
                        "name": "Femke de Vries",
                        "email": "femke@devries-architecten.example",
                        "phone": "+31 30 555 0101",
                        "company_name": "De Vries Architecten",
                        "street": "Oudegracht 12",
                        "zip": "3511 AB",
                        "city": "Utrecht",
                        "country_code": "NL",
                    },
                },
                {
                    "product_code": "NET-X1052",
                    "serial_number": "NET900001",
                    "purchase_date": ago(500),
                    "contact": {"name": "IT desk", "email": customers[14].email},
                },
            ],
            "reseller_portal": [
                {
                    "product_id": r770.id,
                    "serial_number": f"R770-{300001 + index:06d}",
                    "partner_id": customers[20 + index].id,
                    "reseller_id": resellers[index % 2].id,
                    "purchase_date": ago(100 + 150 * index),
                }
                for index in range(4)
            ],
            "partner_api": [
                {
                    "product_id": switch.id,
                    "serial_number": f"NET9100{index:02d}",
                    "partner_id": customers[30 + index].id,
                    "reseller_id": resellers[2].id,
                    "purchase_date": ago(30 + 400 * index),
                }
                for index in range(3)
            ],
            "feed": [
                {
                    "product_id": switch.id,
                    "serial_number": f"NET9200{index:02d}",
                    "partner_id": customers[35 + index].id,
                    "distributor_id": resellers[3].renewal_distributor_id.id,
                    "reseller_id": resellers[3].id,
                    "purchase_date": ago(800 + 30 * index),
                }
                for index in range(3)
            ],
        }
        # A serial number of the demo contracts, claimed by another customer.
        claimed = self.env["renewal.installed.product"].search(
            [("product_id", "=", ref("renewal_contracts.product_pwr_r660").id)],
            order="id",
            limit=1,
        )
        if claimed:
            batches["customer_page"].append(
                {
                    "product_id": claimed.product_id.id,
                    "serial_number": claimed.serial_number,
                    "purchase_date": ago(30),
                    "where_bought": "Second-hand, online marketplace",
                    "note": "Bought used; the seller said it was still covered.",
                    "contact": {
                        "name": "Tom Bakker",
                        "email": "tom@bakker-fotografie.example",
                        "company_name": "Bakker Fotografie",
                        "city": "Haarlem",
                        "country_code": "NL",
                    },
                }
            )
        registrations = self.browse()
        for channel, rows in batches.items():
            registrations |= self._register_products(rows, channel)
        self.env["ir.model.data"].create(
            [
                {
                    "module": "renewal_contracts",
                    "name": f"demo_registration_{index:02d}",
                    "model": self._name,
                    "res_id": registration.id,
                    "noupdate": True,
                }
                for index, registration in enumerate(registrations)
            ]
        )
        return registrations
