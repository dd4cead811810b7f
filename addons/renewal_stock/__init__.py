from . import models


def post_init_hook(env):
    """Link the installed products registered before this addon to their
    serial numbers, in one set-based pass (lots of tracked products created
    where missing)."""
    env["renewal.installed.product"]._sync_lots_sql()
