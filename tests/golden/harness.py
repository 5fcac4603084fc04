"""Render the golden documents, turn them into pages and measure the pages.

PDF: the app's own PDF. DOCX: the app's DOCX converted to PDF by LibreOffice
(``soffice --headless --convert-to pdf``, one call for every file). Both are
then read with poppler: ``pdftotext -layout`` for the text of each page (one
call, pages split at the form feeds it writes between pages, which is what
``-f N -l N`` page by page gives) and ``pdftotext -bbox-layout`` for the boxes
of the text lines.

Measured per page: the text with whitespace normalised, the filled height
(bottom of the lowest text line below the top margin, over the height between
the margins), the page size, and which pages end a section (the page before
an annex begins, and the last page).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import translation
from PIL import Image

from documents.content import OfficialDocument
from documents.rendering import DOCX, PDF, render

from .documents import DOCUMENTS

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"
PAGES_DIR = HERE / "pages"

MM = 72 / 25.4  # PDF points per millimetre
# The page margins of both renderers (static/css/document.css @page and
# documents/docx.py MARGINS): 20 mm at the top and at the bottom.
TOP_MARGIN = 20 * MM
BOTTOM_MARGIN = 20 * MM
SOFFICE_TIMEOUT = 240  # seconds for one soffice call converting every DOCX
PNG_RESOLUTION = 40  # dpi of the committed page images
REGENERATE = "make golden   (or: .venv/bin/python -m tests.golden.regenerate {names})"


class GoldenError(RuntimeError):
    """The harness cannot do its work (a tool is missing, a conversion failed)."""


class _Rollback(Exception):
    pass


# ------------------------------------------------------------ building


@dataclass
class Rendered:
    name: str
    pdf: bytes
    docx: bytes
    annex_titles: list[str]
    pdf_ms: float
    docx_ms: float


def build(name: str) -> Rendered:
    """Build ``name`` from the app's code in a transaction rolled back afterwards,
    and render it as PDF and DOCX, timing each render."""
    rendered = None
    try:
        with transaction.atomic():
            doc: OfficialDocument = DOCUMENTS[name]()
            started = time.perf_counter()
            pdf = render(doc, PDF)
            pdf_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            docx = render(doc, DOCX)
            docx_ms = (time.perf_counter() - started) * 1000
            titles = [annex.title.splitlines()[0].strip() for annex in doc.annexes]
            rendered = Rendered(name, pdf, docx, titles, pdf_ms, docx_ms)
            raise _Rollback
    except _Rollback:
        pass
    return rendered


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        package = "libreoffice-writer-nogui" if name == "soffice" else "poppler-utils"
        raise GoldenError(
            f"`{name}` is not on PATH: the golden document checks need it "
            f"(apt-get install {package}; .ci/run installs it)."
        )
    return path


def convert_docx(paths: list[Path], outdir: Path) -> float:
    """Convert every DOCX in ``paths`` to PDF in ``outdir`` with one soffice call;
    the milliseconds it took."""
    soffice = _tool("soffice")
    if not paths:
        return 0.0
    with tempfile.TemporaryDirectory(prefix="lo-golden-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, paths),
        ]
        started = time.perf_counter()
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise GoldenError(
                f"soffice did not convert {len(paths)} DOCX file(s) in {SOFFICE_TIMEOUT} s"
            ) from error
        elapsed = (time.perf_counter() - started) * 1000
    missing = [p.name for p in paths if not (outdir / f"{p.stem}.pdf").exists()]
    if done.returncode != 0 or missing:
        raise GoldenError(
            f"soffice failed to convert {missing or 'the files'} "
            f"(exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
        )
    return elapsed


# ------------------------------------------------------------ measuring


@dataclass
class Page:
    text: str  # whitespace normalised
    filled: float  # share of the height between the margins down to the lowest line
    width: float
    height: float
    lines: list[str] = field(default_factory=list)  # text lines, in reading order


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


_PAGE_RE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE_RE = re.compile(
    r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', re.S
)
_WORD_RE = re.compile(r"<word[^>]*>(.*?)</word>", re.S)


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, check=False, timeout=120)
    if done.returncode != 0:
        raise GoldenError(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')}")
    return done.stdout.decode("utf-8", errors="replace")


def measure(pdf_path: Path) -> list[Page]:
    """The pages of ``pdf_path``, measured."""
    pdftotext = _tool("pdftotext")
    texts = _run([pdftotext, "-layout", "-enc", "UTF-8", str(pdf_path), "-"]).split("\f")
    boxes = _run([pdftotext, "-bbox-layout", "-enc", "UTF-8", str(pdf_path), "-"])
    pages = []
    for number, match in enumerate(_PAGE_RE.finditer(boxes)):
        width, height = float(match.group(1)), float(match.group(2))
        lines, bottom = [], None
        for line in _LINE_RE.finditer(match.group(3)):
            words = [html.unescape(w) for w in _WORD_RE.findall(line.group(3))]
            text = normalise(" ".join(words))
            if not text:
                continue
            lines.append(text)
            y_max = float(line.group(2))
            if y_max > TOP_MARGIN:  # the page number sits in the top margin
                bottom = y_max if bottom is None else max(bottom, y_max)
        body = height - TOP_MARGIN - BOTTOM_MARGIN
        filled = 0.0 if bottom is None else (bottom - TOP_MARGIN) / body
        text = normalise(texts[number]) if number < len(texts) else ""
        pages.append(Page(text, round(filled, 3), round(width, 1), round(height, 1), lines))
    return pages


def section_starts(pages: list[Page], annex_titles: list[str]) -> list[int]:
    """The page numbers (1-based) on which each annex begins: the first page,
    after the previous annex, whose first lines (past a page number) hold the
    annex's title line ("ĐỀ CƯƠNG", "PHỤ LỤC 1"). An annex not found is left
    out: the comparison then fails on the page count or text anyway."""
    starts, after = [], 1
    for title in annex_titles:
        wanted = normalise(title)
        for number in range(after + 1, len(pages) + 1):
            head = [line for line in pages[number - 1].lines if not line.isdigit()][:2]
            if wanted in head:
                starts.append(number)
                after = number
                break
    return starts


def section_ends(page_count: int, starts: list[int]) -> list[int]:
    """The last page of the body before each annex, of each annex, and the last page."""
    return sorted({start - 1 for start in starts if start > 1} | {page_count})


# ------------------------------------------------------------ golden files


@dataclass
class Measured:
    """One format of one document: what the golden file keeps, and timings."""

    pages: list[Page]
    section_starts: list[int]
    render_ms: float = 0.0

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def section_ends(self) -> list[int]:
        return section_ends(self.page_count, self.section_starts)

    def golden(self) -> dict:
        return {
            "pages": self.page_count,
            "section_starts": self.section_starts,
            "page_size": [[p.width, p.height] for p in self.pages],
            "filled": [p.filled for p in self.pages],
            "text": [p.text for p in self.pages],
        }

    def to_json(self) -> dict:
        return {
            "pages": [asdict(p) for p in self.pages],
            "section_starts": self.section_starts,
            "render_ms": self.render_ms,
        }

    @classmethod
    def from_json(cls, data: dict) -> Measured:
        return cls([Page(**p) for p in data["pages"]], data["section_starts"], data["render_ms"])


@dataclass
class Result:
    name: str
    pdf: Measured
    docx: Measured
    conversion_ms: float  # this document's share of the one soffice call


def _check_catalogue() -> None:
    """Some labels reach the documents through gettext (a report's status in
    PHỤ LỤC 1): without the compiled Vietnamese catalogue they would be English."""
    from reports.models import ReportStatus

    with translation.override("vi"):
        if str(ReportStatus.PENDING.label) == "Not started":
            raise GoldenError(
                "The Vietnamese catalogue is not compiled: run "
                "`.venv/bin/python manage.py compile_translations` first (make test does)."
            )


def run(names: list[str], workdir: Path) -> dict[str, Result]:
    """Build, render, convert and measure ``names`` (needs database access);
    the PDF files are left in ``workdir`` as ``<name>.pdf`` and ``<name>.docx.pdf``."""
    _tool("pdftotext")
    _tool("soffice")  # before the slow part: a missing soffice fails at once
    _check_catalogue()
    with translation.override("vi"):
        rendered = [build(name) for name in names]
    docx_dir = workdir / "docx"
    docx_dir.mkdir(parents=True, exist_ok=True)
    docx_paths = []
    for item in rendered:
        (workdir / f"{item.name}.pdf").write_bytes(item.pdf)
        path = docx_dir / f"{item.name}.docx"
        path.write_bytes(item.docx)
        docx_paths.append(path)
    converted_dir = workdir / "converted"
    converted_dir.mkdir(exist_ok=True)
    conversion_ms = convert_docx(docx_paths, converted_dir)
    results = {}
    for item in rendered:
        converted = workdir / f"{item.name}.docx.pdf"
        (converted_dir / f"{item.name}.pdf").replace(converted)
        pdf_pages = measure(workdir / f"{item.name}.pdf")
        docx_pages = measure(converted)
        results[item.name] = Result(
            item.name,
            Measured(pdf_pages, section_starts(pdf_pages, item.annex_titles), item.pdf_ms),
            Measured(docx_pages, section_starts(docx_pages, item.annex_titles), item.docx_ms),
            conversion_ms / len(rendered),
        )
    return results


def save_results(results: dict[str, Result], path: Path) -> None:
    data = {
        name: {
            "pdf": r.pdf.to_json(),
            "docx": r.docx.to_json(),
            "conversion_ms": r.conversion_ms,
        }
        for name, r in results.items()
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_results(path: Path) -> dict[str, Result]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: Result(
            name,
            Measured.from_json(d["pdf"]),
            Measured.from_json(d["docx"]),
            d["conversion_ms"],
        )
        for name, d in data.items()
    }


def golden_path(name: str) -> Path:
    return DATA_DIR / f"{name}.json"


def load_golden(name: str) -> dict | None:
    path = golden_path(name)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def write_golden(result: Result, workdir: Path) -> None:
    """The golden data of one document and a PNG of every page (PDF and DOCX)."""
    DATA_DIR.mkdir(exist_ok=True)
    data = {"document": result.name, "pdf": result.pdf.golden(), "docx": result.docx.golden()}
    golden_path(result.name).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    pages = PAGES_DIR / result.name
    if pages.exists():
        shutil.rmtree(pages)
    pages.mkdir(parents=True)
    pdftoppm = _tool("pdftoppm")
    for fmt, source in (("pdf", f"{result.name}.pdf"), ("docx", f"{result.name}.docx.pdf")):
        command = [pdftoppm, "-r", str(PNG_RESOLUTION), "-gray", "-png"]
        subprocess.run([*command, str(workdir / source), str(pages / fmt)], check=True, timeout=120)
    for png in pages.glob("*.png"):
        # 16 grey levels: still legible at 40 dpi, a third of the bytes.
        Image.open(png).quantize(16).save(png, optimize=True)
