from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import (
    CustomerPortal,
    pager as portal_pager,
)

from ..models.renewal_feed_source import MAX_UPLOAD_BYTES
from ..tools.spreadsheet import CSV_MIMETYPE, XLSX_MIMETYPE, csv_bytes, xlsx_bytes

PAGE_SIZE = 50
# How many rejected rows the import page shows; the CSV has them all.
REJECTED_ON_PAGE = 200
DUE_WINDOWS = (30, 60, 90)
EXPORT_FORMATS = ("csv", "xlsx")


class ResellerPortal(CustomerPortal):
    """A reseller's (or distributor's) renewals manager in ``/my``: their
    feeds (upload, progress, rejected rows), the renewals due, and their
    customers' renewal links. Every page asks the models, as the logged-in
    user, which the record rules and the models' own checks answer; anyone
    else gets 403, and a record out of reach 404."""

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["renewal_channel_partner"] = (
            request.env.user._renewal_channel_partner().sudo()
        )
        return values

    def _reseller_channel(self):
        """The channel partner the user manages, or 403."""
        channel = request.env.user._renewal_channel_partner()
        if not channel:
            raise Forbidden()
        return channel.sudo()

    def _reseller_record(self, model, record_id):
        """Record ``record_id`` of ``model`` if the user may read it, else
        404: out of reach and missing look the same."""
        record = request.env[model].browse(record_id).exists()
        if not record:
            raise NotFound()
        try:
            record.check_access("read")
        except AccessError as exc:
            raise NotFound() from exc
        return record

    def _reseller_values(self, page_name, **values):
        result = self._prepare_portal_layout_values()
        result.update(page_name=page_name, **values)
        return result

    def _reseller_download(self, content, filename, mimetype):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    # ------------------------------------------------------------------
    # Feeds
    # ------------------------------------------------------------------

    @http.route(
        ["/my/feeds", "/my/feeds/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def reseller_feeds(self, page=1, **kw):
        self._reseller_channel()
        return self._reseller_feeds_page(page)

    def _reseller_feeds_page(self, page=1, error=None, status=200):
        env = request.env
        sources = env["renewal.feed.source"].search([])
        Import = env["renewal.feed.import"]
        pager = portal_pager(
            url="/my/feeds", total=Import.search_count([]), page=page, step=PAGE_SIZE
        )
        imports = Import.search([], limit=PAGE_SIZE, offset=pager["offset"])
        values = self._reseller_values(
            "reseller_feeds",
            sources=sources.sudo(),
            imports=imports.sudo(),
            pager=pager,
            error=error,
            targets=dict(
                env["renewal.feed.column"]._fields["target"]._description_selection(env)
            ),
            states=dict(Import._fields["state"]._description_selection(env)),
            max_upload_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
        )
        return request.render(
            "renewal_channel.portal_my_reseller_feeds", values, status=status
        )

    @http.route(
        "/my/feeds/<int:source_id>/upload",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def reseller_feed_upload(self, source_id, mode="check", **post):
        self._reseller_channel()
        source = self._reseller_record("renewal.feed.source", source_id)
        upload = request.httprequest.files.get("file")
        content = upload.read(MAX_UPLOAD_BYTES + 1) if upload else b""
        try:
            with request.env.cr.savepoint():
                feed_import = source._reseller_upload(
                    content,
                    upload.filename if upload else "",
                    dry_run=mode != "import",
                )
        except UserError as error:
            return self._reseller_feeds_page(error=error.args[0], status=400)
        return request.redirect(f"/my/feeds/import/{feed_import.id}")

    @http.route(
        "/my/feeds/import/<int:import_id>", type="http", auth="user", website=True
    )
    def reseller_feed_import(self, import_id, **kw):
        self._reseller_channel()
        feed_import = self._reseller_record("renewal.feed.import", import_id)
        return self._reseller_import_page(feed_import)

    def _reseller_import_page(self, feed_import, error=None, status=200):
        env = request.env
        rejected = feed_import.error_ids.filtered(lambda e: not e.is_conflict)
        values = self._reseller_values(
            "reseller_feed_import",
            feed_import=feed_import.sudo(),
            progress=feed_import._reseller_progress(),
            rejected=rejected[:REJECTED_ON_PAGE].sudo(),
            rejected_total=len(rejected),
            states=dict(
                env["renewal.feed.import"]._fields["state"]._description_selection(env)
            ),
            error=error,
        )
        return request.render(
            "renewal_channel.portal_my_reseller_feed_import",
            values,
            status=status,
        )

    @http.route(
        "/my/feeds/import/<int:import_id>/progress",
        type="json",
        auth="user",
        website=True,
    )
    def reseller_feed_import_progress(self, import_id, **kw):
        self._reseller_channel()
        return self._reseller_record(
            "renewal.feed.import", import_id
        )._reseller_progress()

    @http.route(
        "/my/feeds/import/<int:import_id>/run",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def reseller_feed_import_run(self, import_id, **post):
        self._reseller_channel()
        feed_import = self._reseller_record("renewal.feed.import", import_id)
        try:
            with request.env.cr.savepoint():
                new_import = feed_import.action_reseller_import()
        except UserError as error:
            return self._reseller_import_page(
                feed_import, error=error.args[0], status=400
            )
        return request.redirect(f"/my/feeds/import/{new_import.id}")

    @http.route(
        "/my/feeds/import/<int:import_id>/rejected.csv",
        type="http",
        auth="user",
        website=True,
    )
    def reseller_feed_import_rejected(self, import_id, **kw):
        self._reseller_channel()
        feed_import = self._reseller_record("renewal.feed.import", import_id)
        header, rows = feed_import._reseller_rejected_table()
        return self._reseller_download(
            csv_bytes(header, rows),
            feed_import.sudo().rejected_filename,
            CSV_MIMETYPE,
        )

    # ------------------------------------------------------------------
    # Due renewals
    # ------------------------------------------------------------------

    def _reseller_due_window(self, days, overdue):
        """``(days, include overdue)`` from the query string: a number of
        days (30 when absent or not a number; the model says when it is out
        of range)."""
        days = int(days) if str(days or "").isdigit() else DUE_WINDOWS[0]
        return days, str(overdue) == "1"

    @http.route(
        ["/my/due-renewals", "/my/due-renewals/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def reseller_due(self, page=1, days=None, overdue=None, **kw):
        self._reseller_channel()
        days, include_overdue = self._reseller_due_window(days, overdue)
        Line = request.env["renewal.contract.line"]
        url_args = {"days": days, "overdue": "1" if include_overdue else "0"}
        values = self._reseller_values(
            "reseller_due",
            days=days,
            include_overdue=include_overdue,
            windows=DUE_WINDOWS,
            url_args=url_args,
            status_labels=dict(Line._fields["status"]._description_selection(Line.env)),
        )
        try:
            lines, total = Line._reseller_due_lines(
                days,
                include_overdue,
                offset=(max(page, 1) - 1) * PAGE_SIZE,
                limit=PAGE_SIZE,
            )
        except UserError as error:
            values.update(lines=Line.browse(), total=0, pager=None, error=error.args[0])
            return request.render(
                "renewal_channel.portal_my_reseller_due", values, status=400
            )
        values.update(
            lines=lines,
            total=total,
            error=None,
            pager=portal_pager(
                url="/my/due-renewals",
                url_args=url_args,
                total=total,
                page=page,
                step=PAGE_SIZE,
            ),
        )
        return request.render("renewal_channel.portal_my_reseller_due", values)

    @http.route(
        "/my/due-renewals/export/<string:fmt>", type="http", auth="user", website=True
    )
    def reseller_due_export(self, fmt, days=None, overdue=None, **kw):
        self._reseller_channel()
        if fmt not in EXPORT_FORMATS:
            raise NotFound()
        days, include_overdue = self._reseller_due_window(days, overdue)
        try:
            header, rows = request.env["renewal.contract.line"]._reseller_due_table(
                days, include_overdue
            )
        except UserError as error:
            return request.make_response(
                error.args[0],
                headers=[("Content-Type", "text/plain; charset=utf-8")],
                status=400,
            )
        filename = request.env._("renewals-due-%(days)s-days", days=days)
        if fmt == "xlsx":
            content = xlsx_bytes(header, rows, sheet_name=request.env._("Due"))
            return self._reseller_download(content, f"{filename}.xlsx", XLSX_MIMETYPE)
        return self._reseller_download(
            csv_bytes(header, rows), f"{filename}.csv", CSV_MIMETYPE
        )

    # ------------------------------------------------------------------
    # Customers and their links
    # ------------------------------------------------------------------

    @http.route(
        ["/my/renewal-customers", "/my/renewal-customers/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def reseller_customers(self, page=1, search=None, message=None, **kw):
        self._reseller_channel()
        return self._reseller_customers_page(page, search, message=message)

    def _reseller_customers_page(
        self, page=1, search=None, message=None, error=None, status=200
    ):
        env = request.env
        search = (search or "").replace("\x00", "").strip()
        customers = env["renewal.contract"]._reseller_customers(search)
        pager = portal_pager(
            url="/my/renewal-customers",
            url_args={"search": search},
            total=len(customers),
            page=page,
            step=PAGE_SIZE,
        )
        shown = customers[pager["offset"] : pager["offset"] + PAGE_SIZE]
        Link = env["renewal.portal.link"]
        last_sent = dict(
            Link._read_group(
                [("partner_id", "in", [customer.id for customer, _c, _d in shown])],
                ["partner_id"],
                ["create_date:max"],
            )
        )
        values = self._reseller_values(
            "reseller_customers",
            customers=[
                (
                    customer,
                    count,
                    next_expiry,
                    customer._renewal_reseller_contacts(),
                    last_sent.get(customer),
                )
                for customer, count, next_expiry in shown
            ],
            pager=pager,
            search=search,
            message=message,
            error=error,
        )
        return request.render(
            "renewal_channel.portal_my_reseller_customers",
            values,
            status=status,
        )

    @http.route(
        "/my/renewal-customers/<int:partner_id>/send-link",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def reseller_customer_send_link(self, partner_id, recipient_id=None, **post):
        self._reseller_channel()
        Partner = request.env["res.partner"]
        recipient_id = int(recipient_id) if str(recipient_id or "").isdigit() else 0
        try:
            with request.env.cr.savepoint():
                Partner.browse(partner_id)._renewal_reseller_send_link(
                    recipient=Partner.browse(recipient_id) if recipient_id else None
                )
        except AccessError as exc:
            raise NotFound() from exc
        except UserError as error:
            return self._reseller_customers_page(error=error.args[0], status=400)
        return request.redirect("/my/renewal-customers?message=sent")

    @http.route(
        ["/my/renewal-links", "/my/renewal-links/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def reseller_links(self, page=1, message=None, **kw):
        self._reseller_channel()
        return self._reseller_links_page(page, message=message)

    def _reseller_links_page(self, page=1, message=None, error=None, status=200):
        Link = request.env["renewal.portal.link"]
        pager = portal_pager(
            url="/my/renewal-links",
            total=Link.search_count([]),
            page=page,
            step=PAGE_SIZE,
        )
        links = Link.search([], limit=PAGE_SIZE, offset=pager["offset"])
        values = self._reseller_values(
            "reseller_links",
            links=links.sudo(),
            pager=pager,
            message=message,
            error=error,
        )
        return request.render(
            "renewal_channel.portal_my_reseller_links", values, status=status
        )

    @http.route(
        "/my/renewal-links/<int:link_id>/<string:action>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def reseller_link_action(self, link_id, action, **post):
        self._reseller_channel()
        if action not in ("resend", "revoke"):
            raise NotFound()
        link = self._reseller_record("renewal.portal.link", link_id)
        try:
            with request.env.cr.savepoint():
                if action == "resend":
                    link.action_reseller_resend()
                else:
                    link.action_reseller_revoke()
        except AccessError as exc:
            raise NotFound() from exc
        except UserError as error:
            return self._reseller_links_page(error=error.args[0], status=400)
        return request.redirect(f"/my/renewal-links?message={action}")
