"""18.0.2.1.0: the installed base. Every covered line with a serial number
gets its installed product, created from the lines set-based. A database
with the demo data gets the demo registrations too (a demo ``<function>``
runs at installation only)."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    linked = env["renewal.contract.line"]._link_installed_products()
    _logger.info("Installed base: %d covered lines linked", linked)
    if env.ref("renewal_contracts.product_pwr_r770", raise_if_not_found=False):
        registrations = env["renewal.registration"]._demo_register_products()
        _logger.info("Installed base: %d demo registrations", len(registrations))
