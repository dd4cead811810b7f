from unittest.mock import patch

import psycopg2

from odoo import sql_db
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.mail.tests.common import MockEmail

from ..models.renewal_notice import LOCK_KEY, MAX_ATTEMPTS
from .common import TODAY, RenewalCase, days


class NoticeCase(RenewalCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        # Only this test's contracts are due: the database's others are not.
        cls.env.cr.execute(SQL("UPDATE renewal_contract SET do_not_contact = TRUE"))
        cls.env["renewal.contract"].invalidate_model(["do_not_contact"])
        cls.company.write(
            {
                "email": "renewals@vendor.example.com",
                "renewal_notice_from": "salesperson",
                "renewal_notice_reply_to": "gateway",
                "renewal_notice_late_days": 14,
            }
        )
        cls.salesperson = new_test_user(
            cls.env,
            login="renewal_notice_sales",
            name="Sam Sales",
            email="sam.sales@vendor.example.com",
            groups="renewal_contracts.renewal_contracts_group_user",
        )
        cls.customer.email = "it@nordwind.example.com"
        cls.customer_contact.email = "ina.admin@nordwind.example.com"
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Sudhafen Logistik AG",
                "is_company": True,
                "email": "it@suedhafen.example.com",
            }
        )
        cls.reseller.email = "sales@resell-one.example.com"
        cls.reseller_salesperson.email = "rosa@resell-one.example.com"
        cls.Notice = cls.env["renewal.notice"]

    def contract(self, ends, **values):
        values.setdefault("user_id", self.salesperson.id)
        return self.make_contract(ends=ends, **values)

    def run_notices(self, today=TODAY):
        return self.Notice._run(today=today)

    def notices(self, contracts, role=None):
        domain = [("line_ids.contract_id", "in", contracts.ids)]
        if role:
            domain.append(("role", "=", role))
        return self.Notice.search(domain)

    def send_queue(self):
        self.env["mail.mail"].sudo().process_email_queue()


@tagged("post_install", "-at_install")
class TestNoticeCadence(NoticeCase):
    def test_cadence_edges(self):
        on_step = self.contract([90])
        before_step = self.contract([91])
        late = self.contract([89])
        too_late = self.contract([60 + 15])
        just_in_time = self.contract([90 - 14])
        on_the_day = self.contract([0])
        overdue = self.contract([-7])
        with self.mock_mail_gateway():
            self.run_notices()
        customer = self.notices(
            on_step
            | before_step
            | late
            | too_late
            | just_in_time
            | on_the_day
            | overdue,
            "customer",
        )
        by_offset = {notice.offset_days: notice.contract_ids for notice in customer}
        self.assertEqual(
            by_offset,
            {-90: on_step | late | just_in_time, 0: on_the_day, 7: overdue},
        )
        # A step 14 days late is still sent, 15 days late is not. Only the
        # latest step reached counts: 91 days before, the 120-day step is 29
        # days old, past the 14 late days.
        self.assertFalse(self.notices(before_step | too_late))

    def test_switched_off_step(self):
        self.env["renewal.notice.step"].search(
            [("offset_days", "=", -90), ("company_id", "=", self.company.id)]
        ).active = False
        on_90 = self.contract([90])
        on_30 = self.contract([30])
        with self.mock_mail_gateway():
            self.run_notices()
        self.assertFalse(self.notices(on_90))
        self.assertEqual(self.notices(on_30, "customer").offset_days, -30)

    def test_one_mail_per_customer_and_step(self):
        first = self.contract([90])
        second = self.contract([90])
        third = self.contract([30])
        other = self.contract([90], partner_id=self.other_customer.id)
        with self.mock_mail_gateway():
            self.run_notices()
        to_customer = self.notices(first | second | third | other, "customer")
        self.assertEqual(len(to_customer), 3)
        grouped = to_customer.filtered(lambda n: n.contract_ids == first | second)
        self.assertEqual(grouped.partner_id, self.customer)
        self.assertEqual(len(grouped.mail_id), 1)
        for contract in first | second:
            self.assertIn(contract.name, grouped.mail_id.body_html)
        self.assertNotIn(third.name, grouped.mail_id.body_html)
        # Each contract with its colour's label, in the customer's language.
        self.assertIn("Due for Renewal", grouped.mail_id.body_html)
        # The salesperson hears of each customer and step once too.
        to_sales = self.notices(first | second | third | other, "sales")
        self.assertEqual(len(to_sales), 3)
        self.assertEqual(to_sales.partner_id, self.salesperson.partner_id)
        self.assertEqual(len(self._new_mails), 6)

    def test_digest(self):
        self.salesperson.partner_id.renewal_notice_digest = True
        self.contract([90])
        self.contract([90], partner_id=self.other_customer.id)
        with self.mock_mail_gateway():
            self.run_notices()
        digest = self.Notice.search([("role", "=", "digest")])
        self.assertEqual(len(digest), 1)
        self.assertEqual(
            digest.digest_notice_ids.customer_id, self.customer | self.other_customer
        )
        self.assertFalse(digest.digest_notice_ids.mail_id)
        self.assertEqual(digest.partner_id, self.salesperson.partner_id)
        # Two customer mails and one digest.
        self.assertEqual(len(self._new_mails), 3)
        self.assertIn("Sudhafen Logistik AG", digest.mail_id.body_html)
        with self.mock_mail_gateway():
            self.send_queue()
        self.assertEqual(set(digest.digest_notice_ids.mapped("state")), {"sent"})


