from . import res_company
from . import res_config_settings
from . import renewal_portal_link
from . import renewal_contract
from . import renewal_contract_line
from . import renewal_service_level
from . import renewal_cancel_reason
from . import renewal_notice
