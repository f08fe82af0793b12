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
                    modules[alias.asname or alias.name.split(".")[0]] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr not in PUBLIC_DESPITE_UNDERSCORE
        ):
            found.append(f"{filename}:{node.lineno} reads {modules[node.value.id]}.{node.attr}")
    return found


def test_the_check_sees_both_ways_of_reaching_a_private_name_and_lets_an_apps_own_pass():
    source = (
        "from surveys.services import _questions, response_start\n"
        "from cooperatives import importing\n"
        "import indicators.aggregation as aggregation\n"
        "from surveys.models import Response\n"
        "importing._registry_rows(); aggregation._figures(); Response._meta; response_start()\n"
    )
    assert private_uses(source, app="exports") == [
        "<module>:1 imports surveys.services._questions",
        "<module>:5 reads cooperatives.importing._registry_rows",
        "<module>:5 reads indicators.aggregation._figures",
    ]
    assert private_uses(source.replace("surveys.services", "exports.services"), app="exports") == [
        "<module>:5 reads cooperatives.importing._registry_rows",
        "<module>:5 reads indicators.aggregation._figures",
    ]


def test_no_app_uses_another_apps_private_names():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found += private_uses(path.read_text(encoding="utf-8"), app, str(path.relative_to(ROOT)))
    assert found == []
