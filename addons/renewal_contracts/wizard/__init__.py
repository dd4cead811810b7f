from . import renewal_contract_cancel
from . import renewal_quote_lost
