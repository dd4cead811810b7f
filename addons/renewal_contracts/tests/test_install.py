from odoo.tests import TransactionCase, tagged

from .common import SuiteInstalledMixin


@tagged("post_install", "-at_install")
class TestInstall(SuiteInstalledMixin, TransactionCase):
    """Renewal Contracts installs with the rest of the suite."""

    module = "renewal_contracts"
