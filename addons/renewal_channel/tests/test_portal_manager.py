import re

from odoo.tests import tagged

from odoo.addons.renewal_portal.tests import (
    common as portal,
    test_portal_field_access as field_access,
)

ROW_RE = re.compile(r'class="o_renewal_row[^"]*"\s+data-contract="([^"]+)"')

# What a channel partner's renewals manager reads of the feed models: what
# the self-service pages and the partner API show. The rest is the vendor's.
FEED_PORTAL_FIELDS = {
    "renewal.feed.source": {
        "id",
        "display_name",
        "name",
        "active",
        "company_id",
        "partner_id",
        "role",
        "priority",
        "column_ids",
        "product_alias_ids",
        "encoding",
        "delimiter",
        "decimal_separator",
        "date_format",
        "header_row",
        "require_serial",
        "all_or_nothing",
        "default_currency_id",
        "chunk_size",
        "import_ids",
        "import_count",
    },
    "renewal.feed.column": {
        "id",
        "display_name",
        "source_id",
        "company_id",
        "sequence",
        "target",
        "column_name",
    },
    "renewal.feed.product.alias": {
        "id",
        "display_name",
        "source_id",
        "company_id",
        "code",
        "product_id",
    },
    "renewal.feed.import": {
        "id",
        "display_name",
        "source_id",
        "company_id",
        "user_id",
        "filename",
        "file",
        "state",
        "message",
        "row_count",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
        "conflict_count",
        "customer_count",
        "error_ids",
        "chunk_ids",
        "progress",
        "rejected_file",
        "rejected_filename",
        "date_done",
        "idempotency_key",
    },
    "renewal.feed.import.error": {
        "id",
        "display_name",
        "import_id",
        "company_id",
        "row",
        "column",
        "value",
        "reason",
        "is_conflict",
    },
    "renewal.feed.chunk": {
        "id",
        "display_name",
        "import_id",
        "company_id",
        "sequence",
        "state",
        "row_count",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
    },
}

# When a record was made and changed, but not by whom (the vendor's staff).
for _names in FEED_PORTAL_FIELDS.values():
    _names |= {"create_date", "write_date"}

# What the manager reads of the links of the partner's customers (the
# self-service pages' list): everything but the token's digest and who of
# the vendor's staff made or changed them.
# What a channel partner's renewals manager reads of its webhooks (the
# /my/renewal-api page): never the secret, nor who of the vendor's staff made
# or changed them.
WEBHOOK_PORTAL_FIELDS = {
    "renewal.webhook": {
        "active",
        "company_id",
        "create_date",
        "delivery_count",
        "delivery_ids",
        "display_name",
        "events_display",
        "id",
        "name",
        "on_lost",
        "on_quotation_issued",
        "on_renewed",
        "on_status_changed",
        "partner_id",
        "secret_hint",
        "url",
        "user_id",
        "write_date",
    },
    "renewal.webhook.delivery": {
        "attempt_count",
        "company_id",
        "create_date",
        "create_uid",
        "date_done",
        "display_name",
        "error",
        "event",
        "http_status",
        "id",
        "next_try",
        "partner_id",
        "payload",
        "state",
        "uuid",
        "webhook_id",
        "write_date",
        "write_uid",
    },
}

# What a channel partner's renewals manager reads of the installed products
# its partner sold and of its registrations: what the Installed Products and
# Registrations pages and the partner API show.
INSTALLED_BASE_PORTAL_FIELDS = {
    "renewal.installed.product": {
        "id",
        "display_name",
        "name",
        "active",
        "company_id",
        "product_id",
        "product_tmpl_id",
        "serial_number",
        "partner_id",
        "purchase_date",
        "install_date",
        "install_year",
        "customer_po_number",
        "reseller_id",
        "distributor_id",
        "registration_date",
        "registration_channel",
        "coverage_state",
        "coverage_end",
        "end_of_support_date",
        "create_date",
        "write_date",
    },
    "renewal.registration": {
        "id",
        "display_name",
        "name",
        "company_id",
        "installed_product_id",
        "product_id",
        "serial_number",
        "contact_name",
        "contact_email",
        "contact_phone",
        "purchase_date",
        "where_bought",
        "reseller_id",
        "distributor_id",
        "channel",
        "state",
        "create_date",
        "write_date",
    },
}

LINK_PORTAL_FIELDS = {
    "renewal.portal.link": {
        "id",
        "display_name",
        "partner_id",
        "scope",
        "holder_id",
        "contract_id",
        "company_id",
        "expires_at",
        "revoked",
        "last_used",
        "active_link",
        "brand_partner_id",
        "brand_contact_id",
        "channel_partner_id",
        "issued_by_id",
        "create_date",
        "write_date",
    },
}


