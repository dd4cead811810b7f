from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import (
    CustomerPortal,
    pager as portal_pager,
)

from ..tools.form import parse_number

PAGE_SIZE = 50
STATUS_ORDER = ("overdue", "due", "live", "cancelled")
CUSTOMER_ACTIONS = ("callback", "reseller", "decline", "reply", "po", "renew_part")
SALES_ACTIONS = (
    "reply",
    "amend_line",
    "amend_contract",
    "cancel",
    "reopen",
    "undo_part",
)
REPORT_TYPES = ("html", "pdf")


class RenewalPortal(CustomerPortal):
    """The renewal pages: ``/renewals/<token>`` for a customer or a
    salesperson following an e-mailed link, ``/my/renewals`` for portal users
    (customers and resellers), whose access the record rules decide."""

    # ------------------------------------------------------------------
    # /my
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "renewal_count" in counters:
            Contract = request.env["renewal.contract"]
            values["renewal_count"] = (
                Contract.search_count([]) if Contract.has_access("read") else 0
            )
        return values

    @http.route(
        ["/my/renewals", "/my/renewals/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_renewals(self, page=1, sortby=None, filterby=None, search=None, **kw):
        Contract = request.env["renewal.contract"]
        if not Contract.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            self._renewal_list_values(
                Contract, [], "/my/renewals", page, sortby, filterby, search
            )
        )
        values.update(page_name="renewals", link=None, token=None)
        return request.render("renewal_portal.portal_my_renewals", values)

    @http.route(
        "/my/renewals/<int:contract_id>", type="http", auth="user", website=True
    )
    def portal_my_renewal(self, contract_id, **kw):
        try:
            contract_sudo = self._document_check_access("renewal.contract", contract_id)
        except (AccessError, MissingError):
            return request.redirect("/my/renewals")
        values = self._prepare_portal_layout_values()
        values.update(self._renewal_detail_values(contract_sudo, None, None))
        values["page_name"] = "renewal"
        return request.render("renewal_portal.renewal_contract_page", values)

    # ------------------------------------------------------------------
    # Token pages
    # ------------------------------------------------------------------

    def _renewal_check_access(self, token, contract_id=None):
        """The link of ``token`` and, when ``contract_id`` is given, that
        contract if the link reaches it, both as superuser. An unknown,
        expired or revoked token and a contract out of the link's reach raise
        MissingError alike: from outside they look the same. The page then
        speaks its reader's language."""
        link_sudo = request.env["renewal.portal.link"]._find(token)
        if not link_sudo:
            raise MissingError(request.env._("This link is not valid any more."))
        self._renewal_use_lang(link_sudo._reader_lang())
        if contract_id is None:
            return link_sudo, None
        contract_sudo = link_sudo._contract(contract_id)
        if not contract_sudo:
            raise MissingError(request.env._("This contract is not on this link."))
        return link_sudo, contract_sudo

    def _renewal_use_lang(self, code):
        """Render in language ``code`` when it is active, as Odoo's portal
        renders a document for its partner."""
        lang = request.env["res.lang"]._get_data(code=code)
        if lang.code and lang.code != request.env.lang:
            request.update_context(lang=lang.code)
            request.lang = lang

    def _renewal_invalid(self):
        return request.render("renewal_portal.renewal_link_invalid", status=404)

    @http.route(
        ["/renewals/<string:token>", "/renewals/<string:token>/page/<int:page>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def renewal_page(
        self, token, page=1, sortby=None, filterby=None, search=None, **kw
    ):
        try:
            link_sudo, _contract = self._renewal_check_access(token)
        except MissingError:
            return self._renewal_invalid()
        link_sudo._touch()
        values = self._renewal_list_values(
            request.env["renewal.contract"].sudo().with_company(link_sudo.company_id),
            link_sudo._contract_domain(),
            f"/renewals/{token}",
            page,
            sortby,
            filterby,
            search,
        )
        values.update(link=link_sudo, token=token, page_name="renewals")
        return request.render("renewal_portal.renewal_page", values)

    @http.route(
        "/renewals/<string:token>/contract/<int:contract_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def renewal_contract(self, token, contract_id, message=None, **kw):
        try:
            link_sudo, contract_sudo = self._renewal_check_access(token, contract_id)
        except MissingError:
            return self._renewal_invalid()
        return self._renewal_contract_page(
            link_sudo, contract_sudo, token, message=message
        )

    def _renewal_contract_page(self, link_sudo, contract_sudo, token, **values):
        values.update(self._renewal_detail_values(contract_sudo, link_sudo, token))
        status = 400 if values.get("error") else 200
        return request.render(
            "renewal_portal.renewal_contract_page", values, status=status
        )

    @http.route(
        "/renewals/<string:token>/contract/<int:contract_id>/certificate",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def renewal_certificate(
        self, token, contract_id, report_type="pdf", download=False, **kw
    ):
        try:
            _link, contract_sudo = self._renewal_check_access(token, contract_id)
        except MissingError:
            return self._renewal_invalid()
        if report_type not in REPORT_TYPES:
            return self._renewal_invalid()
        return self._show_report(
            contract_sudo,
            report_type,
            "renewal_contracts.action_report_renewal_certificate",
            download=str(download).lower() in ("1", "true"),
        )

    @http.route(
        "/renewals/<string:token>/contract/<int:contract_id>/do",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def renewal_action(self, token, contract_id, action=None, **post):
        """Every action taken from a renewal page. CSRF is checked by Odoo;
        the token must be valid, the contract within its reach, and the
        action allowed for its view. What the action does is the contract's
        business (``_portal_*`` methods); a refusal is shown on the page,
        with nothing written."""
        try:
            link_sudo, contract_sudo = self._renewal_check_access(token, contract_id)
        except MissingError:
            return self._renewal_invalid()
        allowed = SALES_ACTIONS if link_sudo.scope == "sales" else CUSTOMER_ACTIONS
        if action not in allowed:
            return request.render("renewal_portal.renewal_forbidden", status=403)
        handler = getattr(self, f"_renewal_do_{action}")
        try:
            with request.env.cr.savepoint():
                result = handler(link_sudo, contract_sudo, post)
        except UserError as error:
            return self._renewal_contract_page(
                link_sudo, contract_sudo, token, error=error.args[0]
            )
        if not isinstance(result, str):
            return result
        return request.redirect(
            f"/renewals/{token}/contract/{contract_sudo.id}?message={result}"
        )

    @http.route(
        "/renewals/<string:token>/unsubscribe",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
        csrf=False,
    )
    def renewal_unsubscribe(self, token, **post):
        """Stop (or resume) renewal notices for the link's customer. GET asks
        to confirm; POST does it, including the one-click POST of mail
        clients (RFC 8058), which carries no CSRF token: the link's own
        token is the secret."""
        try:
            link_sudo, _contract = self._renewal_check_access(token)
        except MissingError:
            return self._renewal_invalid()
        if link_sudo.scope != "customer":
            return request.render("renewal_portal.renewal_forbidden", status=403)
        customer_sudo = link_sudo.partner_id
        done = None
        if request.httprequest.method == "POST":
            opt_out = not post.get("resubscribe")
            if customer_sudo.renewal_notice_opt_out != opt_out:
                customer_sudo.renewal_notice_opt_out = opt_out
                customer_sudo.message_post(
                    body=(
                        request.env._(
                            "%(person)s unsubscribed from renewal notices.",
                            person=link_sudo.holder_id.name,
                        )
                        if opt_out
                        else request.env._(
                            "%(person)s subscribed to renewal notices again.",
                            person=link_sudo.holder_id.name,
                        )
                    ),
                    author_id=link_sudo.holder_id.id,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            done = "unsubscribed" if opt_out else "subscribed"
        return request.render(
            "renewal_portal.renewal_unsubscribe_page",
            {
                "link": link_sudo,
                "token": token,
                "customer": customer_sudo,
                "done": done,
            },
        )

    # ------------------------------------------------------------------
    # Actions: the form's fields to the contract's ``_portal_*`` methods.
    # Each returns the message to show on the page.
    # ------------------------------------------------------------------

    def _renewal_do_callback(self, link_sudo, contract_sudo, post):
        contract_sudo._portal_request_callback(link_sudo, post.get("note"))
        return "callback"

    def _renewal_do_reseller(self, link_sudo, contract_sudo, post):
        contract_sudo._portal_ask_reseller(link_sudo)
        return "reseller"

    def _renewal_do_reply(self, link_sudo, contract_sudo, post):
        contract_sudo._portal_reply(link_sudo, post.get("body"))
        return "sent"

    def _renewal_do_po(self, link_sudo, contract_sudo, post):
        contract_sudo._portal_set_po(link_sudo, post.get("po"))
        return "po"

    def _renewal_do_decline(self, link_sudo, contract_sudo, post):
        contract_sudo._portal_cancel(
            link_sudo, self._renewal_reason(post.get("reason_id")), post.get("note")
        )
        return "declined"

    def _renewal_do_cancel(self, link_sudo, contract_sudo, post):
        self._renewal_do_decline(link_sudo, contract_sudo, post)
        return "saved"

    def _renewal_do_reopen(self, link_sudo, contract_sudo, post):
        contract_sudo._portal_reopen(link_sudo)
        return "saved"

    def _renewal_do_renew_part(self, link_sudo, contract_sudo, post):
        open_lines = contract_sudo._open_lines()
        keep = open_lines.filtered(lambda line: post.get(f"keep_{line.id}"))
        reasons = {
            line.id: reason
            for line in open_lines - keep
            if (reason := self._renewal_reason(post.get(f"reason_{line.id}")))
        }
        contract_sudo._portal_renew_in_part(link_sudo, keep, reasons)
        return "renewed_in_part"

    def _renewal_do_undo_part(self, link_sudo, contract_sudo, post):
        line_sudo = self._renewal_line(contract_sudo, post)
        if not line_sudo:
            return self._renewal_invalid()
        contract_sudo._portal_undo_renew_in_part(link_sudo, line_sudo)
        return "undone"

    def _renewal_do_amend_line(self, link_sudo, contract_sudo, post):
        line_sudo = self._renewal_line(contract_sudo, post)
        if not line_sudo:
            return self._renewal_invalid()
        contract_sudo._portal_amend_line(
            link_sudo,
            line_sudo,
            parse_number(post.get("renewal_price")),
            parse_number(post.get("renewal_discount")),
            post.get("warranty_only"),
        )
        return "saved"

    def _renewal_do_amend_contract(self, link_sudo, contract_sudo, post):
        contract_sudo._portal_amend_contract(
            link_sudo, post.get("do_not_contact"), post.get("consolidated_into")
        )
        return "saved"

    def _renewal_line(self, contract_sudo, post):
        """The contract's line the form is about (``line_id``), if any."""
        return contract_sudo.line_ids.filtered(
            lambda line: str(line.id) == post.get("line_id")
        )

    def _renewal_reason(self, reason_id):
        reason_id = int(reason_id) if str(reason_id or "").isdigit() else 0
        return request.env["renewal.cancel.reason"].sudo().browse(reason_id).exists()

    # ------------------------------------------------------------------
    # Values
    # ------------------------------------------------------------------

    def _renewal_searchbar(self):
        env = request.env
        return {
            "sortings": {
                "expiry": {
                    "label": env._("Next expiry"),
                    "order": "next_expiry_date, id",
                },
                "number": {"label": env._("Contract number"), "order": "name, id"},
                "amount": {
                    "label": env._("Amount due"),
                    "order": "amount_renewal desc, id",
                },
            },
            "filters": {
                "all": {"label": env._("All"), "domain": []},
                "overdue": {
                    "label": env._("Expired & overdue"),
                    "domain": [("status", "=", "overdue")],
                },
                "due": {
                    "label": env._("Due for renewal"),
                    "domain": [("status", "=", "due")],
                },
                "live": {"label": env._("Live"), "domain": [("status", "=", "live")]},
                "cancelled": {
                    "label": env._("Cancelled"),
                    "domain": [("status", "=", "cancelled")],
                },
            },
        }

    def _renewal_list_values(
        self, Contract, domain, url, page, sortby, filterby, search
    ):
        """The contract list: search, filter by status, sort, one page of
        contracts, and totals by status. The number of queries does not grow
        with the number of contracts."""
        searchbar = self._renewal_searchbar()
        sortby = sortby if sortby in searchbar["sortings"] else "expiry"
        filterby = filterby if filterby in searchbar["filters"] else "all"
        # No NUL character reaches PostgreSQL.
        search = (search or "").replace("\x00", "").strip()
        if search:
            domain = self._renewal_search_domain(Contract, domain, search)
        totals = {
            status: {"count": count, "amount": amount}
            for status, count, amount in Contract._read_group(
                domain, ["status"], ["__count", "amount_renewal:sum"]
            )
        }
        list_domain = expression.AND([domain, searchbar["filters"][filterby]["domain"]])
        count = Contract.search_count(list_domain)
        pager = portal_pager(
            url=url,
            url_args={"sortby": sortby, "filterby": filterby, "search": search},
            total=count,
            page=page,
            step=PAGE_SIZE,
        )
        contracts = Contract.search(
            list_domain,
            order=searchbar["sortings"][sortby]["order"],
            limit=PAGE_SIZE,
            offset=pager["offset"],
        )
        # Access decided by the search (record rules for /my, the link's
        # reach otherwise); what the page shows of the lines' products,
        # levels and channel is read as superuser, as Odoo's portal does.
        contracts = contracts.sudo()
        # One query for the lines and their products of the whole page.
        contracts.line_ids.fetch(
            ["product_id", "serial_number", "status", "warranty_only"]
        )
        contracts.line_ids.product_id.fetch(["display_name"])
        return {
            "contracts": contracts,
            "totals": totals,
            "status_order": STATUS_ORDER,
            "status_labels": dict(
                Contract._fields["status"]._description_selection(request.env)
            ),
            "pager": pager,
            "default_url": url,
            "searchbar_sortings": searchbar["sortings"],
            "searchbar_filters": searchbar["filters"],
            "sortby": sortby,
            "filterby": filterby,
            "search": search,
            "search_in": "all",
            "searchbar_inputs": {},
        }

    def _renewal_search_domain(self, Contract, domain, search):
        """The contracts of ``domain`` whose number, a serial number or a
        product matches ``search``. Portal users do not read products: the
        match runs as superuser, among the contracts ``domain`` gives the
        user already."""
        reachable = Contract._search(domain)
        matches = Contract.sudo()._search(
            [
                ("id", "in", reachable),
                "|",
                "|",
                ("name", "ilike", search),
                ("line_ids.serial_number", "ilike", search),
                ("line_ids.product_id.name", "ilike", search),
            ]
        )
        return [("id", "in", matches)]

    def _renewal_detail_values(self, contract_sudo, link, token):
        quotation = contract_sudo._renewal_open_quotation()
        if quotation:
            quotation._portal_ensure_token()
        return {
            "contract": contract_sudo,
            "link": link,
            "token": token,
            "quotation": quotation,
            "choosable_lines": contract_sudo._open_lines(),
            "reasons": request.env["renewal.cancel.reason"].sudo().search([]),
            "status_labels": dict(
                contract_sudo._fields["status"]._description_selection(request.env)
            ),
        }
