from datetime import date

from markupsafe import Markup

from odoo.tests import BaseCase, tagged

from ..tools import links, selection


@tagged("post_install", "-at_install")
class TestSelectionTools(BaseCase):
    def test_presets_write_their_dates_out(self):
        today = date(2026, 11, 27)
        self.assertEqual(
            selection.preset_domain(selection.END_OF_SUPPORT, today),
            [
                ("end_of_support_date", "!=", False),
                ("end_of_support_date", "<=", "2027-11-27"),
            ],
        )
        self.assertEqual(
            selection.preset_domain(selection.OLD, today),
            [
                "|",
                ("install_date", "<", "2022-11-27"),
                "&",
                ("install_date", "=", False),
                ("purchase_date", "<", "2022-11-27"),
            ],
        )
        self.assertEqual(
            selection.preset_domain(selection.UNCOVERED, today),
            [("coverage_state", "in", ["uncovered", "lapsed"])],
        )
        level_domain = selection.preset_domain(selection.SERVICE_LEVEL, today, 7)
        self.assertEqual(level_domain[0][:2], ("line_ids", "any"))
        self.assertIn(("service_level_id", "=", 7), level_domain[0][2])
        self.assertIn(("date_end", ">=", "2026-11-27"), level_domain[0][2])
        # No level, or a custom selection: the campaign keeps its own domain.
        self.assertIsNone(selection.preset_domain(selection.SERVICE_LEVEL, today))
        self.assertIsNone(selection.preset_domain(selection.CUSTOM, today))

    def test_placeholder_replaced_relative_and_absolute(self):
        url = "https://vendor.example/renewals/TOKEN"
        body = Markup(
            '<a href="https://vendor.example/renewals/refresh-link">go</a>'
            '<a href="/renewals/refresh-link">again</a>'
            '<a href="/renewals/refresh-linked">other</a>'
        )
        replaced = links.replace_placeholder(body, url)
        self.assertIsInstance(replaced, Markup)
        self.assertEqual(replaced.count(url), 2)
        self.assertIn("/renewals/refresh-linked", replaced)
        self.assertEqual(links.replace_placeholder("no link", url), "no link")
