"""axe-core, run in a Playwright page: the accessibility rules every page passes.

The script (``vendor/axe.min.js``, axe-core 4.14.1, MPL-2.0, from ``npm pack
axe-core``) is only injected by the tests; the app never serves it.
"""

from collections import Counter
from pathlib import Path

SCRIPT = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")

# The impacts a page may not have.
BLOCKING = ("critical", "serious")

# WCAG 2.1 A and AA and axe's best practices (landmarks, headings, ...).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
    why: v.nodes.map((n) => n.failureSummary),
  }));
}"""


def check(page) -> list[dict]:
    """The violations of the page as it is now: dicts of id, impact, help,
    nodes (their selectors) and why (what each node fails)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate() runs outside the page's Content-Security-Policy.
        page.evaluate(SCRIPT)
    return page.evaluate(RUN, TAGS)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]


def by_impact(violations: list[dict]) -> Counter:
    """How many elements fail, per impact."""
    counts: Counter = Counter()
    for v in violations:
        counts[v["impact"]] += len(v["nodes"])
    return counts
