from . import renewal_refresh_origin_mixin
from . import renewal_refresh_campaign
from . import renewal_refresh_target
from . import crm_lead
from . import sale_order
from . import mailing_mailing
from . import mail_mail
from . import mail_render_mixin
