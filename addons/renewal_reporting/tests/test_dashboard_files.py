import json
import re

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open

FORMULA = re.compile(r'PIVOT\.(?:VALUE|HEADER)\((\d+),"#?(\w+)"')


@tagged("post_install", "-at_install")
class TestDashboardFiles(TransactionCase):
    """The shipped dashboard reads fields that renewal.report has, and its
    sample needs no data at all."""

    def load(self, name):
        with file_open(f"renewal_reporting/data/files/{name}") as file:
            return json.load(file)

    def test_dashboard_record(self):
        dashboard = self.env.ref("renewal_reporting.spreadsheet_dashboard_renewals")
        self.assertEqual(
            dashboard.dashboard_group_id,
            self.env.ref("renewal_reporting.spreadsheet_dashboard_group_renewals"),
        )
        self.assertEqual(
            dashboard.group_ids,
            self.env.ref("renewal_contracts.renewal_contracts_group_manager"),
        )
        self.assertEqual(json.loads(dashboard.spreadsheet_data)["version"], 21)

    def test_pivots_read_report_fields(self):
        data = self.load("renewal_dashboard.json")
        fields = self.env["renewal.report"]._fields
        filters = {f["id"]: f for f in data["globalFilters"]}
        self.assertEqual(
            [f["label"] for f in data["globalFilters"]],
            [
                "Period",
                "Company",
                "Reseller",
                "Sales Team",
                "Salesperson",
                "Product Category",
                "Country",
            ],
        )
        for pivot_id, pivot in data["pivots"].items():
            self.assertEqual(pivot["model"], "renewal.report")
            used = [m["fieldName"] for m in pivot["measures"]]
            used += [row["fieldName"] for row in pivot["rows"]]
            used += [leaf[0] for leaf in pivot["domain"] if isinstance(leaf, list)]
            for name in used:
                self.assertIn(name, fields, f"pivot {pivot_id}")
            # Every global filter is matched (the period to a date field,
            # or left out on purpose for today's statuses).
            self.assertEqual(set(pivot["fieldMatching"]), set(filters))
            for filter_id, matching in pivot["fieldMatching"].items():
                if not matching:
                    continue
                field = fields[matching["chain"]]
                if filters[filter_id]["type"] == "relation":
                    self.assertEqual(
                        field.comodel_name, filters[filter_id]["modelName"]
                    )
                else:
                    self.assertEqual(field.type, "date")
        # Every formula points at a pivot that exists, and a field it reads.
        cells = [
            cell["content"]
            for sheet in data["sheets"]
            for cell in sheet["cells"].values()
        ]
        formulas = [m for content in cells for m in FORMULA.findall(content)]
        self.assertGreater(len(formulas), 100)
        for pivot_id, name in formulas:
            self.assertIn(pivot_id, data["pivots"])
            self.assertIn(name, fields)
        # Every block title opens the renewal analysis.
        links = [c for c in cells if c.startswith("[") and "odoo://view/" in c]
        self.assertEqual(len(links), 8)
        for link in links:
            action = json.loads(link[link.index("odoo://view/") + 12 : -1])
            self.assertEqual(action["action"]["modelName"], "renewal.report")

    def test_sample_is_static(self):
        sample = self.load("renewal_sample_dashboard.json")
        self.assertFalse(sample["pivots"])
        self.assertFalse(sample["globalFilters"])
        text = json.dumps(sample)
        self.assertNotIn("PIVOT", text)
        self.assertNotIn("ODOO.", text)
        dashboard = self.load("renewal_dashboard.json")
        self.assertEqual(
            set(sample["sheets"][0]["cells"]), set(dashboard["sheets"][0]["cells"])
        )
