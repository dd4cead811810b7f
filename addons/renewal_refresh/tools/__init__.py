from . import links
from . import selection
