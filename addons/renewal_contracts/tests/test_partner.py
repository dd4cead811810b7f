from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RenewalCase


@tagged("post_install", "-at_install")
class TestPartner(RenewalCase):
    """Channel roles and the smart button on partners."""

    def test_smart_button_counts_every_role(self):
        self.make_contract(ends=[10])
        self.make_contract(ends=[20], reseller_id=self.reseller.id)
        self.make_contract(
            ends=[30], reseller_id=self.reseller.id, distributor_id=self.distributor.id
        )
        self.assertEqual(self.customer.renewal_contract_count, 3)
        # A contact of the customer sees the company's contracts.
        self.assertEqual(self.customer_contact.renewal_contract_count, 3)
        self.assertEqual(self.reseller.renewal_contract_count, 2)
        self.assertEqual(self.distributor.renewal_contract_count, 1)
        action = self.customer_contact.action_view_renewal_contracts()
        contracts = self.env["renewal.contract"].search(action["domain"])
        self.assertEqual(len(contracts), 3)
        self.assertEqual(action["context"], {"default_partner_id": self.customer.id})
        action = self.reseller.action_view_renewal_contracts()
        self.assertEqual(len(self.env["renewal.contract"].search(action["domain"])), 2)
        self.assertEqual(action["context"], {"default_reseller_id": self.reseller.id})

    def test_reseller_buys_through_distributor_only(self):
        with self.assertRaisesMsg(ValidationError, "is not marked as a distributor"):
            self.reseller.renewal_distributor_id = self.customer
        with self.assertRaisesMsg(ValidationError, "cannot buy through itself"):
            self.distributor.renewal_distributor_id = self.distributor
