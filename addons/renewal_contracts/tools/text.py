"""Text that comes from the public: stored as text, never as a formula.

A spreadsheet (Odoo's XLSX export, a CSV opened in Excel or LibreOffice)
runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula. Every public form and API field passes its text through
:func:`neutralize_formula` where it enters, as OWASP recommends for CSV
injection: such text gets a leading apostrophe, which spreadsheets show as
text and do not print.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value):
    """``value`` as text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
