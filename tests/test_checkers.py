"""The checkers catch what they are meant to catch, on small examples built in
a temporary folder; they do not depend on what addons/ holds."""

import pytest
from checks import (
    REQUIRED_KEYS,
    access_problems,
    addon_dirs,
    declared_models,
    manifest_problems,
    xml_files,
    xml_problems,
)

GOOD_MANIFEST = {
    "name": "X",
    "version": "18.0.1.0.0",
    "license": "LGPL-3",
    "author": "Renewals Suite Authors",
    "website": "https://example.com",
    "category": "Sales",
    "depends": ["base"],
    "data": ["security/ir.model.access.csv", "views/x_views.xml"],
    "installable": True,
}
FILES = ("security/ir.model.access.csv", "views/x_views.xml")
ACCESS_HEADER = (
    "id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink\n"
)


def make_addon(root, manifest, files=FILES, name="x"):
    addon = root / "addons" / name
    addon.mkdir(parents=True)
    (addon / "__manifest__.py").write_text(repr(manifest))
    for path in files:
        (addon / path).parent.mkdir(parents=True, exist_ok=True)
        (addon / path).write_text("")
    return addon


def problems_of(addon):
    return "\n".join(manifest_problems(addon))


def test_empty_tree(tmp_path):
    (tmp_path / "addons").mkdir()
    assert addon_dirs(tmp_path) == []
    assert xml_files(tmp_path) == []
    assert declared_models(tmp_path) == {}
    assert access_problems(tmp_path) == []


def test_good_manifest(tmp_path):
    addon = make_addon(tmp_path, GOOD_MANIFEST)
    assert addon_dirs(tmp_path) == [addon]
    assert manifest_problems(addon) == []


def test_manifest_version_17(tmp_path):
    addon = make_addon(tmp_path, dict(GOOD_MANIFEST, version="17.0.1.0.0"))
    assert "version '17.0.1.0.0' is not 18.0.x.y.z" in problems_of(addon)


@pytest.mark.parametrize("version", ["18.0.1.0", "1.0.0", "18.0.1.0.0-beta"])
def test_manifest_version_format(tmp_path, version):
    addon = make_addon(tmp_path, dict(GOOD_MANIFEST, version=version))
    assert "is not 18.0.x.y.z" in problems_of(addon)


@pytest.mark.parametrize(
    "key",
    REQUIRED_KEYS,
)
def test_manifest_required_key(tmp_path, key):
    manifest = dict(GOOD_MANIFEST)
    del manifest[key]
    assert f"manifest has no {key!r}" in problems_of(make_addon(tmp_path, manifest))


def test_manifest_description_key(tmp_path):
    addon = make_addon(tmp_path, dict(GOOD_MANIFEST, description="Old style"))
    assert "not a 'description' key" in problems_of(addon)


def test_manifest_data_not_a_list(tmp_path):
    addon = make_addon(tmp_path, dict(GOOD_MANIFEST, data="views/x_views.xml"))
    assert "'data' must be a list" in problems_of(addon)


def test_manifest_missing_files(tmp_path):
    manifest = dict(
        GOOD_MANIFEST,
        data=[*GOOD_MANIFEST["data"], "data/missing.xml"],
        demo=["demo/missing_demo.xml"],
    )
    problems = problems_of(make_addon(tmp_path, manifest))
    assert "data file data/missing.xml does not exist" in problems
    assert "demo file demo/missing_demo.xml does not exist" in problems


@pytest.mark.parametrize(
    "data",
    [
        ["views/x_views.xml", "security/ir.model.access.csv"],
        ["security/x_security.xml", "views/x_views.xml", "security/extra.xml"],
    ],
)
def test_manifest_security_not_first(tmp_path, data):
    files = (*FILES, "security/x_security.xml", "security/extra.xml")
    addon = make_addon(tmp_path, dict(GOOD_MANIFEST, data=data), files=files)
    assert "security files must come first" in problems_of(addon)


def test_manifest_security_xml_then_csv_is_fine(tmp_path):
    data = ["security/x_security.xml", *GOOD_MANIFEST["data"]]
    files = (*FILES, "security/x_security.xml")
    addon = make_addon(tmp_path, dict(GOOD_MANIFEST, data=data), files=files)
    assert manifest_problems(addon) == []


def test_manifest_assets(tmp_path):
    files = (*FILES, "static/src/js/here.js", "static/tests/tours/tour.js")
    assets = {
        "web.assets_backend": [
            "x/static/src/js/here.js",
            "x/static/src/js/gone.js",
            "x/static/src/scss/*.scss",
            "web/static/src/not_ours.js",
            ("include", "web._assets_helpers"),
            ("remove", "x/static/src/js/removed.js"),
        ],
        "web.assets_tests": ["x/static/tests/tours/*.js"],
    }
    addon = make_addon(tmp_path, dict(GOOD_MANIFEST, assets=assets), files=files)
    problems = manifest_problems(addon)
    assert len(problems) == 3, problems
    text = "\n".join(problems)
    assert "x/static/src/js/gone.js" in text
    assert "x/static/src/scss/*.scss" in text
    assert "x/static/src/js/removed.js" in text


def test_unparsable_manifest(tmp_path):
    addon = tmp_path / "addons" / "y"
    addon.mkdir(parents=True)
    (addon / "__manifest__.py").write_text("{'name': ")
    assert "does not parse" in manifest_problems(addon)[0]


