#!/usr/bin/env python3
"""Benchmark: a refresh campaign over an installed base of N products.

Fills a database set-based (SQL generate_series) with N installed products
on N/10 customers, of which S products (two product models reaching their
end of support within 12 months) sit at S/5 customers; 200 resellers (half
of them handled by one of the vendor's 12 salespeople, one salesperson
contact each), a quarter of the customers with a salesperson of their own,
2 in 5 products sold through the customer's reseller, a third of the
selected customers with a contract naming the reseller's salesperson, 1 %
of the customers opted out and 1 % with a blacklisted address. Then times,
from the same starting point (rolled back in between), what a campaign with
the "end of support within 12 months" selection does:

- the suite's way (``renewal_refresh``): the targets (one set-based INSERT
  ... SELECT: selection, exclusions, grouping per customer, routing) and the
  opportunities (one batched ``crm.lead`` create);
- Odoo's per-record way: search the selection, group it in Python, then per
  customer check the opt-out, the blacklist and that the customer is not
  targeted yet, pick the owner, create the target and the opportunity (one
  ``create`` each, default context), on a sample of customers, extrapolated
  to all of them (or on all with --sample 0);
- the raw SQL floor: one statement grouping the selection per customer into
  targets and inserting one bare opportunity row each (no exclusions, no
  routing, no ORM).

Usage: python3 benchmarks/refresh_campaign.py [--products 1000000]
       [--selected 50000] [--customers N] [--sample 500] [--db NAME] [--keep]
Small size for CI (a few seconds once the database exists):
       --products 20000 --selected 1000 --sample 50
The fill is committed (a kept database is reused by the next run with the
same sizes); the database it creates is dropped unless --keep.
Target (issue #13): the targets and the opportunities of 50,000 products on
10,000 customers, out of 1,000,000, in 30 s or less.
"""

import argparse
import os
import sys
import time
from collections import Counter
from datetime import date, timedelta
from itertools import islice

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402
from common import drop_database, ensure_database, measured, odoo_env  # noqa: E402

MODULES = "renewal_refresh"
PREFIX = "RFB-"  # partner refs, product codes, serial numbers, names
RESELLERS = 200
TEAMS = 3
SALESPEOPLE_PER_TEAM = 4
OTHER_PRODUCTS = 18
PER_CUSTOMER = 5  # selected products per selected customer


def column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.fetchone())


# ----------------------------------------------------------------------
# The fill
# ----------------------------------------------------------------------


def filled(env, products):
    env.cr.execute(
        "SELECT count(*) FROM renewal_installed_product WHERE serial_number LIKE %s",
        [PREFIX + "%"],
    )
    return env.cr.fetchone()[0] == products


def clean(env):
    cr = env.cr
    cr.execute(
        "DELETE FROM renewal_refresh_campaign WHERE name LIKE %s", [PREFIX + "%"]
    )
    cr.execute(
        "DELETE FROM renewal_installed_product WHERE serial_number LIKE %s",
        [PREFIX + "%"],
    )
    cr.execute("DELETE FROM renewal_contract WHERE name LIKE %s", [PREFIX + "%"])
    cr.execute("DELETE FROM mail_blacklist WHERE email LIKE %s", ["rfb-%"])
    cr.execute("DELETE FROM res_partner WHERE ref LIKE %s", [PREFIX + "%"])


