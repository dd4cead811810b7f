from odoo import api, fields, models

from ..tools import demo_history as history

# The demo customers of the history, and the team that covers each one's
# country (renewal_contracts' demo partners 00 to 14).
HISTORY_CUSTOMERS = 15
TEAM_BY_COUNTRY = {
    "US": "team_north_america",
    "NL": "team_central_europe",
    "DE": "team_central_europe",
    "CH": "team_central_europe",
    "PL": "team_central_europe",
    "GB": "team_north_west_europe",
    "FR": "team_north_west_europe",
    "NO": "team_north_west_europe",
}
SALESPEOPLE = {
    "team_north_america": (
        "renewal_contracts.user_renewal_user",
        "renewal_reporting.user_salesperson_olivia",
        "renewal_reporting.user_salesperson_marcus",
    ),
    "team_central_europe": (
        "renewal_reporting.user_salesperson_lotte",
        "renewal_reporting.user_salesperson_felix",
    ),
    "team_north_west_europe": (
        "renewal_reporting.user_salesperson_emma",
        "renewal_reporting.user_salesperson_ingrid",
    ),
}
# Routes to market by region, as (reseller, distributor): direct twice, a
# reseller through its distributor, a reseller buying from the vendor itself,
# and a distributor alone.
CHANNELS = {
    "europe": (
        (None, None),
        (None, None),
        ("partner_reseller_serverhuis", "partner_distributor_nl"),
        ("partner_reseller_bitsbytes", None),
        (None, "partner_distributor_nl"),
    ),
    "americas": (
        (None, None),
        (None, None),
        ("partner_reseller_northwind", "partner_distributor_us"),
        ("partner_reseller_pacific", None),
        (None, "partner_distributor_us"),
    ),
}
EURO_COUNTRIES = {"NL", "DE", "FR"}
PRODUCTS = ("pwr_r660", "pwr_t360", "stg_ps1200", "net_x1052", "sw_bkp_std")
LEVELS = ("basic", "pro", "pro_plus")
# Euros for one dollar, from before the history begins.
EUR_RATE = 0.92


