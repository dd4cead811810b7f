"""The placeholder of each customer's renewal link in a campaign's mailing.

The mailing's body holds ``RENEWAL_LINK_PLACEHOLDER``; each mail replaces it,
as it is sent, with a link issued for its recipient (only the link's digest
is stored, so the URL exists in the sent e-mail alone). Odoo's mass mailing
does the same for its unsubscribe and view-online links.
"""

import re

RENEWAL_LINK_PLACEHOLDER = "/renewals/refresh-link"

# The placeholder as the body holds it: relative, or made absolute on any
# base URL when the mail was rendered.
_PLACEHOLDER_RE = re.compile(
    r"(?:https?://[^\s\"'<>/]+)?" + re.escape(RENEWAL_LINK_PLACEHOLDER) + r"(?![\w-])"
)


def has_placeholder(body):
    return bool(body) and RENEWAL_LINK_PLACEHOLDER in body


def replace_placeholder(body, url):
    """``body`` with every renewal link placeholder replaced by ``url``
    (the same type of string as ``body``: str or Markup)."""
    if not has_placeholder(body):
        return body
    return body.__class__(_PLACEHOLDER_RE.sub(lambda _match: url, str(body)))
