from odoo.tools import SQL

from . import models
from .models.stock_lot import LOT_INDEX


def post_init_hook(env):
    """Link the installed products registered before this addon to their
    serial numbers, in one set-based pass (lots of tracked products created
    where missing)."""
    env["renewal.installed.product"]._sync_lots_sql()


def uninstall_hook(env):
    """The index this addon added to Inventory's lots goes with it."""
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(LOT_INDEX)))