@tagged("post_install", "-at_install")
class TestNoticeContent(NoticeCase):
    def test_sender_and_reply_to(self):
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
            self.send_queue()
        notice = self.notices(contract, "customer")
        self.assertEqual(notice.sender_id, self.salesperson.partner_id)
        self.assertSentEmail(
            '"Sam Sales" <sam.sales@vendor.example.com>',
            [self.customer],
            reply_to=f'"Sam Sales" <{self.alias_catchall}@{self.alias_domain}>',
        )

    def test_reply_to_sender_and_brand_sender(self):
        self.company.write(
            {"renewal_notice_reply_to": "sender", "renewal_notice_from": "brand"}
        )
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
        notice = self.notices(contract, "customer")
        self.assertEqual(notice.sender_id, self.company.partner_id)
        self.assertEqual(
            notice.mail_id.reply_to, self.company.partner_id.email_formatted
        )

    def test_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.env.ref(
            "renewal_contracts.renewal_notice_mail_template_customer"
        )
        template.with_context(
            lang="fr_FR"
        ).subject = (
            "{{ object.brand_partner_id.name }} : renouvellement de vos contrats"
        )
        self.customer.lang = "fr_FR"
        french = self.contract([90])
        english = self.contract([90], partner_id=self.other_customer.id)
        with self.mock_mail_gateway():
            self.run_notices()
        self.assertEqual(
            self.notices(french, "customer").mail_id.subject,
            f"{self.company.name} : renouvellement de vos contrats",
        )
        self.assertIn(
            "renewal of your service contracts",
            self.notices(english, "customer").mail_id.subject,
        )

    def test_wording_follows_the_real_dates(self):
        """A notice sent three days after its step (the on-the-day step,
        here) says the contracts ended three days ago, not that they end
        today; one on time still says today."""
        late = self.contract([-3])
        on_time = self.contract([0], partner_id=self.other_customer.id)
        ahead = self.contract([90, 120], partner_id=self.customer.id)
        with self.mock_mail_gateway():
            self.run_notices()
        late_notice = self.notices(late, "customer")
        self.assertEqual(late_notice.offset_days, 0)  # the step it was due for
        self.assertEqual(late_notice.days_to_end, -3)
        body = late_notice.mail_id.body_html
        self.assertRegex(body, r"ended\s+3\s+days ago")
        self.assertNotIn("end today", body)
        self.assertIn("ended 3 days ago", late_notice.mail_id.subject)
        on_time_notice = self.notices(on_time, "customer")
        self.assertIn("end today", on_time_notice.mail_id.body_html)
        self.assertIn("ending today", on_time_notice.mail_id.subject)
        ahead_notice = self.notices(ahead, "customer")
        self.assertEqual(ahead_notice.earliest_end, days(90))
        self.assertRegex(ahead_notice.mail_id.body_html, r"end in\s+90\s+days")

    def test_lines_left_out_are_not_notified(self):
        """Lines the customer left out of the renewal are out of the later
        notices: their end date, their count and their amount."""
        contract = self.contract([30, 90])
        soon, later = contract.line_ids
        contract._renew_in_part(later, {soon.id: self.reason}, self.customer_contact)
        with self.mock_mail_gateway():
            self.run_notices()
        notice = self.notices(contract, "customer")
        # Not the 30-day step of the line left out: the 90-day one of the
        # line renewed.
        self.assertEqual(notice.offset_days, -90)
        self.assertEqual(notice.line_ids.period_end, days(90))
        self.assertEqual(notice.earliest_end, days(90))
        self.assertEqual(contract.amount_renewal, later.renewal_subtotal)
        self.assertTrue(contract.product_summary.endswith("R1 (1 serial numbers)"))
        self.assertIn("(1 serial numbers)", notice.mail_id.body_html)

    def test_documents_attached_when_sent(self):
        contract = self.contract([90])
        order = self.env["sale.order"]._renewal_generate(
            self.env["sale.order"]._renewal_due_lines(contracts=contract)
        )
        self.assertTrue(order)
        with self.mock_mail_gateway():
            self.run_notices()
            notice = self.notices(contract, "customer")
            # Nothing rendered while queueing.
            self.assertFalse(notice.mail_id.attachment_ids)
            self.send_queue()
        names = sorted(notice.mail_id.attachment_ids.mapped("name"))
        # Reports render as HTML in test mode, as PDF in production.
        extension = names[0].rsplit(".", 1)[1]
        self.assertIn(extension, ("pdf", "html"))
        self.assertEqual(
            names,
            sorted(
                [
                    f"Certificates.{extension}",
                    f"{order._get_report_base_filename()}.{extension}",
                ]
            ),
        )
        sent = next(
            m for m in self._mails if m["email_to"] == [self.customer.email_formatted]
        )
        self.assertEqual(len(sent["attachments"]), 2)
        certificate = {name: content for name, content, _mime in sent["attachments"]}
        self.assertIn(contract.name.encode(), certificate[f"Certificates.{extension}"])
        # The sales notice carries no documents.
        self.assertFalse(self.notices(contract, "sales").mail_id.attachment_ids)


