from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import RenewalPortalCase

# What portal users read of the renewal models: what the renewal pages show
# them. Every other field is for internal users.
PORTAL_FIELDS = {
    "renewal.contract": {
        "id",
        "display_name",
        "name",
        "company_id",
        "partner_id",
        "reseller_id",
        "currency_id",
        "service_level_id",
        "date_start",
        "date_end",
        "next_expiry_date",
        "amount_renewal",
        "status",
        "customer_po_number",
        "warranty_only",
        "is_consolidated",
        "is_renewed",
        "is_cancelled",
        "cancel_reason_id",
        "line_ids",
    },
    "renewal.contract.line": {
        "id",
        "display_name",
        "contract_id",
        "company_id",
        "currency_id",
        "product_id",
        "serial_number",
        "service_level_id",
        "date_end",
        "list_price",
        "renewal_price",
        "renewal_discount",
        "warranty_only",
        "status",
        "is_renewed",
        "is_cancelled",
        "cancel_reason_id",
        "customer_left_out",
    },
    "renewal.service.level": {"id", "display_name", "name", "sequence", "active"},
    "renewal.cancel.reason": {"id", "display_name", "name", "sequence", "active"},
}


@tagged("post_install", "-at_install")
class TestPortalFieldAccess(RenewalPortalCase):
    """Portal users (a customer, a reseller's salesperson) read every field
    of every renewal model they reach: the fields the pages show come back,
    the others are refused. (renewal_channel runs these tests again for a
    reseller's renewals manager, who reaches its feeds too.)"""

    # Odoo 18 only collects test methods a class defines itself, unless told.
    allow_inherited_tests_method = True
    portal_fields = PORTAL_FIELDS

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        level = cls.env["renewal.service.level"].create(
            {"name": "Reach Gold", "code": "RG", "description": "Internal notes"}
        )
        for contract in cls.contracts.values():
            contract.line_ids.service_level_id = level
            contract.write(
                {
                    "service_level_id": level.id,
                    "note": "<p>Margin is thin</p>",
                    "vendor_order_number": "SO-SECRET",
                    "distributor_id": cls.env["res.partner"]
                    .create({"name": "Distri", "is_renewal_distributor": True})
                    .id,
                }
            )
        cls.contracts["SH-A2"]._cancel(cls.reason)
        cls.users = {
            "customer": cls.portal_user("fields_ida", cls.customer_contact),
            "seller": cls.portal_user("fields_sam", cls.seller_1),
        }

    def reachable(self, user):
        """Every renewal model of which the user reads records, with the
        records they see."""
        found = {}
        for name in sorted(self.env.registry):
            if not name.startswith("renewal."):
                continue
            Model = self.env[name].with_user(user)
            if Model._abstract or not Model.has_access("read"):
                continue
            records = Model.search([])
            if records:
                found[name] = records
        return found

    def test_portal_users_read_only_what_the_pages_show(self):
        for kind, user in self.users.items():
            reachable = self.reachable(user)
            with self.subTest(user=kind):
                self.assertLessEqual(set(reachable), set(self.portal_fields))
                self.assertLessEqual(set(PORTAL_FIELDS), set(reachable))
            for model, records in reachable.items():
                for name in sorted(records._fields):
                    with self.subTest(user=kind, model=model, field=name):
                        if name in self.portal_fields[model]:
                            values = records.read([name])
                            self.assertEqual(len(values), len(records))
                        else:
                            with self.assertRaises(AccessError):
                                records.read([name])
                # Reading everything returns the allowed fields only.
                values = records[:1].read()
                self.assertLessEqual(set(values[0]), self.portal_fields[model])

    def test_each_kind_reads_its_own_contracts(self):
        seen = {
            kind: set(self.reachable(user)["renewal.contract"].mapped("name"))
            for kind, user in self.users.items()
        }
        self.assertEqual(seen["customer"], {"SH-A1", "SH-A2", "SH-A3", "SH-A4"})
        self.assertEqual(seen["seller"], {"SH-A1"})

    @mute_logger("odoo.http")
    def test_internal_fields_over_json_rpc(self):
        """The same over the wire, as a script would ask."""
        contract = self.contracts["SH-A1"]
        for kind, user in self.users.items():
            with self.subTest(user=kind):
                self.authenticate(user.login, user.login)
                rows = self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "renewal.contract",
                        "method": "read",
                        "args": [contract.ids, ["name", "customer_po_number"]],
                        "kwargs": {},
                    },
                )
                self.assertEqual(rows[0]["name"], "SH-A1")
                for field in (
                    "note",
                    "vendor_order_number",
                    "user_id",
                    "distributor_id",
                ):
                    with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                        self.make_jsonrpc_request(
                            "/web/dataset/call_kw",
                            {
                                "model": "renewal.contract",
                                "method": "read",
                                "args": [contract.ids, [field]],
                                "kwargs": {},
                            },
                        )
                rows = self.make_jsonrpc_request(
                    "/web/dataset/call_kw",
                    {
                        "model": "renewal.contract",
                        "method": "read",
                        "args": [contract.ids],
                        "kwargs": {},
                    },
                )
                self.assertNotIn("note", rows[0])
                self.assertNotIn("vendor_order_number", rows[0])

    def test_pages_keep_working_for_portal_users(self):
        """The /my pages render as superuser what the user may see."""
        for kind, user in self.users.items():
            with self.subTest(user=kind):
                self.authenticate(user.login, user.login)
                response = self.get("/my/renewals")
                self.assertEqual(response.status_code, 200)
                self.assertIn("SH-A1", response.text)
                detail = self.get(f"/my/renewals/{self.contracts['SH-A1'].id}")
                self.assertEqual(detail.status_code, 200)
                self.assertIn("SH-A1-SN2", detail.text)
                self.assertIn("Reach Gold", detail.text)
                self.assertNotIn("SO-SECRET", detail.text)
