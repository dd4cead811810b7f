"""Uninstall each addon of the suite, most dependent first, and check that
nothing of it stays behind. Run by bin/test through ``odoo shell``, which
provides ``env``. Prints one ``ok``/``FAIL`` line per check."""

env = globals()["env"]  # provided by odoo shell

# Columns the addons add to Odoo's own tables, and to the tables of the
# addons they depend on.
COLUMNS = {
    "renewal_refresh": [
        ("crm_lead", "renewal_refresh_campaign_id"),
        ("crm_lead", "renewal_refresh_target_id"),
        ("crm_lead", "renewal_reseller_id"),
        ("crm_lead", "renewal_reseller_contact_id"),
        ("sale_order", "renewal_refresh_campaign_id"),
        ("sale_order", "renewal_refresh_target_id"),
        ("mailing_mailing", "renewal_refresh_campaign_id"),
    ],
    "renewal_stock": [("renewal_installed_product", "lot_id")],
    "renewal_channel": [
        ("res_partner", "renewal_quote_lead_days"),
        ("res_partner", "renewal_own_uplift"),
        ("res_partner", "renewal_uplift_percent"),
        ("res_partner", "renewal_discount_percent"),
        ("res_partner", "renewal_own_brand"),
        ("res_partner", "renewal_own_cadence"),
        ("res_partner", "renewal_reseller_manager"),
        ("renewal_contract", "feed_source_id"),
        ("renewal_contract", "publish_in_reseller_name"),
        ("renewal_contract_line", "feed_source_id"),
        ("renewal_notice_step", "reseller_id"),
        ("res_partner", "renewal_brand_primary_color"),
        ("res_partner", "renewal_brand_secondary_color"),
        ("renewal_portal_link", "brand_partner_id"),
        ("renewal_portal_link", "brand_contact_id"),
        ("renewal_portal_link", "channel_partner_id"),
        ("renewal_portal_link", "issued_by_id"),
        # The partner API's keys (OCA auth_api_key's table).
        ("auth_api_key", "key_hint"),
        ("auth_api_key", "is_renewal_partner_key"),
        ("auth_api_key", "commercial_partner_id"),
        ("auth_api_key", "last_used"),
        ("renewal_registration", "distributor_id"),
    ],
    "renewal_portal": [
        ("res_company", "renewal_link_days"),
    ],
    "renewal_contracts": [
        ("res_partner", "is_renewal_reseller"),
        ("res_partner", "is_renewal_distributor"),
        ("res_partner", "renewal_distributor_id"),
        ("res_company", "renewal_due_days"),
        ("res_company", "renewal_notice_from"),
        ("res_partner", "renewal_notice_opt_out"),
        ("res_partner", "renewal_notice_digest"),
        ("renewal_contract_line", "installed_product_id"),
        ("product_template", "renewal_end_of_sale_date"),
        ("product_template", "renewal_end_of_support_date"),
        ("product_template", "renewal_warranty_months"),
        ("product_template", "renewal_warranty_level_id"),
        ("product_template", "renewal_serial_pattern"),
        ("product_template", "renewal_registrable"),
    ],
}

ADDONS = {
    "renewal_refresh": ["renewal.refresh.campaign", "renewal.refresh.target"],
    "renewal_stock": [],
    "renewal_reporting": ["renewal.report.installed.base"],
    "renewal_channel": [
        "renewal.feed.source",
        "renewal.feed.column",
        "renewal.feed.product.alias",
        "renewal.feed.import",
        "renewal.feed.import.error",
        "renewal.feed.chunk",
        "renewal.feed.source.upload",
        "renewal.feed.matcher",
        "renewal.feed.writer",
        "renewal.webhook",
        "renewal.webhook.delivery",
        "auth.api.key.issue",
    ],
    "renewal_portal": ["renewal.portal.link", "renewal.portal.attempt"],
    "renewal_contracts": [
        "renewal.contract",
        "renewal.contract.line",
        "renewal.service.level",
        "renewal.cancel.reason",
        "renewal.status.refresh",
        "renewal.contract.cancel",
        "renewal.quote.lost",
        "renewal.notice",
        "renewal.notice.line",
        "renewal.notice.step",
        "renewal.installed.product",
        "renewal.registration",
        "renewal.installed.product.register",
    ],
}


def check(ok, what):
    print(("ok " if ok else "FAIL ") + what, flush=True)


for name, models in ADDONS.items():
    module = env["ir.module.module"].search([("name", "=", name)])
    module.button_immediate_uninstall()
    env.invalidate_all()
    check(module.state == "uninstalled", f"{name} uninstalled")
    left = env["ir.model"].search([("model", "in", models)])
    check(not left, f"{name} models removed {left.mapped('model') or ''}")
    for model in models:
        table = model.replace(".", "_")
        env.cr.execute("SELECT to_regclass(%s)", [table])
        check(env.cr.fetchone()[0] is None, f"{name} table {table} dropped")
    for table, column in COLUMNS.get(name, []):
        env.cr.execute(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = %s AND column_name = %s",
            [table, column],
        )
        check(not env.cr.fetchone(), f"{name} column {table}.{column} dropped")
    data = env["ir.model.data"].search_count([("module", "=", name)])
    check(data == 0, f"{name} leaves no ir.model.data ({data})")
    if name == "renewal_refresh":
        rel = "renewal_refresh_target_installed_product_rel"
        env.cr.execute("SELECT to_regclass(%s)", [rel])
        check(env.cr.fetchone()[0] is None, f"{name} table {rel} dropped")
    if name == "renewal_stock":
        env.cr.execute("SELECT to_regclass('stock_lot_renewal_product_id_name_index')")
        check(env.cr.fetchone()[0] is None, f"{name} index on stock_lot dropped")
    if name == "renewal_contracts":
        env.cr.execute("SELECT to_regclass('renewal_product_alternative_rel')")
        check(env.cr.fetchone()[0] is None, f"{name} table of alternatives dropped")
    if name == "renewal_channel":
        # The resellers' own cadences go with it: none joins a company's.
        env.cr.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM renewal_notice_step"
            " GROUP BY company_id, offset_days HAVING COUNT(*) > 1) AS twice"
        )
        twice = env.cr.fetchone()[0]
        check(twice == 0, f"{name} leaves one step per offset and company ({twice})")
    env.cr.commit()

print("uninstall: done", flush=True)
