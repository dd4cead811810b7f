import pytest
from checks import ROOT, addon_dirs, manifest_problems, read_manifest

ADDONS = addon_dirs(ROOT)
SUITE = {"renewal_contracts", "renewal_portal", "renewal_channel", "renewal_reporting"}


def test_the_four_addons_are_there():
    assert SUITE <= {addon.name for addon in ADDONS}


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_manifest(addon):
    problems = manifest_problems(addon)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_readme_fragments(addon):
    assert (addon / "readme" / "DESCRIPTION.md").is_file()


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_depends_inside_suite_are_addons(addon):
    names = {a.name for a in ADDONS}
    missing = [
        name
        for name in read_manifest(addon).get("depends", [])
        if name.startswith("renewal_") and name not in names
    ]
    assert not missing, f"{addon.name} depends on missing addons {missing}"