def parties(env, today):
    """Products, teams, salespeople and resellers through the ORM (a few
    hundred records)."""
    from odoo import Command

    Product = env["product.product"]
    accessories = Product.create(
        [
            {"name": f"Bench Accessory {i}", "default_code": f"{PREFIX}A{i}"}
            for i in range(3)
        ]
    )
    successors = Product.create(
        [
            {
                "name": f"Bench Server Gen{i + 2}",
                "default_code": f"{PREFIX}S{i}",
                "list_price": 3000.0 + 500 * i,
                "optional_product_ids": [Command.set(accessories.product_tmpl_id.ids)],
            }
            for i in range(2)
        ]
    )
    ending = Product.create(
        [
            {
                "name": f"Bench Server Gen{i + 1}",
                "default_code": f"{PREFIX}E{i}",
                "list_price": 2000.0 + 500 * i,
                "renewal_end_of_support_date": today + timedelta(days=90 + 120 * i),
                "renewal_successor_id": successors[i].id,
            }
            for i in range(2)
        ]
    )
    others = Product.create(
        [
            {
                "name": f"Bench Product {i:02d}",
                "default_code": f"{PREFIX}P{i:02d}",
                "list_price": 100.0 * (i + 1),
                # Support ends in two years and more, or is not announced.
                "renewal_end_of_support_date": (
                    today + timedelta(days=730 + 30 * i) if i % 2 else False
                ),
            }
            for i in range(OTHER_PRODUCTS)
        ]
    )
    teams = env["crm.team"].create(
        [{"name": f"{PREFIX}Team {i}"} for i in range(TEAMS)]
    )
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"Bench Salesperson {i:02d}",
                    "login": f"rfb-sales-{i:02d}",
                    "groups_id": [
                        Command.set(
                            [env.ref("sales_team.group_sale_salesman_all_leads").id]
                        )
                    ],
                }
                for i in range(TEAMS * SALESPEOPLE_PER_TEAM)
            ]
        )
    )
    env["crm.team.member"].create(
        [
            {"crm_team_id": teams[i % TEAMS].id, "user_id": user.id}
            for i, user in enumerate(users)
        ]
    )
    resellers = env["res.partner"].create(
        [
            {
                "name": f"Bench Reseller {i:03d}",
                "ref": f"{PREFIX}R{i}",
                "is_company": True,
                "is_renewal_reseller": True,
                "user_id": users[i % len(users)].id if i % 2 else False,
            }
            for i in range(RESELLERS)
        ]
    )
    contacts = env["res.partner"].create(
        [
            {
                "name": f"Bench Reseller Salesperson {i:03d}",
                "ref": f"{PREFIX}RC{i}",
                "parent_id": reseller.id,
            }
            for i, reseller in enumerate(resellers)
        ]
    )
    env.flush_all()
    products = ending + others
    return {
        "products": products.ids,
        "templates": products.product_tmpl_id.ids,
        "categs": products.categ_id.ids,
        "prices": products.mapped("list_price"),
        "eos": [
            template.renewal_end_of_support_date or None
            for template in products.product_tmpl_id
        ],
        "codes": products.mapped("default_code"),
        "users": users.ids,
        "resellers": resellers.ids,
        "reseller_contacts": contacts.ids,
        "team": teams[0].id,
    }


