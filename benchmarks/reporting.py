#!/usr/bin/env python3
"""Benchmark: the management reports over N covered lines.

Fills a database with N covered lines set-based (N/6 contracts of 2 serial
numbers each, every serial renewed or not over three yearly periods: end dates
over 12 quarters, 8 past and 4 to come; 200 resellers, 5 distributors and
direct business, 6 product categories, 3 sales teams of 4 salespeople, 5
countries, a fifth of the contracts in a second currency; past periods renewed
on time, renewed late, lost for each reason or left overdue), brings the
statuses up to date with the daily refresh, then times, warm (the best and the
median of a few runs after one untimed run):

- the default pivot of the renewal analysis (``renewal.report``: product
  category by due quarter, value due, renewal rates by count and by value), as
  the pivot view loads it: one ``read_group`` per row/column grouping level;
- the reseller ranking table (``renewal.ranking``) of the last 12 months;
- every query of the dashboard (the pivots and lists of the dashboard file
  shipped in ``renewal_reporting/data/files``, or, while there is none, the
  blocks the issue lists), one by one and in all;

each beside Odoo's own ``read_group`` on the covered line table
(``renewal.contract.line``) with the same grouping, and the physical floor: one
raw SQL ``GROUP BY`` on the line table computing the same figures.

Usage: python3 benchmarks/reporting.py [--lines 1000000] [--runs 3] [--db NAME]
       [--keep] [--explain]
The fill is committed (so that a kept database is reused by the next run with
the same --lines); the database it creates is dropped unless --keep.
Targets (issue #12): each pivot or ranking 2 s or less, the whole dashboard
3 s or less, at 1,000,000 lines.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402
from common import REPO, drop_database, ensure_database, odoo_env  # noqa: E402

MODULES = "renewal_contracts,renewal_portal,renewal_channel,renewal_reporting"
PREFIX = "RPT-"  # contract names, partner refs and codes of the fill
RESELLERS = 200
DISTRIBUTORS = 5
CATEGORIES = 6
PRODUCTS = 48
TEAMS = 3
SALESPEOPLE_PER_TEAM = 4
COUNTRIES = ("US", "DE", "FR", "NL", "GB")
REASONS = (
    "cancel_reason_decommissioned",
    "cancel_reason_replaced",
    "cancel_reason_competitor",
    "cancel_reason_price",
    "cancel_reason_consolidated",
    "cancel_reason_other",
)
PIVOT_MEASURES = ("value_due", "renewal_rate_count", "renewal_rate_value")
DASHBOARD_DIR = os.path.join(REPO, "addons", "renewal_reporting", "data", "files")
DASHBOARD_FILE = "renewal_dashboard.json"


# ----------------------------------------------------------------------
# Dates
# ----------------------------------------------------------------------


def quarter_start(day, shift=0):
    index = day.year * 4 + (day.month - 1) // 3 + shift
    return date(index // 4, index % 4 * 3 + 1, 1)


# ----------------------------------------------------------------------
# The fill
# ----------------------------------------------------------------------


def column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


def filled(env, lines):
    env.cr.execute(
        "SELECT count(*) FROM renewal_contract_line l "
        "JOIN renewal_contract c ON c.id = l.contract_id WHERE c.name LIKE %s",
        [PREFIX + "%"],
    )
    return env.cr.fetchone()[0] == lines


def clean(env):
    cr = env.cr
    cr.execute("DELETE FROM renewal_contract WHERE name LIKE %s", [PREFIX + "%"])
    cr.execute("DELETE FROM res_partner WHERE ref LIKE %s", [PREFIX + "%"])


def parties(env, lines):
    """Partners, products, teams and salespeople, through the ORM (a few
    thousand records at most)."""
    from odoo import Command

    countries = env["res.country"].search([("code", "in", COUNTRIES)])
    states = env["res.country.state"].search(
        [("country_id", "in", countries.ids)], limit=20
    )
    distributors = env["res.partner"].create(
        [
            {
                "name": f"Bench Distributor {i}",
                "ref": f"{PREFIX}D{i}",
                "is_company": True,
                "is_renewal_distributor": True,
                "country_id": countries[i % len(countries)].id,
            }
            for i in range(DISTRIBUTORS)
        ]
    )
    resellers = env["res.partner"].create(
        [
            {
                "name": f"Bench Reseller {i:03d}",
                "ref": f"{PREFIX}R{i}",
                "is_company": True,
                "is_renewal_reseller": True,
                "renewal_distributor_id": distributors[i % DISTRIBUTORS].id,
                "country_id": countries[i % len(countries)].id,
            }
            for i in range(RESELLERS)
        ]
    )
    customer_count = max(50, min(5000, lines // 200))
    state_of = {state.country_id: state.id for state in states}
    customers = env["res.partner"].create(
        [
            {
                "name": f"Bench Customer {i:04d}",
                "ref": f"{PREFIX}C{i}",
                "is_company": True,
                "country_id": countries[i % len(countries)].id,
                "state_id": state_of.get(countries[i % len(countries)], False),
            }
            for i in range(customer_count)
        ]
    )
    categories = env["product.category"].search([("name", "=like", "Bench Line %")])
    if len(categories) < CATEGORIES:
        categories = env["product.category"].create(
            [{"name": f"Bench Line {i}"} for i in range(CATEGORIES)]
        )
    products = env["product.product"].search([("default_code", "=like", "RPT-P%")])
    if len(products) < PRODUCTS:
        products = env["product.product"].create(
            [
                {
                    "name": f"Bench Support {i:02d}",
                    "default_code": f"RPT-P{i:02d}",
                    "type": "service",
                    "categ_id": categories[i % CATEGORIES].id,
                }
                for i in range(PRODUCTS)
            ]
        )
    levels = env["renewal.service.level"].search([("code", "=like", "RPT-%")])
    if len(levels) < 3:
        levels = env["renewal.service.level"].create(
            [
                {"name": "Bench Basic", "code": "RPT-B"},
                {"name": "Bench Premium", "code": "RPT-P"},
                {"name": "Bench Warranty", "code": "RPT-W", "warranty_only": True},
            ]
        )
    teams = env["crm.team"].search([("name", "=like", "Bench Team %")])
    if len(teams) < TEAMS:
        teams = env["crm.team"].create(
            [{"name": f"Bench Team {i}"} for i in range(TEAMS)]
        )
    users = env["res.users"].search([("login", "=like", "rpt-sales-%")])
    if len(users) < TEAMS * SALESPEOPLE_PER_TEAM:
        users = (
            env["res.users"]
            .with_context(no_reset_password=True, tracking_disable=True)
            .create(
                [
                    {
                        "name": f"Bench Salesperson {i:02d}",
                        "login": f"rpt-sales-{i:02d}",
                        "groups_id": [
                            Command.set([env.ref("sales_team.group_sale_salesman").id])
                        ],
                    }
                    for i in range(TEAMS * SALESPEOPLE_PER_TEAM)
                ]
            )
        )
        for index, user in enumerate(users):
            # The user's sale_team_id is computed from team memberships.
            env["crm.team.member"].create(
                {"crm_team_id": teams[index % TEAMS].id, "user_id": user.id}
            )
    env.flush_all()
    user_team = [(user.id, user.sale_team_id.id or teams[0].id) for user in users]
    return {
        "distributors": distributors.ids,
        "resellers": resellers.ids,
        "reseller_distributor": [r.renewal_distributor_id.id for r in resellers],
        "customers": customers.ids,
        "products": products.ids,
        "product_categs": [product.categ_id.id for product in products],
        "levels": levels.ids,
        "users": [u for u, _t in user_team],
        "user_teams": [t for _u, t in user_team],
    }


def second_currency(env, today):
    """EUR, active, with a rate for every quarter of the fill's span."""
    eur = env.ref("base.EUR")
    company = env.company
    if eur == company.currency_id:
        eur = env.ref("base.USD")
    eur.active = True
    Rate = env["res.currency.rate"]
    existing = set(
        Rate.search(
            [("currency_id", "=", eur.id), ("company_id", "=", company.id)]
        ).mapped("name")
    )
    Rate.create(
        [
            {
                "currency_id": eur.id,
                "company_id": company.id,
                "name": quarter_start(today, shift),
                "rate": 0.9 + 0.01 * (shift % 5),
            }
            for shift in range(-12, 5)
            if quarter_start(today, shift) not in existing
        ]
    )
    return eur


