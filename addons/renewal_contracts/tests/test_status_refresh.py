from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from ..tools import status as rules
from .common import TODAY, RenewalCase, days


@tagged("post_install", "-at_install")
class TestStatusRefresh(RenewalCase):
    """The daily, set-based refresh: time moves, statuses follow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Contract = cls.env["renewal.contract"]
        cls.c_overdue = cls.make_contract(ends=[-5])
        cls.c_due_tomorrow = cls.make_contract(ends=[1])
        cls.c_edge = cls.make_contract(ends=[91])  # turns amber tomorrow
        cls.c_live = cls.make_contract(ends=[300])
        cls.c_mixed = cls.make_contract(ends=[0, 400])  # red tomorrow
        cls.c_cancelled = cls.make_contract(ends=[0])
        cls.c_cancelled._cancel(cls.reason)
        cls.c_renewed = cls.make_contract(ends=[0])
        cls.c_renewed.successor_id = cls.c_live
        cls.c_no_lines = cls.make_contract(ends=[], date_end=days(0))
        # Every line cancelled on its own: black, though not cancelled itself.
        cls.c_lines_cancelled = cls.make_contract(ends=[-2, 10])
        cls.c_lines_cancelled.line_ids._cancel(cls.reason)
        # One line renewed on its own (green), the other turns red tomorrow.
        cls.c_line_renewed = cls.make_contract(ends=[-3, 0])
        cls.c_line_renewed.line_ids[0].successor_line_id = cls.c_live.line_ids
        cls.contracts = (
            cls.c_overdue
            | cls.c_due_tomorrow
            | cls.c_edge
            | cls.c_live
            | cls.c_mixed
            | cls.c_cancelled
            | cls.c_renewed
            | cls.c_no_lines
            | cls.c_lines_cancelled
            | cls.c_line_renewed
        )

    def _ours(self, runs):
        """The run of the test's company: a refresh logs one run per company,
        and there may be others (Inventory's demo data adds one)."""
        return runs.filtered(lambda run: run.company_id == self.company)

    def _refresh(self):
        return self._ours(self.Contract._refresh_status())

    def _statuses(self):
        return {contract.name: contract.status for contract in self.contracts}

    def test_refresh_same_day_changes_nothing(self):
        before = self._statuses()
        run = self._refresh()
        self.assertEqual(run.reference_date, TODAY)
        self.assertEqual((run.line_count, run.contract_count), (0, 0))
        self.assertEqual(self._statuses(), before)

    def test_next_day_changes_only_what_must(self):
        tomorrow = TODAY + timedelta(days=1)
        untouched = (
            self.c_overdue
            | self.c_due_tomorrow
            | self.c_live
            | self.c_cancelled
            | self.c_lines_cancelled
        )
        write_dates = {c.id: c.line_ids.mapped("write_date") for c in untouched}
        with freeze_time(tomorrow + timedelta(hours=3)):
            run = self._refresh()
        self.assertEqual(run.reference_date, tomorrow)
        # c_edge's line turns amber; c_mixed's first line turns red, and so
        # does c_line_renewed's open line (its renewed one stays green); the
        # contract without lines turns red.
        self.assertEqual(run.line_count, 3)
        self.assertEqual(run.contract_count, 4)
        self.assertEqual(self.c_edge.status, "due")
        self.assertEqual(self.c_mixed.line_ids.mapped("status"), ["overdue", "live"])
        self.assertEqual(self.c_mixed.status, "overdue")
        self.assertEqual(self.c_no_lines.status, "overdue")
        self.assertEqual(self.c_due_tomorrow.status, "due")  # ends today now
        self.assertEqual(self.c_cancelled.status, "cancelled")
        self.assertEqual(self.c_renewed.status, "live")
        self.assertEqual(
            self.c_line_renewed.line_ids.mapped("status"), ["live", "overdue"]
        )
        self.assertEqual(self.c_line_renewed.status, "overdue")
        self.assertEqual(self.c_lines_cancelled.status, "cancelled")
        for contract in untouched:
            self.assertEqual(
                contract.line_ids.mapped("write_date"), write_dates[contract.id]
            )
        # Run again the same day: nothing left to change.
        with freeze_time(tomorrow + timedelta(hours=4)):
            again = self._refresh()
        self.assertEqual((again.line_count, again.contract_count), (0, 0))

    def test_sql_agrees_with_rules(self):
        """After a jump of many days the SQL refresh gives, line by line, what
        the Python rules give."""
        for jump in (1, 30, 89, 91, 365):
            with self.subTest(jump=jump):
                day = TODAY + timedelta(days=jump)
                with freeze_time(day):
                    self._refresh()
                for line in self.contracts.line_ids:
                    expected = rules.line_status(
                        line.date_end,
                        day,
                        90,
                        cancelled=line.is_cancelled or line.contract_id.is_cancelled,
                        renewed=line.is_renewed,
                    )
                    self.assertEqual(line.status, expected, line.serial_number)
                for contract in self.contracts:
                    own = rules.line_status(
                        contract.date_end, day, 90, renewed=contract.is_renewed
                    )
                    expected = rules.contract_status(
                        contract.line_ids.mapped("status"),
                        cancelled=contract.is_cancelled,
                        own_status=own,
                    )
                    self.assertEqual(contract.status, expected, contract.name)

    def test_refresh_repairs_stale_rows(self):
        # Statuses written wrong behind the ORM's back are put right.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE renewal_contract_line SET status = 'live' WHERE id IN %s",
            [tuple(self.c_overdue.line_ids.ids)],
        )
        self.env.cr.execute(
            "UPDATE renewal_contract SET status = NULL WHERE id = %s", [self.c_live.id]
        )
        self.env.invalidate_all()
        run = self._refresh()
        self.assertEqual((run.line_count, run.contract_count), (1, 1))
        self.assertEqual(self.c_overdue.line_ids.status, "overdue")
        self.assertEqual(self.c_live.status, "live")

    def test_query_count_does_not_grow(self):
        """Set-based: the same number of queries for 8 contracts or 60 (the
        companies, two updates, the log). The event hook is the listeners'
        cost (renewal_channel's webhooks, per webhook, not per contract), so
        it is left out here."""
        silent = patch.object(
            type(self.Contract),
            "_renewal_notify_event",
            lambda records, event, order=None: None,
        )
        self.startPatcher(silent)
        self._refresh()  # warm the caches
        with freeze_time(TODAY + timedelta(days=40)):
            with self.assertQueryCount(4):
                small = self.Contract._refresh_status()
        for _index in range(52):
            self.make_contract(ends=[3, 100])
        self.env.flush_all()  # statuses computed as of today
        with freeze_time(TODAY + timedelta(days=60)):
            with self.assertQueryCount(4):
                large = self.Contract._refresh_status()
        self.assertGreater(self._ours(large).line_count, self._ours(small).line_count)

    def test_cron_records_progress(self):
        cron = self.env.ref("renewal_contracts.ir_cron_renewal_refresh_status")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        with freeze_time(TODAY + timedelta(days=1)):
            cron.method_direct_trigger()
        run = self.env["renewal.status.refresh"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.assertEqual(run.reference_date, TODAY + timedelta(days=1))
        self.assertEqual(run.line_count, 3)


@tagged("post_install", "-at_install")
class TestStatusRefreshCompanies(RenewalCase):
    """The refresh runs company by company: the scheduled action does every
    company, each logged with its company; a manual refresh keeps to the
    companies the user selected."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Vendor B"})
        cls.company_b.renewal_due_days = 90
        cls.Refresh = cls.env["renewal.status.refresh"]
        # Both turn red tomorrow.
        cls.contract_a = cls.make_contract(ends=[0])
        cls.contract_b = cls.make_contract(ends=[0], company_id=cls.company_b.id)

    def setUp(self):
        super().setUp()
        self.last_run = self.Refresh.search([], limit=1).id or 0

    def runs(self, company):
        """The runs of ``company`` since the test began."""
        return self.Refresh.search(
            [("company_id", "=", company.id), ("id", ">", self.last_run)]
        )

    def test_scheduled_action_does_every_company(self):
        tomorrow = TODAY + timedelta(days=1)
        with freeze_time(tomorrow):
            self.env.ref(
                "renewal_contracts.ir_cron_renewal_refresh_status"
            ).method_direct_trigger()
        self.assertEqual(self.contract_a.status, "overdue")
        self.assertEqual(self.contract_b.status, "overdue")
        for company in (self.company, self.company_b):
            run = self.runs(company)
            self.assertEqual(len(run), 1, company.name)
            self.assertEqual(run.reference_date, tomorrow)
        self.assertEqual(
            (
                self.runs(self.company_b).line_count,
                self.runs(self.company_b).contract_count,
            ),
            (1, 1),
        )

    def test_manual_refresh_keeps_to_the_selected_companies(self):
        with self.assertRaisesMsg(AccessError, "Only a Renewals Manager"):
            self.Refresh.with_user(self.user).action_refresh_now()
        with freeze_time(TODAY + timedelta(days=1)):
            action = self.Refresh.with_user(self.manager).action_refresh_now()
        self.assertIn(self.company.name, action["params"]["message"])
        self.assertEqual(self.contract_a.status, "overdue")
        self.assertEqual(self.contract_b.status, "due")  # not B's manager
        self.assertEqual(len(self.runs(self.company)), 1)
        self.assertFalse(self.runs(self.company_b))
        # The manager sees the log of their companies only.
        self.assertEqual(
            self.Refresh.with_user(self.manager).search([]).company_id, self.company
        )
        self.assertTrue(self.Refresh.search([("company_id", "=", self.company_b.id)]))

    def test_company_setting_refreshes_that_company(self):
        runs_a, runs_b = self.runs(self.company), self.runs(self.company_b)
        self.company_b.renewal_due_days = 30
        self.assertEqual(self.runs(self.company), runs_a)
        self.assertEqual(len(self.runs(self.company_b) - runs_b), 1)
