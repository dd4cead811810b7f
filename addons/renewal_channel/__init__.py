from . import controllers
from . import models
from . import tools
from . import wizard


def uninstall_hook(env):
    """The resellers' own cadences go with this addon: without their
    reseller, their steps would join the companies' cadences."""
    env["renewal.notice.step"].with_context(active_test=False).search(
        [("reseller_id", "!=", False)]
    ).unlink()
