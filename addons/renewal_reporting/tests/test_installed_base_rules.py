from datetime import date, timedelta
from itertools import product

from dateutil.relativedelta import relativedelta

from odoo.tests import BaseCase, TransactionCase, tagged
from odoo.tools import SQL

from ..tools import installed_base as bands

TODAY = date(2026, 6, 15)
LEAP_DAY = date(2028, 2, 29)


def around(*days):
    """Each day, the day before and the day after."""
    return [day + timedelta(days=shift) for day in days for shift in (-1, 0, 1)]


class TestInstalledBaseRules(BaseCase):
    """Age bands and end-of-support windows, in Python."""

    def test_age_bands(self):
        band = bands.age_band
        self.assertEqual(band(None, TODAY), bands.AGE_UNKNOWN)
        self.assertEqual(band(TODAY, TODAY), "0_2")
        self.assertEqual(band(date(2024, 6, 16), TODAY), "0_2")
        self.assertEqual(band(date(2024, 6, 15), TODAY), "2_4")  # two years
        self.assertEqual(band(date(2022, 6, 16), TODAY), "2_4")
        self.assertEqual(band(date(2022, 6, 15), TODAY), "4_plus")  # four years
        self.assertEqual(band(date(2000, 1, 1), TODAY), "4_plus")
        # Installed on a leap day: two years old on 1 March (as PostgreSQL's
        # age() counts: on 28 February, 1 year 11 months 30 days).
        self.assertEqual(band(date(2024, 2, 29), date(2026, 2, 28)), "0_2")
        self.assertEqual(band(date(2024, 2, 29), date(2026, 3, 1)), "2_4")

    def test_support_windows(self):
        window = bands.support_window
        self.assertEqual(window(None, TODAY), bands.SUPPORT_NONE)
        self.assertEqual(window(date(2026, 6, 14), TODAY), "ended")
        self.assertEqual(window(TODAY, TODAY), "within_12")  # its last day
        self.assertEqual(window(date(2027, 6, 15), TODAY), "within_12")
        self.assertEqual(window(date(2027, 6, 16), TODAY), "later")


@tagged("post_install", "-at_install")
class TestInstalledBaseRulesSql(TransactionCase):
    """The SQL of the rules gives what the Python gives, around every bound,
    on an ordinary day and on a leap day."""

    def test_sql_agrees_with_python(self):
        for today in (TODAY, LEAP_DAY):
            installed = [None] + around(
                today,
                today - relativedelta(years=2),
                today - relativedelta(years=4),
            )
            ends = [None] + around(today, today + relativedelta(months=12))
            rows = list(product(installed, ends))
            self.env.cr.execute(
                SQL(
                    "SELECT %s, %s FROM (VALUES %s) AS t(i, installed, ends) "
                    "ORDER BY i",
                    bands.age_band_sql(SQL("installed"), today),
                    bands.support_window_sql(SQL("ends"), today),
                    SQL(", ").join(
                        SQL("(%s, CAST(%s AS date), CAST(%s AS date))", index, *row)
                        for index, row in enumerate(rows)
                    ),
                )
            )
            for (band, window), (day, end) in zip(
                self.env.cr.fetchall(), rows, strict=True
            ):
                with self.subTest(today=today, installed=day, ends=end):
                    self.assertEqual(band, bands.age_band(day, today))
                    self.assertEqual(window, bands.support_window(end, today))