def fill(env, args, today):
    """Customers, contracts, blacklist and installed products, set-based."""
    from odoo.tools import SQL

    cr = env.cr
    data = parties(env, today)
    company = env.company
    n_customers = args.customers
    selected_customers = args.selected // PER_CUSTOMER
    uid = env.uid
    # Customers: ids reserved, so that product g knows its customer's id.
    cr.execute(
        "SELECT setval('res_partner_id_seq', nextval('res_partner_id_seq') + %s)",
        [n_customers],
    )
    first = cr.fetchone()[0] - n_customers
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (
                id, name, complete_name, ref, commercial_partner_id, is_company,
                active, type, email, email_normalized, user_id,
                renewal_notice_opt_out, autopost_bills, create_uid, write_uid,
                create_date, write_date)
            SELECT %(first)s + i, 'Bench Customer ' || i, 'Bench Customer ' || i,
                   %(prefix)s || 'C' || i, %(first)s + i, true, true, 'contact',
                   'rfb-' || i || '@customer.example',
                   'rfb-' || i || '@customer.example',
                   CASE WHEN mod(i, 4) = 0
                        THEN (%(users)s::int[])[1 + mod(i / 4, %(n_users)s)] END,
                   mod(i, 100) = 7, 'ask', %(uid)s, %(uid)s, now(), now()
              FROM generate_series(0, %(n)s - 1) AS i
            """,
            first=first,
            prefix=PREFIX,
            users=data["users"],
            n_users=len(data["users"]),
            uid=uid,
            n=n_customers,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO mail_blacklist (email, active, create_uid, write_uid,
                                        create_date, write_date)
            SELECT 'rfb-' || i || '@customer.example', true, %(uid)s, %(uid)s,
                   now(), now()
              FROM generate_series(0, %(n)s - 1) AS i
             WHERE mod(i, 100) = 13
            """,
            uid=uid,
            n=n_customers,
        )
    )
    # A third of the selected customers: a contract through their reseller,
    # naming the reseller's salesperson.
    cr.execute(
        SQL(
            """
            INSERT INTO renewal_contract (
                name, company_id, partner_id, currency_id, date_start, date_end,
                reseller_id, reseller_salesperson_id, user_id,
                create_uid, write_uid, create_date, write_date)
            SELECT %(prefix)s || i, %(company)s, %(first)s + i, %(currency)s,
                   %(today)s::date - 700, %(today)s::date - 335 + mod(i, 700),
                   (%(resellers)s::int[])[1 + mod(i, %(n_resellers)s)],
                   (%(contacts)s::int[])[1 + mod(i, %(n_resellers)s)],
                   (%(users)s::int[])[1 + mod(i, %(n_users)s)],
                   %(uid)s, %(uid)s, now(), now()
              FROM generate_series(0, %(n)s - 1) AS i
             WHERE mod(i, 3) = 0
            """,
            prefix=PREFIX,
            company=company.id,
            first=first,
            currency=company.currency_id.id,
            today=today,
            resellers=data["resellers"],
            contacts=data["reseller_contacts"],
            n_resellers=len(data["resellers"]),
            users=data["users"],
            n_users=len(data["users"]),
            uid=uid,
            n=selected_customers,
        )
    )
    # Product g: the first S go to the selected customers, PER_CUSTOMER each,
    # with one of the two models reaching their end of support; the others
    # spread over every customer with the other models.
    eos_column = column_exists(cr, "renewal_installed_product", "end_of_support_date")
    eos_insert = SQL(", end_of_support_date") if eos_column else SQL()
    eos_value = SQL(", (%s::date[])[1 + k]", data["eos"]) if eos_column else SQL()
    cr.execute(
        SQL(
            """
            INSERT INTO renewal_installed_product (
                name, company_id, product_id, product_tmpl_id, product_categ_id,
                serial_number, partner_id, site_partner_id, purchase_date,
                install_date, install_year, reseller_id, user_id, coverage_state,
                value, active, create_uid, write_uid, create_date, write_date
                %(eos_insert)s)
            SELECT (%(codes)s::text[])[1 + k] || ' / ' || %(prefix)s || g,
                   %(company)s,
                   (%(products)s::int[])[1 + k],
                   (%(templates)s::int[])[1 + k],
                   (%(categs)s::int[])[1 + k],
                   %(prefix)s || g, %(first)s + c, %(first)s + c,
                   installed - 10, installed,
                   extract(year FROM installed)::int,
                   CASE WHEN mod(g, 5) < 2
                        THEN (%(resellers)s::int[])[1 + mod(c, %(n_resellers)s)] END,
                   CASE WHEN mod(g, 7) = 0
                        THEN (%(users)s::int[])[1 + mod(g, %(n_users)s)] END,
                   'uncovered', (%(prices)s::numeric[])[1 + k], true,
                   %(uid)s, %(uid)s, now(), now()
                   %(eos_value)s
              FROM generate_series(0, %(n)s - 1) AS g
             CROSS JOIN LATERAL (
                 SELECT CASE WHEN g < %(selected)s THEN mod(g, %(sel_customers)s)
                             ELSE mod(g, %(n_customers)s) END AS c,
                        CASE WHEN g < %(selected)s THEN mod(g / 7, 2)
                             ELSE 2 + mod(g, %(n_others)s) END AS k,
                        %(today)s::date - mod(g, 3000) AS installed
             ) AS x
            """,
            eos_insert=eos_insert,
            eos_value=eos_value,
            codes=data["codes"],
            prefix=PREFIX,
            company=company.id,
            products=data["products"],
            templates=data["templates"],
            categs=data["categs"],
            first=first,
            resellers=data["resellers"],
            n_resellers=len(data["resellers"]),
            users=data["users"],
            n_users=len(data["users"]),
            prices=data["prices"],
            uid=uid,
            n=args.products,
            selected=args.selected,
            sel_customers=selected_customers,
            n_customers=n_customers,
            n_others=OTHER_PRODUCTS,
            today=today,
        )
    )
    for table in (
        "res_partner",
        "renewal_installed_product",
        "renewal_contract",
        "mail_blacklist",
    ):
        # Constant table names, not values.
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return data


# ----------------------------------------------------------------------
# The three ways
# ----------------------------------------------------------------------


def new_campaign(env, team_id):
    return env["renewal.refresh.campaign"].create(
        {
            "name": f"{PREFIX}end of support",
            "preset": "end_of_support",
            "team_id": team_id,
            "output_opportunity": True,
            "output_mailing": False,
        }
    )


def suite_way(env, team_id):
    campaign = new_campaign(env, team_id)
    cpu = time.process_time()
    with measured(env) as targets_m:
        counts = campaign._build_targets()
    targets_cpu = time.process_time() - cpu
    cpu = time.process_time()
    with measured(env) as leads_m:
        leads = campaign._create_opportunities()
    leads_cpu = time.process_time() - cpu
    return {
        "targets_cpu": targets_cpu,
        "leads_cpu": leads_cpu,
        "targets": len(counts["target_ids"]),
        "products": campaign.product_count,
        "excluded_partners": counts["excluded_partners"],
        "leads": len(leads),
        "targets_s": targets_m.seconds,
        "targets_q": targets_m.queries,
        "leads_s": leads_m.seconds,
        "leads_q": leads_m.queries,
    }


