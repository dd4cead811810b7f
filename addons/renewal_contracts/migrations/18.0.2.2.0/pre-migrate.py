"""18.0.2.2.0: the installed products' indexes that feeds paid for at every
insert and no search used go (the name's trigram index, the company's and
the registration channel's: the unique (company, product, serial number)
index starts with the company); the serial number's b-tree index goes too,
for Odoo to create its trigram index under the same name (it keeps an index
whose name exists, whatever its kind)."""

from odoo.tools import SQL

INDEXES = (
    "renewal_installed_product__name_index",
    "renewal_installed_product__company_id_index",
    "renewal_installed_product__registration_channel_index",
    "renewal_installed_product__serial_number_index",
)


def migrate(cr, version):
    if not version:
        return
    for index in INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
