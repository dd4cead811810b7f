from . import renewal_contract
from . import renewal_contract_line
from . import renewal_feed_import
from . import renewal_report_scorecard
from . import renewal_status_refresh
from . import res_company
from . import sale_order
