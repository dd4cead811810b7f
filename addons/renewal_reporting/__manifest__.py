# Copyright 2026 Renewals Suite Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Renewal Reporting",
    "summary": "Renewal dashboard, drill-down and channel ranking tables",
    "version": "18.0.2.0.0",
    "category": "Sales/Renewals",
    "website": "https://github.com/renewals-suite/renewals",
    "author": "Renewals Suite Authors",
    "maintainers": ["renewals-suite"],
    "license": "LGPL-3",
    "depends": ["renewal_channel"],
    "data": [],
    "installable": True,
}
