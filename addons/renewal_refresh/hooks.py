# The demo campaign's outputs live in other apps' tables (quotations, one of
# them confirmed, opportunities, a mailing) and hold on to the demo products
# and customers; without them, uninstalling removes every record of the demo.
DEMO_CAMPAIGNS = (
    "renewal_refresh.campaign_refresh_end_of_support",
    "renewal_refresh.campaign_refresh_uncovered",
    "renewal_refresh.campaign_refresh_prosupport",
)


def uninstall_hook(env):
    """Remove what the demo campaigns produced (demo databases only: a
    campaign of the user's own keeps its opportunities and quotations)."""
    campaigns = env["renewal.refresh.campaign"].with_context(active_test=False)
    for xmlid in DEMO_CAMPAIGNS:
        campaigns |= env.ref(xmlid, raise_if_not_found=False) or campaigns
    if not campaigns:
        return
    orders = env["sale.order"].search(
        [("renewal_refresh_campaign_id", "in", campaigns.ids)]
    )
    orders._action_cancel()
    # With Inventory, the confirmed demo quotation made a delivery: once
    # cancelled, its moves would still hold on to the demo products.
    if "picking_ids" in orders._fields:
        pickings = orders.picking_ids
        pickings.move_ids.unlink()
        pickings.unlink()
    orders.unlink()
    env["crm.lead"].with_context(active_test=False).search(
        [("renewal_refresh_campaign_id", "in", campaigns.ids)]
    ).unlink()
    campaigns.mailing_id.unlink()
