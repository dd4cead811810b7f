from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRefreshDemo(TransactionCase):
    """The demo campaign shows every feature: targets per owner kind, the
    customers left out, opportunities won and lost, the mailing, upgrade
    quotations with accessories, one confirmed."""

    def test_demo_campaign(self):
        campaign = self.env.ref(
            "renewal_refresh.campaign_refresh_end_of_support", raise_if_not_found=False
        )
        if not campaign:
            self.skipTest("no demo data")
        ref = self.env.ref
        targets = {target.partner_id: target for target in campaign.target_ids}
        harbour = targets[ref("renewal_refresh.partner_refresh_harbour")]
        lindqvist = targets[ref("renewal_refresh.partner_refresh_lindqvist")]
        ostrava = targets[ref("renewal_refresh.partner_refresh_ostrava")]
        self.assertEqual(harbour.owner_kind, "salesperson")
        self.assertEqual(harbour.product_count, 2)
        self.assertEqual(lindqvist.owner_kind, "reseller")
        self.assertEqual(
            lindqvist.reseller_contact_id,
            ref("renewal_contracts.partner_reseller_serverhuis_sanne"),
        )
        self.assertEqual(ostrava.owner_kind, "team")
        self.assertNotIn(ref("renewal_refresh.partner_refresh_optout"), targets)
        self.assertNotIn(ref("renewal_refresh.partner_refresh_blacklisted"), targets)
        self.assertGreaterEqual(campaign.excluded_partner_count, 2)
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.lead_won_count, 1)
        self.assertEqual(campaign.lead_lost_count, 1)
        self.assertEqual(campaign.order_confirmed_count, 1)
        self.assertGreater(campaign.revenue, 0)
        self.assertEqual(
            campaign.mailing_id.mailing_model_real, "renewal.refresh.target"
        )
        order = harbour.order_id
        self.assertEqual(
            order.sale_order_option_ids.product_id,
            ref("renewal_refresh.product_refresh_rail")
            | ref("renewal_refresh.product_refresh_psu"),
        )
        drafts = ref("renewal_refresh.campaign_refresh_uncovered") | ref(
            "renewal_refresh.campaign_refresh_prosupport"
        )
        self.assertEqual(set(drafts.mapped("state")), {"draft"})