def fill(env, lines, today):
    """Insert ``lines`` covered lines and their contracts with two INSERT ...
    SELECT statements, then bring the statuses up to date with the daily
    refresh."""
    from odoo.tools import SQL

    cr = env.cr
    data = parties(env, lines)
    eur = second_currency(env, today)
    company = env.company
    contracts = -(-lines // 6)
    has_team = column_exists(cr, "renewal_contract", "team_id")
    has_renewed = column_exists(cr, "renewal_contract_line", "renewed_date")
    has_cancel = column_exists(cr, "renewal_contract_line", "cancel_date")

    # Reserve the ids, so that a line's successor is known when it is
    # inserted: line g (serial g / 3, period g % 3) is renewed by line g + 1.
    cr.execute(
        "SELECT setval('renewal_contract_id_seq', "
        "nextval('renewal_contract_id_seq') + %s)",
        [contracts],
    )
    first_contract = cr.fetchone()[0] - contracts
    cr.execute(
        "SELECT setval('renewal_contract_line_id_seq', "
        "nextval('renewal_contract_line_id_seq') + %s)",
        [lines],
    )
    first_line = cr.fetchone()[0] - lines

    # Route: c % 20 in 0..5 direct, 6..13 reseller, 14..18 reseller through a
    # distributor, 19 a distributor alone.
    team_column = SQL(", team_id") if has_team else SQL()
    team_value = (
        SQL(
            ", (%s::int[])[1 + mod(c * 13, %s)]",
            data["user_teams"],
            len(data["users"]),
        )
        if has_team
        else SQL()
    )
    cr.execute(
        SQL(
            """
            INSERT INTO renewal_contract (
                id, name, company_id, partner_id, currency_id, user_id,
                reseller_id, distributor_id, service_level_id,
                date_start, date_end, next_expiry_date, is_cancelled,
                is_renewed, is_consolidated, warranty_only, amount_renewal,
                create_uid, write_uid, create_date, write_date %(team_column)s)
            SELECT %(first)s + c, %(prefix)s || c, %(company)s,
                   (%(customers)s::int[])[1 + mod(c * 7, %(n_customers)s)],
                   CASE WHEN mod(c, 5) = 4 THEN %(eur)s ELSE %(currency)s END,
                   (%(users)s::int[])[1 + mod(c * 13, %(n_users)s)],
                   CASE WHEN mod(c, 20) BETWEEN 6 AND 18
                        THEN (%(resellers)s::int[])[1 + r]
                   END,
                   CASE WHEN mod(c, 20) BETWEEN 14 AND 18
                        THEN (%(reseller_distributor)s::int[])[1 + r]
                        WHEN mod(c, 20) = 19
                        THEN (%(distributors)s::int[])[1 + mod(c, %(n_distributors)s)]
                   END,
                   (%(levels)s::int[])[1 + mod(c, 2)],
                   d - 1094, d, d, false, false, false, false, 0,
                   %(uid)s, %(uid)s, now(), now() %(team_value)s
              FROM generate_series(0, %(contracts)s - 1) AS c
             CROSS JOIN LATERAL (
                 SELECT %(today)s::date + mod(c::bigint * 7919, 365)::int AS d,
                        mod(c / 20 * 13 + mod(c, 20), %(n_resellers)s) AS r
             ) AS dates
            """,
            first=first_contract,
            prefix=PREFIX,
            company=company.id,
            customers=data["customers"],
            n_customers=len(data["customers"]),
            eur=eur.id,
            currency=company.currency_id.id,
            users=data["users"],
            n_users=len(data["users"]),
            resellers=data["resellers"],
            n_resellers=len(data["resellers"]),
            reseller_distributor=data["reseller_distributor"],
            distributors=data["distributors"],
            n_distributors=len(data["distributors"]),
            levels=data["levels"],
            uid=env.uid,
            contracts=contracts,
            today=today,
            team_column=team_column,
            team_value=team_value,
        )
    )
    # Line g: serial s = g / 3 (two serials per contract), period p = g % 3.
    # Period 0 ends 2 years back, 1 in the past year, 2 in the year to come.
    # Outcome of a past period, from a hash of g (r in 0..99): 0-54 renewed on
    # time (1 to 60 days early), 55-74 renewed late (1 to 45 days), 75-87
    # lost (each reason in turn), 88-99 left overdue. A renewal raises the
    # price by 0 to 8 %.
    extra_columns = SQL()
    extra_values = SQL()
    if has_renewed:
        extra_columns = SQL("%s, renewed_date", extra_columns)
        extra_values = SQL(
            """%s, CASE WHEN renewable AND r < 55 THEN e - 1 - mod(g, 60)
                        WHEN renewable AND r < 75 THEN e + 1 + mod(g, 45) END""",
            extra_values,
        )
    if has_cancel:
        extra_columns = SQL("%s, cancel_date", extra_columns)
        extra_values = SQL(
            "%s, CASE WHEN p < 2 AND r BETWEEN 75 AND 87 THEN e - 10 + mod(g, 40) END",
            extra_values,
        )
    cr.execute(
        SQL(
            """
            INSERT INTO renewal_contract_line (
                id, contract_id, company_id, partner_id, reseller_id,
                product_id, product_categ_id, serial_number, quantity,
                service_level_id, date_start, date_end, list_price,
                renewal_price, renewal_subtotal, warranty_only, is_cancelled,
                cancel_reason_id, successor_line_id, is_renewed,
                customer_left_out, renewal_discount,
                create_uid, write_uid, create_date, write_date %(extra_columns)s)
            SELECT %(first_line)s + g, c.id, c.company_id, c.partner_id,
                   c.reseller_id,
                   (%(products)s::int[])[1 + mod(s * 17, %(n_products)s)],
                   (%(categs)s::int[])[1 + mod(s * 17, %(n_products)s)],
                   'RSN' || s, 1 + mod(s, 3), c.service_level_id,
                   e - 364, e, price, 0, price * (1 + mod(s, 3)),
                   mod(s, 10) = 0,
                   p < 2 AND r BETWEEN 75 AND 87,
                   CASE WHEN p < 2 AND r BETWEEN 75 AND 87
                        THEN (%(reasons)s::int[])[1 + mod(r, %(n_reasons)s)] END,
                   CASE WHEN renewable AND r < 75 THEN %(first_line)s + g + 1 END,
                   renewable AND r < 75,
                   false, 0,
                   %(uid)s, %(uid)s, now(), now() %(extra_values)s
              FROM generate_series(0, %(lines)s - 1) AS g
             CROSS JOIN LATERAL (
                 SELECT g / 3 AS s, mod(g, 3) AS p,
                        mod(g, 3) < 2 AND g + 1 < %(lines)s AS renewable,
                        mod(mod(g::bigint * 2654435761, 4294967296), 100)::int AS r
             ) AS k
             CROSS JOIN LATERAL (
                 SELECT %(today)s::date - 730 + mod(s::bigint * 7919, 365)::int
                        + 365 * p AS e,
                        round((50 + mod(s * 29, 950)) * (1 + mod(s, 9) / 100.0) ^ p,
                              2) AS price
             ) AS d
              JOIN renewal_contract c ON c.id = %(first_contract)s + s / 2
            """,
            first_line=first_line,
            first_contract=first_contract,
            products=data["products"],
            categs=data["product_categs"],
            n_products=len(data["products"]),
            reasons=[env.ref(f"renewal_contracts.{xmlid}").id for xmlid in REASONS],
            n_reasons=len(REASONS),
            uid=env.uid,
            lines=lines,
            today=today,
            extra_columns=extra_columns,
            extra_values=extra_values,
        )
    )
    if cr.rowcount != lines:
        raise RuntimeError(f"inserted {cr.rowcount} lines instead of {lines}")
    env.invalidate_all()
    env["renewal.contract"]._refresh_status(today)
    cr.execute("ANALYZE renewal_contract")
    cr.execute("ANALYZE renewal_contract_line")
    cr.execute("ANALYZE res_partner")
    env.invalidate_all()
    return {
        "contracts": contracts,
        "resellers": len(data["resellers"]),
        "customers": len(data["customers"]),
        "team_id": has_team,
        "renewed_date": has_renewed,
        "cancel_date": has_cancel,
    }


# ----------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------


class Timing:
    def __init__(self, label, seconds):
        self.label = label
        self.seconds = seconds
        self.best = min(seconds)
        self.median = statistics.median(seconds)


def timed(env, label, work, runs):
    """One untimed run (warms caches), then ``runs`` timed ones."""
    env.invalidate_all()
    work()
    seconds = []
    for _ in range(runs):
        env.invalidate_all()
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return Timing(label, seconds)


def pivot_loads(rows, cols):
    """The read_group groupings a pivot loads: every prefix of its rows
    crossed with every prefix of its columns (as Odoo's PivotModel)."""
    return [
        list(rows[:i]) + list(cols[:j])
        for i in range(len(rows) + 1)
        for j in range(len(cols) + 1)
    ]


def measure_specs(model, measures):
    specs = []
    for name in measures:
        if name == "__count":
            specs.append(name)
            continue
        field = model._fields[name]
        aggregator = "count_distinct" if field.type == "many2one" else field.aggregator
        specs.append(f"{name}:{aggregator}")
    return specs


def pivot_work(model, domain, rows, cols, measures, context=None):
    specs = measure_specs(model, measures)
    model = model.with_context(**(context or {}))

    def work():
        for groupby in pivot_loads(rows, cols):
            model.read_group(domain, specs, groupby, lazy=False)

    return work


def sql_work(env, query, params=None):
    def work():
        env.cr.execute(query, params or [])
        env.cr.fetchall()

    return work


# ----------------------------------------------------------------------
# What is measured
# ----------------------------------------------------------------------

# The report's dimensions on the line table, for Odoo's read_group there
# (None: not a column of the line, the line-table comparison is skipped).
LINE_FIELDS = {
    "categ_id": "product_categ_id",
    "date_end": "date_end",
    "partner_id": "partner_id",
    "reseller_id": "reseller_id",
    "product_id": "product_id",
    "company_id": "company_id",
    "status": "status",
    "cancel_reason_id": "cancel_reason_id",
    "service_level_id": "service_level_id",
    "warranty_only": "warranty_only",
    "renewed_date": "renewed_date",
}

# The physical floor: the same figures from the line table alone, in SQL
# (renewed = has a successor; decided or due = renewed, lost or overdue).
FLOOR_MEASURES = """
    count(*) AS nbr_lines,
    sum(l.renewal_subtotal) AS value_due,
    sum(l.renewal_subtotal) FILTER (WHERE l.successor_line_id IS NOT NULL)
        AS value_renewed,
    sum(l.renewal_subtotal) FILTER (WHERE l.is_cancelled) AS value_lost,
    count(*) FILTER (WHERE l.successor_line_id IS NOT NULL)::float
        / nullif(count(*) FILTER (WHERE l.successor_line_id IS NOT NULL
                                    OR l.is_cancelled OR l.status = 'overdue'), 0)
        AS renewal_rate_count
"""
FLOOR_EXPR = {
    "categ_id": "l.product_categ_id",
    "date_end": "date_trunc('quarter', l.date_end)",
    "date_end:quarter": "date_trunc('quarter', l.date_end)",
    "date_end:month": "date_trunc('month', l.date_end)",
    "date_end:year": "date_trunc('year', l.date_end)",
    "partner_id": "l.partner_id",
    "reseller_id": "l.reseller_id",
    "product_id": "l.product_id",
    "status": "l.status",
    "cancel_reason_id": "l.cancel_reason_id",
    "user_id": "c.user_id",
    "team_id": "c.team_id",
    "distributor_id": "c.distributor_id",
    "route": (
        "CASE WHEN c.distributor_id IS NOT NULL THEN 'distributor' "
        "WHEN c.reseller_id IS NOT NULL THEN 'reseller' ELSE 'direct' END"
    ),
    "outcome": (
        "CASE WHEN l.successor_line_id IS NOT NULL THEN 'renewed' "
        "WHEN l.is_cancelled THEN 'lost' ELSE l.status END"
    ),
}


def line_domain(domain):
    """A renewal.report domain on the line table, or None when a term has no
    equivalent there."""
    result = []
    for term in domain:
        if isinstance(term, str):
            result.append(term)
            continue
        name, operator, value = term
        if name == "outcome":
            mapping = {
                "lost": ("is_cancelled", "=", True),
                "overdue": ("status", "=", "overdue"),
            }
            if operator == "=" and value in mapping:
                result.append(mapping[value])
                continue
            if operator == "in" and set(value) <= {"renewed_on_time", "renewed_late"}:
                result.append(("is_renewed", "=", True))
                continue
            return None
        if name not in LINE_FIELDS:
            return None
        result.append((LINE_FIELDS[name], operator, value))
    return result


def floor_where(domain, today):
    """The SQL WHERE of a simple domain (AND of comparisons) for the floor."""
    clauses, params = [], []
    for term in domain:
        if isinstance(term, str):
            if term != "&":
                return None
            continue
        name, operator, value = term
        column = {
            "date_end": "l.date_end",
            "renewed_date": "l.renewed_date",
            "status": "l.status",
            "categ_id": "l.product_categ_id",
            "reseller_id": "l.reseller_id",
            "partner_id": "l.partner_id",
            "company_id": "l.company_id",
        }.get(name)
        if name == "outcome":
            if operator == "=" and value == "lost":
                clauses.append("l.is_cancelled")
                continue
            if operator == "in" and set(value) <= {"renewed_on_time", "renewed_late"}:
                clauses.append("l.successor_line_id IS NOT NULL")
                continue
            return None
        if column is None or operator not in ("=", "!=", ">=", "<", "<=", ">", "in"):
            return None
        if operator == "in":
            clauses.append(f"{column} = ANY(%s)")
            params.append(list(value))
        elif value is False:
            clauses.append(f"{column} IS {'NOT ' if operator == '!=' else ''}NULL")
        else:
            clauses.append(f"{column} {operator} %s")
            params.append(value)
    return " AND ".join(clauses) or "true", params


def floor_query(rows, cols, domain, today):
    where = floor_where(domain, today)
    if where is None:
        return None
    exprs = {}
    for spec in rows + cols:
        expr = FLOOR_EXPR.get(spec) or FLOOR_EXPR.get(spec.split(":")[0])
        if expr is None:
            return None
        exprs[spec] = expr
    # One statement for all the groupings the pivot loads.
    sets = ", ".join(
        "(" + ", ".join(exprs[spec] for spec in groupby) + ")"
        for groupby in pivot_loads(rows, cols)
    )
    select = ", ".join([*exprs.values(), FLOOR_MEASURES])
    join = (
        "JOIN renewal_contract c ON c.id = l.contract_id"
        if any("c." in expr for expr in exprs.values())
        else ""
    )
    query = (
        f"SELECT {select} FROM renewal_contract_line l {join} "
        f"WHERE {where[0]} GROUP BY GROUPING SETS ({sets})"
    )
    return query, where[1]


def date_filter_range(value, today, offset=0):
    """The [start, end) of a dashboard date filter's default value (the
    relative and the fixed periods Odoo 18's date filters offer), moved by
    ``offset`` periods (a pivot's field matching offset)."""
    relative = {
        "last_week": 7,
        "last_month": 30,
        "last_three_months": 90,
        "last_six_months": 180,
        "last_year": 365,
        "last_three_years": 3 * 365,
    }
    if value in relative:
        span = timedelta(days=relative[value])
        end = today + timedelta(days=1) + offset * span
        return end - span, end
    if value == "this_quarter":
        return quarter_start(today, offset), quarter_start(today, offset + 1)
    if value == "this_year":
        return date(today.year + offset, 1, 1), date(today.year + offset + 1, 1, 1)
    if value == "this_month":
        index = today.year * 12 + today.month - 1 + offset
        start = date(index // 12, index % 12 + 1, 1)
        return start, date((index + 1) // 12, (index + 1) % 12 + 1, 1)
    return None


def dashboard_from_file(path, today):
    """The dashboard's queries, from its spreadsheet file: each pivot as
    its pivot model loads it, each list as a search_read of its first rows;
    the global date filter's default applied through the pivot's or list's
    field matching."""
    with open(path, encoding="utf-8") as handle:
        spreadsheet = json.load(handle)
    date_filters = {
        gf["id"]: gf.get("defaultValue")
        for gf in spreadsheet.get("globalFilters", [])
        if gf.get("type") == "date"
    }

    def matched(definition):
        domain = list(definition.get("domain") or [])
        for filter_id, matching in (definition.get("fieldMatching") or {}).items():
            chain = matching.get("chain")
            if filter_id not in date_filters or not chain:
                continue
            window = date_filter_range(
                date_filters[filter_id], today, matching.get("offset", 0)
            )
            if window:
                terms = [(chain, ">=", window[0]), (chain, "<", window[1])]
                domain = ["&", *domain, "&", *terms] if domain else ["&", *terms]
        return domain

    blocks = []
    for pivot in spreadsheet.get("pivots", {}).values():
        if pivot.get("model") != "renewal.report":
            continue

        def groupby(dim):
            name = dim["fieldName"]
            return f"{name}:{dim['granularity']}" if dim.get("granularity") else name

        blocks.append(
            {
                "label": pivot.get("name", "pivot"),
                "kind": "pivot",
                "domain": matched(pivot),
                "rows": [groupby(d) for d in pivot.get("rows", [])],
                "cols": [groupby(d) for d in pivot.get("columns", [])],
                "measures": [m["fieldName"] for m in pivot.get("measures", [])],
            }
        )
    for listing in spreadsheet.get("lists", {}).values():
        if listing.get("model") != "renewal.report":
            continue
        blocks.append(
            {
                "label": listing.get("name", "list"),
                "kind": "list",
                "domain": matched(listing),
                "columns": listing.get("columns", []),
                "order": ", ".join(
                    f"{o['name']} {'asc' if o.get('asc') else 'desc'}"
                    for o in listing.get("orderBy", [])
                ),
            }
        )
    return blocks


def dashboard_from_issue(today):
    """The blocks the issue lists, while the dashboard file does not exist."""
    this_q, next_q = quarter_start(today), quarter_start(today, 1)
    year_ago = quarter_start(today, -4)
    ahead = quarter_start(today, 4)
    past_year = [("date_end", ">=", year_ago), ("date_end", "<", this_q)]
    return [
        {
            "label": "available to renew, this quarter and the next three",
            "kind": "pivot",
            "domain": [("date_end", ">=", this_q), ("date_end", "<", ahead)],
            "rows": ["date_end:quarter"],
            "cols": [],
            "measures": ["value_due", "nbr_lines"],
        },
        {
            "label": "renewed this quarter",
            "kind": "pivot",
            "domain": [("renewed_date", ">=", this_q), ("renewed_date", "<", next_q)],
            "rows": [],
            "cols": [],
            "measures": ["value_renewed", "nbr_lines"],
        },
        {
            "label": "renewal rates, last four quarters",
            "kind": "pivot",
            "domain": past_year,
            "rows": ["date_end:quarter"],
            "cols": [],
            "measures": ["renewal_rate_count", "renewal_rate_value", "ontime_rate"],
        },
        {
            "label": "overdue (red) and due (amber) value",
            "kind": "pivot",
            "domain": [("status", "in", ["overdue", "due"])],
            "rows": ["status"],
            "cols": [],
            "measures": ["value_due", "nbr_lines"],
        },
        {
            "label": "cancellations by reason, last four quarters",
            "kind": "pivot",
            "domain": ["&", ("outcome", "=", "lost"), "&", *past_year],
            "rows": ["cancel_reason_id"],
            "cols": [],
            "measures": ["value_lost", "nbr_lines"],
        },
        {
            "label": "top customers",
            "kind": "pivot",
            "domain": past_year,
            "rows": ["partner_id"],
            "cols": [],
            "measures": ["value_renewed", "renewal_rate_value"],
        },
        {
            "label": "top resellers",
            "kind": "pivot",
            "domain": past_year,
            "rows": ["reseller_id"],
            "cols": [],
            "measures": ["value_renewed", "renewal_rate_value"],
        },
        {
            "label": "top salespeople",
            "kind": "pivot",
            "domain": past_year,
            "rows": ["user_id"],
            "cols": [],
            "measures": ["value_renewed", "renewal_rate_value"],
        },
        {
            "label": "channel vs direct",
            "kind": "pivot",
            "domain": past_year,
            "rows": ["route"],
            "cols": [],
            "measures": ["value_due", "value_renewed", "renewal_rate_value"],
        },
    ]


def dashboard_blocks(today):
    for root in (os.environ.get("RENEWAL_DASHBOARD_DIR"), DASHBOARD_DIR):
        if root and os.path.exists(os.path.join(root, DASHBOARD_FILE)):
            path = os.path.join(root, DASHBOARD_FILE)
            return path, dashboard_from_file(path, today)
    return None, dashboard_from_issue(today)


def block_work(env, block):
    Report = env["renewal.report"]
    if block["kind"] == "list":

        def work():
            Report.search_read(
                block["domain"],
                block["columns"],
                order=block["order"] or None,
                limit=80,
            )

        return work
    measures = [m for m in block["measures"] if m in Report._fields] or ["__count"]
    return pivot_work(Report, block["domain"], block["rows"], block["cols"], measures)


def block_line_work(env, block):
    """Odoo's read_group on the line table with the same grouping, or None."""
    Line = env["renewal.contract.line"]
    domain = line_domain(block["domain"])
    if domain is None:
        return None
    if block["kind"] == "list":
        return None
    groupbys = []
    for spec in block["rows"] + block["cols"]:
        name, _sep, granularity = spec.partition(":")
        target = LINE_FIELDS.get(name)
        if target is None or target not in Line._fields:
            return None
        groupbys.append(f"{target}:{granularity}" if granularity else target)
    if any(t[0] not in Line._fields for t in domain if not isinstance(t, str)):
        return None
    n_rows = len(block["rows"])
    return pivot_work(
        Line,
        domain,
        groupbys[:n_rows],
        groupbys[n_rows:],
        ["renewal_subtotal", "__count"],
    )


def block_floor_work(env, block, today):
    if block["kind"] == "list":
        return None
    Line = env["renewal.contract.line"]
    names = [t[0] for t in block["domain"] if not isinstance(t, str)]
    if any(LINE_FIELDS.get(n, n) not in Line._fields for n in names if n != "outcome"):
        return None
    query = floor_query(block["rows"], block["cols"], block["domain"], today)
    if query is None:
        return None
    return sql_work(env, *query)


def scorecard_user(env):
    """The portal account of the first bench reseller's renewals manager."""
    from odoo import Command

    user = env["res.users"].search([("login", "=", "rpt-reseller-manager")])
    if user:
        return user
    reseller = env["res.partner"].search([("ref", "=", f"{PREFIX}R0")], limit=1)
    contact = env["res.partner"].create(
        {
            "name": "Bench Reseller Manager",
            "parent_id": reseller.id,
            "renewal_reseller_manager": True,
        }
    )
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": contact.name,
                "login": "rpt-reseller-manager",
                "partner_id": contact.id,
                "groups_id": [Command.set([env.ref("base.group_portal").id])],
            }
        )
    )


