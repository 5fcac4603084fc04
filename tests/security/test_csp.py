"""Content-Security-Policy without inline scripts (issue #16, item 6).

The policy (config/settings/base.py) allows scripts from our static files
only: every template is read here for an inline <script> (one without src,
other than data in type="application/json") or an on…= handler attribute,
so that no new template can bring one back.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "node_modules", "staticfiles", "bench", ".git", "var"}
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE | re.DOTALL)
DATA_TYPES = re.compile(r"""type\s*=\s*["']?application/(ld\+)?json""", re.IGNORECASE)


def templates() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.html"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP or "tests" in parts or "vendor" in parts:
            continue
        found.append(path)
    return sorted(found)


def inline_code(text: str) -> list[str]:
    problems = []
    for match in SCRIPT.finditer(text):
        attrs = match.group("attrs")
        if not re.search(r"\bsrc\s*=", attrs, re.IGNORECASE) and not DATA_TYPES.search(attrs):
            problems.append(f"inline <script{attrs}>")
    problems += [f"{m.group(1)}= handler" for m in HANDLER.finditer(text)]
    return problems


def test_there_are_templates_to_read():
    names = {path.name for path in templates()}
    assert {"base.html", "login.html", "plan_detail.html", "meeting.html"} <= names


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("<script>alert(1)</script>", True),
        ('<script type="text/javascript">x()</script>', True),
        ('<button onclick="return confirm(1)">', True),
        ("<form method=post\n  onsubmit='x()'>", True),
        ('<a href="#" ONMOUSEOVER="x()">', True),
        ('<script src="/static/js/confirm.js" defer></script>', False),
        ('<script id="d" type="application/json">{"a": 1}</script>', False),
        ('<button data-confirm="Xóa?" data-online="1">', False),
        ("<p>Ghi chú: onclick= là thuộc tính</p>", False),
    ],
)
def test_the_reader_finds_inline_code(text, found):
    assert bool(inline_code(text)) is found


def test_no_template_has_inline_script_or_handlers():
    problems = {
        str(path.relative_to(ROOT)): inline_code(path.read_text(encoding="utf-8"))
        for path in templates()
    }
    assert {name: found for name, found in problems.items() if found} == {}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["login", "home"])
def test_pages_carry_a_policy_without_inline_scripts(client, url):
    if url == "home":
        client.force_login(UserFactory())
    response = client.get(reverse(url))
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert "default-src" in directives


@pytest.mark.django_db
def test_the_admin_carries_the_policy_too(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"))
    assert "'unsafe-inline'" not in policy(response)["script-src"]
