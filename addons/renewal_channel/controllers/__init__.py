from . import portal
from . import partner_api_portal
from . import registration_portal
