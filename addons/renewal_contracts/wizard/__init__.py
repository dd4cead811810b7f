from . import renewal_contract_cancel
from . import renewal_quote_lost
from . import renewal_installed_product_register
