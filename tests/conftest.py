"""Suite-level static checks: plain pytest, no Odoo needed.

tests/checks.py holds the checkers; this file puts it on sys.path and hands
the tests the repository root and the addon folders (addons/*/__manifest__.py).
The pytest-odoo plugin is switched off for these tests in pyproject.toml
(addopts "-p no:odoo"): it imports odoo as soon as it loads.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checks import ROOT, addon_dirs  # noqa: E402


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def addons():
    return addon_dirs(ROOT)