@tagged("post_install", "-at_install")
class TestNoticeOnce(NoticeCase):
    def test_do_not_contact_and_opt_out(self):
        quiet = self.contract([90], do_not_contact=True)
        opted_out = self.contract([90], partner_id=self.other_customer.id)
        self.other_customer.renewal_notice_opt_out = True
        with self.mock_mail_gateway():
            self.run_notices()
        self.assertFalse(self.notices(quiet))
        # The salesperson still hears of the unsubscribed customer's renewal.
        self.assertEqual(self.notices(opted_out).mapped("role"), ["sales"])
        # Back in: the customer notice of that step goes out on the next run.
        self.other_customer.renewal_notice_opt_out = False
        with self.mock_mail_gateway():
            self.run_notices()
        self.assertEqual(
            sorted(self.notices(opted_out).mapped("role")), ["customer", "sales"]
        )

    def test_run_twice_sends_once(self):
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.assertEqual(self.run_notices(), 1)
            self.assertEqual(self.run_notices(), 0)
            self.send_queue()
            self.assertEqual(self.run_notices(), 0)
            # The next day nothing new; the next step, a month later, is.
            self.assertEqual(self.run_notices(days(1)), 0)
            self.assertEqual(self.run_notices(days(30)), 1)
        self.assertEqual(len(self._new_mails), 4)
        self.assertEqual(
            sorted(self.notices(contract, "customer").mapped("offset_days")), [-90, -60]
        )
        self.assertEqual(contract.notice_count, 4)

    def test_unique_key(self):
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
        line = self.notices(contract, "customer").line_ids
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                line.copy({"notice_id": line.notice_id.id})

    def test_customer_held_by_another_worker(self):
        """A second connection holds the customer's lock, as a worker
        mid-batch does: this run leaves the customer to it, and says some
        remain."""
        self.contract([90])
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_KEY, self.customer.id)
            )
            with self.mock_mail_gateway():
                done, remaining = self.Notice._run_batch(TODAY)
            self.assertEqual((done, remaining), (0, 1))
            self.assertFalse(
                self.Notice.search([("customer_id", "=", self.customer.id)])
            )
        finally:
            other.rollback()
            other.close()
        with self.mock_mail_gateway():
            done, remaining = self.Notice._run_batch(TODAY)
        self.assertEqual((done, remaining), (1, 0))

    def test_smtp_failure_then_retry(self):
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
            with (
                patch.object(
                    type(self.env["ir.mail_server"]),
                    "connect",
                    side_effect=ConnectionRefusedError("refused"),
                ),
                mute_logger("odoo.addons.mail.models.mail_mail"),
            ):
                self.send_queue()
        notice = self.notices(contract, "customer")
        self.assertEqual(notice.state, "failed")
        self.assertEqual(notice.failure_type, "mail_smtp")
        self.assertEqual(notice.line_ids.state, "failed")
        # The next run queues it again, and the mail goes out once.
        with self.mock_mail_gateway():
            self.assertEqual(self.run_notices(), 0)
            self.assertEqual(notice.state, "queued")
            self.assertEqual(notice.attempts, 1)
            self.send_queue()
        self.assertEqual(notice.state, "sent")
        self.assertEqual(len(self.notices(contract, "customer")), 1)
        self.assertEqual(
            len([m for m in self._mails if m["subject"] == notice.mail_id.subject]), 1
        )

    def test_retry_gives_up(self):
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
        notice = self.notices(contract, "customer")
        notice.write(
            {"state": "failed", "failure_type": "mail_smtp", "attempts": MAX_ATTEMPTS}
        )
        with self.mock_mail_gateway():
            self.run_notices()
        self.assertEqual(notice.state, "failed")

    def test_renewed_or_cancelled_between_runs(self):
        renewed = self.contract([90])
        cancelled = self.contract([90], partner_id=self.other_customer.id)
        stays = self.contract([30])
        with self.mock_mail_gateway():
            self.run_notices()
            renewed_notice = self.notices(renewed, "customer")
            self.assertEqual(renewed_notice.offset_days, -90)
            # Renewed before the mail queue ran: a successor contract.
            successor = self.contract([455])
            renewed.successor_id = successor
            cancelled._cancel(self.reason)
            self.send_queue()
        self.assertEqual(renewed_notice.state, "cancelled")
        self.assertEqual(self.notices(cancelled, "customer").state, "cancelled")
        self.assertEqual(self.notices(stays, "customer").state, "sent")
        sent_subjects = [m["subject"] for m in self._mails]
        self.assertEqual(len(sent_subjects), 2)  # the 30-day notices only
        # Not due any more: nothing for them on the next run.
        with self.mock_mail_gateway():
            self.assertEqual(self.run_notices(), 0)

    def test_reply_lands_in_contract_chatter(self):
        first = self.contract([90])
        second = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
            notice = self.notices(first, "customer")
            self.send_queue()
        mail = notice.mail_id
        reply = (
            f"From: Nordwind IT <it@nordwind.example.com>\r\n"
            f"To: {mail.reply_to}\r\n"
            f"Subject: Re: {mail.subject}\r\n"
            f"Message-ID: <reply-1@nordwind.example.com>\r\n"
            f"In-Reply-To: {notice.message_id}\r\n"
            f"References: {notice.message_id}\r\n"
            "Content-Type: text/plain\r\n\r\n"
            "Please call me about the renewal of both.\r\n"
        )
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(None, reply)
        for contract in first | second:
            message = contract.message_ids.filtered(
                lambda m: "Please call me" in (m.body or "")
            )
            self.assertEqual(len(message), 1)
            self.assertEqual(message.author_id, self.customer)

    def test_html_reply_lands_as_text(self):
        """A reply's HTML (links, tracking pixels, headings) reaches the
        contract's chatter as escaped text."""
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
            notice = self.notices(contract, "customer")
            self.send_queue()
        reply = (
            "From: Nordwind IT <it@nordwind.example.com>\r\n"
            f"To: {notice.mail_id.reply_to}\r\n"
            "Subject: Re: renewal\r\n"
            "Message-ID: <reply-html@nordwind.example.com>\r\n"
            f"In-Reply-To: {notice.message_id}\r\n"
            "Content-Type: text/html\r\n\r\n"
            "<h1>Call us</h1><p>See <a href='https://evil.example/x'>this</a>"
            "<img src='https://tracker.example/pixel.gif'/> &lt;b&gt;</p>\r\n"
        )
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(None, reply)
        message = contract.message_ids.filtered(lambda m: "Call us" in (m.body or ""))
        self.assertEqual(len(message), 1)
        for tag in ("<h1", "<img", "<a ", "<b>"):
            self.assertNotIn(tag, message.body)
        self.assertIn("tracker.example", notice.message_ids.mapped("body")[0])
        self.assertIn("&lt;b&gt;", message.body)

    def test_bounce_recorded(self):
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
            notice = self.notices(contract, "customer")
            self.send_queue()
        message = self.env["mail.message"].search(
            [("model", "=", "renewal.notice"), ("res_id", "=", notice.id)]
        )
        self.assertTrue(message)
        bounces = self.customer.message_bounce
        self.env["mail.thread"]._routing_handle_bounce(
            None,
            {
                "bounced_email": self.customer.email_normalized,
                "bounced_partner": self.customer,
                "bounced_msg_ids": [notice.message_id],
                "bounced_message": message,
                "email_from": "mailer-daemon@nordwind.example.com",
                "to": "bounce@vendor.example.com",
                "message_id": "<bounce-1@nordwind.example.com>",
                "body": "550 no such user",
            },
        )
        self.assertEqual(notice.state, "bounced")
        self.assertEqual(self.customer.message_bounce, bounces + 1)
        self.assertTrue(
            contract.message_ids.filtered(lambda m: "bounced" in (m.body or ""))
        )

    def test_send_log_on_contract(self):
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
            self.send_queue()
        log = contract.notice_line_ids
        self.assertEqual(sorted(log.mapped("role")), ["customer", "sales"])
        self.assertEqual(set(log.mapped("state")), {"sent"})
        self.assertEqual(set(log.mapped("period_end")), {days(90)})
        customer_line = log.filtered(lambda line: line.role == "customer")
        self.assertEqual(customer_line.partner_id, self.customer)
        self.assertTrue(customer_line.sent_at)
        action = contract.action_view_notices()
        self.assertEqual(self.Notice.search(action["domain"]), log.notice_id)

    def test_new_company_gets_cadence(self):
        company = self.env["res.company"].create({"name": "Vendor Two"})
        steps = self.env["renewal.notice.step"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(
            sorted(steps.mapped("offset_days")), [-120, -90, -60, -30, -7, 0, 7, 30]
        )
        self.assertEqual(
            steps.filtered(lambda s: s.offset_days == -90).name,
            "90 days before the end date",
        )


@tagged("post_install", "-at_install")
class TestNoticeAccess(NoticeCase):
    def test_send_now_and_retry_rights(self):
        contract = self.contract([90])
        with self.assertRaisesMsg(AccessError, "Only a Renewals Manager"):
            self.Notice.with_user(self.user).action_send_due()
        with self.mock_mail_gateway():
            action = self.Notice.with_user(self.manager).action_send_due()
        self.assertIn("1", action["params"]["message"])
        notice = self.notices(contract, "customer")
        notice.write({"state": "failed", "failure_type": "mail_smtp"})
        notice.mail_id.state = "exception"
        with self.assertRaises(AccessError):
            notice.with_user(self.user).action_retry()
        notice.with_user(self.manager).action_retry()
        self.assertEqual(notice.state, "queued")
        self.assertEqual(notice.mail_id.state, "outgoing")
        # Users see the log; nobody edits it by hand.
        self.assertEqual(notice.with_user(self.user).line_ids.contract_id, contract)
        with self.assertRaises(AccessError):
            notice.line_ids.with_user(self.manager).write({"offset_days": 3})


@tagged("post_install", "-at_install")
class TestNoticeEdges(NoticeCase):
    def sent_notice(self, contract):
        with self.mock_mail_gateway():
            self.run_notices()
            self.send_queue()
        notice = self.notices(contract, "customer")
        self.assertEqual(notice.state, "sent")
        return notice

    def test_other_mail_of_the_thread_changes_nothing(self):
        contract = self.contract([90])
        notice = self.sent_notice(contract)
        contract.successor_id = self.contract([455])
        with self.mock_mail_gateway():
            notice.message_post(
                body="A note for the customer", partner_ids=self.customer.ids
            )
            self.send_queue()
        self.assertEqual(notice.state, "sent")
        self.assertEqual(len(notice.line_ids), 1)

    def test_salesperson_reply_is_an_internal_note(self):
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
            self.send_queue()
        sales = self.notices(contract, "sales")
        reply = (
            "From: Sam Sales <sam.sales@vendor.example.com>\r\n"
            f"To: {sales.reply_to}\r\n"
            "Subject: Re: renewal\r\n"
            "Message-ID: <reply-2@vendor.example.com>\r\n"
            f"In-Reply-To: {sales.message_id}\r\n"
            "Content-Type: text/plain\r\n\r\n"
            "Internal: they want a discount.\r\n"
        )
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(None, reply)
        note = contract.message_ids.filtered(lambda m: "discount" in (m.body or ""))
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertNotIn(self.salesperson.partner_id, sales.message_partner_ids)

    def test_mail_left_in_exception_is_retried(self):
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
        notice = self.notices(contract, "customer")
        # A dropped SMTP session: the mail is left in exception, unreported.
        notice.mail_id.state = "exception"
        with self.mock_mail_gateway():
            self.run_notices()
        self.assertEqual(notice.state, "queued")
        self.assertEqual(notice.attempts, 1)
        self.assertEqual(notice.mail_id.state, "outgoing")

    def test_mail_deleted_unsent_is_notified_again(self):
        contract = self.contract([90])
        with self.mock_mail_gateway():
            self.run_notices()
        notice = self.notices(contract, "customer")
        notice.mail_id.unlink()
        notice.invalidate_recordset()
        self.assertFalse(notice.mail_id)
        with self.mock_mail_gateway():
            self.run_notices()
        self.assertEqual(notice.state, "cancelled")
        again = self.notices(contract, "customer") - notice
        self.assertEqual(again.state, "queued")
        self.assertEqual(again.offset_days, -90)

    def test_collision_rolls_back_and_asks_for_another_run(self):
        self.contract([90])
        cron = self.env.ref("renewal_contracts.ir_cron_renewal_notices")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        with patch.object(
            type(self.Notice), "_run_batch", side_effect=psycopg2.errors.UniqueViolation
        ):
            self.assertEqual(self.Notice._run_batch_or_yield(TODAY), (0, 1))
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers + 1,
        )

    def test_button_stays_in_the_allowed_companies(self):
        other_company = self.env["res.company"].create({"name": "Vendor Two"})
        elsewhere = self.contract([90], company_id=other_company.id, user_id=False)
        here = self.contract([90])
        with self.mock_mail_gateway():
            self.Notice.with_user(self.manager).action_send_due()
        self.assertTrue(self.notices(here))
        self.assertFalse(self.notices(elsewhere))

    def test_send_now_retries_settles_and_digests_its_companies_only(self):
        """Send Now works in the selected companies: another company's failed,
        lost and digest-waiting notices wait for the scheduled action."""
        other_company = self.env["res.company"].create(
            {"name": "Vendor Two", "email": "two@vendor.example.com"}
        )
        seller_b = new_test_user(
            self.env,
            login="renewal_notice_digest_b",
            email="dee@vendor.example.com",
            groups="renewal_contracts.renewal_contracts_group_user",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        seller_b.partner_id.renewal_notice_digest = True
        failing = self.contract([90], company_id=other_company.id, user_id=False)
        lost = self.contract(
            [90],
            company_id=other_company.id,
            user_id=seller_b.id,
            partner_id=self.other_customer.id,
        )
        notices = self.Notice._create_notices(
            self.Notice._due_rows(TODAY, companies=other_company), TODAY
        )
        failed = notices.filtered(
            lambda n: n.role == "customer" and failing in n.contract_ids
        )
        failed._queue_mails()
        failed.write({"state": "failed", "failure_type": "mail_smtp"})
        failed.mail_id.state = "exception"
        # Queued, but its mail is gone: settled by the next run.
        unsent = notices.filtered(
            lambda n: n.role == "customer" and lost in n.contract_ids
        )
        waiting = notices.filtered(lambda n: n.state == "digest")
        self.assertEqual(
            (failed.state, unsent.state, waiting.partner_id),
            ("failed", "queued", seller_b.partner_id),
        )
        with self.mock_mail_gateway():
            self.Notice.with_user(self.manager).action_send_due()
        self.assertEqual((failed.state, failed.attempts), ("failed", 0))
        self.assertEqual(unsent.state, "queued")
        self.assertFalse(waiting.digest_id)
        # The scheduled action does every company.
        with self.mock_mail_gateway():
            self.run_notices()
        self.assertEqual((failed.state, failed.attempts), ("queued", 1))
        self.assertEqual(unsent.state, "cancelled")
        self.assertEqual(waiting.digest_id.company_id, other_company)

    def test_late_days_not_negative(self):
        with self.assertRaisesMsg(ValidationError, "zero or more days"):
            self.company.renewal_notice_late_days = -1
