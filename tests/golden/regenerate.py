"""Rewrite the golden files: ``python -m tests.golden.regenerate [names…]`` (``make golden``).

Builds the named documents (all of them without names) in a throwaway test
database, renders them, converts the DOCX files with LibreOffice, and writes
``tests/golden/data/<name>.json`` and ``tests/golden/pages/<name>/*.png``.
Then prints, per document, the pages and the render times. Look at every
page image before committing them: they become what the tests hold the
documents to.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def _table(results) -> str:
    header = ("document", "PDF pages", "PDF ms", "DOCX pages", "DOCX ms", "DOCX→PDF ms")
    rows = [
        (
            r.name,
            str(r.pdf.page_count),
            f"{r.pdf.render_ms:.0f}",
            str(r.docx.page_count),
            f"{r.docx.render_ms:.0f}",
            f"{r.conversion_ms:.0f}",
        )
        for r in results.values()
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    rule = "-+-".join("-" * w for w in widths)
    head = " | ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True))
    return "\n".join([head, rule, *lines])


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from . import harness
    from .documents import DOCUMENTS

    names = argv or list(DOCUMENTS)
    unknown = [name for name in names if name not in DOCUMENTS]
    if unknown:
        print(f"Unknown document(s): {', '.join(unknown)}; known: {', '.join(DOCUMENTS)}")
        return 2
    Path("var").mkdir(exist_ok=True)
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with tempfile.TemporaryDirectory(prefix="golden-") as workdir:
            results = harness.run(names, Path(workdir))
            for result in results.values():
                harness.write_golden(result, Path(workdir))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    print(_table(results))
    total = sum(r.conversion_ms for r in results.values())
    print(f"(DOCX→PDF: each document's share of one soffice call of {total:.0f} ms;")
    print(" the first PDF render also loads WeasyPrint's fonts.)")
    for result in results.values():
        for fmt, measured in (("PDF", result.pdf), ("DOCX", result.docx)):
            filled = " ".join(f"{round(100 * p.filled)}%" for p in measured.pages)
            print(f"{result.name} {fmt}: filled {filled}; sections end on {measured.section_ends}")
    print(f"Wrote {harness.DATA_DIR} and {harness.PAGES_DIR}.")
    print("Look at every page image before committing them.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
