"""The golden documents: today's renders against the pages kept in tests/golden.

Each document of ``tests/golden/documents.py`` is built and rendered once per
test run (the first test process to get there does it; under xdist the other
waits for it and reads its results), the DOCX files are turned into PDF by one
LibreOffice call, and every page is measured (``harness.py``). Each format of
each document is then held to its golden file, ``data/<name>.json``:

- the same number of pages;
- the same words in the whole document, each as often: no tolerance, any
  word changed, added or dropped fails (counted, not ordered, since where two
  columns share a line — header, signature — the reading order may vary);
- the text of every page alike to at least TEXT_SIMILARITY, word by word
  after whitespace is normalised. Not strict equality: the DOCX pages come
  from whatever LibreOffice and fonts the machine has, and a minor version may
  move one line over a page break (one line of a 400-word page is ~0.985).
  More than that (a paragraph moving to another page) fails;
- the filled height of every page within FILL_TOLERANCE of the page (±4 %,
  about a line and a half), the same allowance in height.

And to the invariants of the output, golden or not: no DOCX page filled less
than 60 % unless it ends a section (the body before an annex, an annex, the
document); no month 03–09 padded; no document symbol broken across lines.

A failure names the document, the format, the page and what differs; after a
change that is meant, run ``make golden``, look at the page images and commit
them.
"""

from __future__ import annotations

import fcntl

import pytest

from . import checks, harness
from .documents import DOCUMENTS

TEXT_SIMILARITY = 0.98
FILL_TOLERANCE = 0.04
MIN_FILLED = 0.60
FORMATS = ("pdf", "docx")
LABEL = {"pdf": "PDF", "docx": "DOCX (converted by LibreOffice)"}

# Invariants that today's documents break for reasons other helpers are
# fixing; each is an expected failure inside its own check only. The test
# fails once the document keeps the invariant: remove the entry then.
# Invariants a golden document is known to break, with the reason: each entry
# makes that check an expected failure, and fails once the document keeps it.
KNOWN: dict[tuple[str, str, str], str] = {}

# The results are built in the session's test database, which pytest-django
# only sets up when a collected test asks for it.
pytestmark = pytest.mark.django_db

CASES = [(name, fmt) for name in DOCUMENTS for fmt in FORMATS]


def _regenerate(name: str) -> str:
    command = harness.REGENERATE.format(names=name)
    return f"If the change is meant: {command}, look at the pages, commit."


@pytest.fixture(scope="session")
def results(django_db_setup, django_db_blocker, tmp_path_factory, testrun_uid, worker_id):
    """Every golden document rendered and measured, once per test run: under
    xdist in the run's common temporary folder, the first worker doing it."""
    base = tmp_path_factory.getbasetemp()
    shared = (base if worker_id == "master" else base.parent) / f"golden-{testrun_uid}"
    shared.mkdir(exist_ok=True)
    done = shared / "results.json"
    failed = shared / "failed.txt"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists() and not failed.exists():
            try:
                with django_db_blocker.unblock():
                    measured = harness.run(list(DOCUMENTS), shared)
            except harness.GoldenError as error:
                failed.write_text(str(error), encoding="utf-8")
            else:
                harness.save_results(measured, done)
    if failed.exists():
        return failed.read_text(encoding="utf-8")
    return harness.load_results(done)


def _result(results, name: str) -> harness.Result:
    """``name``'s measures; a run that could not measure fails every test that
    needs them (inside the test, not as a setup error), never skips them."""
    if isinstance(results, str):
        pytest.fail(results, pytrace=False)
    return results[name]


def _golden(name: str, fmt: str) -> dict:
    golden = harness.load_golden(name)
    if golden is None:
        pytest.fail(f"{name}: no golden file {harness.golden_path(name)}. {_regenerate(name)}")
    return golden[fmt]


def _where(name: str, fmt: str) -> str:
    return f"{name}, {LABEL[fmt]}"


