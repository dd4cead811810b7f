from . import renewal_report_mixin
from . import renewal_report
from . import renewal_ranking
from . import renewal_report_installed_base
