from odoo import fields, http
from odoo.exceptions import MissingError, ValidationError
from odoo.http import request

from ..tools.form import (
    error_items,
    register_errors,
    register_row,
    register_values,
)
from .portal import RenewalPortal

# The form's hidden field a person never fills in (see the template).
HONEYPOT = "website_url"
REGISTERED = ("done", "review")
# How many registered products a customer's page lists.
INSTALLED_SHOWN = 200


class RenewalRegisterPortal(RenewalPortal):
    """Product registration by the end customer: the public page
    ``/renewals/register`` (no login) and ``/renewals/<token>/register``
    from a customer's renewal page, with the customer known. Both hand one
    row to ``renewal.registration._register_products`` (channel "customer
    page"), which checks it and writes; this controller only guards the door:
    CSRF (Odoo's, on every POST), a honeypot field, and a limit of attempts
    per network address (``renewal.portal.attempt``)."""

    # ------------------------------------------------------------------
    # The customer's renewal page: their registered products
    # ------------------------------------------------------------------

    @http.route()
    def renewal_page(
        self, token, page=1, sortby=None, filterby=None, search=None, **kw
    ):
        response = super().renewal_page(
            token, page=page, sortby=sortby, filterby=filterby, search=search, **kw
        )
        qcontext = getattr(response, "qcontext", None)
        link_sudo = qcontext and qcontext.get("link")
        # Below the first page of contracts, for the customer.
        if link_sudo and link_sudo.scope == "customer" and int(page) == 1:
            installed_sudo, count = link_sudo._installed_products(INSTALLED_SHOWN)
            qcontext.update(
                show_installed=True,
                installed_products=installed_sudo,
                installed_count=count,
                registrations_in_review=link_sudo._registrations_in_review(),
                coverage_labels=dict(
                    installed_sudo._fields["coverage_state"]._description_selection(
                        request.env
                    )
                ),
                registered=kw.get("registered")
                if kw.get("registered") in REGISTERED
                else None,
            )
        return response

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route(
        "/renewals/register",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def renewal_register(self, done=None, **post):
        company = request.env.company
        if request.httprequest.method != "POST":
            return self._register_page(
                company,
                values=self._register_user_values(),
                done=done if done in REGISTERED else None,
            )
        refused = self._register_guard(company, post)
        if refused:
            return refused
        values = register_values(post)
        registration, errors = self._register_submit(company, register_row(values))
        if errors:
            return self._register_page(company, values=values, errors=errors)
        return request.redirect(f"/renewals/register?done={registration.state}")

    @http.route(
        "/renewals/<string:token>/register",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def renewal_link_register(self, token, **post):
        try:
            link_sudo, _contract = self._renewal_check_access(token)
        except MissingError:
            return self._renewal_invalid()
        if link_sudo.scope != "customer":
            return request.render("renewal_portal.renewal_forbidden", status=403)
        company = link_sudo.company_id
        if request.httprequest.method != "POST":
            return self._register_page(company, link=link_sudo, token=token)
        refused = self._register_guard(company, post, link=link_sudo, token=token)
        if refused:
            return refused
        values = register_values(post)
        registration, errors = self._register_submit(
            company, register_row(values, partner_id=link_sudo.holder_id.id)
        )
        if errors:
            return self._register_page(
                company, values=values, errors=errors, link=link_sudo, token=token
            )
        return request.redirect(
            f"/renewals/{token}?registered={registration.state}#o_renewal_installed"
        )

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def _register_guard(self, company, post, **page):
        """The page to answer with instead of registering, if any: too many
        attempts from this address (429), or a robot that filled in the
        honeypot (shown the thank-you page, nothing written)."""
        Attempt = request.env["renewal.portal.attempt"].sudo().with_company(company)
        if not Attempt._allow("register", request.httprequest.remote_addr):
            _limit, window = Attempt._limits()
            return request.render(
                "renewal_portal.renewal_register_limited",
                dict(page, window=window),
                status=429,
                headers=[("Retry-After", str(window * 60))],
            )
        if post.get(HONEYPOT):
            token = page.get("token")
            if token:
                return request.redirect(f"/renewals/{token}?registered=done")
            return request.redirect("/renewals/register?done=done")
        return None

    def _register_submit(self, company, row):
        """Register ``row`` through the business API, as superuser in
        ``company`` (the page has checked what it guards;
        ``_register_products`` checks the row). Return ``(registration,
        {})``, or an empty recordset and the errors by form field, nothing
        written."""
        Registration = request.env["renewal.registration"].sudo().with_company(company)
        try:
            with request.env.cr.savepoint():
                registration = Registration._register_products([row], "customer_page")
        except ValidationError as error:
            return Registration, register_errors(error_items(error))
        return registration[:1], {}

    def _register_user_values(self):
        """The contact fields filled in for a signed-in user: theirs."""
        user = request.env.user
        if user._is_public():
            return {}
        partner = user.partner_id
        return {
            "name": partner.name or "",
            "email": partner.email or "",
            "phone": partner.phone or "",
            "company_name": partner.commercial_company_name or "",
            "street": partner.street or "",
            "zip": partner.zip or "",
            "city": partner.city or "",
            "country_code": partner.country_id.code or "",
        }

    def _register_page(self, company, values=None, errors=None, **page):
        """The registration form: empty, or filled as sent with the errors
        next to their fields (status 400)."""
        env = request.env
        page.update(
            values=values or {},
            errors=errors or {},
            products=self._register_product_choices(company),
            countries=env["res.country"].sudo().search([]),
            honeypot=HONEYPOT,
            company=company,
            today=fields.Date.context_today(env.user).isoformat(),
        )
        return request.render(
            "renewal_portal.renewal_register_page",
            page,
            status=400 if errors else 200,
        )

    def _register_product_choices(self, company):
        """The products a customer may register with ``company``."""
        return (
            request.env["product.product"]
            .sudo()
            .with_company(company)
            .search(
                request.env["renewal.registration"]._registrable_product_domain(
                    company
                ),
                order="name, default_code, id",
            )
        )
