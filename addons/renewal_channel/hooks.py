def post_init_hook(env):
    """Serve the partner API at once: an endpoint loaded from data is not
    routed until its registry is synchronised."""
    env["fastapi.endpoint"].search(
        [("app", "=", "renewal_partner")]
    ).action_sync_registry()


def uninstall_hook(env):
    """The resellers' own cadences go with this addon: without their
    reseller, their steps would join the companies' cadences."""
    env["renewal.notice.step"].with_context(active_test=False).search(
        [("reseller_id", "!=", False)]
    ).unlink()
