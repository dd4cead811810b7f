from . import renewal_ranking_wizard
