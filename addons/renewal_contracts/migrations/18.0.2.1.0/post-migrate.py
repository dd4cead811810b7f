"""18.0.2.1.0: the installed base. Every covered line with a serial number
gets its installed product, created from the lines set-based."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    linked = env["renewal.contract.line"]._link_installed_products()
    _logger.info("Installed base: %d covered lines linked", linked)
