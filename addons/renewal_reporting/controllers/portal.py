from odoo import http
from odoo.http import request

from odoo.addons.renewal_portal.controllers.portal import RenewalPortal


class RenewalScorecardPortal(RenewalPortal):
    """``/my/renewals`` headed, for a reseller's or distributor's renewals
    manager, by the partner's own scorecard. Who may see it and what it
    holds is the business of ``renewal.report.scorecard``; the page asks it
    as the logged-in user."""

    @http.route()
    def portal_my_renewals(self, page=1, sortby=None, filterby=None, search=None, **kw):
        response = super().portal_my_renewals(
            page=page, sortby=sortby, filterby=filterby, search=search, **kw
        )
        qcontext = getattr(response, "qcontext", None)
        if (
            qcontext is not None
            and int(page) == 1
            and request.env.user._renewal_channel_partner()
        ):
            qcontext["renewal_scorecards"] = request.env[
                "renewal.report.scorecard"
            ]._portal_scorecards()
        return response
