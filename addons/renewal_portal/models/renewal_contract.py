from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import formatLang

from ..tools.form import in_range, public_text, text_to_html

# The highest renewal price a sales page accepts: beyond it, a typing slip.
MAX_PORTAL_PRICE = 1_000_000_000


class RenewalContract(models.Model):
    _inherit = "renewal.contract"

    # This addon opens contracts to portal users (record rules in
    # security/). They read what the renewal pages show them; the rest is for
    # the vendor's staff. The pages themselves render as superuser.
    create_uid = fields.Many2one(groups="base.group_user")
    create_date = fields.Datetime(groups="base.group_user")
    write_uid = fields.Many2one(groups="base.group_user")
    write_date = fields.Datetime(groups="base.group_user")
    distributor_id = fields.Many2one(groups="base.group_user")
    user_id = fields.Many2one(groups="base.group_user")
    reseller_salesperson_id = fields.Many2one(groups="base.group_user")
    do_not_contact = fields.Boolean(groups="base.group_user")
    vendor_order_number = fields.Char(groups="base.group_user")
    note = fields.Html(groups="base.group_user")
    line_count = fields.Integer(groups="base.group_user")
    cancel_date = fields.Date(groups="base.group_user")
    consolidated_into_id = fields.Many2one(groups="base.group_user")
    consolidated_ids = fields.One2many(groups="base.group_user")
    successor_id = fields.Many2one(groups="base.group_user")
    predecessor_ids = fields.One2many(groups="base.group_user")
    notice_line_ids = fields.One2many(groups="base.group_user")
    notice_count = fields.Integer(groups="base.group_user")
    product_summary = fields.Char(groups="base.group_user")
    # The chatter and activities are the staff's (mail.thread and
    # mail.activity.mixin restrict some of these already).
    message_ids = fields.One2many(groups="base.group_user")
    website_message_ids = fields.One2many(groups="base.group_user")
    has_message = fields.Boolean(groups="base.group_user")
    message_is_follower = fields.Boolean(groups="base.group_user")
    message_needaction = fields.Boolean(groups="base.group_user")
    message_needaction_counter = fields.Integer(groups="base.group_user")
    message_has_error = fields.Boolean(groups="base.group_user")
    message_has_error_counter = fields.Integer(groups="base.group_user")
    message_has_sms_error = fields.Boolean(groups="base.group_user")
    activity_exception_decoration = fields.Selection(groups="base.group_user")
    activity_exception_icon = fields.Char(groups="base.group_user")
    activity_type_icon = fields.Char(groups="base.group_user")

    def action_issue_customer_link(self):
        self.ensure_one()
        Link = self.env["renewal.portal.link"]
        _link, url = Link._issue(self.partner_id, "customer", contract=self)
        return Link._show_urls([url])

    def action_issue_sales_link(self):
        self.ensure_one()
        Link = self.env["renewal.portal.link"]
        holder = self.reseller_salesperson_id or self.user_id.partner_id
        _link, url = Link._issue(self.partner_id, "sales", holder=holder, contract=self)
        return Link._show_urls([url])

    def _get_report_base_filename(self):
        """The certificate's file name, for the portal's downloads."""
        self.ensure_one()
        return self.env._("Certificate - %(contract)s", contract=self.name)

    def _renewal_open_quotation(self):
        """The open renewal quotation covering this contract, if any."""
        self.ensure_one()
        return (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("order_line.renewal_line_id.contract_id", "=", self.id),
                    ("state", "in", ("draft", "sent")),
                ],
                limit=1,
                order="id desc",
            )
        )

    # ------------------------------------------------------------------
    # What is done from a renewal page
    # ------------------------------------------------------------------
    # The controller finds the link, checks that it reaches the contract and
    # that its view allows the action, then calls one of these on the
    # contract as superuser. Errors meant for the person on the page are
    # UserErrors in the page's language; what is said in the chatter is in
    # the language of the contract's salesperson, who reads it.

    def _portal_staff(self):
        """This contract in its salesperson's language (else its company's)."""
        lang = self.user_id.partner_id.lang or self.company_id.partner_id.lang
        return self.with_context(lang=lang) if lang else self

    def _portal_post(self, link, body, internal=False, **kwargs):
        """Say ``body`` in the chatter in the link holder's name: a message,
        or an internal note."""
        return self.message_post(
            body=body,
            author_id=link.holder_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note" if internal else "mail.mt_comment",
            **kwargs,
        )

    def _portal_request_callback(self, link, note):
        """A call activity for the salesperson, with the customer's note as
        text, and a message in the chatter."""
        self.ensure_one()
        note = public_text(note)
        staff = self._portal_staff()
        user = self.user_id or self.company_id.partner_id.user_ids[:1]
        staff.activity_schedule(
            "mail.mail_activity_data_call",
            user_id=user.id or self.env.ref("base.user_root").id,
            summary=staff.env._("Call-back requested by the customer"),
            note=text_to_html(note) if note else False,
        )
        body = Markup("<p>%s</p>") % staff.env._(
            "Please call me back about this renewal."
        )
        if note:
            body += text_to_html(note)
        staff._portal_post(link, body)

    def _portal_ask_reseller(self, link):
        """Tell the reseller (its salesperson, else the reseller) that the
        customer wants to renew through them."""
        self.ensure_one()
        reseller = self.reseller_salesperson_id or self.reseller_id
        if not reseller:
            raise UserError(self.env._("This contract has no reseller."))
        staff = self._portal_staff()
        staff._portal_post(
            link,
            staff.env._(
                "I would like to renew through my reseller, %(reseller)s.",
                reseller=self.reseller_id.name,
            ),
            partner_ids=reseller.ids,
        )

    def _portal_reply(self, link, body):
        """A message typed on the page, posted as text."""
        self.ensure_one()
        body = public_text(body)
        if not body:
            raise UserError(self.env._("Please write a message."))
        self._portal_post(link, text_to_html(body))

    def _portal_set_po(self, link, number):
        """The customer's PO number, noted in the chatter."""
        self.ensure_one()
        number = public_text(number, size=64)
        if not number:
            raise UserError(self.env._("Please type your PO number."))
        self.customer_po_number = number
        staff = self._portal_staff()
        staff._portal_post(
            link,
            staff.env._("Customer PO number: %(po)s", po=number),
            internal=True,
        )

    def _portal_cancel(self, link, reason, note=None):
        """Cancel the contract for ``reason``: the customer's decline on a
        customer link, the salesperson's cancellation on a sales link. A
        cancelled contract keeps its reason: a second cancellation is
        refused."""
        self.ensure_one()
        if not reason:
            raise UserError(self.env._("Please choose a reason."))
        if self.is_cancelled:
            raise UserError(
                self.env._(
                    "Contract %(contract)s is cancelled already (%(reason)s).",
                    contract=self.name,
                    reason=self.cancel_reason_id.name,
                )
            )
        staff = self._portal_staff()
        reason = reason.with_env(staff.env)
        staff._cancel(reason, note=public_text(note) or False)
        if link.scope == "customer":
            body = staff.env._(
                "The customer will not renew: %(reason)s", reason=reason.name
            )
        else:
            body = staff.env._(
                "Cancelled by %(who)s: %(reason)s",
                who=link.holder_id.name,
                reason=reason.name,
            )
        staff._portal_post(link, body, internal=link.scope != "customer")

    def _portal_reopen(self, link):
        """Re-open this cancelled contract from a sales page: the back
        office's ``action_reopen``, whose one rule (``_check_reopen_access``)
        counts the real user, not the link: through a page nobody but a
        Renewals Manager logged in re-opens anything."""
        self.ensure_one()
        try:
            self._portal_staff().action_reopen()
        except AccessError:
            raise UserError(
                self.env._(
                    "A cancelled contract is re-opened by a renewals manager of "
                    "%(company)s: please ask them, for example in a message below.",
                    company=self.company_id.name,
                )
            ) from None

    def _portal_amend_line(self, link, line, renewal_price, discount, warranty_only):
        """The sales page's amendment of one line: renewal price, discount,
        warranty only. Prices are numbers from 0 to ``MAX_PORTAL_PRICE``,
        discounts from 0 to 100."""
        self.ensure_one()
        line = line & self.line_ids
        if not line:
            raise UserError(self.env._("This line is not on the contract."))
        if not in_range(renewal_price, MAX_PORTAL_PRICE):
            limit = formatLang(self.env, MAX_PORTAL_PRICE, digits=0)
            raise UserError(
                self.env._(
                    "The renewal price must be a number from 0 to %(max)s.", max=limit
                )
            )
        if not in_range(discount, 100):
            raise UserError(self.env._("The discount must be a number from 0 to 100."))
        self._portal_amend(
            link,
            line,
            {
                "renewal_price": renewal_price,
                "renewal_discount": discount,
                "warranty_only": bool(warranty_only),
            },
        )

    def _portal_amend_contract(self, link, do_not_contact, consolidate_into=None):
        """The sales page's amendment of the contract: *do not contact*, and
        the contract (by number) it is consolidated into, among those the
        link reaches; an empty number clears it, ``None`` leaves it."""
        self.ensure_one()
        values = {"do_not_contact": bool(do_not_contact)}
        if consolidate_into:
            into = link._contracts(
                [("name", "=", consolidate_into.strip()), ("id", "!=", self.id)]
            )[:1]
            if not into:
                raise UserError(
                    self.env._(
                        "No contract %(number)s of this customer is open to you.",
                        number=consolidate_into.strip(),
                    )
                )
            values["consolidated_into_id"] = into.id
        elif consolidate_into is not None:
            values["consolidated_into_id"] = False
        self._portal_amend(link, self, values)

    def _portal_renew_in_part(self, link, keep_lines, reasons):
        """The customer's choice of lines: renew ``keep_lines``, leave the
        other open lines out, each for its reason in ``reasons`` (line id to
        ``renewal.cancel.reason``). The form's answers are checked here in
        the customer's words; the contract renews in part (and re-checks)."""
        self.ensure_one()
        open_lines = self._open_lines()
        if not keep_lines & open_lines:
            raise UserError(
                self.env._(
                    "Please tick at least one line to renew. To renew none, "
                    "tell us below that you will not renew."
                )
            )
        for line in open_lines - keep_lines:
            if not reasons.get(line.id):
                raise UserError(
                    self.env._(
                        "Please choose why you leave out %(line)s.",
                        line=line._reference(),
                    )
                )
        self._portal_staff()._renew_in_part(keep_lines, reasons, link.holder_id)

    def _portal_undo_renew_in_part(self, link, line):
        """The salesperson puts back into the renewal a line the customer
        left out."""
        self.ensure_one()
        self._portal_staff()._undo_renew_in_part(line, link.holder_id)

    def _portal_amend(self, link, record, values):
        """Write ``values`` on this contract or one of its lines and say in
        the chatter, as a note, who changed what."""
        staff = self._portal_staff()
        changes = []
        for name, value in values.items():
            field = record._fields[name]
            old = record[name]
            if field.type == "many2one":
                if old.id == (value or False):
                    continue
                old_text = old.display_name
                new_text = self.env[field.comodel_name].browse(value).display_name
            else:
                if old == value:
                    continue
                old_text, new_text = old, value
            label = field.get_description(staff.env)["string"]
            changes.append((label, old_text, new_text))
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
        staff._portal_post(
            link,
            Markup("%s<ul>%s</ul>")
            % (
                staff.env._(
                    "%(who)s changed %(what)s:", who=link.holder_id.name, what=what
                ),
                items,
            ),
            internal=True,
        )
