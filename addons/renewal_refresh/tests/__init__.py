from . import test_selection_tools
from . import test_campaign
from . import test_outputs
from . import test_access
from . import test_demo
