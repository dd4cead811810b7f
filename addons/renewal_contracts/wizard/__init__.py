from . import renewal_contract_cancel
