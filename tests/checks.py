"""Static checks of the addons, free of Odoo: each function takes the
repository root and returns a list of problems (empty when all is well), so
the tests can run them on the real tree and on broken examples alike."""

import ast
import csv
import re
from pathlib import Path

from lxml import etree

VERSION_RE = re.compile(r"^18\.0\.\d+\.\d+\.\d+$")
REQUIRED_KEYS = (
    "name",
    "version",
    "license",
    "author",
    "website",
    "category",
    "depends",
)


def addon_dirs(root):
    return sorted(p.parent for p in Path(root, "addons").glob("*/__manifest__.py"))


def read_manifest(addon):
    return ast.literal_eval(Path(addon, "__manifest__.py").read_text(encoding="utf-8"))


def manifest_problems(addon):
    addon = Path(addon)
    try:
        manifest = read_manifest(addon)
    except (SyntaxError, ValueError) as exc:
        return [f"{addon.name}: __manifest__.py does not parse: {exc}"]
    problems = []
    for key in REQUIRED_KEYS:
        if key not in manifest:
            problems.append(f"{addon.name}: manifest has no {key!r}")
    if not VERSION_RE.match(str(manifest.get("version", ""))):
        problems.append(
            f"{addon.name}: version {manifest.get('version')!r} is not 18.0.x.y.z"
        )
    if "description" in manifest:
        problems.append(f"{addon.name}: use readme/*.md, not a 'description' key")
    for key in ("data", "demo"):
        for name in manifest.get(key, []):
            if not (addon / name).is_file():
                problems.append(f"{addon.name}: {key} file {name} does not exist")
    data = manifest.get("data", [])
    security = [i for i, name in enumerate(data) if name.startswith("security/")]
    if security and security != list(range(len(security))):
        problems.append(f"{addon.name}: security files must come first in 'data'")
    for asset_files in manifest.get("assets", {}).values():
        for name in asset_files:
            if isinstance(name, str) and not any(c in name for c in "*?"):
                path = Path(addon.parent, name)
                if name.startswith(addon.name) and not path.is_file():
                    problems.append(f"{addon.name}: asset {name} does not exist")
    return problems


def xml_files(root):
    return sorted(Path(root, "addons").glob("*/**/*.xml"))


def xml_problems(path):
    path = Path(path)
    try:
        tree = etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        return [f"{path}: does not parse: {exc}"]
    problems = []
    for node in tree.iter(etree.Element):
        where = f"{path}:{node.sourceline}"
        if node.tag == "tree":
            problems.append(f"{where}: <tree> is <list> in 18.0")
        for attr in ("attrs", "states"):
            if attr in node.attrib:
                problems.append(f"{where}: '{attr}' attribute is gone in 18.0")
        if "t-raw" in node.attrib:
            problems.append(f"{where}: t-raw renders unescaped; use t-out")
    for record in tree.iter("record"):
        if record.get("model") == "ir.cron":
            for field in record.iter("field"):
                if field.get("name") in ("numbercall", "doall"):
                    problems.append(
                        f"{path}:{field.sourceline}: ir.cron has no "
                        f"{field.get('name')} in 18.0"
                    )
    return problems


def _class_models(tree):
    """(name, kind) of every model a module's classes declare with _name."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {ast.unparse(base) for base in node.bases}
        if any("AbstractModel" in base for base in bases):
            continue
        if not any(b.endswith(("Model", "TransientModel")) for b in bases):
            continue
        attrs = {}
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target = stmt.targets[0]
                if isinstance(target, ast.Name):
                    try:
                        attrs[target.id] = ast.literal_eval(stmt.value)
                    except ValueError:
                        continue
        name = attrs.get("_name")
        if not isinstance(name, str):
            continue
        inherit = attrs.get("_inherit", [])
        inherit = [inherit] if isinstance(inherit, str) else list(inherit)
        if name in inherit:
            continue
        found.append(name)
    return found


def declared_models(root):
    models = {}
    for addon in addon_dirs(root):
        for path in sorted(addon.rglob("*.py")):
            if "tests" in path.relative_to(addon).parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for name in _class_models(tree):
                models[name] = path
    return models


def access_rows(root):
    rows = set()
    for path in Path(root, "addons").glob("*/security/ir.model.access.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                model_id = row.get("model_id:id") or row.get("model_id/id") or ""
                rows.add(model_id.split(".")[-1])
    return rows


def access_problems(root):
    rows = access_rows(root)
    return [
        f"{path}: model {name} has no row in any security/ir.model.access.csv"
        for name, path in sorted(declared_models(root).items())
        if "model_" + name.replace(".", "_") not in rows
    ]
