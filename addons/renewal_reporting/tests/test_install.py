from odoo.tests import TransactionCase, tagged

SUITE = ("renewal_contracts", "renewal_portal", "renewal_channel", "renewal_reporting")


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    """Renewal Reporting installs with the rest of the suite."""

    def test_installed_with_the_suite(self):
        modules = self.env["ir.module.module"].search([("name", "in", SUITE)])
        self.assertEqual(
            {module.name: module.state for module in modules},
            dict.fromkeys(SUITE, "installed"),
        )
        module = modules.filtered(lambda module: module.name == "renewal_reporting")
        for dependency in module.dependencies_id:
            self.assertEqual(dependency.state, "installed", dependency.name)