def per_record_way(env, team_id, sample):
    """Odoo's usual way: the ORM, one customer after another."""
    from odoo import Command

    campaign = new_campaign(env, team_id)
    Product = env["renewal.installed.product"]
    Target = env["renewal.refresh.target"]
    Lead = env["crm.lead"]
    with measured(env) as search_m:
        products = Product.search(campaign._product_domain())
        by_customer = products.grouped("partner_id")
    customers = list(by_customer.items())
    sampled = customers if not sample else list(islice(customers, sample))
    made = 0
    cpu = time.process_time()
    with measured(env) as loop_m:
        for partner, group in sampled:
            if partner.renewal_notice_opt_out or partner.is_blacklisted:
                continue
            group = group.filtered(
                lambda product: (
                    not product.line_ids.contract_id.filtered("do_not_contact")
                )
            )
            if not group or Target.search_count(
                [("campaign_id", "=", campaign.id), ("partner_id", "=", partner.id)]
            ):
                continue
            resellers = Counter(group.reseller_id).most_common(1)
            reseller = resellers[0][0] if resellers else env["res.partner"]
            users = Counter(group.user_id).most_common(1)
            user = (users[0][0] if users else env["res.users"]) or partner.user_id
            if reseller:
                user = reseller.user_id or user
            contract = env["renewal.contract"].search(
                [
                    ("partner_id", "=", partner.id),
                    ("reseller_id", "=", reseller.id),
                    ("reseller_salesperson_id", "!=", False),
                ],
                order="date_end desc, id desc",
                limit=1,
            )
            team = user.sale_team_id.id or team_id
            target = Target.create(
                {
                    "campaign_id": campaign.id,
                    "company_id": campaign.company_id.id,
                    "partner_id": partner.id,
                    "email": partner.email,
                    "installed_product_ids": [Command.set(group.ids)],
                    "product_count": len(group),
                    "reseller_id": reseller.id,
                    "reseller_contact_id": contract.reseller_salesperson_id.id,
                    "user_id": user.id,
                    "team_id": team,
                }
            )
            Lead.create(
                {
                    "name": f"{campaign.name}: {partner.name}",
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "team_id": team,
                    "renewal_refresh_campaign_id": campaign.id,
                    "renewal_refresh_target_id": target.id,
                }
            )
            made += 1
    loop_cpu = time.process_time() - cpu
    return {
        "loop_cpu": loop_cpu,
        "customers": len(customers),
        "sampled": len(sampled),
        "made": made,
        "search_s": search_m.seconds,
        "loop_s": loop_m.seconds,
        "loop_q": loop_m.queries,
    }


