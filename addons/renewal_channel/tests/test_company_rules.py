from odoo.tests import tagged

from odoo.addons.renewal_contracts.tests import test_company_rules as core

from .common import FeedCase, csv_bytes, row

FEED_MODELS = {
    "renewal.feed.source",
    "renewal.feed.column",
    "renewal.feed.product.alias",
    "renewal.feed.import",
    "renewal.feed.import.error",
    "renewal.feed.chunk",
}


@tagged("post_install", "-at_install")
class TestChannelCompanyRules(core.TestCompanyRules, FeedCase):
    """The core's company walk again, with company B's feeds: its source,
    mapping, aliases, imports, rejected rows and chunks are out of company
    A's reach too."""

    # Odoo 18 only collects test methods a class defines itself, unless told.
    allow_inherited_tests_method = True
    filled = core.CORE | FEED_MODELS

    @classmethod
    def _make_company_b_records(cls, in_b):
        result = super()._make_company_b_records(in_b)
        source = cls.make_source(
            "Feed of B",
            partner=cls.company_b.partner_id,
            company_id=cls.company_b.id,
            product_alias_ids=[(0, 0, {"code": "R-ONE", "product_id": cls.product.id})],
        )
        # A good row (contract, line, chunk) and a bad one (import error).
        source.with_env(in_b).import_file(
            csv_bytes(
                [
                    row("B-1", "B-C2", customer="Bravo Kunde GmbH", end="2026-09-13"),
                    row("B-2", "B-C2", product="NOPE"),
                ]
            ),
            "b.csv",
            delay=False,
        )
        return result
