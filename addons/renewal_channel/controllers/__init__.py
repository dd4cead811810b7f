from . import portal
from . import partner_api_portal
