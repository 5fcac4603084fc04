"""The documents layer is the only one that renders (the layers themselves:
tests/test_architecture.py)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOMAIN_APPS = {"campaigns", "reports", "consolidation", "dialogues", "chasing", "notifications"}
APPS = sorted(DOMAIN_APPS | {"documents", "orgunits", "config", "bench"})


def sources(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def importers(top: str) -> set[str]:
    """The app modules (outside migrations) that import ``top`` or a module of it."""
    return {
        str(path.relative_to(ROOT))
        for path in sources(*APPS)
        if "migrations" not in path.parts
        and any(module.split(".")[0] == top for module in imported_modules(path))
    }


def test_only_the_documents_layer_renders_pdf_and_docx():
    # chunked_pdf reads WeasyPrint's layout (where pages start) and its line breaking.
    assert importers("weasyprint") <= {
        "documents/pdf.py",
        "documents/checks.py",
        "documents/chunked_pdf.py",
    }
    assert importers("docx") == {"documents/docx.py"}


def test_one_place_makes_the_content_disposition_header():
    assert [
        str(path.relative_to(ROOT))
        for path in sources(*APPS)
        if "Content-Disposition" in path.read_text(encoding="utf-8")
    ] == ["documents/responses.py"]  # through FileResponse


def test_dialogues_takes_nothing_from_reports_but_registers_its_figures():
    # dialogues/apps.py gives reports.registry the figures of its records.
    assert importers("reports") & {str(p.relative_to(ROOT)) for p in sources("dialogues")} == {
        "dialogues/apps.py"
    }
