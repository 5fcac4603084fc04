"""The apps' layers, checked over the source: a lower app never imports a higher one.

Every import in an app's modules counts, inside functions too (an inline import
is still a dependency). Migrations are left out: they name models by string.
ARCHITECTURE.md draws the same layers.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each app with the apps it may import. Anything not listed is forbidden.
LAYERS: dict[str, set[str]] = {
    "documents": set(),
    "orgunits": {"documents"},
    "notifications": {"documents", "orgunits"},
    "campaigns": {"documents", "orgunits", "notifications"},
    "reports": {"documents", "orgunits", "notifications", "campaigns"},
    "chasing": {"documents", "orgunits", "notifications", "campaigns", "reports"},
    "consolidation": {"documents", "orgunits", "notifications", "campaigns", "reports"},
    "dialogues": {"documents", "orgunits", "notifications", "campaigns", "reports", "chasing"},
    "conferences": {
        "documents",
        "orgunits",
        "notifications",
        "campaigns",
        "reports",
        "chasing",
        "consolidation",
    },
    "people": {"documents", "orgunits", "notifications"},
    # The top: may read every app; nothing imports it.
    "registers": {
        "documents",
        "orgunits",
        "notifications",
        "campaigns",
        "reports",
        "chasing",
        "consolidation",
        "dialogues",
        "conferences",
    },
}
APPS = set(LAYERS)


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".", 1)[0] for name in names} & APPS


def app_imports(app: str) -> dict[str, set[Path]]:
    """Apps imported by ``app`` (itself excluded), with the files that import each."""
    found: dict[str, set[Path]] = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for other in imported_apps(path) - {app}:
            found.setdefault(other, set()).add(path.relative_to(ROOT))
    return found


def test_every_app_of_the_project_has_a_layer():
    apps_on_disk = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps_on_disk == APPS


@pytest.mark.parametrize("app", sorted(LAYERS))
def test_an_app_imports_only_the_apps_below_it(app):
    forbidden = {
        other: sorted(map(str, files))
        for other, files in app_imports(app).items()
        if other not in LAYERS[app]
    }
    assert forbidden == {}


def test_the_layers_have_no_cycle():
    # The table itself must be a partial order, or the test above proves nothing.
    seen: set[str] = set()
    done: set[str] = set()

    def visit(app: str, trail: tuple[str, ...]) -> None:
        assert app not in seen - done, f"cycle: {' → '.join((*trail, app))}"
        if app in done:
            return
        seen.add(app)
        for lower in LAYERS[app]:
            visit(lower, (*trail, app))
        done.add(app)

    for app in LAYERS:
        visit(app, ())


def test_it_notices_an_import_added_back(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from reports.models import Report\n", encoding="utf-8")
    assert imported_apps(module) == {"reports"}