class ManagerPortalMixin:
    """Reseller One's renewals manager Bea (SH-A1 and SH-A2 are Reseller
    One's), and Distri One's manager Dora (Distri One distributes SH-A1),
    both without a portal account until a test gives them one, each with a
    sales link."""

    @classmethod
    def _add_managers(cls):
        Partner = cls.env["res.partner"]
        cls.boss_1 = Partner.create(
            {
                "name": "Bea Boss",
                "parent_id": cls.reseller_1.id,
                "renewal_reseller_manager": True,
                "email": "bea@reseller-one.example.com",
            }
        )
        cls.distributor = Partner.create(
            {"name": "Distri One", "is_company": True, "is_renewal_distributor": True}
        )
        cls.boss_distri = Partner.create(
            {
                "name": "Dora Distri",
                "parent_id": cls.distributor.id,
                "renewal_reseller_manager": True,
            }
        )
        cls.contracts["SH-A1"].distributor_id = cls.distributor
        Link = cls.env["renewal.portal.link"]
        cls.link_boss, url = Link._issue(
            cls.customer, "sales", holder=cls.boss_1, contract=cls.contracts["SH-A2"]
        )
        cls.path_boss = cls._path(url)
        cls.link_distri, url = Link._issue(
            cls.customer,
            "sales",
            holder=cls.boss_distri,
            contract=cls.contracts["SH-A1"],
        )
        cls.path_distri = cls._path(url)


