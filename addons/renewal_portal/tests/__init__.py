from . import test_install
from . import test_portal
from . import test_portal_tour
from . import test_notice_mail
