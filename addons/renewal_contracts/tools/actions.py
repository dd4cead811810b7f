def notification(message, kind="info", title=None, sticky=False):
    """A client action that shows ``message`` in a toast."""
    params = {"type": kind, "message": message, "sticky": sticky}
    if title:
        params["title"] = title
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": params,
    }
