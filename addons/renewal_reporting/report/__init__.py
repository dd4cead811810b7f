from . import renewal_report
from . import renewal_ranking
