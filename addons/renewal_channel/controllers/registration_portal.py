from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import (
    CustomerPortal,
    pager as portal_pager,
)

from ..models.renewal_feed_source import MAX_UPLOAD_BYTES
from ..models.renewal_registration import row_errors
from ..tools.registration import COLUMNS, MAX_ROWS, template_csv
from ..tools.spreadsheet import CSV_MIMETYPE

PAGE_SIZE = 50
# What the one-product form sends: the upload file's columns.
FORM_FIELDS = tuple(COLUMNS)


class ResellerRegistrationPortal(CustomerPortal):
    """A reseller's (or distributor's) renewals manager registers the
    products they sold, in ``/my``: one by the form, many by a CSV or XLSX
    file, both through ``renewal.registration._renewal_channel_register``
    (channel *Reseller portal*), which checks the caller and every row
    before writing anything; and lists the partner's installed products and
    registrations, which the record rules decide."""

    def _registration_channel(self):
        """The channel partner the user manages, or 403."""
        channel = request.env.user._renewal_channel_partner()
        if not channel:
            raise Forbidden()
        return channel.sudo()

    def _registration_page(self, values=None, errors=None, status=200, **extra):
        """The Register Products page: the form (``values`` as typed, the
        problems by field) and the upload (the problems by row)."""
        env = request.env
        page = self._prepare_portal_layout_values()
        page.update(
            page_name="reseller_register",
            form=values or {},
            form_errors={},
            file_errors=[],
            error=None,
            max_rows=MAX_ROWS,
            max_upload_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
            products=env["renewal.registration"]._renewal_channel_products(),
            countries=env["res.country"].sudo().search([]),
            upload=False,
            filename=None,
        )
        page.update(extra)
        for row, field, reason in errors or ():
            if page["upload"]:
                page["file_errors"].append((row, field, reason))
            elif field in COLUMNS:
                page["form_errors"].setdefault(field, []).append(reason)
            else:
                page["form_errors"].setdefault("", []).append(reason)
        return request.render(
            "renewal_channel.portal_my_reseller_register", page, status=status
        )

    def _registered_redirect(self, registrations):
        """To the registrations, saying how many were registered and how
        many wait for the vendor's review."""
        review = len(registrations.filtered(lambda reg: reg.state == "review"))
        done = len(registrations) - review
        return request.redirect(
            f"/my/product-registrations?registered={done}&review={review}"
        )

    @http.route("/my/register-products", type="http", auth="user", website=True)
    def reseller_register(self, **kw):
        self._registration_channel()
        return self._registration_page(upload=False)

    @http.route(
        "/my/register-products/one",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def reseller_register_one(self, **post):
        self._registration_channel()
        values = {name: post.get(name) or "" for name in FORM_FIELDS}
        Registration = request.env["renewal.registration"]
        try:
            with request.env.cr.savepoint():
                registrations = Registration._renewal_channel_register_form(values)
        except UserError as error:
            return self._registration_page(
                values, row_errors(error), status=400, upload=False
            )
        return self._registered_redirect(registrations)

    @http.route(
        "/my/register-products/upload",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def reseller_register_upload(self, **post):
        self._registration_channel()
        upload = request.httprequest.files.get("file")
        content = upload.read(MAX_UPLOAD_BYTES + 1) if upload else b""
        filename = upload.filename if upload else ""
        Registration = request.env["renewal.registration"]
        try:
            with request.env.cr.savepoint():
                registrations = Registration._renewal_channel_register_file(
                    content, filename
                )
        except UserError as error:
            return self._registration_page(
                errors=row_errors(error), status=400, upload=True, filename=filename
            )
        return self._registered_redirect(registrations)

    @http.route(
        "/my/register-products/template.csv", type="http", auth="user", website=True
    )
    def reseller_register_template(self, **kw):
        self._registration_channel()
        content = template_csv()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", CSV_MIMETYPE),
                ("Content-Length", len(content)),
                (
                    "Content-Disposition",
                    content_disposition(request.env._("registrations") + ".csv"),
                ),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )

    @http.route(
        ["/my/installed-products", "/my/installed-products/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def reseller_installed_products(self, page=1, search=None, **kw):
        self._registration_channel()
        env = request.env
        Installed = env["renewal.installed.product"]
        search = (search or "").replace("\x00", "").strip()[:128]
        domain = []
        if search:
            domain = [
                "|",
                "|",
                ("serial_number", "ilike", search),
                ("partner_id.name", "ilike", search),
                ("product_id.default_code", "ilike", search),
            ]
        total = Installed.search_count(domain)
        pager = portal_pager(
            url="/my/installed-products",
            url_args={"search": search},
            total=total,
            page=page,
            step=PAGE_SIZE,
        )
        products = Installed.search(
            domain, order="id desc", limit=PAGE_SIZE, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="reseller_installed_products",
            installed_products=products.sudo(),
            total=total,
            pager=pager,
            search=search,
            coverage_labels=dict(
                Installed._fields["coverage_state"]._description_selection(env)
            ),
        )
        return request.render(
            "renewal_channel.portal_my_reseller_installed_products", values
        )

    @http.route(
        [
            "/my/product-registrations",
            "/my/product-registrations/page/<int:page>",
        ],
        type="http",
        auth="user",
        website=True,
    )
    def reseller_registrations(self, page=1, registered=None, review=None, **kw):
        self._registration_channel()
        env = request.env
        Registration = env["renewal.registration"]
        total = Registration.search_count([])
        pager = portal_pager(
            url="/my/product-registrations", total=total, page=page, step=PAGE_SIZE
        )
        registrations = Registration.search(
            [], order="id desc", limit=PAGE_SIZE, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="reseller_registrations",
            registrations=registrations.sudo(),
            total=total,
            pager=pager,
            registered=int(registered) if str(registered or "").isdigit() else 0,
            review=int(review) if str(review or "").isdigit() else 0,
            state_labels=dict(
                Registration._fields["state"]._description_selection(env)
            ),
            channel_labels=dict(
                Registration._fields["channel"]._description_selection(env)
            ),
        )
        return request.render(
            "renewal_channel.portal_my_reseller_registrations", values
        )
