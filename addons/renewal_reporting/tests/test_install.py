from odoo.tests import TransactionCase, tagged

from odoo.addons.renewal_contracts.tests.common import SuiteInstalledMixin


@tagged("post_install", "-at_install")
class TestInstall(SuiteInstalledMixin, TransactionCase):
    """Renewal Reporting installs with the rest of the suite."""

    module = "renewal_reporting"
