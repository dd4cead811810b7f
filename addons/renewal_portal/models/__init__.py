from . import res_company
from . import res_config_settings
from . import res_partner
from . import renewal_portal_link
from . import renewal_contract
from . import renewal_notice