def floor_way(env, team_id):
    """The physical floor: group the selection per customer into targets,
    link the products, insert a bare opportunity row per target, in one
    statement."""
    from odoo.tools import SQL

    campaign = new_campaign(env, team_id)
    query = env["renewal.installed.product"]._search(campaign._product_domain())
    env.flush_all()
    started = time.perf_counter()
    env.cr.execute(
        SQL(
            """
            WITH selected AS (
                SELECT id, partner_id FROM renewal_installed_product
                 WHERE id IN %(selected)s
            ), inserted AS (
                INSERT INTO renewal_refresh_target (
                    campaign_id, company_id, partner_id, message_bounce,
                    product_count)
                SELECT %(campaign)s, %(company)s, partner_id, 0, count(*)
                  FROM selected GROUP BY partner_id
                    ON CONFLICT (campaign_id, partner_id) DO NOTHING
                RETURNING id, partner_id
            ), linked AS (
                INSERT INTO renewal_refresh_target_installed_product_rel (
                    target_id, installed_product_id)
                SELECT i.id, s.id FROM inserted i JOIN selected s USING (partner_id)
            ), leads AS (
                INSERT INTO crm_lead (
                    name, type, partner_id, company_id, team_id, active,
                    renewal_refresh_campaign_id, renewal_refresh_target_id)
                SELECT 'Refresh', 'opportunity', partner_id, %(company)s,
                       %(team)s, true, %(campaign)s, id
                  FROM inserted
                RETURNING id
            )
            SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM leads)
            """,
            selected=query.subselect(),
            campaign=campaign.id,
            company=campaign.company_id.id,
            team=team_id,
        )
    )
    targets, leads = env.cr.fetchone()
    return {
        "targets": targets,
        "leads": leads,
        "seconds": time.perf_counter() - started,
    }


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--selected", type=int, default=50_000)
    parser.add_argument(
        "--customers", type=int, help="customers in all (default: products / 10)"
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=500,
        help="customers done the per-record way, extrapolated (0: all)",
    )
    parser.add_argument("--db", default="renewals_bench_refresh")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--addons-path",
        help="another addons path (e.g. a staged copy of an addon first)",
    )
    args = parser.parse_args()
    args.customers = args.customers or max(args.products // 10, args.selected)
    if args.selected > args.products or args.selected < PER_CUSTOMER:
        parser.error("--selected must be between 5 and --products")
    if args.addons_path:
        common.addons_path = lambda: args.addons_path

    created = ensure_database(args.db, modules=MODULES)
    started = time.perf_counter()
    try:
        with odoo_env(args.db) as env:
            today = date.today()
            fill_seconds = None
            if not filled(env, args.products):
                clean(env)
                env.cr.commit()
                fill_started = time.perf_counter()
                fill(env, args, today)
                fill_seconds = time.perf_counter() - fill_started
                env.cr.commit()
            team_id = env["crm.team"].search([("name", "=", f"{PREFIX}Team 0")]).id
            suite = suite_way(env, team_id)
            env.cr.rollback()
            env.invalidate_all()
            floor = floor_way(env, team_id)
            env.cr.rollback()
            env.invalidate_all()
            per_record = per_record_way(env, team_id, args.sample)
            env.cr.rollback()
            report(args, fill_seconds, suite, floor, per_record)
    finally:
        if created and not args.keep:
            drop_database(args.db)
    print(f"  whole run: {time.perf_counter() - started:.1f} s")


def report(args, fill_seconds, suite, floor, per_record):
    print()
    print(
        f"Refresh campaign benchmark: {args.products:,} installed products on "
        f"{args.customers:,} customers; selection 'end of support within 12 "
        f"months': {args.selected:,} products on "
        f"{args.selected // PER_CUSTOMER:,} customers"
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"  machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) "
        "at the end of the run"
    )
    if fill_seconds is not None:
        print(f"  fill (SQL generate_series): {fill_seconds:.1f} s")
    else:
        print("  fill: reused (the database already holds this many products)")
    total = suite["targets_s"] + suite["leads_s"]
    print(
        f"  suite: {suite['targets']:,} targets ({suite['products']:,} products, "
        f"{suite['excluded_partners']:,} customers left out: opted out or "
        "blacklisted) and "
        f"{suite['leads']:,} opportunities"
    )
    print(
        f"    targets (one INSERT ... SELECT)     {suite['targets_s']:8.2f} s  "
        f"{suite['targets_q']:,} queries"
    )
    print(
        f"    opportunities (one batched create)  {suite['leads_s']:8.2f} s  "
        f"{suite['leads_q']:,} queries ({suite['leads_q'] / max(suite['leads'], 1):.2f}"
        f" per opportunity); Odoo's process busy {suite['leads_cpu']:.2f} s of it"
    )
    print(f"    targets + opportunities             {total:8.2f} s")
    customers = per_record["customers"]
    sampled = per_record["sampled"]
    per_customer = per_record["loop_s"] / max(sampled, 1)
    extrapolated = per_record["search_s"] + per_customer * customers
    how = "all" if sampled == customers else f"a sample of {sampled:,}"
    print(
        f"  Odoo per record ({how} of {customers:,} customers; "
        f"{per_record['made']:,} targets and opportunities made):"
    )
    print(f"    search + group the selection        {per_record['search_s']:8.2f} s")
    print(
        f"    per customer                        {per_customer * 1000:8.1f} ms  "
        f"{per_record['loop_q'] / max(sampled, 1):.1f} queries; Odoo's process "
        f"busy {per_record['loop_cpu'] / max(sampled, 1) * 1000:.1f} ms of it"
    )
    label = "all customers" + (" (extrapolated)" if sampled != customers else "")
    print(f"    {label:<36}{extrapolated:8.2f} s")
    print(
        f"  raw SQL floor: {floor['targets']:,} targets and {floor['leads']:,} bare "
        f"opportunity rows in one statement  {floor['seconds']:.2f} s"
    )
    print(
        f"  ratios: per record / suite {extrapolated / total:.1f}x, "
        f"suite / floor {total / max(floor['seconds'], 1e-9):.1f}x"
    )
    target = 30.0
    verdict = "met" if total <= target else "MISSED"
    full = args.products >= 1_000_000 and args.selected >= 50_000
    print(
        f"  target: targets + opportunities in {target:.0f} s or less at "
        f"1,000,000 products / 50,000 selected: {total:.2f} s, {verdict}"
        + ("" if full else " (small size: not the target's scale)")
    )


if __name__ == "__main__":
    main()
