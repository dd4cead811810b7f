from contextlib import contextmanager
from datetime import date, timedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

TODAY = date(2026, 6, 15)


def days(n):
    """The day ``n`` days after the frozen today (before it when negative)."""
    return TODAY + timedelta(days=n)


class RenewalCase(TransactionCase):
    """Records shared by the renewal tests, on a frozen today."""

    freeze_time = TODAY.isoformat()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.renewal_due_days = 90
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {"name": "Nordwind Kliniken GmbH", "is_company": True}
        )
        cls.customer_contact = Partner.create(
            {"name": "Ina Admin", "parent_id": cls.customer.id}
        )
        cls.distributor = Partner.create(
            {"name": "Distri One", "is_company": True, "is_renewal_distributor": True}
        )
        cls.reseller = Partner.create(
            {
                "name": "Resell One",
                "is_company": True,
                "is_renewal_reseller": True,
                "renewal_distributor_id": cls.distributor.id,
            }
        )
        cls.reseller_salesperson = Partner.create(
            {"name": "Rosa Reseller", "parent_id": cls.reseller.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Rack Server R1", "default_code": "R1", "list_price": 1000.0}
        )
        cls.level = cls.env["renewal.service.level"].create({"name": "Gold 4h"})
        cls.level_warranty = cls.env["renewal.service.level"].create(
            {"name": "Factory warranty", "warranty_only": True}
        )
        cls.reason = cls.env["renewal.cancel.reason"].create(
            {"name": "Decommissioned (test)"}
        )
        cls.user = new_test_user(
            cls.env,
            login="renewal_test_user",
            groups="renewal_contracts.renewal_contracts_group_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="renewal_test_manager",
            groups="renewal_contracts.renewal_contracts_group_manager",
        )
        cls._contract_seq = 0

    @classmethod
    def make_contract(cls, ends=(), **values):
        """A contract of ``cls.customer`` with one line per end-offset in
        ``ends`` (days from today)."""
        cls._contract_seq += 1
        line_values = [
            {
                "product_id": cls.product.id,
                "serial_number": f"SN-{cls._contract_seq}-{index}",
                "date_start": days(offset - 364),
                "date_end": days(offset),
                "list_price": 100.0,
            }
            for index, offset in enumerate(ends)
        ]
        vals = {
            "name": f"T-{cls._contract_seq:04d}",
            "partner_id": cls.customer.id,
            "date_start": days(min(ends, default=100) - 364),
            "date_end": days(max(ends, default=100)),
            "line_ids": [Command.create(line) for line in line_values],
        }
        vals.update(values)
        return cls.env["renewal.contract"].create(vals)

    @contextmanager
    def assertRaisesMsg(self, exception, regex):
        """``assertRaises`` (which rolls back what the failed call left in the
        cache and database) that also checks the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)


class QuoteCase(RenewalCase):
    """Renewal quotations on plain terms: a 100-day lead time, no uplift, no
    co-terming."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "renewal_quote_lead_days": 100,
                "renewal_uplift_percent": 0.0,
                "renewal_coterm": False,
            }
        )
        cls.SaleOrder = cls.env["sale.order"]

    def quote(self, contracts=None):
        return self.SaleOrder._renewal_generate(
            self.SaleOrder._renewal_due_lines(contracts=contracts)
        )


SUITE = ("renewal_contracts", "renewal_portal", "renewal_channel", "renewal_reporting")


class SuiteInstalledMixin:
    """For each addon of the suite: it installs along with the others.

    Mixed into a ``TransactionCase`` with ``module`` set to the addon's name.
    """

    module = None
    # Odoo 18 only collects test methods a class defines itself, unless told.
    allow_inherited_tests_method = True

    def test_installed_with_the_suite(self):
        modules = self.env["ir.module.module"].search([("name", "in", SUITE)])
        self.assertEqual(
            {module.name: module.state for module in modules},
            dict.fromkeys(SUITE, "installed"),
        )
        module = modules.filtered(lambda module: module.name == self.module)
        self.assertTrue(module.dependencies_id)
        for dependency in module.dependencies_id:
            self.assertEqual(dependency.state, "installed", dependency.name)
