"""Renewal notices under real concurrency, on committed data.

Odoo's test cases run in one uncommitted transaction, where two workers
cannot be had. Here, in the throw-away test database that bin/test made, two
threads with their own database connections run the notice run at once, and
a worker is "killed" half way (its transaction dropped); then every contract
must have been notified exactly once per role. Run by bin/test through
``odoo shell``, which provides ``env``. Prints one ``ok``/``FAIL`` line per
check and ``concurrency: done`` at the end.
"""

import threading
from datetime import date, timedelta

from odoo import SUPERUSER_ID, api
from odoo.tools import mute_logger

env = globals()["env"]  # provided by odoo shell
registry = env.registry
TODAY = date(2031, 3, 3)  # far from the demo data's dates
CUSTOMERS = 60


def check(ok, what):
    print(("ok " if ok else "FAIL ") + what, flush=True)


def make_data():
    env.cr.execute("UPDATE renewal_contract SET do_not_contact = TRUE")
    env.invalidate_all()
    company = env.company
    salesperson = env["res.users"].create(
        {
            "name": "Concurrency Sales",
            "login": "concurrency_sales",
            "email": "sales@concurrency.example.com",
        }
    )
    product = env["product.product"].create({"name": "Concurrency Box"})
    partners = env["res.partner"].create(
        [
            {
                "name": f"Concurrency Customer {i}",
                "is_company": True,
                "email": f"c{i}@concurrency.example.com",
            }
            for i in range(CUSTOMERS)
        ]
    )
    end = TODAY + timedelta(days=90)
    env["renewal.contract"].create(
        [
            {
                "name": f"CONC-{i:03d}-{j}",
                "company_id": company.id,
                "partner_id": partner.id,
                "user_id": salesperson.id,
                "date_start": end - timedelta(days=365),
                "date_end": end,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "date_start": end - timedelta(days=365),
                            "date_end": end,
                            "serial_number": f"CONC-{i}-{j}",
                        },
                    )
                ],
            }
            for i, partner in enumerate(partners)
            for j in range(2)
        ]
    )
    env.cr.commit()
    return partners


def worker(results, name, batch_size):
    """What the scheduled action does on a worker: a batch per call, each
    committed. A batch that collides with what the other worker committed
    is rolled back by ``_run_batch_or_yield``, which asks for another run:
    the loop here stands in for the scheduler answering it."""
    done = 0
    calls = 0
    # The collision's failed INSERT is expected: Odoo logs it, quietly here.
    with registry.cursor() as cr, mute_logger("odoo.sql_db"):
        wenv = api.Environment(cr, SUPERUSER_ID, {})
        Notice = wenv["renewal.notice"]
        for calls in range(1, 200):  # noqa: B007
            count, remaining = Notice._run_batch_or_yield(TODAY, batch_size=batch_size)
            cr.commit()
            done += count
            if not remaining:
                break
    results[name] = (done, calls)


partners = make_data()
customer_ids = partners.ids

# 1. A worker killed half way: its batch never commits.
with registry.cursor() as cr:
    kenv = api.Environment(cr, SUPERUSER_ID, {})
    done, _remaining = kenv["renewal.notice"]._run_batch(TODAY, batch_size=7)
    check(done == 7, f"killed worker had done a batch of 7 ({done})")
    cr.rollback()  # the worker dies: nothing of its batch stays
env.invalidate_all()
left = env["renewal.notice"].search_count([("customer_id", "in", customer_ids)])
check(left == 0, f"nothing half-written by the killed worker ({left} notices)")

# 2. Two workers at once.
results = {}
threads = [
    threading.Thread(target=worker, args=(results, name, 5)) for name in ("a", "b")
]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(timeout=300)
check(all(not thread.is_alive() for thread in threads), "both workers finished")
print(f"workers (customers done, batches called): {results}", flush=True)
total_done = sum(done for done, _calls in results.values())
check(total_done == CUSTOMERS, f"customers done between them: {total_done}")

# A fresh snapshot: this shell's transaction began before the workers'.
env.cr.rollback()
env.invalidate_all()
env.cr.execute(
    """
    SELECT l.role, COUNT(*), COUNT(DISTINCT l.contract_id)
      FROM renewal_notice_line l
      JOIN renewal_contract c ON c.id = l.contract_id
     WHERE c.name LIKE 'CONC-%%'
     GROUP BY l.role
    """
)
rows = {role: (lines, contracts) for role, lines, contracts in env.cr.fetchall()}
for role in ("customer", "sales"):
    lines, contracts = rows.get(role, (0, 0))
    check(
        lines == contracts == 2 * CUSTOMERS,
        f"every contract logged once for the {role}: "
        f"{lines} lines, {contracts} contracts",
    )
notices = env["renewal.notice"].search([("customer_id", "in", customer_ids)])
customer_notices = notices.filtered(lambda n: n.role == "customer")
check(
    len(customer_notices) == CUSTOMERS
    and set(customer_notices.customer_id.ids) == set(customer_ids),
    f"one customer e-mail per customer: {len(customer_notices)}",
)
mails = env["mail.mail"].search_count(
    [("model", "=", "renewal.notice"), ("res_id", "in", notices.ids)]
)
check(mails == len(notices), f"one mail per notice: {mails} for {len(notices)}")

# 3. A third run finds nothing left.
with registry.cursor() as cr:
    done, remaining = api.Environment(cr, SUPERUSER_ID, {})[
        "renewal.notice"
    ]._run_batch(TODAY)
check((done, remaining) == (0, 0), f"a later run sends nothing ({done}, {remaining})")
print("concurrency: done", flush=True)
