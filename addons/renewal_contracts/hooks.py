from odoo.tools import SQL


def uninstall_hook(env):
    """Empty the installed base before the addon's data goes.

    Installed products, registrations and the warranty contracts that
    registrations made have no external id: Odoo removes them only with
    their tables, after the addon's records, and until then they hold on to
    the customers and products of the demo data, which then cannot be
    deleted. Their tables go with the addon, so nothing is lost by emptying
    them first."""
    env.cr.execute(
        SQL(
            """
            DELETE FROM renewal_contract
             WHERE id IN (SELECT line.contract_id
                            FROM renewal_registration registration
                            JOIN renewal_contract_line line
                              ON line.id = registration.warranty_line_id)
            """
        )
    )
    env.cr.execute(SQL("DELETE FROM renewal_registration"))
    env.cr.execute(SQL("DELETE FROM renewal_installed_product"))
