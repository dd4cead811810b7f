from odoo.tools import SQL

from . import models
from .models.stock_lot import LOT_INDEX


def post_init_hook(env):
    """Link the installed products registered before this addon to their
    serial numbers, in one set-based pass (lots of tracked products created
    where missing)."""
    env["renewal.installed.product"]._sync_lots_sql()


# The demo products this addon tracks by serial number (demo/).
DEMO_PRODUCTS = (
    "renewal_contracts.product_pwr_r660",
    "renewal_contracts.product_pwr_t360",
)


def uninstall_hook(env):
    """The index this addon added to Inventory's lots goes with it, and so
    do the serial numbers it made for the demo products, where Inventory
    never used them (demo databases only: a user's lots stay in Inventory).
    Left behind, they would keep the demo products from being removed with
    Renewal Contracts."""
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(LOT_INDEX)))
    products = env["product.product"]
    for xmlid in DEMO_PRODUCTS:
        products |= env.ref(xmlid, raise_if_not_found=False) or products
    if not products:
        return
    lots = env["stock.lot"].search([("product_id", "in", products.ids)])
    used = env["stock.move.line"].search([("lot_id", "in", lots.ids)]).lot_id
    used |= env["stock.quant"].search([("lot_id", "in", lots.ids)]).lot_id
    (lots - used).unlink()