def _known(name: str, fmt: str, check: str, problems: list) -> None:
    """Fail on ``problems``, or expect them if the invariant is a known failure."""
    reason = KNOWN.get((name, fmt, check))
    if reason and problems:
        pytest.xfail(reason)
    if reason:
        pytest.fail(
            f"{_where(name, fmt)} keeps the {check} invariant now: "
            f"remove {(name, fmt, check)} from KNOWN in {__file__}."
        )


# ------------------------------------------------------------ against the golden


def test_every_document_has_its_golden_pages():
    for name in DOCUMENTS:
        golden = harness.load_golden(name)
        assert golden is not None, f"{name}: no golden file. {_regenerate(name)}"
        for fmt in FORMATS:
            images = sorted((harness.PAGES_DIR / name).glob(f"{fmt}-*.png"))
            assert len(images) == golden[fmt]["pages"], (
                f"{_where(name, fmt)}: {len(images)} page images for {golden[fmt]['pages']} "
                f"pages in the golden file. {_regenerate(name)}"
            )


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_page_count(results, name, fmt):
    current = getattr(_result(results, name), fmt).golden()
    problem = checks.page_count_problem(_golden(name, fmt), current)
    assert not problem, f"{_where(name, fmt)}: {problem}\n{_regenerate(name)}"


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_page_text(results, name, fmt):
    current = getattr(_result(results, name), fmt).golden()
    problems = checks.text_problems(_golden(name, fmt), current, TEXT_SIMILARITY)
    assert not problems, f"{_where(name, fmt)}:\n" + "\n".join(problems) + f"\n{_regenerate(name)}"


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_document_words(results, name, fmt):
    current = getattr(_result(results, name), fmt).golden()
    problem = checks.word_changes(_golden(name, fmt), current)
    assert not problem, f"{_where(name, fmt)}: {problem}\n{_regenerate(name)}"


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_filled_height(results, name, fmt):
    current = getattr(_result(results, name), fmt).golden()
    problems = checks.fill_problems(_golden(name, fmt), current, FILL_TOLERANCE)
    assert not problems, f"{_where(name, fmt)}:\n" + "\n".join(problems) + f"\n{_regenerate(name)}"


# ------------------------------------------------------------ invariants


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_docx_pages_are_filled_unless_they_end_a_section(results, name):
    measured = _result(results, name).docx
    problems = checks.underfilled(
        [page.filled for page in measured.pages], measured.section_ends, MIN_FILLED
    )
    _known(name, "docx", "filled", problems)
    assert not problems, (
        f"{_where(name, 'docx')}: "
        + "; ".join(f"page {n} is {round(100 * share)}% filled" for n, share in problems)
        + f" (at least {round(100 * MIN_FILLED)}% unless the page ends a section; "
        f"sections end on pages {measured.section_ends})"
    )


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_no_month_is_padded(results, name, fmt):
    problems = [
        f"page {number}: {', '.join(found)}"
        for number, page in enumerate(getattr(_result(results, name), fmt).pages, start=1)
        if (found := checks.padded_months(page.text))
    ]
    _known(name, fmt, "months", problems)
    assert not problems, f"{_where(name, fmt)}: months 3–9 are not padded: " + "; ".join(problems)


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_no_symbol_is_split_across_lines(results, name, fmt):
    problems = [
        f"page {number}: {split}"
        for number, page in enumerate(getattr(_result(results, name), fmt).pages, start=1)
        for split in checks.split_symbols(page.lines)
    ]
    _known(name, fmt, "symbols", problems)
    assert not problems, f"{_where(name, fmt)}: symbols broken across lines: " + "; ".join(problems)


def test_the_shared_results_are_the_documents(results):
    """What the session measured is every golden document, both formats."""
    for result in [_result(results, name) for name in DOCUMENTS]:
        assert result.pdf.pages
        assert result.docx.pages
