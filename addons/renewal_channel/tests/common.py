"""Feed test helpers: a file in the test sources' layout, and sources."""

import csv
import io

from odoo import Command

from odoo.addons.renewal_contracts.tests.common import QuoteCase, RenewalCase

HEADER = (
    "serial",
    "contract",
    "customer",
    "vat",
    "email",
    "city",
    "product",
    "level",
    "start",
    "end",
    "price",
    "currency",
    "reseller",
)


def csv_bytes(rows, header=HEADER, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def row(serial, contract="C-1", customer="Nordwind Kliniken GmbH", **values):
    data = {
        "serial": serial,
        "contract": contract,
        "customer": customer,
        "vat": "",
        "email": "",
        "city": "",
        "product": "R1",
        "level": "Gold 4h",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "price": "100.00",
        "currency": "USD",
        "reseller": "",
    }
    data.update(values)
    return [data[column] for column in HEADER]


class FeedCase(RenewalCase):
    """Renewal records, and feed sources in the layout of ``HEADER``."""

    @classmethod
    def make_source(cls, name, priority=10, role="vendor", partner=None, **values):
        return cls.env["renewal.feed.source"].create(
            dict(
                {
                    "name": name,
                    "partner_id": (partner or cls.env.company.partner_id).id,
                    "role": role,
                    "priority": priority,
                    "column_ids": [
                        Command.create({"target": target, "column_name": column})
                        for target, column in [
                            ("serial_number", "serial"),
                            ("contract_number", "contract"),
                            ("customer_name", "customer"),
                            ("customer_vat", "vat"),
                            ("customer_email", "email"),
                            ("customer_city", "city"),
                            ("product_code", "product"),
                            ("service_level", "level"),
                            ("date_start", "start"),
                            ("date_end", "end"),
                            ("list_price", "price"),
                            ("currency", "currency"),
                            ("reseller", "reseller"),
                        ]
                    ],
                },
                **values,
            )
        )


class ChannelQuoteCase(QuoteCase):
    """Renewal quotations with a reseller on plain terms: no discount, no
    brand of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reseller.write(
            {"renewal_discount_percent": 0.0, "renewal_own_brand": False}
        )
