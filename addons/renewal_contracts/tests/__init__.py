from . import test_status_rules
from . import test_contract_status
from . import test_status_refresh
from . import test_contract_input
from . import test_security
from . import test_partner
from . import test_demo
from . import test_install