class RenewalContract(models.Model):
    _inherit = "renewal.contract"

    @api.model
    def _cron_refresh_status(self):
        """The daily status refresh brings the renewal analysis up to date
        too (its colours, whether a line is open or overdue, and every change
        of the day), once the statuses are written. Other status refreshes
        (a manager's "refresh now", a company's new renewal window) leave it
        to the scheduled refresh of the analysis, minutes later
        (``renewal.status.refresh``, ``res.company``): ``_refresh_status``
        itself stays a fixed number of queries."""
        res = super()._cron_refresh_status()
        self.env["renewal.report"]._refresh_view()
        return res

    def _cancel(self, reason, note=False):
        res = super()._cancel(reason, note=note)
        self.env["renewal.report"]._mark_stale()
        return res

    def action_reopen(self):
        res = super().action_reopen()
        self.env["renewal.report"]._mark_stale()
        return res

    @api.model
    def _demo_renewal_history(self):
        """Create the demo renewal history (see ``tools/demo_history.py``):
        48 contracts whose lines were renewed on time or late, or lost for
        each cancel reason, over the eight past quarters, and come up for
        renewal this quarter and the next three; three sales teams, the demo
        resellers and distributors and direct business, five countries and
        more, in dollars (the company's currency) and euros.

        Idempotent: once the history exists (its first contract's external
        id), it does nothing.
        """
        if self.env.ref(
            "renewal_reporting.demo_history_contract_000", raise_if_not_found=False
        ):
            return self.browse()
        ref = self.env.ref
        today = fields.Date.context_today(self)
        company = ref("base.main_company")
        customers = [
            ref(f"renewal_contracts.partner_customer_{index:02d}")
            for index in range(HISTORY_CUSTOMERS)
        ]
        teams = [TEAM_BY_COUNTRY[customer.country_id.code] for customer in customers]
        products = [ref(f"renewal_contracts.product_{name}") for name in PRODUCTS]
        levels = [ref(f"renewal_contracts.service_level_{name}") for name in LEVELS]
        warranty = ref("renewal_contracts.service_level_warranty")
        reasons = self.env["renewal.cancel.reason"].search([("active", "=", True)])
        Partner = self.env["res.partner"]
        channels = {
            region: [
                tuple(
                    ref(f"renewal_contracts.{xmlid}") if xmlid else Partner
                    for xmlid in pair
                )
                for pair in pairs
            ]
            for region, pairs in CHANNELS.items()
        }
        euro = self._demo_history_euro(company, today)
        plans = history.history_plan(
            today,
            customers=teams,
            channels=len(CHANNELS["europe"]),
            salespeople={team: len(users) for team, users in SALESPEOPLE.items()},
            products=[product.lst_price for product in products],
            reasons=len(reasons),
        )

        Contract = self.with_context(tracking_disable=True, mail_create_nolog=True)
        contract_vals = []
        for plan in plans:
            customer = customers[plan.customer_index]
            team = teams[plan.customer_index]
            region = "americas" if customer.country_id.code == "US" else "europe"
            reseller, distributor = channels[region][plan.channel_index]
            periods = [period for line in plan.lines for period in line.periods]
            contract_vals.append(
                {
                    "name": f"RH-{27000 + plan.index:05d}",
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "reseller_id": reseller.id,
                    "distributor_id": distributor.id,
                    "reseller_salesperson_id": reseller.child_ids[:1].id,
                    "user_id": ref(SALESPEOPLE[team][plan.salesperson_index]).id,
                    "team_id": ref(f"renewal_reporting.{team}").id,
                    "currency_id": (
                        euro.id
                        if customer.country_id.code in EURO_COUNTRIES
                        else company.currency_id.id
                    ),
                    "service_level_id": levels[plan.index % len(levels)].id,
                    "date_start": min(period.date_start for period in periods),
                    "date_end": max(period.date_end for period in periods),
                    "customer_po_number": f"PO-H{plan.index:04d}",
                }
            )
        contracts = Contract.create(contract_vals)
        self.env["ir.model.data"].create(
            [
                {
                    "module": "renewal_reporting",
                    "name": f"demo_history_contract_{plan.index:03d}",
                    "model": self._name,
                    "res_id": contract.id,
                    "noupdate": True,
                }
                for plan, contract in zip(plans, contracts, strict=True)
            ]
        )

        line_vals, line_periods = [], []
        serial = 0
        for plan, contract in zip(plans, contracts, strict=True):
            for line in plan.lines:
                serial += 1
                product = products[line.product_index]
                level_index = plan.index % len(levels)
                for period in line.periods:
                    if period.upgraded:
                        level_index = min(level_index + 1, len(levels) - 1)
                    level = warranty if plan.index % 12 == 5 else levels[level_index]
                    code = product.default_code[:3]
                    line_vals.append(
                        {
                            "contract_id": contract.id,
                            "product_id": product.id,
                            "serial_number": f"H{code}{700000 + serial}",
                            "quantity": line.quantity,
                            "service_level_id": level.id,
                            "date_start": period.date_start,
                            "date_end": period.date_end,
                            "list_price": period.price,
                        }
                    )
                    line_periods.append(period)
        lines = self.env["renewal.contract.line"].create(line_vals)

        # Renewals: each renewed period continues in the next line of its
        # chain (the periods of a line are consecutive in ``line_vals``).
        for index, (line, period) in enumerate(zip(lines, line_periods, strict=True)):
            if period.outcome in (history.ON_TIME, history.LATE):
                line.write(
                    {
                        "successor_line_id": lines[index + 1].id,
                        "renewed_date": period.decided_on,
                    }
                )
        # Losses, each for its reason, on the day they were decided.
        lost = [
            (line, period)
            for line, period in zip(lines, line_periods, strict=True)
            if period.outcome == history.LOST
        ]
        for reason_index, reason in enumerate(reasons):
            lines.browse(
                line.id for line, period in lost if period.reason_index == reason_index
            )._cancel(reason)
        for line, period in lost:
            line.cancel_date = period.decided_on
        return contracts

    @api.model
    def _demo_history_euro(self, company, today):
        """The euro, active, with a rate for ``company`` from before the
        history begins (unless one is there already)."""
        euro = self.env.ref("base.EUR")
        euro.active = True
        since = history.add_quarters(history.quarter_start(today), -12)
        Rate = self.env["res.currency.rate"]
        if not Rate.search_count(
            [
                ("currency_id", "=", euro.id),
                ("company_id", "=", company.id),
                ("name", "=", since),
            ]
        ):
            Rate.create(
                {
                    "currency_id": euro.id,
                    "company_id": company.id,
                    "name": since,
                    "rate": EUR_RATE,
                }
            )
        return euro
