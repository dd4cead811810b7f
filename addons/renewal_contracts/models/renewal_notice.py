import logging
from collections import defaultdict

from markupsafe import Markup
from psycopg2 import errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, formataddr, html2plaintext

from ..tools import status as rules
from ..tools.actions import notification

_logger = logging.getLogger(__name__)

# Customers handled per batch; each batch is one transaction.
BATCH_CUSTOMERS = 200
# A notice whose mail failed on the SMTP side is queued again this many times.
MAX_ATTEMPTS = 5
# Mail failures worth another try: the server, not the address, was at fault.
RETRY_FAILURES = ("mail_smtp", "unknown")
# Two integers for pg_try_advisory_xact_lock(key, customer id).
LOCK_KEY = 724_611

TEMPLATES = {
    "customer": "renewal_contracts.renewal_notice_mail_template_customer",
    "sales": "renewal_contracts.renewal_notice_mail_template_sales",
    "digest": "renewal_contracts.renewal_notice_mail_template_digest",
}


class RenewalNotice(models.Model):
    """One renewal e-mail: to a customer, to a salesperson, or a salesperson's
    daily digest, about the contracts of one customer that reached one step of
    the cadence. Its lines are the send log per contract and step; their
    unique key (contract, role, step, renewal period) is what makes a step go
    out once, whatever runs twice or at once.
    """

    _name = "renewal.notice"
    _description = "Renewal Notice"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    role = fields.Selection(
        [
            ("customer", "Customer"),
            ("sales", "Salesperson"),
            ("digest", "Salesperson Digest"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    state = fields.Selection(
        [
            ("digest", "Waiting for Digest"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("bounced", "Bounced"),
            ("cancelled", "Withdrawn"),
        ],
        required=True,
        default="queued",
        readonly=True,
        index=True,
        tracking=True,
        help="Waiting for Digest: goes out in the salesperson's daily "
        "digest. Failed: the mail server refused it; the next run tries "
        "again. Withdrawn: a contract was renewed, cancelled or marked "
        "do-not-contact before it went out.",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Recipient", required=True, readonly=True, index=True
    )
    customer_id = fields.Many2one("res.partner", readonly=True, index="btree_not_null")
    step_id = fields.Many2one(
        "renewal.notice.step",
        string="Cadence Step",
        readonly=True,
        ondelete="set null",
    )
    offset_days = fields.Integer(string="Days From End", readonly=True)
    step_label = fields.Char(compute="_compute_step_label")
    earliest_end = fields.Date(
        compute="_compute_earliest_end",
        help="The earliest end of coverage among the notice's contracts.",
    )
    days_to_end = fields.Integer(
        compute="_compute_earliest_end",
        help="Days from the notice's date to its earliest end of coverage; "
        "negative once that has passed. What the e-mail says comes from it, "
        "not from the cadence step: a notice sent late says so.",
    )
    end_label = fields.Char(compute="_compute_end_label")
    date = fields.Date(required=True, readonly=True, index=True)
    brand_partner_id = fields.Many2one(
        "res.partner",
        string="Brand",
        readonly=True,
        help="The vendor, or the reseller the contracts are published by.",
    )
    sender_id = fields.Many2one(
        "res.partner", string="Sent in the Name of", readonly=True
    )
    email_from = fields.Char(readonly=True)
    reply_to = fields.Char(readonly=True)
    line_ids = fields.One2many("renewal.notice.line", "notice_id", readonly=True)
    contract_ids = fields.Many2many("renewal.contract", compute="_compute_contract_ids")
    contract_count = fields.Integer(compute="_compute_contract_ids")
    digest_id = fields.Many2one(
        "renewal.notice",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    digest_notice_ids = fields.One2many(
        "renewal.notice", "digest_id", string="Notices in Digest", readonly=True
    )
    mail_id = fields.Many2one(
        "mail.mail",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    message_id = fields.Char(string="Message-Id", readonly=True)
    attempts = fields.Integer(readonly=True, default=0)
    sent_at = fields.Datetime(readonly=True)
    failure_type = fields.Char(readonly=True)
    failure_reason = fields.Text(readonly=True)
    documents_attached = fields.Boolean(readonly=True)

    @api.depends("offset_days")
    @api.depends_context("lang")
    def _compute_step_label(self):
        Step = self.env["renewal.notice.step"]
        for notice in self:
            notice.step_label = Step._label(notice.offset_days)

    @api.depends("date", "line_ids.period_end", "digest_notice_ids.line_ids.period_end")
    def _compute_earliest_end(self):
        for notice in self:
            ends = (notice.line_ids | notice.digest_notice_ids.line_ids).mapped(
                "period_end"
            )
            notice.earliest_end = min(ends) if ends else False
            notice.days_to_end = (
                (notice.earliest_end - notice.date).days if ends and notice.date else 0
            )

    @api.depends("earliest_end", "days_to_end")
    @api.depends_context("lang")
    def _compute_end_label(self):
        for notice in self:
            days = notice.days_to_end
            if not notice.earliest_end:
                label = ""
            elif days < -1:
                label = self.env._("ended %(days)s days ago", days=-days)
            elif days == -1:
                label = self.env._("ended yesterday")
            elif days == 0:
                label = self.env._("ending today")
            elif days == 1:
                label = self.env._("ending tomorrow")
            else:
                label = self.env._("ending in %(days)s days", days=days)
            notice.end_label = label

    @api.depends("line_ids.contract_id", "digest_notice_ids.line_ids.contract_id")
    def _compute_contract_ids(self):
        for notice in self:
            lines = notice.line_ids | notice.digest_notice_ids.line_ids
            notice.contract_ids = lines.contract_id
            notice.contract_count = len(notice.contract_ids)

    def action_retry(self):
        """Queue a failed notice again now."""
        self.check_access("write")
        self.sudo().filtered(lambda n: n.state == "failed" and n.mail_id)._requeue()
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()

    @api.model
    def action_send_due(self):
        """Back-office button: send what is due now, as the scheduled action
        would."""
        if not self.env.user.has_group(
            "renewal_contracts.renewal_contracts_group_manager"
        ):
            raise AccessError(
                self.env._("Only a Renewals Manager can send the due notices now.")
            )
        count = self.sudo()._run(companies=self.env.companies)
        return notification(
            self.env._("Renewal notices queued for %(count)s customers.", count=count)
        )

    # ------------------------------------------------------------------
    # What is due
    # ------------------------------------------------------------------

    @api.model
    def _due_sql(self, today, customers=None, limit=None, companies=None):
        """Contract, step and renewal period of every notice still to send.

        Per contract: the latest step its renewal period has reached
        (``_reached_sql``), if that was no more than the company's late days
        ago, and for each role (customer, salesperson) only when that role's
        key is not logged yet (``_not_logged_sql``). The customers come in
        order, ``limit`` of them at most.
        """
        limit_filter = SQL("WHERE rank <= %s", limit) if limit else SQL()
        return SQL(
            """
            WITH reached AS (%(reached)s),
            due AS (
                SELECT reached.*,
                       reached.customer_ok
                           AND %(customer_not_logged)s AS customer_due,
                       reached.salesperson_id IS NOT NULL
                           AND %(sales_not_logged)s AS sales_due
                  FROM reached
                 WHERE latest = 1
                   AND period_end + offset_days >= %(today)s - late_days
            ),
            ranked AS (
                SELECT due.*, dense_rank() OVER (ORDER BY customer_id) AS rank
                  FROM due
                 WHERE customer_due OR sales_due
            )
            SELECT contract_id, customer_id, contact_id, company_id, period_end,
                   step_id, offset_days, salesperson_id, customer_due, sales_due
              FROM ranked
              %(limit_filter)s
             ORDER BY customer_id, period_end, contract_id
            """,
            reached=self._reached_sql(today, customers=customers, companies=companies),
            customer_not_logged=self._not_logged_sql("customer"),
            sales_not_logged=self._not_logged_sql("sales"),
            today=today,
            limit_filter=limit_filter,
        )

    @api.model
    def _reached_sql(self, today, customers=None, companies=None):
        """Every step of its cadence (``_cadence_sql``) that the renewal
        period of a contract to notify has reached by ``today``, the latest
        first (``latest = 1``), with the contract's recipients.

        Renewed, cancelled, consolidated and do-not-contact contracts are
        never to notify; an unsubscribed or blacklisted customer is not
        (``customer_ok``), though their salesperson still is. Only the
        commercial entities ``customers`` and the contracts of ``companies``,
        when given.
        """
        customer_filter = (
            SQL("AND cp.id IN %s", tuple(customers)) if customers else SQL()
        )
        company_filter = (
            SQL("AND c.company_id = ANY(%s)", companies.ids)
            if companies is not None
            else SQL()
        )
        return SQL(
            """
            SELECT c.id AS contract_id,
                   cp.id AS customer_id,
                   c.partner_id AS contact_id,
                   c.company_id,
                   c.next_expiry_date AS period_end,
                   s.id AS step_id,
                   s.offset_days,
                   co.renewal_notice_late_days AS late_days,
                   cp.renewal_notice_opt_out IS NOT TRUE
                       AND p.renewal_notice_opt_out IS NOT TRUE
                       AND NOT EXISTS (
                           SELECT 1 FROM mail_blacklist b
                            WHERE b.active AND b.email = p.email_normalized
                       ) AS customer_ok,
                   COALESCE(c.reseller_salesperson_id, u.partner_id,
                            c.reseller_id) AS salesperson_id,
                   row_number() OVER (
                       PARTITION BY c.id ORDER BY s.offset_days DESC
                   ) AS latest
              FROM renewal_contract c
              JOIN res_company co ON co.id = c.company_id
              JOIN res_partner p ON p.id = c.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
         LEFT JOIN res_users u ON u.id = c.user_id
              JOIN renewal_notice_step s
                ON s.active AND s.company_id = c.company_id
               AND %(cadence)s
             WHERE c.is_cancelled IS NOT TRUE
               AND c.is_renewed IS NOT TRUE
               AND c.do_not_contact IS NOT TRUE
               AND c.consolidated_into_id IS NULL
               AND c.status != %(cancelled)s
               AND c.next_expiry_date IS NOT NULL
               AND c.next_expiry_date + s.offset_days <= %(today)s
               %(customer_filter)s
               %(company_filter)s
            """,
            cadence=self._cadence_sql(),
            cancelled=rules.CANCELLED,
            today=today,
            customer_filter=customer_filter,
            company_filter=company_filter,
        )

    @api.model
    def _not_logged_sql(self, role):
        """SQL condition that the send log has no line for ``role`` at the
        step and renewal period of the contract of ``reached``: that notice
        is still to send."""
        return SQL(
            """NOT EXISTS (
                SELECT 1 FROM renewal_notice_line l
                 WHERE l.contract_id = reached.contract_id
                   AND l.role = %s
                   AND l.offset_days = reached.offset_days
                   AND l.period_end = reached.period_end
            )""",
            role,
        )

    @api.model
    def _cadence_sql(self):
        """SQL condition that step ``s`` belongs to the cadence of contract
        ``c`` (the join already keeps to the contract's company): here every
        step of the company's cadence. ``renewal_channel`` gives a reseller
        its own cadence by overriding this."""
        return SQL("TRUE")

    @api.model
    def _due_rows(self, today, customers=None, limit=None, companies=None):
        """The rows of ``_due_sql``, as dicts."""
        self.env.flush_all()
        self.env.cr.execute(
            self._due_sql(today, customers=customers, limit=limit, companies=companies)
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _due_customer_count(self, today, companies=None):
        """How many customers have notices still to send."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(DISTINCT customer_id) FROM (%s) due",
                self._due_sql(today, companies=companies),
            )
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_notices(self):
        """Scheduled action: one batch of customers per call, committed by
        the scheduler, which calls again while some remain."""
        today = fields.Date.context_today(self)
        done, remaining = self._run_batch_or_yield(today)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _run_batch_or_yield(self, today, batch_size=BATCH_CUSTOMERS, companies=None):
        """One batch; if it collides with what another worker committed after
        this transaction began, nothing of it stays and the scheduled action
        is asked to run again soon, in a fresh transaction."""
        try:
            with self.env.cr.savepoint():
                return self._run_batch(
                    today, batch_size=batch_size, companies=companies
                )
        except (errors.UniqueViolation, errors.SerializationFailure):
            _logger.info("Renewal notices: batch collided with another worker, redone")
            self._trigger_run()
            return 0, 1

    @api.model
    def _run(
        self, today=None, batch_size=BATCH_CUSTOMERS, commit=False, companies=None
    ):
        """Every batch until nothing is due (the button, tests, benchmarks).
        With ``commit``, each batch is committed as it is done."""
        today = today or fields.Date.context_today(self)
        total = 0
        while True:
            done, remaining = self._run_batch_or_yield(
                today, batch_size=batch_size, companies=companies
            )
            total += done
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if not done or not remaining:
                return total

    @api.model
    def _run_batch(self, today, batch_size=BATCH_CUSTOMERS, companies=None):
        """Retry what failed, queue the notices of up to ``batch_size``
        customers, and make the digests once nothing else is due; all of it
        in ``companies`` only, when given (every company otherwise). Returns
        (customers done, customers still due)."""
        self._retry_failed(companies=companies)
        rows, customers, candidates = self._claim_due_rows(today, batch_size, companies)
        notices = self._create_notices(rows, today)
        self._queue_mails(notices.filtered(lambda n: n.state == "queued"))
        if rows:
            remaining = self._due_customer_count(today, companies=companies)
        else:
            # Nothing done: what is due, if anything, is held by others.
            remaining = candidates
        if not remaining:
            self._queue_digests(today, companies=companies)
        if notices:
            self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        _logger.info(
            "Renewal notices: %d customers done, %d notices, %d customers left",
            len(customers),
            len(notices),
            remaining,
        )
        return len(customers), remaining

    @api.model
    def _claim_due_rows(self, today, batch_size, companies=None):
        """The due rows (``_due_rows``) of up to ``batch_size`` customers that
        no other worker holds, now locked for this transaction. Returns the
        rows, the ids of their customers, and how many customers were
        candidates."""
        # More candidates than needed: those another worker holds are passed.
        rows = self._due_rows(today, limit=batch_size * 4, companies=companies)
        candidates = list(dict.fromkeys(row["customer_id"] for row in rows))
        locked = self._lock_customers(candidates, batch_size)
        rows = [row for row in rows if row["customer_id"] in locked]
        return rows, locked, len(candidates)

    @api.model
    def _lock_customers(self, customers, wanted):
        """Up to ``wanted`` of ``customers`` (in order) that this transaction
        may notify: another worker holds the others until it commits.
        Whatever slips past (a worker that committed after this
        transaction's snapshot) is stopped by the unique key of the send log,
        and the whole batch rolls back."""
        if not customers:
            return set()
        # One statement: the scan stops once ``wanted`` locks are taken, so
        # no lock is held on a customer this batch will not notify.
        self.env.cr.execute(
            SQL(
                """SELECT id FROM unnest(%s::int[]) AS id
                    WHERE pg_try_advisory_xact_lock(%s, id)
                    LIMIT %s""",
                list(customers),
                LOCK_KEY,
                wanted,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _company_domain(self, companies):
        """The notices of ``companies``; of every company when None."""
        return [] if companies is None else [("company_id", "in", companies.ids)]

    # ------------------------------------------------------------------
    # Grouping the due rows into notices, with their send log
    # ------------------------------------------------------------------

    @api.model
    def _create_notices(self, rows, today):
        """One customer notice per (customer, step, brand), one salesperson
        notice per (salesperson, customer, step), each with its log lines."""
        if not rows:
            return self.browse()
        Contract = self.env["renewal.contract"].with_context(prefetch_fields=False)
        contracts = Contract.browse({row["contract_id"] for row in rows})
        contracts.fetch(
            [
                "name",
                "company_id",
                "partner_id",
                "reseller_id",
                "user_id",
                "reseller_salesperson_id",
            ]
        )
        by_id = {contract.id: contract for contract in contracts}
        groups = self._group_due_rows(rows, by_id)
        digest_partners = set(
            self.env["res.partner"]
            .browse({key[3] for key in groups if key[0] == "sales"})
            .filtered("renewal_notice_digest")
            .ids
        )
        vals_list = [
            self._notice_vals(
                key, group, by_id[group[0]["contract_id"]], digest_partners, today
            )
            for key, group in groups.items()
        ]
        return (
            self.sudo()
            .with_context(
                mail_create_nolog=True, mail_notrack=True, tracking_disable=True
            )
            .create(vals_list)
        )

    @api.model
    def _group_due_rows(self, rows, contracts):
        """The due ``rows`` by the notice they go in: ``("customer",
        customer id, step offset, brand id)`` and ``("sales", customer id,
        step offset, salesperson id)``, in the order of the rows.
        ``contracts`` maps each row's contract id to the contract."""
        groups = defaultdict(list)
        for row in rows:
            if row["customer_due"]:
                brand = contracts[row["contract_id"]]._renewal_brand_partner()
                key = ("customer", row["customer_id"], row["offset_days"], brand.id)
                groups[key].append(row)
            if row["sales_due"]:
                key = (
                    "sales",
                    row["customer_id"],
                    row["offset_days"],
                    row["salesperson_id"],
                )
                groups[key].append(row)
        return groups

    @api.model
    def _notice_vals(self, key, group, lead, digest_partners, today):
        """Values of the notice of ``key`` (see ``_group_due_rows``) about
        the rows of ``group``; ``lead`` is the contract of its first row,
        whose company, recipient and brand the notice takes. A salesperson
        in ``digest_partners`` (ids) gets it in their digest."""
        role, customer_id, offset, other_id = key
        Partner = self.env["res.partner"]
        company = lead.company_id
        if role == "customer":
            recipient = lead.partner_id
            brand = Partner.browse(other_id)
            sender = self._sender(lead, company)
            state = "queued"
        else:
            recipient = Partner.browse(other_id)
            brand = lead._renewal_brand_partner()
            sender = company.partner_id
            state = "digest" if other_id in digest_partners else "queued"
        step_label = self.env["renewal.notice.step"]._label(offset)
        return {
            "name": f"{Partner.browse(customer_id).name} / {step_label}",
            "role": role,
            "state": state,
            "company_id": company.id,
            "partner_id": recipient.id,
            "customer_id": customer_id,
            "step_id": group[0]["step_id"],
            "offset_days": offset,
            "date": today,
            "brand_partner_id": brand.id,
            "sender_id": sender.id,
            "email_from": sender.email_formatted or company.partner_id.email_formatted,
            "reply_to": self._reply_to(sender, company),
            "line_ids": self._log_line_vals(role, offset, group),
        }

    @api.model
    def _log_line_vals(self, role, offset, group):
        """The send log of a notice: one line per contract of ``group``,
        keyed by contract, role, step and renewal period."""
        return [
            Command.create(
                {
                    "contract_id": row["contract_id"],
                    "role": role,
                    "offset_days": offset,
                    "period_end": row["period_end"],
                }
            )
            for row in group
        ]

    @api.model
    def _sender(self, contract, company):
        """Whose name the customer's notice goes out in."""
        if company.renewal_notice_from == "salesperson":
            salesperson = contract._renewal_brand_contact()
            if salesperson and salesperson.email:
                return salesperson
        brand = contract._renewal_brand_partner()
        return brand if brand.email else company.partner_id

    @api.model
    def _reply_to(self, sender, company):
        """Replies come back through the gateway (the catchall of the
        company's alias domain) under the sender's name, unless the company
        wants them in the sender's own mailbox or has no alias domain."""
        catchall = company.alias_domain_id.catchall_email
        if company.renewal_notice_reply_to == "gateway" and catchall:
            return formataddr((sender.name or company.name, catchall))
        return sender.email_formatted or company.partner_id.email_formatted

    # ------------------------------------------------------------------
    # Rendering and queueing the mails
    # ------------------------------------------------------------------

    def _notice_urls(self):
        """Links for each notice's e-mail, by notice id: ``portal`` and
        ``unsubscribe`` for customers, ``sales`` for salespeople, and
        ``children`` (sales link by notice id) for digests. The portal addon
        issues them; the core has none."""
        return {}

    def _queue_mails(self, notices=None):
        """Render each notice's subject and body with its role's mail
        template, in the recipient's language, and queue the mails in one
        create per role. Sender, Reply-To and recipient are the notice's own
        (computed once per notice, not rendered per e-mail); the documents
        are attached when the mail goes out."""
        notices = (notices or self).sudo()
        if not notices:
            return
        urls = notices._notice_urls()
        Mail = self.env["mail.mail"].sudo()
        for role, template_xmlid in TEMPLATES.items():
            batch = notices.filtered(lambda n, role=role: n.role == role)
            if not batch:
                continue
            template = self.env.ref(template_xmlid).sudo()
            rendered = batch._render_notice_mails(template, urls)
            mails = Mail.create(
                [
                    notice._notice_mail_vals(
                        rendered[notice.id],
                        template,
                        urls.get(notice.id, {}).get("unsubscribe"),
                    )
                    for notice in batch
                ]
            )
            for notice, mail in zip(batch, mails, strict=True):
                notice.write({"mail_id": mail.id, "message_id": mail.message_id})

    def _render_notice_mails(self, template, urls):
        """Subject and body of these notices' e-mails, by notice id, rendered
        with ``template`` in each recipient's language; ``urls`` are the
        links of ``_notice_urls``, which the template reads."""
        return template.with_context(renewal_notice_urls=urls)._generate_template(
            self.ids, ("subject", "body_html")
        )

    def _notice_mail_vals(self, rendered, template, unsubscribe=None):
        """Values of the ``mail.mail`` of this notice: the ``rendered``
        subject and body, the notice's own sender, Reply-To and recipient,
        and one-click unsubscribe headers when there is an ``unsubscribe``
        link."""
        self.ensure_one()
        headers = (
            {
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            if unsubscribe
            else None
        )
        return {
            "subject": rendered["subject"],
            # Like Odoo's mass mailing: the mail carries the body, not its
            # message (which only keeps the Message-Id).
            "body_html": rendered["body_html"],
            "email_from": self.email_from,
            "reply_to": self.reply_to,
            "recipient_ids": [Command.link(self.partner_id.id)],
            "model": self._name,
            "res_id": self.id,
            "auto_delete": template.auto_delete,
            "mail_server_id": template.mail_server_id.id,
            # The message stays after the mail is deleted: replies find their
            # notice by its Message-Id.
            "is_notification": True,
            "headers": repr(headers) if headers else False,
        }

    @api.model
    def _queue_digests(self, today, companies=None):
        """One digest per salesperson and company for the notices waiting for
        it (of ``companies`` only, when given)."""
        waiting = self.sudo().search(
            [("state", "=", "digest"), ("digest_id", "=", False)]
            + self._company_domain(companies),
            order="id",
        )
        if not waiting:
            return self.browse()
        groups = waiting.grouped(lambda notice: (notice.partner_id, notice.company_id))
        digests = (
            self.sudo()
            .with_context(
                mail_create_nolog=True, mail_notrack=True, tracking_disable=True
            )
            .create(
                [
                    self._digest_vals(partner, company, today)
                    for partner, company in groups
                ]
            )
        )
        for digest, children in zip(digests, groups.values(), strict=True):
            children.write({"digest_id": digest.id, "state": "queued"})
        digests._queue_mails()
        return digests

    @api.model
    def _digest_vals(self, partner, company, today):
        """Values of the digest of ``today`` to the salesperson ``partner``
        in ``company``: in the vendor's name and brand."""
        sender = company.partner_id
        return {
            "name": self.env._(
                "%(salesperson)s / digest of %(date)s",
                salesperson=partner.name,
                date=today,
            ),
            "role": "digest",
            "company_id": company.id,
            "partner_id": partner.id,
            "date": today,
            "brand_partner_id": sender.id,
            "sender_id": sender.id,
            "email_from": sender.email_formatted,
            "reply_to": self._reply_to(sender, company),
        }

    # ------------------------------------------------------------------
    # Sending: checks, documents, outcome
    # ------------------------------------------------------------------

    def _withdraw_stale(self):
        """Withdraw the queued notices (with their digest's children) that
        list a contract no longer to be mailed: renewed, cancelled,
        consolidated or do-not-contact since, or whose renewal period moved.
        Their other contracts lose their log line, so the next run notifies
        them again without the stale one. Returns the withdrawn notices."""
        withdrawn = self.browse()
        for notice in self.filtered(lambda n: n.state == "queued"):
            lines = (notice | notice.digest_notice_ids).line_ids
            stale = lines.filtered(lambda line: not line._still_due())
            if not stale:
                continue
            notice._withdraw(
                lines - stale,
                self.env._(
                    "Withdrawn before sending: %(contracts)s no longer to be notified.",
                    contracts=", ".join(stale.contract_id.mapped("name")),
                ),
            )
            withdrawn |= notice
        if withdrawn:
            self._trigger_run()
        return withdrawn

    def _withdraw(self, renotify_lines, reason):
        """Cancel these notices and their digest's children; the log lines
        ``renotify_lines`` go, so the next run notifies those contracts."""
        renotify_lines.unlink()
        (self | self.digest_notice_ids).write(
            {"state": "cancelled", "failure_reason": reason}
        )

    def _trigger_run(self):
        """Ask the scheduled action to run soon: contracts wait to be
        notified again."""
        self.env.ref("renewal_contracts.ir_cron_renewal_notices").sudo()._trigger()

    def _attach_documents(self, mail):
        """Attach the documents (``_render_documents``) to the customer's
        mail, once, now that the mail goes out (rendering thousands of PDFs
        while queueing would hold the run for hours)."""
        self.ensure_one()
        if self.role != "customer" or self.documents_attached:
            return
        documents = self._render_documents()
        with self.env.cr.savepoint():
            self._attach(mail, documents)
        self.documents_attached = True

    def _render_documents(self):
        """The open renewal quotations and the contracts' certificates of
        this notice, rendered in the recipient's language, as (name,
        content, format)."""
        self.ensure_one()
        Report = self.env["ir.actions.report"].with_context(
            lang=self.partner_id.lang or self.env.lang
        )
        contracts = self.contract_ids
        orders = self.env["sale.order"].search(
            [
                ("order_line.renewal_line_id.contract_id", "in", contracts.ids),
                ("state", "in", ("draft", "sent")),
            ]
        )
        documents = []
        for order in orders:
            content, fmt = Report._render_qweb_pdf(
                "sale.action_report_saleorder", order.ids
            )
            documents.append((order._get_report_base_filename(), content, fmt))
        if contracts:
            content, fmt = Report._render_qweb_pdf(
                "renewal_contracts.action_report_renewal_certificate", contracts.ids
            )
            documents.append((self.env._("Certificates"), content, fmt))
        return documents

    def _attach(self, mail, documents):
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{name}.{fmt}",
                        "raw": content,
                        "res_model": self._name,
                        "res_id": self.id,
                        "mimetype": "application/pdf" if fmt == "pdf" else "text/html",
                    }
                    for name, content, fmt in documents
                ]
            )
        )
        mail.sudo().attachment_ids = [(4, attachment.id) for attachment in attachments]

    def _record_outcome(self, mail, failure_type=None):
        """The mail server's answer, on the notice and its digest's
        children."""
        if self.state != "queued":
            return
        if mail.state == "sent":
            values = {
                "state": "sent",
                "sent_at": fields.Datetime.now(),
                "message_id": mail.message_id,
                "failure_type": False,
                "failure_reason": False,
            }
        else:
            values = {
                "state": "failed",
                "failure_type": failure_type or mail.failure_type or "unknown",
                "failure_reason": mail.failure_reason,
            }
        self.write(values)
        self.digest_notice_ids.write(values)

    # ------------------------------------------------------------------
    # Failed and lost mails
    # ------------------------------------------------------------------

    @api.model
    def _retry_failed(self, companies=None):
        """Queue again the notices the mail server failed, unless they have
        been tried too often. A queued notice whose mail was lost without a
        word from the mail queue (deleted, or left in exception by a dropped
        SMTP session) is settled first. Only the notices of ``companies``,
        when given."""
        self._settle_lost(companies=companies)
        failed = self.sudo().search(
            [
                ("state", "=", "failed"),
                ("failure_type", "in", RETRY_FAILURES),
                ("attempts", "<", MAX_ATTEMPTS),
                ("mail_id", "!=", False),
            ]
            + self._company_domain(companies)
        )
        failed._requeue()
        return failed

    def _requeue(self):
        """Put these failed notices' mails back in the queue."""
        for notice in self:
            notice.mail_id.write(
                {"state": "outgoing", "failure_type": False, "failure_reason": False}
            )
            notice.write({"state": "queued", "attempts": notice.attempts + 1})
            notice.digest_notice_ids.write({"state": "queued"})

    @api.model
    def _settle_lost(self, companies=None):
        """Settle the queued notices whose mail was lost (``_lost_notices``):
        deleted unsent, they are withdrawn and their contracts notified
        again; cancelled, they are withdrawn; left in exception, they failed.
        """
        for notice in self._lost_notices(companies=companies):
            mail = notice.mail_id
            if not mail:
                # Deleted unsent: the next run (this one) notifies its
                # contracts again.
                notice._withdraw(
                    notice.line_ids | notice.digest_notice_ids.line_ids,
                    self.env._("Its mail was deleted before it was sent."),
                )
            elif mail.state == "cancel":
                (notice | notice.digest_notice_ids).write(
                    {
                        "state": "cancelled",
                        "failure_reason": self.env._("Its mail was cancelled."),
                    }
                )
            else:
                notice._record_outcome(mail, mail.failure_type or "mail_smtp")

    @api.model
    def _lost_notices(self, companies=None):
        """The queued notices (of ``companies``, when given) whose mail is
        gone or will not go: deleted, in exception or cancelled."""
        self.env.flush_all()
        company_filter = (
            SQL()
            if companies is None
            else SQL("AND n.company_id = ANY(%s)", companies.ids)
        )
        # Digest children have no mail of their own: their digest has.
        self.env.cr.execute(
            SQL(
                """SELECT n.id FROM renewal_notice n
                LEFT JOIN mail_mail m ON m.id = n.mail_id
                    WHERE n.state = 'queued' AND n.digest_id IS NULL
                      AND (m.id IS NULL OR m.state IN ('exception', 'cancel'))
                      %s""",
                company_filter,
            )
        )
        return self.sudo().browse(row[0] for row in self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # Replies and bounces
    # ------------------------------------------------------------------

    def _message_receive_bounce(self, email, partner):
        """A bounce: the notice is marked, the contracts say so; Odoo counts
        it on the partner."""
        res = super()._message_receive_bounce(email, partner)
        recipient = self.partner_id
        if self.state not in ("queued", "sent") or (
            partner and partner != recipient and email != recipient.email_normalized
        ):
            return res  # a bounce of another mail of this notice's thread
        (self | self.digest_notice_ids).write(
            {"state": "bounced", "failure_reason": email}
        )
        body = self.env._(
            "The renewal notice %(notice)s to %(email)s bounced.",
            notice=self.name,
            email=email,
        )
        for contract in self.contract_ids:
            contract.message_post(body=body)
        return res

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # Whoever writes to a notice does not follow it: followers would get
        # every later message of its thread, whatever the audience.
        return super(
            RenewalNotice, self.with_context(mail_create_nosubscribe=True)
        ).message_post(**kwargs)

    def _message_post_after_hook(self, message, msg_vals):
        """A reply to a notice (through the mail gateway) is posted on each
        of its contracts, so it is read, and answered, where the contract
        is: a customer's as a message to the contract's followers, a
        salesperson's as an internal note. Replies to a digest stay on it.

        What the public wrote is copied as text, escaped: the links, images
        (tracking pixels) and styles of an e-mail's HTML stay on the notice's
        own message, out of the salesperson's chatter."""
        res = super()._message_post_after_hook(message, msg_vals)
        if msg_vals.get("message_type") == "email" and self.role != "digest":
            header = Markup("<p><i>%s</i></p>") % self.env._(
                "Reply to the renewal notice %(notice)s:", notice=self.name
            )
            subtype = "mail.mt_comment" if self.role == "customer" else "mail.mt_note"
            # Each line escaped; nothing of the e-mail's HTML is kept.
            text = Markup("<p>%s</p>") % Markup("<br/>").join(
                html2plaintext(message.body or "").splitlines()
            )
            for contract in self.contract_ids.with_context(
                mail_create_nosubscribe=True
            ):
                contract.message_post(
                    body=header + text,
                    author_id=message.author_id.id,
                    email_from=message.email_from,
                    message_type="email",
                    subtype_xmlid=subtype,
                    attachment_ids=[
                        attachment.copy(
                            {"res_model": contract._name, "res_id": contract.id}
                        ).id
                        for attachment in message.attachment_ids
                    ],
                )
        return res
