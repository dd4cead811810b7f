"""ruff and pylint-odoo, as pre-commit runs them: CI catches what a skipped
hook would have caught."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGETS = [d for d in ("addons", "tests", "benchmarks") if (ROOT / d).is_dir()]
HINT = "is not installed: pip install -r requirements-dev.txt"


def run(*cmd):
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


def test_ruff_check():
    if not shutil.which("ruff"):
        pytest.fail(f"ruff {HINT}")
    result = run("ruff", "check", *TARGETS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    if not shutil.which("ruff"):
        pytest.fail(f"ruff {HINT}")
    result = run("ruff", "format", "--check", "--diff", *TARGETS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pylint_odoo():
    try:
        import pylint_odoo  # noqa: F401
    except ImportError:
        pytest.fail(f"pylint-odoo {HINT}")
    addons = sorted(str(p.parent) for p in (ROOT / "addons").glob("*/__manifest__.py"))
    result = run(
        sys.executable,
        "-m",
        "pylint",
        "--rcfile=.pylintrc",
        "--disable=missing-readme",
        *addons,
    )
    assert result.returncode == 0, result.stdout + result.stderr
