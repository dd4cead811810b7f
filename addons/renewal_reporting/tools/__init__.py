from . import demo_history
from . import outcome