def explain(env, label, work):
    """EXPLAIN ANALYZE every statement ``work`` runs."""
    cr = env.cr
    statements = []
    execute = type(cr).execute

    def capture(self, query, params=None, log_exceptions=True):
        statements.append((query, params))
        return execute(self, query, params, log_exceptions)

    type(cr).execute = capture
    try:
        env.invalidate_all()
        work()
    finally:
        type(cr).execute = execute
    print(f"\n--- EXPLAIN ANALYZE: {label} ---")
    for query, params in statements:
        sql = query.code if hasattr(query, "code") else query
        args = query.params if hasattr(query, "params") else params
        if not str(sql).lstrip().upper().startswith("SELECT"):
            continue
        cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", args)
        print("\n".join(row[0] for row in cr.fetchall()))
        print()


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def ratio(a, b):
    return f"{a / b:6.1f}x" if a and b else "     -"


def row(label, timing, line=None, floor=None, width=58):
    def fmt(t):
        return f"{t.best:7.3f} {t.median:7.3f}" if t else "      -       -"

    best = timing.best if timing else None
    print(
        f"  {label[:width]:<{width}} {fmt(timing)}  {fmt(line)}  {fmt(floor)}  "
        f"{ratio(best, line.best if line else None)} "
        f"{ratio(best, floor.best if floor else None)}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each")
    parser.add_argument("--db", default="renewals_bench_reporting")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE the report's queries"
    )
    parser.add_argument(
        "--addons-path",
        help="another addons path (e.g. a staged copy of an addon first)",
    )
    args = parser.parse_args()
    if args.addons_path:
        common.addons_path = lambda: args.addons_path

    created = ensure_database(args.db, modules=MODULES)
    started = time.perf_counter()
    try:
        with odoo_env(args.db) as env:
            from odoo import fields

            today = fields.Date.context_today(env["renewal.contract"])
            fill_seconds = None
            info = None
            if not filled(env, args.lines):
                clean(env)
                env.cr.commit()
                fill_started = time.perf_counter()
                info = fill(env, args.lines, today)
                fill_seconds = time.perf_counter() - fill_started
                env.cr.commit()
            report(env, args, today, fill_seconds, info)
    finally:
        if created and not args.keep:
            drop_database(args.db)
    print(f"  whole run: {time.perf_counter() - started:.1f} s")


