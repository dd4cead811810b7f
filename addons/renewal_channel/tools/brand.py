"""Brand colours for the pages a reseller's customers see: no ORM here.

A colour is only ever put into a page's style as ``#rrggbb``: whatever else
a field holds is not a colour, and never reaches the page.
"""

import re

COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def normalize_color(value):
    """``value`` as ``#rrggbb`` (lower case), or None when it is not a hex
    colour (``#abc`` and ``#aabbcc`` are)."""
    text = (value or "").strip()
    if not COLOR_RE.match(text):
        return None
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return "#" + digits.lower()


def _luminance(color):
    """Relative luminance of ``#rrggbb`` (WCAG 2.1)."""
    channels = []
    for index in (1, 3, 5):
        value = int(color[index : index + 2], 16) / 255
        channels.append(
            value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        )
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_color_on(background):
    """Black or white, whichever reads better on ``background``."""
    if contrast_ratio(background, "#ffffff") >= contrast_ratio(background, "#000000"):
        return "#ffffff"
    return "#000000"


def style_variables(primary, secondary):
    """The CSS custom properties of a brand, for a ``style`` attribute.
    Both colours must be normalised already."""
    return (
        f"--renewal-brand-primary: {primary}; "
        f"--renewal-brand-on-primary: {text_color_on(primary)}; "
        f"--renewal-brand-secondary: {secondary}; "
        f"--renewal-brand-on-secondary: {text_color_on(secondary)};"
    )
