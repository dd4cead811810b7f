# Copyright 2026 Renewals Suite Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Renewal Contracts",
    "summary": "One system of record for service contracts, what they cover, "
    "and their renewal status",
    "version": "18.0.1.0.0",
    "category": "Sales/Renewals",
    "website": "https://github.com/renewals-suite/renewals",
    "author": "Renewals Suite Authors",
    "maintainers": ["renewals-suite"],
    "license": "LGPL-3",
    "application": True,
    "depends": ["mail", "product", "queue_job"],
    "data": [
        "security/renewal_contracts_security.xml",
        "security/ir.model.access.csv",
        "data/renewal_cancel_reason_data.xml",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "wizard/renewal_contract_cancel_views.xml",
        "wizard/renewal_feed_source_upload_views.xml",
        "views/renewal_contract_line_views.xml",
        "views/renewal_contract_views.xml",
        "views/renewal_service_level_views.xml",
        "views/renewal_cancel_reason_views.xml",
        "views/renewal_status_refresh_views.xml",
        "views/renewal_feed_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/renewal_menus.xml",
    ],
    "demo": [
        "demo/renewal_demo.xml",
        "demo/renewal_feed_demo.xml",
    ],
}
