from odoo.tests import tagged

from .common_reseller_portal import ResellerPortalCase


@tagged("post_install", "-at_install")
class TestResellerRegistrationTour(ResellerPortalCase):
    """A reseller's renewals manager registers products in a real browser:
    one by the form, then a file with a bad row."""

    def test_register_tour(self):
        self.start_tour("/my", "renewal_reseller_register_products", login="alpha_boss")
        Installed = self.env["renewal.installed.product"]
        product = Installed.search([("serial_number", "=", "TOUR-REG-1")])
        self.assertEqual(product.reseller_id, self.alpha)
        self.assertEqual(product.registration_channel, "reseller_portal")
        # The file's good row was not registered either.
        self.assertFalse(
            Installed.search([("serial_number", "in", ("TOUR-REG-2", "TOUR-REG-3"))])
        )
