"""ruff and pylint-odoo, as pre-commit runs them, so that CI catches what a
skipped hook would have let through. A missing tool fails the test: a lint
that silently does not run cannot fail."""

import importlib.util
import re
import shutil
import subprocess
import sys
import textwrap

import pytest
from checks import ROOT, addon_dirs

ADDONS = addon_dirs(ROOT)
# What ruff checks, one test case each: every addon, then the repo's own code.
RUFF_TARGETS = [str(a.relative_to(ROOT)) for a in ADDONS] + [
    d for d in ("tests", "benchmarks") if (ROOT / d).is_dir()
]
HINT = "is not installed: run `pip install -r requirements-dev.txt`"


def run(*cmd, cwd=ROOT):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)


def ruff():
    """The ruff command, from this interpreter's environment when it has one."""
    if importlib.util.find_spec("ruff"):
        return [sys.executable, "-m", "ruff"]
    if shutil.which("ruff"):
        return [shutil.which("ruff")]
    pytest.fail(f"ruff {HINT}")


def pylint():
    if not importlib.util.find_spec("pylint_odoo"):
        pytest.fail(f"pylint-odoo {HINT}")
    return [sys.executable, "-m", "pylint", f"--rcfile={ROOT / '.pylintrc'}"]


@pytest.mark.parametrize("target", RUFF_TARGETS)
def test_ruff_check(target):
    result = run(*ruff(), "check", "--no-cache", target)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("target", RUFF_TARGETS)
def test_ruff_format(target):
    result = run(*ruff(), "format", "--no-cache", "--check", "--diff", target)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def pylint_report():
    """One pylint run over every addon (pylint's start-up is most of its
    time); the per-addon tests below read their own lines from it."""
    result = run(
        *pylint(),
        "--output-format=text",
        "--msg-template={path}:{line}: [{msg_id}({symbol}), {obj}] {msg}",
        *(str(a.relative_to(ROOT)) for a in ADDONS),
    )
    # Exit status bits: 1 fatal, 32 usage error; the others are messages.
    assert not result.returncode & (1 | 32), result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_pylint_odoo(addon, pylint_report):
    prefix = f"addons/{addon.name}/"
    messages = [line for line in pylint_report.splitlines() if line.startswith(prefix)]
    assert not messages, "\n".join(messages)


def test_ruff_config_catches_odoo_import_order(tmp_path):
    """pyproject.toml's isort sections: odoo, then odoo.addons, after
    third-party libraries (as OCA)."""
    bad = tmp_path / "bad.py"
    bad.write_text("from odoo.addons.mail.tests.common import MailCommon\nimport os\n")
    good = tmp_path / "good.py"
    good.write_text(
        textwrap.dedent(
            """\
            import os

            from lxml import etree

            from odoo import models

            from odoo.addons.mail.tests.common import MailCommon

            print(os, etree, models, MailCommon)
            """
        )
    )
    config = f"--config={ROOT / 'pyproject.toml'}"
    result = run(*ruff(), "check", "--no-cache", config, "--select=I", str(bad))
    assert "I001" in result.stdout, result.stdout + result.stderr
    result = run(*ruff(), "check", "--no-cache", config, "--select=I", str(good))
    assert result.returncode == 0, result.stdout + result.stderr


def test_pylintrc_catches_manifest_problems(tmp_path):
    """.pylintrc is live: a 17.0 manifest by another author with a
    description is reported, and "installable": True is not."""
    addon = tmp_path / "x_addon"
    addon.mkdir()
    (addon / "__init__.py").write_text("")
    (addon / "__manifest__.py").write_text(
        repr(
            {
                "name": "X",
                "version": "17.0.1.0.0",
                "license": "LGPL-3",
                "author": "Someone Else",
                "website": "https://example.com",
                "category": "Sales",
                "depends": ["base"],
                "data": [],
                "installable": True,
                "description": "Old style",
            }
        )
    )
    result = run(*pylint(), "--output-format=text", str(addon), cwd=tmp_path)
    found = set(re.findall(r"\(([a-z-]+)\)", result.stdout))
    assert {
        "manifest-version-format",
        "manifest-required-author",
        "manifest-deprecated-key",
    } <= found, result.stdout + result.stderr
    assert not {"missing-readme", "manifest-superfluous-key"} & found, result.stdout
