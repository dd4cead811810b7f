from markupsafe import Markup

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.portal.controllers.portal import (
    CustomerPortal,
    pager as portal_pager,
)

PAGE_SIZE = 50
STATUS_ORDER = ("overdue", "due", "live", "cancelled")
CUSTOMER_ACTIONS = ("callback", "reseller", "decline", "reply", "po")
SALES_ACTIONS = ("reply", "amend_line", "amend_contract", "cancel", "reopen")


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
            contract = request.env["renewal.contract"].browse(contract_id)
            contract.check_access("read")
            contract_sudo = contract.sudo()
        except (AccessError, MissingError):
            return request.redirect("/my/renewals")
        values = self._prepare_portal_layout_values()
        values.update(self._renewal_detail_values(contract_sudo, link=None, token=None))
        values["page_name"] = "renewal"
        return request.render("renewal_portal.renewal_contract_page", values)

    # ------------------------------------------------------------------
    # Token pages
    # ------------------------------------------------------------------

    def _renewal_link(self, token):
        return request.env["renewal.portal.link"]._find(token)

    def _renewal_invalid(self):
        return request.render("renewal_portal.renewal_link_invalid", status=404)

    def _renewal_contract_of(self, link, contract_id):
        """The contract ``contract_id`` if it belongs to the link's customer."""
        contract_sudo = (
            request.env["renewal.contract"].sudo().browse(contract_id).exists()
        )
        if not contract_sudo or contract_sudo.partner_id != link.partner_id:
            return None
        return contract_sudo

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
        link = self._renewal_link(token)
        if not link:
            return self._renewal_invalid()
        link.sudo()._touch()
        Contract_sudo = (
            request.env["renewal.contract"].sudo().with_company(link.company_id)
        )
        values = self._renewal_list_values(
            Contract_sudo,
            [("partner_id", "=", link.partner_id.id)],
            f"/renewals/{token}",
            page,
            sortby,
            filterby,
            search,
        )
        values.update(link=link, token=token, page_name="renewals")
        return request.render("renewal_portal.renewal_page", values)

    @http.route(
        "/renewals/<string:token>/contract/<int:contract_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def renewal_contract(self, token, contract_id, **kw):
        link = self._renewal_link(token)
        contract_sudo = link and self._renewal_contract_of(link, contract_id)
        if not contract_sudo:
            return self._renewal_invalid()
        values = self._renewal_detail_values(contract_sudo, link=link, token=token)
        values["message"] = kw.get("message")
        return request.render("renewal_portal.renewal_contract_page", values)

    @http.route(
        "/renewals/<string:token>/contract/<int:contract_id>/certificate",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def renewal_certificate(
        self, token, contract_id, report_type="pdf", download=False
    ):
        link = self._renewal_link(token)
        contract_sudo = link and self._renewal_contract_of(link, contract_id)
        if not contract_sudo:
            return self._renewal_invalid()
        return self._show_report(
            contract_sudo,
            report_type,
            "renewal_contracts.action_report_renewal_certificate",
            download=download,
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
        the token must be valid, the contract its customer's, and the action
        allowed for its view."""
        link = self._renewal_link(token)
        contract_sudo = link and self._renewal_contract_of(link, contract_id)
        if not contract_sudo:
            return self._renewal_invalid()
        allowed = SALES_ACTIONS if link.scope == "sales" else CUSTOMER_ACTIONS
        if action not in allowed:
            return request.render("renewal_portal.renewal_forbidden", status=403)
        handler = getattr(self, f"_renewal_do_{action}")
        result = handler(link, contract_sudo, post)
        if result is not None and not isinstance(result, str):
            return result
        url = f"/renewals/{token}/contract/{contract_sudo.id}"
        return request.redirect(f"{url}?message={result}" if result else url)

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
        link = self._renewal_link(token)
        if not link:
            return self._renewal_invalid()
        if link.scope != "customer":
            return request.render("renewal_portal.renewal_forbidden", status=403)
        customer_sudo = link.partner_id.sudo()
        done = None
        if request.httprequest.method == "POST":
            opt_out = not post.get("resubscribe")
            if customer_sudo.renewal_notice_opt_out != opt_out:
                customer_sudo.renewal_notice_opt_out = opt_out
                customer_sudo.message_post(
                    body=(
                        request.env._(
                            "%(person)s unsubscribed from renewal notices.",
                            person=link.holder_id.name,
                        )
                        if opt_out
                        else request.env._(
                            "%(person)s subscribed to renewal notices again.",
                            person=link.holder_id.name,
                        )
                    ),
                    author_id=link.holder_id.id,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            done = "unsubscribed" if opt_out else "subscribed"
        return request.render(
            "renewal_portal.renewal_unsubscribe_page",
            {"link": link, "token": token, "customer": customer_sudo, "done": done},
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _post(self, link, contract_sudo, body, subtype="mail.mt_comment", **kwargs):
        return contract_sudo.message_post(
            body=body,
            author_id=link.holder_id.id,
            message_type="comment",
            subtype_xmlid=subtype,
            **kwargs,
        )

    def _renewal_do_callback(self, link, contract_sudo, post):
        user = contract_sudo.user_id or contract_sudo.company_id.partner_id.user_ids[:1]
        note = post.get("note") or ""
        contract_sudo.activity_schedule(
            "mail.mail_activity_data_call",
            user_id=user.id or request.env.ref("base.user_root").id,
            summary=request.env._("Call-back requested by the customer"),
            note=note,
        )
        self._post(
            link,
            contract_sudo,
            request.env._(
                "Please call me back about this renewal. %(note)s", note=note
            ),
        )
        return "callback"

    def _renewal_do_reseller(self, link, contract_sudo, post):
        reseller = contract_sudo.reseller_salesperson_id or contract_sudo.reseller_id
        if not reseller:
            return "no_reseller"
        self._post(
            link,
            contract_sudo,
            request.env._(
                "I would like to renew through my reseller, %(reseller)s.",
                reseller=contract_sudo.reseller_id.name,
            ),
            partner_ids=reseller.ids,
        )
        return "reseller"

    def _renewal_do_decline(self, link, contract_sudo, post):
        return self._renewal_cancel(
            link,
            contract_sudo,
            post,
            lambda reason: request.env._(
                "The customer will not renew: %(reason)s", reason=reason.name
            ),
            done="declined",
            subtype="mail.mt_comment",
        )

    def _renewal_do_reply(self, link, contract_sudo, post):
        body = (post.get("body") or "").strip()
        if not body:
            return "empty"
        self._post(link, contract_sudo, body)
        return "sent"

    def _renewal_do_po(self, link, contract_sudo, post):
        number = (post.get("po") or "").strip()[:64]
        if not number:
            return "empty"
        contract_sudo.customer_po_number = number
        self._post(
            link,
            contract_sudo,
            request.env._("Customer PO number: %(po)s", po=number),
            subtype="mail.mt_note",
        )
        return "po"

    def _renewal_do_amend_line(self, link, contract_sudo, post):
        try:
            line_id = int(post.get("line_id") or 0)
            renewal_price = float(post.get("renewal_price") or 0.0)
            discount = float(post.get("renewal_discount") or 0.0)
        except ValueError:
            return "invalid"
        line = contract_sudo.line_ids.filtered(lambda line: line.id == line_id)
        if not line:
            return self._renewal_invalid()
        if renewal_price < 0 or not 0 <= discount <= 100:
            return "invalid"
        values = {
            "renewal_price": renewal_price,
            "renewal_discount": discount,
            "warranty_only": bool(post.get("warranty_only")),
        }
        self._renewal_write_logged(link, contract_sudo, line, values)
        return "saved"

    def _renewal_do_amend_contract(self, link, contract_sudo, post):
        values = {"do_not_contact": bool(post.get("do_not_contact"))}
        target = (post.get("consolidated_into") or "").strip()
        if target:
            into = (
                request.env["renewal.contract"]
                .sudo()
                .search(
                    [
                        ("name", "=", target),
                        ("partner_id", "=", link.partner_id.id),
                        ("id", "!=", contract_sudo.id),
                    ],
                    limit=1,
                )
            )
            if not into:
                return "unknown_contract"
            values["consolidated_into_id"] = into.id
        elif "consolidated_into" in post:
            values["consolidated_into_id"] = False
        self._renewal_write_logged(link, contract_sudo, contract_sudo, values)
        return "saved"

    def _renewal_do_cancel(self, link, contract_sudo, post):
        return self._renewal_cancel(
            link,
            contract_sudo,
            post,
            lambda reason: request.env._(
                "Cancelled by %(who)s: %(reason)s",
                who=link.holder_id.name,
                reason=reason.name,
            ),
        )

    def _renewal_cancel(
        self, link, contract_sudo, post, message, done="saved", subtype="mail.mt_note"
    ):
        """Cancel the contract for the reason chosen in the form (required),
        and say so in its chatter in the link holder's name."""
        reason = self._renewal_reason(post)
        if not reason:
            return "reason_required"
        contract_sudo._cancel(reason, note=post.get("note") or False)
        self._post(link, contract_sudo, message(reason), subtype=subtype)
        return done

    def _renewal_do_reopen(self, link, contract_sudo, post):
        if not contract_sudo.is_cancelled:
            return "saved"
        contract_sudo.write(
            {"is_cancelled": False, "cancel_reason_id": False, "cancel_date": False}
        )
        self._post(
            link,
            contract_sudo,
            request.env._("Re-opened by %(who)s.", who=link.holder_id.name),
            subtype="mail.mt_note",
        )
        return "saved"

    def _renewal_reason(self, post):
        try:
            reason_id = int(post.get("reason_id") or 0)
        except ValueError:
            return None
        reason = request.env["renewal.cancel.reason"].sudo().browse(reason_id).exists()
        return reason or None

    def _renewal_write_logged(self, link, contract_sudo, record, values):
        """Write ``values`` on ``record`` and say in the contract's chatter
        who changed what."""
        changes = []
        for name, value in values.items():
            field = record._fields[name]
            old = record[name]
            old_text = old.display_name if field.type == "many2one" else old
            if field.type == "many2one":
                new_text = (
                    request.env[field.comodel_name].sudo().browse(value).display_name
                )
                if old.id == (value or False):
                    continue
            else:
                new_text = value
                if old == value:
                    continue
            changes.append(
                (field.get_description(request.env)["string"], old_text, new_text)
            )
        if not changes:
            return
        record.write(values)
        what = (
            record.serial_number or record.product_id.display_name
            if record._name == "renewal.contract.line"
            else record.name
        )
        items = Markup("").join(
            Markup("<li>%s: %s → %s</li>") % (label, old or "-", new or "-")
            for label, old, new in changes
        )
        self._post(
            link,
            contract_sudo,
            Markup("%s<ul>%s</ul>")
            % (
                request.env._(
                    "%(who)s changed %(what)s:", who=link.holder_id.name, what=what
                ),
                items,
            ),
            subtype="mail.mt_note",
        )

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
        if search:
            domain = expression.AND(
                [
                    domain,
                    [
                        "|",
                        "|",
                        ("name", "ilike", search),
                        ("line_ids.serial_number", "ilike", search),
                        ("line_ids.product_id.name", "ilike", search),
                    ],
                ]
            )
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
            url_args={"sortby": sortby, "filterby": filterby, "search": search or ""},
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
        # Access decided by the search (record rules for /my, the token's
        # customer otherwise); what the page shows of the lines' products,
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
            "search": search or "",
            "search_in": "all",
            "searchbar_inputs": {},
        }

    def _renewal_detail_values(self, contract_sudo, link, token):
        quotation = contract_sudo._renewal_open_quotation()
        if quotation:
            quotation._portal_ensure_token()
        return {
            "contract": contract_sudo,
            "link": link,
            "token": token,
            "quotation": quotation,
            "reasons": request.env["renewal.cancel.reason"].sudo().search([]),
            "status_labels": dict(
                contract_sudo._fields["status"]._description_selection(request.env)
            ),
        }
