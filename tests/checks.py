"""Static checks of the addons, free of Odoo: each function takes a repository
root, an addon folder or a file and returns a list of problems (empty when all
is well), so the tests run them on the real tree and on broken examples alike.
"""

import ast
import csv
import re
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
VERSION_RE = re.compile(r"^18\.0\.\d+\.\d+\.\d+$")
REQUIRED_KEYS = (
    "name",
    "version",
    "license",
    "author",
    "website",
    "category",
    "depends",
    "data",
    "installable",
)
GLOB_CHARS = frozenset("*?[")


def addon_dirs(root=ROOT):
    """Every addon folder: addons/*/__manifest__.py."""
    return sorted(p.parent for p in Path(root, "addons").glob("*/__manifest__.py"))


def read_manifest(addon):
    path = Path(addon, "__manifest__.py")
    return ast.literal_eval(path.read_text(encoding="utf-8"))


def _is_security_file(name):
    return name.startswith("security/") or name.endswith("ir.model.access.csv")


def manifest_problems(addon):
    addon = Path(addon)
    try:
        manifest = read_manifest(addon)
    except (SyntaxError, ValueError) as exc:
        return [f"{addon.name}: __manifest__.py does not parse: {exc}"]
    if not isinstance(manifest, dict):
        return [f"{addon.name}: __manifest__.py is not a dict"]
    problems = [
        f"{addon.name}: manifest has no {key!r}"
        for key in REQUIRED_KEYS
        if key not in manifest
    ]
    version = manifest.get("version")
    if not VERSION_RE.match(str(version)):
        problems.append(f"{addon.name}: version {version!r} is not 18.0.x.y.z")
    if "description" in manifest:
        problems.append(f"{addon.name}: use readme/*.md, not a 'description' key")
    for key in ("data", "demo", "depends"):
        if key in manifest and not isinstance(manifest[key], list):
            problems.append(f"{addon.name}: {key!r} must be a list")
    for key in ("data", "demo"):
        for name in manifest.get(key) or []:
            if not (addon / name).is_file():
                problems.append(f"{addon.name}: {key} file {name} does not exist")
    data = manifest.get("data") or []
    security = [i for i, name in enumerate(data) if _is_security_file(name)]
    if security != list(range(len(security))):
        problems.append(
            f"{addon.name}: security files must come first in 'data' "
            f"(found at positions {security})"
        )
    problems.extend(_asset_problems(addon, manifest.get("assets") or {}))
    return problems


def _asset_problems(addon, assets):
    """Assets of this addon that match no file. Entries of other addons
    ("web/static/...") and directives such as ("include", bundle) are skipped.
    """
    problems = []
    for bundle, entries in assets.items():
        for entry in entries:
            if isinstance(entry, (tuple, list)):
                # ("include", bundle), ("remove", path), ("replace", old, new)...
                paths = [p for p in entry[1:] if "/" in str(p)]
            else:
                paths = [entry]
            for name in paths:
                if not str(name).startswith(addon.name + "/"):
                    continue
                if GLOB_CHARS & set(name):
                    found = any(addon.parent.glob(name))
                else:
                    found = (addon.parent / name).is_file()
                if not found:
                    problems.append(
                        f"{addon.name}: asset {name} ({bundle}) matches no file"
                    )
    return problems


def xml_files(root=ROOT):
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
                problems.append(
                    f"{where}: '{attr}' attribute is gone in 18.0; "
                    "use invisible/readonly/required expressions"
                )
        if "t-raw" in node.attrib:
            problems.append(f"{where}: t-raw renders unescaped; use t-out")
    for record in tree.iter("record"):
        if record.get("model") != "ir.cron":
            continue
        for field in record.iter("field"):
            if field.get("name") in ("numbercall", "doall"):
                problems.append(
                    f"{path}:{field.sourceline}: ir.cron has no "
                    f"{field.get('name')!r} field in 18.0"
                )
    return problems


def _literal_attrs(class_node):
    attrs = {}
    for stmt in class_node.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            continue
        if isinstance(target, ast.Name):
            try:
                attrs[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return attrs


def _class_models(tree):
    """Names of the stored models (Model, TransientModel) that a module's
    classes create with _name; AbstractModel and pure extensions (no _name, or
    a _name that is also inherited) create no table and need no access rule.
    """
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases]
        if "AbstractModel" in bases or not {"Model", "TransientModel"} & set(bases):
            continue
        attrs = _literal_attrs(node)
        name = attrs.get("_name")
        if not isinstance(name, str):
            continue
        inherit = attrs.get("_inherit") or []
        inherit = [inherit] if isinstance(inherit, str) else list(inherit)
        if name in inherit:
            continue
        found.append(name)
    return found


def declared_models(root=ROOT):
    """{model name: file declaring it} over every addon, tests excluded."""
    models = {}
    for addon in addon_dirs(root):
        for path in sorted(addon.rglob("*.py")):
            if "tests" in path.relative_to(addon).parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for name in _class_models(tree):
                models[name] = path
    return models


def access_rows(addon):
    """External ids (without the module prefix) of the models that have a row
    in the addon's security/ir.model.access.csv."""
    rows = set()
    path = Path(addon, "security", "ir.model.access.csv")
    if not path.is_file():
        return rows
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            model_id = row.get("model_id:id") or row.get("model_id/id") or ""
            rows.add(model_id.strip().split(".")[-1])
    return rows


def model_access_problem(root, name, path):
    """A stored model needs a row in the access file of the addon that
    declares it: that addon can be installed alone."""
    addon = Path(root, "addons", Path(path).relative_to(Path(root, "addons")).parts[0])
    model_id = "model_" + name.replace(".", "_")
    if model_id in access_rows(addon):
        return None
    return (
        f"{Path(path).relative_to(root)}: model {name} has no row with model_id "
        f"{model_id} in {addon.name}/security/ir.model.access.csv"
    )


def access_problems(root=ROOT):
    problems = (
        model_access_problem(root, name, path)
        for name, path in sorted(declared_models(root).items())
    )
    return [problem for problem in problems if problem]
