"""The checkers catch what they are meant to catch."""

from checks import access_problems, manifest_problems, xml_problems

GOOD_MANIFEST = {
    "name": "X",
    "version": "18.0.1.0.0",
    "license": "LGPL-3",
    "author": "A",
    "website": "https://example.com",
    "category": "C",
    "depends": ["base"],
    "data": ["security/ir.model.access.csv", "views/v.xml"],
}


FILES = ("security/ir.model.access.csv", "views/v.xml")


def make_addon(tmp_path, manifest, files=FILES):
    addon = tmp_path / "addons" / "x"
    addon.mkdir(parents=True)
    (addon / "__manifest__.py").write_text(repr(manifest))
    for name in files:
        (addon / name).parent.mkdir(parents=True, exist_ok=True)
        (addon / name).write_text("")
    return addon


def test_good_manifest(tmp_path):
    assert manifest_problems(make_addon(tmp_path, GOOD_MANIFEST)) == []


def test_bad_manifests(tmp_path):
    bad = dict(GOOD_MANIFEST, version="17.0.1.0.0", description="old")
    bad.pop("license")
    bad["data"] = ["views/v.xml", "security/ir.model.access.csv", "data/missing.xml"]
    problems = "\n".join(manifest_problems(make_addon(tmp_path, bad)))
    assert "is not 18.0.x.y.z" in problems
    assert "'description'" in problems
    assert "no 'license'" in problems
    assert "data/missing.xml does not exist" in problems
    assert "security files must come first" in problems


def test_unparsable_manifest(tmp_path):
    addon = tmp_path / "addons" / "y"
    addon.mkdir(parents=True)
    (addon / "__manifest__.py").write_text("{'name': ")
    assert "does not parse" in manifest_problems(addon)[0]


def test_xml_checks(tmp_path):
    path = tmp_path / "v.xml"
    path.write_text(
        "<odoo><record id='a' model='ir.ui.view'><field name='arch' type='xml'>"
        "<tree><field name='x' attrs=\"{'invisible': 1}\"/><t t-raw='x'/></tree>"
        "</field></record><record id='c' model='ir.cron'>"
        "<field name='numbercall'>-1</field></record></odoo>"
    )
    problems = "\n".join(xml_problems(path))
    assert "<tree> is <list>" in problems
    assert "'attrs' attribute" in problems
    assert "t-raw" in problems
    assert "numbercall" in problems
    path.write_text("<odoo><record></odoo>")
    assert "does not parse" in xml_problems(path)[0]
    path.write_text("<odoo><list><field name='x' invisible='a'/></list></odoo>")
    assert xml_problems(path) == []


def test_access_checks(tmp_path):
    addon = make_addon(tmp_path, GOOD_MANIFEST)
    (addon / "models").mkdir()
    (addon / "models" / "m.py").write_text(
        "from odoo import models\n"
        "class A(models.Model):\n    _name = 'x.a'\n"
        "class B(models.TransientModel):\n    _name = 'x.b'\n"
        "class C(models.AbstractModel):\n    _name = 'x.c'\n"
        "class D(models.Model):\n    _inherit = 'res.partner'\n"
        "class E(models.Model):\n    _name = 'res.users'\n    _inherit = 'res.users'\n"
    )
    (addon / "security" / "ir.model.access.csv").write_text(
        "id,name,model_id:id,group_id:id,perm_read,perm_write,perm_create,perm_unlink\n"
        "access_a,a,model_x_a,,1,1,1,1\n"
    )
    problems = access_problems(tmp_path)
    assert len(problems) == 1 and "x.b" in problems[0]
