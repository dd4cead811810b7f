from pathlib import Path

import pytest
from checks import addon_dirs, manifest_problems, read_manifest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = addon_dirs(ROOT)
SUITE = {"renewal_contracts", "renewal_portal", "renewal_channel", "renewal_reporting"}


def test_the_four_addons_are_there():
    assert SUITE <= {addon.name for addon in ADDONS}


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_manifest(addon):
    assert manifest_problems(addon) == []


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_readme_fragments(addon):
    assert (addon / "readme" / "DESCRIPTION.md").is_file()


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_depends_inside_suite_are_addons(addon):
    depends = read_manifest(addon)["depends"]
    names = {a.name for a in ADDONS}
    for name in depends:
        if name.startswith("renewal_"):
            assert name in names, f"{addon.name} depends on missing {name}"
