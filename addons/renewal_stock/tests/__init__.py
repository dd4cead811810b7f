from . import test_lot_link
