from . import demo_history
from . import installed_base
from . import outcome
