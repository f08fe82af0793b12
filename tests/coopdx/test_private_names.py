"""No app uses another app's private names (ARCHITECTURE.md): a name starting with one underscore
is its module's own business. Another app imports it neither by name (``from surveys.x import
_y``) nor through the module (``from surveys import x`` then ``x._y``). Django's ``_meta`` is
public API despite its underscore."""

import ast

from tests.coopdx.test_module_size import APPS, ROOT

PUBLIC_DESPITE_UNDERSCORE = {"_meta"}


def private_uses(source: str, app: str, filename: str = "<module>") -> list[str]:
    """The private names of other apps that ``source``, a module of ``app``, imports or reads."""
    tree = ast.parse(source, filename)
    found: list[str] = []
    modules: dict[str, str] = {}  # local name -> the other app's module or object it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in APPS or node.module.split(".")[0] == app:
                continue
            for alias in node.names:
                if alias.name.startswith("_") and alias.name not in PUBLIC_DESPITE_UNDERSCORE:
                    found.append(f"{filename}:{node.lineno} imports {node.module}.{alias.name}")
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APPS and alias.name.split(".")[0] != app:
                    # ``import a.b`` binds ``a``; ``import a.b as c`` binds ``c`` to ``a.b``.
                    modules[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0]
                    )
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr not in PUBLIC_DESPITE_UNDERSCORE
        ):
            path = _dotted(node.value)
            if path and path[0] in modules:
                reached = ".".join([modules[path[0]], *path[1:]])
                found.append(f"{filename}:{node.lineno} reads {reached}.{node.attr}")
    return found


def _dotted(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"]; None for anything but names and attributes."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else [*inner, node.attr]
    return None


def test_the_check_sees_both_ways_of_reaching_a_private_name_and_lets_an_apps_own_pass():
    source = (
        "from surveys.services import _questions, response_start\n"
        "from cooperatives import importing\n"
        "import indicators.aggregation as aggregation\n"
        "from surveys.models import Response\n"
        "import surveys.lifecycle\n"
        "importing._registry_rows(); aggregation._figures(); Response._meta; response_start()\n"
        "surveys.lifecycle._entered(); surveys.lifecycle.may_accept()\n"
    )
    assert private_uses(source, app="exports") == [
        "<module>:1 imports surveys.services._questions",
        "<module>:6 reads cooperatives.importing._registry_rows",
        "<module>:6 reads indicators.aggregation._figures",
        "<module>:7 reads surveys.lifecycle._entered",
    ]
    assert private_uses(source.replace("surveys.services", "exports.services"), app="exports") == [
        "<module>:6 reads cooperatives.importing._registry_rows",
        "<module>:6 reads indicators.aggregation._figures",
        "<module>:7 reads surveys.lifecycle._entered",
    ]
    assert private_uses(source, app="surveys") == [
        "<module>:6 reads cooperatives.importing._registry_rows",
        "<module>:6 reads indicators.aggregation._figures",
    ]


def test_no_app_uses_another_apps_private_names():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found += private_uses(path.read_text(encoding="utf-8"), app, str(path.relative_to(ROOT)))
    assert found == []