@tagged("post_install", "-at_install")
class TestManagerReach(ManagerPortalMixin, portal.RenewalPortalCase):
    """A channel partner's renewals manager reaches every contract the
    partner sells, as reseller or as distributor: through the record rules
    with a portal account, through a sales link without one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_managers()

    def listed(self, path):
        response = self.get(path)
        self.assertEqual(response.status_code, 200)
        return set(ROW_RE.findall(response.text))

    def test_rules_give_each_manager_what_the_partner_sells(self):
        users = {
            "boss": self.portal_user("mgr_bea", self.boss_1),
            "distri": self.portal_user("mgr_dora", self.boss_distri),
            "seller": self.portal_user("mgr_sam", self.seller_1),
        }
        expected = {
            "boss": {"SH-A1", "SH-A2"},
            "distri": {"SH-A1"},
            "seller": {"SH-A1"},
        }
        Contract = self.env["renewal.contract"]
        for kind, user in users.items():
            with self.subTest(user=kind):
                self.assertEqual(
                    self.names(Contract.with_user(user).search([])), expected[kind]
                )
                lines = self.env["renewal.contract.line"].with_user(user).search([])
                self.assertEqual(self.names(lines.sudo().contract_id), expected[kind])
                self.authenticate(user.login, user.login)
                page = self.get("/my/renewals").text
                self.assertEqual(set(ROW_RE.findall(page)), expected[kind])
                self.assertEqual(
                    self.get(f"/my/renewals/{self.contracts['SH-A3'].id}").status_code,
                    303,
                )
        # Without the flag a reseller's contact sees only their own sales.
        self.boss_1.renewal_reseller_manager = False
        self.assertEqual(
            self.names(Contract.with_user(users["boss"]).search([])), set()
        )

    def test_sales_links_of_managers(self):
        self.assertEqual(self.listed(self.path_boss), {"SH-A1", "SH-A2"})
        self.assertEqual(self.listed(self.path_distri), {"SH-A1"})
        response = self.get(f"{self.path_distri}/contract/{self.contracts['SH-A2'].id}")
        self.assertEqual(response.status_code, 404)

    def test_link_without_account_mirrors_the_rules(self):
        for link, login in [
            (self.link_boss, "mirror_bea"),
            (self.link_distri, "mirror_dora"),
        ]:
            with self.subTest(holder=link.holder_id.name):
                mirrored = link._contracts()
                user = self.portal_user(login, link.holder_id)
                link.invalidate_recordset()
                by_rules = (
                    self.env["renewal.contract"]
                    .with_user(user)
                    .search([("partner_id", "=", self.customer.id)])
                )
                self.assertEqual(self.names(mirrored), self.names(by_rules))
                self.assertEqual(self.names(link._contracts()), self.names(by_rules))

    def test_manager_consolidates_within_reach(self):
        own = self.contracts["SH-A1"]
        response = self.post(
            self.path_boss, own, action="amend_contract", consolidated_into="SH-A3"
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(own.consolidated_into_id)
        response = self.post(
            self.path_boss, own, action="amend_contract", consolidated_into="SH-A2"
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(own.consolidated_into_id, self.contracts["SH-A2"])

    def test_manager_searches_what_the_partner_sells(self):
        user = self.portal_user("search_bea", self.boss_1)
        self.authenticate(user.login, user.login)
        for search, found in {
            "Storage": {"SH-A1", "SH-A2"},
            "SH-A2 Server": {"SH-A2"},
            "SH-A1-SN2": {"SH-A1"},
            "SH-A3": set(),
        }.items():
            with self.subTest(search=search):
                page = self.get(f"/my/renewals?search={search}").text
                self.assertEqual(set(ROW_RE.findall(page)), found)


@tagged("post_install", "-at_install")
class TestManagerFieldAccess(ManagerPortalMixin, field_access.TestPortalFieldAccess):
    """renewal_portal's field walk again, for the renewals managers too, who
    also reach their partner's feeds: the fields the pages and the API show
    come back, the others are refused."""

    portal_fields = dict(
        field_access.PORTAL_FIELDS,
        **FEED_PORTAL_FIELDS,
        **LINK_PORTAL_FIELDS,
        **WEBHOOK_PORTAL_FIELDS,
        **INSTALLED_BASE_PORTAL_FIELDS,
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_managers()
        source = cls.env["renewal.feed.source"].create(
            {
                "name": "Reseller One feed",
                "partner_id": cls.reseller_1.id,
                "role": "reseller",
                "column_ids": [
                    (0, 0, {"target": target, "column_name": target})
                    for target in (
                        "serial_number",
                        "contract_number",
                        "customer_name",
                        "product_code",
                        "date_start",
                        "date_end",
                    )
                ],
                "product_alias_ids": [
                    (
                        0,
                        0,
                        {
                            "code": "THEIR-CODE",
                            "product_id": cls.contracts["SH-A1"]
                            .line_ids[0]
                            .product_id.id,
                        },
                    )
                ],
            }
        )
        source.import_file(
            b"serial_number,contract_number,customer_name,product_code,"
            b"date_start,date_end\nFA-1,SH-A1,Shared Health,NOPE,"
            b"2026-01-01,2026-12-31\nFA-2,FA-C2,Fields Clinic,THEIR-CODE,"
            b"2026-01-01,2026-12-31\n",
            "fields.csv",
            delay=False,
        )
        # A customer link in Reseller One's brand: its manager's to read.
        cls.reseller_1.renewal_own_brand = True
        cls.contracts["SH-A2"].publish_in_reseller_name = True
        cls.link_branded, _url = cls.env["renewal.portal.link"]._issue(
            cls.customer, "customer", contract=cls.contracts["SH-A2"]
        )
        cls.users = dict(
            cls.users,
            boss=cls.portal_user("fields_bea", cls.boss_1),
            distri=cls.portal_user("fields_dora", cls.boss_distri),
        )
        # Reseller One's webhook, with a delivery: its manager's to read.
        webhook = cls.env["renewal.webhook"].create(
            {
                "name": "Reseller One ERP",
                "partner_id": cls.reseller_1.id,
                "user_id": cls.users["boss"].id,
                "url": "https://erp.reseller-one.example/renewal-events",
            }
        )
        cls.env["renewal.webhook.delivery"].create(
            {
                "webhook_id": webhook.id,
                "uuid": "fields-delivery-1",
                "event": "renewed",
                "payload": "{}",
            }
        )
        # A product Reseller One's manager registered: the registration and
        # the installed product are theirs to read.
        cls.env["renewal.registration"].with_user(
            cls.users["boss"]
        )._renewal_channel_register(
            [
                {
                    "product_id": cls.contracts["SH-A1"].line_ids[0].product_id.id,
                    "serial_number": "FIELDS-REG-1",
                    "contact": {"name": "Fay Fields", "email": "fay@fields.example"},
                }
            ],
            "reseller_portal",
        )

    def test_managers_reach_their_feeds(self):
        reachable = self.reachable(self.users["boss"])
        self.assertLessEqual(set(FEED_PORTAL_FIELDS), set(reachable))
        self.assertLessEqual(set(WEBHOOK_PORTAL_FIELDS), set(reachable))
        self.assertLessEqual(set(INSTALLED_BASE_PORTAL_FIELDS), set(reachable))
        self.assertIn(
            "FIELDS-REG-1",
            reachable["renewal.installed.product"].mapped("serial_number"),
        )
        self.assertEqual(reachable["renewal.portal.link"], self.link_branded)
        for kind in ("customer", "seller", "distri"):
            with self.subTest(user=kind):
                self.assertFalse(
                    (
                        set(FEED_PORTAL_FIELDS)
                        | set(LINK_PORTAL_FIELDS)
                        | set(WEBHOOK_PORTAL_FIELDS)
                        | {"renewal.registration"}
                    )
                    & set(self.reachable(self.users[kind]))
                )

    def test_each_kind_reads_its_own_contracts(self):
        result = super().test_each_kind_reads_its_own_contracts()
        seen = {
            kind: set(
                self.reachable(self.users[kind])["renewal.contract"].mapped("name")
            )
            for kind in ("boss", "distri")
        }
        self.assertEqual(seen["boss"], {"SH-A1", "SH-A2", "FA-C2"})
        self.assertEqual(seen["distri"], {"SH-A1"})
        return result
