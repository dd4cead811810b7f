from . import product_template
from . import renewal_contract_line
from . import renewal_installed_product
from . import stock_lot
