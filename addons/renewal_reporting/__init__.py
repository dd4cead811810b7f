from . import controllers
from . import models
from . import report
from . import tools
from . import wizard


def uninstall_hook(env):
    """The analysis' materialized view and its tables are the model's own
    (created in its ``init``), not Odoo's: dropped with the addon."""
    env["renewal.report"]._drop_view()
