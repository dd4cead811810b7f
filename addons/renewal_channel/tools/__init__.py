from . import brand
from . import feed
from . import spreadsheet