def report(env, args, today, fill_seconds, info):
    runs = args.runs
    has_report = "renewal.report" in env
    has_ranking = "renewal.ranking" in env
    Line = env["renewal.contract.line"]
    env.cr.execute(
        "SELECT count(*), count(DISTINCT contract_id), count(DISTINCT reseller_id) "
        "FROM renewal_contract_line"
    )
    n_lines, n_contracts, n_resellers = env.cr.fetchone()
    print()
    print(
        f"Reporting benchmark: {n_lines:,} covered lines, {n_contracts:,} contracts, "
        f"{n_resellers:,} resellers; today {today}; best and median of {runs} "
        "warm runs, in seconds"
    )
    if fill_seconds is not None:
        print(
            f"  fill (SQL generate_series + status refresh): {fill_seconds:.1f} s "
            f"(contract team: {'yes' if info['team_id'] else 'no column'}, "
            f"renewed date: {'yes' if info['renewed_date'] else 'no column'})"
        )
    else:
        print("  fill: reused (the database already holds this many lines)")
    if has_report and hasattr(env["renewal.report"], "_refresh_view"):
        # The analysis reads a materialized view: brought up to date (as
        # after the daily status refresh), its refresh timed once.
        started = time.perf_counter()
        env["renewal.report"]._refresh_view()
        env.cr.commit()
        print(
            "  refresh of the analysis' materialized view (concurrently, "
            f"as the daily status refresh does): {time.perf_counter() - started:.1f} s"
        )
    header = (
        f"  {'what':<58} {'report':>15}  {'line read_group':>15}  "
        f"{'SQL floor':>15}  {'/line':>6} {'/floor':>6}"
    )
    print(header)
    print(f"  {'':<58}" + f" {'best  median':>15} " * 3)

    # (a) The default pivot.
    rows, cols = ["categ_id"], ["date_end:quarter"]
    line_pivot = timed(
        env,
        "line pivot",
        pivot_work(
            Line,
            [],
            ["product_categ_id"],
            ["date_end:quarter"],
            ["renewal_subtotal", "__count"],
        ),
        runs,
    )
    floor_pivot = timed(
        env, "floor pivot", sql_work(env, *floor_query(rows, cols, [], today)), runs
    )
    verdicts = []
    if has_report:
        Report = env["renewal.report"]
        pivot = timed(
            env, "pivot", pivot_work(Report, [], rows, cols, PIVOT_MEASURES), runs
        )
        row(
            "(a) default pivot: category x due quarter (4 read_group)",
            pivot,
            line_pivot,
            floor_pivot,
        )
        verdicts.append(("default pivot", pivot.best, 2.0))
        if args.explain:
            explain(
                env, "default pivot", pivot_work(Report, [], rows, cols, PIVOT_MEASURES)
            )
    else:
        print("  (a) renewal.report is not installed: line table and floor only")
        row("    category x due quarter", None, line_pivot, floor_pivot)

    # (b) The reseller ranking, last 12 months.
    date_from, date_to = quarter_start(today, -4), quarter_start(today) - timedelta(1)
    ranking_floor = sql_work(
        env,
        """
        SELECT l.reseller_id, sum(l.renewal_subtotal),
               sum(l.renewal_subtotal) FILTER (WHERE l.successor_line_id IS NOT NULL)
                   AS renewed,
               RANK() OVER (ORDER BY sum(l.renewal_subtotal)
                   FILTER (WHERE l.successor_line_id IS NOT NULL) DESC NULLS LAST)
          FROM renewal_contract_line l
         WHERE l.reseller_id IS NOT NULL AND l.date_end BETWEEN %s AND %s
         GROUP BY l.reseller_id
        """,
        [date_from, date_to],
    )
    floor_rank = timed(env, "floor ranking", ranking_floor, runs)
    line_rank = timed(
        env,
        "line ranking",
        lambda: Line.read_group(
            [
                ("reseller_id", "!=", False),
                ("date_end", ">=", date_from),
                ("date_end", "<=", date_to),
            ],
            ["renewal_subtotal:sum", "__count"],
            ["reseller_id"],
            orderby="renewal_subtotal desc",
            lazy=False,
        ),
        runs,
    )
    if has_ranking:
        # As the ranking wizard opens it (its context), and as the list view
        # reads it (web_search_read of the first 80 rows, and the count).
        Ranking = env["renewal.ranking"].with_context(
            renewal_ranking_date_from=date_from,
            renewal_ranking_date_to=date_to,
            renewal_ranking_party_kind="reseller",
        )
        spec = {
            name: {}
            for name in (
                "party_name",
                "partner_id",
                "value_due",
                "value_renewed",
                "renewal_rate_count",
                "renewal_rate_value",
                "ontime_rate",
                "value_lost",
                "value_upsell",
                "rank",
                "currency_id",
            )
            if name in Ranking._fields
        }

        def ranking_work():
            Ranking.web_search_read(
                [("party_kind", "=", "reseller")], spec, limit=80, order="rank"
            )

        rank = timed(env, "ranking", ranking_work, runs)
        count = Ranking.search_count([("party_kind", "=", "reseller")])
        row(
            f"(b) reseller ranking, 12 months ({count} rows)",
            rank,
            line_rank,
            floor_rank,
        )
        verdicts.append(("reseller ranking", rank.best, 2.0))
        if args.explain:
            explain(env, "reseller ranking", ranking_work)
    else:
        print("  (b) renewal.ranking is not installed: line table and floor only")
        row("    by reseller, 12 months", None, line_rank, floor_rank)

    # (c) The dashboard.
    source, blocks = dashboard_blocks(today)
    print(
        "  (c) dashboard queries from "
        + (os.path.relpath(source, REPO) if source else "the issue's list of blocks")
    )
    total = [0.0, 0.0]
    totals_line, totals_floor = [0.0, 0.0], [0.0, 0.0]
    for block in blocks:
        line_work = block_line_work(env, block)
        floor_work = block_floor_work(env, block, today)
        line_t = timed(env, "line", line_work, runs) if line_work else None
        floor_t = timed(env, "floor", floor_work, runs) if floor_work else None
        if has_report:
            t = timed(env, block["label"], block_work(env, block), runs)
            total[0] += t.best
            total[1] += t.median
            row("    " + block["label"], t, line_t, floor_t)
            if args.explain:
                explain(env, block["label"], block_work(env, block))
        else:
            row("    " + block["label"], None, line_t, floor_t)
        if line_t:
            totals_line[0] += line_t.best
        if floor_t:
            totals_floor[0] += floor_t.best
    if has_report:
        label = f"    whole dashboard ({len(blocks)} blocks, one after another)"
        print(f"  {label:<58} {total[0]:7.3f} {total[1]:7.3f}")
        verdicts.append(("whole dashboard", total[0], 3.0))

    # (d) A reseller's scorecard on /my/renewals, as its renewals manager.
    if "renewal.report.scorecard" in env:
        Scorecard = env["renewal.report.scorecard"].with_user(scorecard_user(env))
        card = timed(env, "scorecard", Scorecard._portal_scorecards, runs)
        row("(d) one reseller's portal scorecard (all its queries)", card)
        verdicts.append(("reseller scorecard", card.best, 2.0))

    scale = args.lines / 1_000_000
    for label, seconds, target in verdicts:
        verdict = "met" if seconds <= target else "MISSED"
        print(
            f"  target {label}: {target:.0f} s or less at 1,000,000 lines "
            f"(here {args.lines:,}): {seconds:.3f} s, {verdict}"
            + ("" if scale >= 1 else " (small size: not the target's scale)")
        )


if __name__ == "__main__":
    main()
