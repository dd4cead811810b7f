from . import brand
from . import feed
from . import registration
from . import spreadsheet