def test_manifest_with_code_is_refused(tmp_path):
    addon = tmp_path / "addons" / "y"
    addon.mkdir(parents=True)
    (addon / "__manifest__.py").write_text("{'name': open('x').read()}")
    assert "does not parse" in manifest_problems(addon)[0]


def write_xml(tmp_path, body):
    path = tmp_path / "x_views.xml"
    path.write_text(f"<odoo>{body}</odoo>")
    return "\n".join(xml_problems(path))


def view(arch):
    return (
        "<record id='v' model='ir.ui.view'><field name='model'>x</field>"
        f"<field name='arch' type='xml'>{arch}</field></record>"
    )


def test_xml_tree(tmp_path):
    assert "<tree> is <list>" in write_xml(
        tmp_path, view("<tree><field name='a'/></tree>")
    )


def test_xml_attrs(tmp_path):
    arch = "<form><field name='a' attrs=\"{'invisible': [('b', '=', 1)]}\"/></form>"
    assert "'attrs' attribute is gone" in write_xml(tmp_path, view(arch))


def test_xml_states(tmp_path):
    arch = "<form><button name='go' states='draft'/></form>"
    assert "'states' attribute is gone" in write_xml(tmp_path, view(arch))


def test_xml_t_raw(tmp_path):
    body = "<template id='t'><div t-raw='record.note'/></template>"
    assert "t-raw renders unescaped" in write_xml(tmp_path, body)


@pytest.mark.parametrize("field", ["numbercall", "doall"])
def test_xml_cron_fields(tmp_path, field):
    body = (
        "<record id='c' model='ir.cron'><field name='name'>C</field>"
        f"<field name='{field}'>-1</field></record>"
    )
    assert f"ir.cron has no '{field}'" in write_xml(tmp_path, body)


def test_xml_numbercall_outside_cron_is_fine(tmp_path):
    body = "<record id='r' model='x.y'><field name='numbercall'>1</field></record>"
    assert write_xml(tmp_path, body) == ""


def test_xml_unparsable(tmp_path):
    assert "does not parse" in write_xml(tmp_path, "<record>")


def test_xml_good(tmp_path):
    arch = (
        "<list><field name='a' invisible=\"state == 'cancel'\"/></list>"
        "<!-- <tree> in a comment is fine -->"
    )
    body = view(arch) + "<template id='t'><span t-out='record.name'/></template>"
    assert write_xml(tmp_path, body) == ""


MODELS_PY = """
from odoo import models
from odoo.models import Model


class Contract(models.Model):
    _name = "x.contract"


class Wizard(models.TransientModel):
    _name = "x.contract.cancel"


class Mixin(models.AbstractModel):
    _name = "x.mixin"


class Partner(models.Model):
    _inherit = "res.partner"


class Users(models.Model):
    _name = "res.users"
    _inherit = ["res.users"]


class Prototype(Model):
    _name = "x.copy"
    _inherit = ["mail.thread", "x.contract"]


class NotAModel:
    _name = "x.plain"
"""


def make_models_addon(tmp_path, rows):
    addon = make_addon(tmp_path, GOOD_MANIFEST)
    (addon / "models").mkdir()
    (addon / "models" / "x.py").write_text(MODELS_PY)
    (addon / "tests").mkdir()
    (addon / "tests" / "test_x.py").write_text(
        "from odoo import models\nclass T(models.Model):\n    _name = 'x.test'\n"
    )
    (addon / "security" / "ir.model.access.csv").write_text(ACCESS_HEADER + rows)
    return addon


def test_declared_models(tmp_path):
    make_models_addon(tmp_path, "")
    assert sorted(declared_models(tmp_path)) == [
        "x.contract",
        "x.contract.cancel",
        "x.copy",
    ]


def test_model_without_access_row(tmp_path):
    make_models_addon(
        tmp_path,
        "access_contract,x.contract,model_x_contract,,1,1,1,1\n"
        "access_copy,x.copy,x.model_x_copy,,1,0,0,0\n",
    )
    problems = access_problems(tmp_path)
    assert len(problems) == 1, problems
    assert "model x.contract.cancel has no row" in problems[0]
    assert "model_x_contract_cancel in x/security/ir.model.access.csv" in problems[0]


def test_access_row_only_in_another_addon(tmp_path):
    """The declaring addon can be installed alone: another addon's row for
    its model does not count."""
    make_models_addon(
        tmp_path,
        "access_contract,x.contract,model_x_contract,,1,1,1,1\n"
        "access_copy,x.copy,model_x_copy,,1,1,1,1\n",
    )
    other = make_addon(tmp_path, GOOD_MANIFEST, name="x_portal")
    (other / "security" / "ir.model.access.csv").write_text(
        ACCESS_HEADER + "access_cancel,x.cancel,x.model_x_contract_cancel,,1,0,0,0\n"
    )
    problems = access_problems(tmp_path)
    assert len(problems) == 1 and "x.contract.cancel" in problems[0], problems


def test_addon_without_access_file(tmp_path):
    addon = make_addon(tmp_path, GOOD_MANIFEST, files=("views/x_views.xml",))
    (addon / "models").mkdir()
    (addon / "models" / "x.py").write_text(MODELS_PY)
    assert len(access_problems(tmp_path)) == 3
