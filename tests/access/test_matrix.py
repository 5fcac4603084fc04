"""The access matrix, generated from the URLconf.

Every URL pattern of the project has a row in ``MATRIX`` (the test fails when
one has none): who may GET it and who may POST to it, among the users of
``world.USERS`` — the units' own roles, the district above, the province, a
sibling commune, the party cell below, another district and another
province, and no session at all. Each row runs against the world for every
user, GET and POST (each request rolled back): a user outside the row's set
gets 403, 404 (or 405 for a method the URL does not take), an anonymous one
the login page (public pages aside), a user inside it a page, a download or
a redirect — never a 5xx. A page or an export (HTML, XLSX, CSV) that opens
must not name a unit outside the user's scope (their subtree and the units
above it).

The API (``api:…``, ``token()`` rows) reads no session: every user of the
world, signed in or not, gets 401 (JSON) for GET and POST alike; what a
token sees is checked against these rows by ``tests/api/test_token_matrix.py``
(a client per user, with that user's memberships as its scopes). Its schema
and docs are public.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from tests.access.args import ARGS, QUERIES
from tests.access.urls import patterns
from tests.access.world import NAMES, USERS, build_world

pytestmark = pytest.mark.django_db

LOGGED_IN = frozenset(key for key in USERS if key != "anon")
EVERYONE = frozenset(USERS)


def only(*keys: str) -> frozenset[str]:
    unknown = set(keys) - set(USERS)
    assert not unknown, unknown
    return frozenset(keys)


# Who reaches a unit: its own users and those above it.
REACH_C1 = only(
    "p_coord",
    "p_viewer",
    "d1_coord",
    "d1_reporter",
    "c_coord",
    "c_reporter",
    "c_approver",
    "c_viewer",
)
REACH_D1 = only("p_coord", "p_viewer", "d1_coord", "d1_reporter")
IN_P = LOGGED_IN - {"q_coord"}  # every user of the plan's province
COORDINATORS = only("p_coord", "d1_coord", "c_coord", "d2_coord", "q_coord")
C1_COORDINATORS = only("p_coord", "d1_coord", "c_coord")
C1_WRITERS = only("c_coord", "c_reporter", "c_approver")
ABOVE_C1 = only("p_coord", "d1_coord")  # reviewers of the commune's report
D1_WRITERS = only("d1_coord", "d1_reporter")
PLAN_MANAGERS = only("p_coord")
NOBODY = frozenset()


@dataclass(frozen=True)
class Row:
    get: frozenset[str] | None  # None: the URL takes POST only
    post: frozenset[str] | None = None  # None: as GET (a page that answers POST like GET)
    public: bool = False  # open to anonymous users too
    token: bool = False  # the API: a bearer token, never a session (401 to all here)


def page(who: frozenset[str], post: frozenset[str] | None = None) -> Row:
    return Row(get=who, post=post)


def action(who: frozenset[str]) -> Row:
    return Row(get=None, post=who)


def token() -> Row:
    return Row(get=NOBODY, post=NOBODY, token=True)


MATRIX: dict[str, Row] = {
    "home": page(LOGGED_IN),
    "orgunits:tree": page(LOGGED_IN),
    "orgunits:search": page(LOGGED_IN, post=NOBODY),
    "orgunits:pick": page(LOGGED_IN, post=NOBODY),
    "orgunits:import": page(COORDINATORS),
    "orgunits:export": page(LOGGED_IN, post=NOBODY),
    "orgunits:detail": page(REACH_C1),
    "orgunits:children": page(REACH_C1, post=NOBODY),
    "orgunits:bodies": page(C1_COORDINATORS, post=NOBODY),
    "orgunits:body_add": page(C1_COORDINATORS),
    "orgunits:body_edit": page(C1_COORDINATORS),
    "orgunits:body_delete": page(C1_COORDINATORS),
    # The signing certificate of the commune's body: those who manage its bodies.
    "signatures:certificate": page(C1_COORDINATORS),
    "signatures:certificate_remove": action(C1_COORDINATORS),
    "campaigns:list": page(LOGGED_IN),
    "campaigns:create": page(COORDINATORS),
    "campaigns:detail": page(IN_P),
    "campaigns:compose": page(PLAN_MANAGERS),
    "campaigns:publish": action(PLAN_MANAGERS),
    "campaigns:cascade": action(NOBODY),  # the world's districts are not asked to cascade
    "campaigns:participants": page(PLAN_MANAGERS),
    "campaigns:adopt": action(PLAN_MANAGERS),
    "campaigns:lock": action(PLAN_MANAGERS),
    "campaigns:close": action(PLAN_MANAGERS),
    "campaigns:delete": action(PLAN_MANAGERS),
    "campaigns:pdf": page(IN_P),
    "campaigns:docx": page(IN_P),
    "campaigns:print": page(IN_P),
    # A draft's outline: the issuing unit's users read it, its coordinators edit it.
    "campaigns:outline_editor": page(only("p_coord", "p_viewer"), post=NOBODY),
    "campaigns:outline_add": action(PLAN_MANAGERS),
    "campaigns:outline_edit": page(PLAN_MANAGERS),
    "campaigns:outline_delete": action(PLAN_MANAGERS),
    "campaigns:outline_move": action(PLAN_MANAGERS),
    "campaigns:outline_renumber": action(PLAN_MANAGERS),
    "campaigns:outline_paste": page(PLAN_MANAGERS),
    "reports:inbox": page(LOGGED_IN),
    "reports:detail": page(REACH_C1),
    "reports:item": action(C1_WRITERS),
    "reports:document_info": action(C1_WRITERS),
    "reports:submit": action(only("c_approver")),
    "reports:ask_approval": action(C1_WRITERS),
    "reports:return": action(ABOVE_C1),
    "reports:accept": action(ABOVE_C1),
    "reports:reopen": action(ABOVE_C1),
    "reports:history": page(REACH_C1),
    "reports:pdf": page(REACH_C1),
    "reports:docx": page(REACH_C1),
    "reports:tables_xlsx": page(REACH_C1),
    "reports:print": page(REACH_C1),
    "reports:attachment_list": page(REACH_C1, post=NOBODY),
    "reports:attachment_upload": action(C1_WRITERS),
    "reports:attachment_delete": action(C1_WRITERS),
    "reports:attachment_download": page(REACH_C1, post=NOBODY),
    "notifications:list": page(LOGGED_IN),
    "notifications:open": action(only("c_reporter")),  # the notification's own reader
    "notifications:read_all": action(LOGGED_IN),
    "notifications:preferences": page(LOGGED_IN),
    # P's conference on its plan, D1C1 invited: the commune's own people reply
    # and send its speech in; the levels between see it; its sibling sees nothing.
    "conferences:create": page(PLAN_MANAGERS),
    "conferences:detail": page(REACH_C1),
    "conferences:edit": page(PLAN_MANAGERS),
    "conferences:invite": action(PLAN_MANAGERS),
    "conferences:reply": action(C1_WRITERS),
    "conferences:cancel": action(PLAN_MANAGERS),
    "conferences:speech_assign": action(PLAN_MANAGERS),
    "conferences:speech": page(REACH_C1, post=C1_WRITERS),
    "conferences:speech_file": page(REACH_C1, post=NOBODY),
    "conferences:record": page(PLAN_MANAGERS),
    "conferences:notice_issue": action(PLAN_MANAGERS),
    "conferences:notice_pdf": page(REACH_C1, post=NOBODY),
    "conferences:notice_docx": page(REACH_C1, post=NOBODY),
    "dialogues:calendar": page(LOGGED_IN),
    "dialogues:plan_create": page(COORDINATORS),
    "dialogues:plan_edit": page(only("p_coord", "d1_coord")),
    "dialogues:meeting": page(REACH_C1),
    "dialogues:meeting_record": page(only("p_coord", "d1_coord")),
    "dialogues:meeting_opinions": action(only("p_coord", "d1_coord", "d1_reporter", *C1_WRITERS)),
    "dialogues:meeting_cancel": action(only("p_coord", "d1_coord")),
    "dialogues:meeting_notice": action(only("p_coord", "d1_coord")),
    "dialogues:petition_add": action(only("p_coord", "d1_coord")),
    "dialogues:register": page(LOGGED_IN),
    "dialogues:register_export": page(LOGGED_IN),
    "dialogues:petition": page(
        only("p_coord", "p_viewer", "d1_coord", "d1_reporter", "agency_viewer")
    ),
    "dialogues:petition_assign": action(only("p_coord", "d1_coord")),
    # The agency answers (its working roles; the world's agency has a viewer only).
    "dialogues:petition_progress": action(only("p_coord", "d1_coord", "d1_reporter")),
    "dialogues:petition_answer": action(only("p_coord", "d1_coord", "d1_reporter")),
    "dialogues:petition_close": action(only("p_coord", "d1_coord")),
    "dialogues:petition_print": page(NOBODY),  # printable once answered: 404 before
    "dialogues:plan_pdf": page(REACH_D1),
    "dialogues:plan_docx": page(REACH_D1),
    "dialogues:notice_pdf": page(REACH_C1),
    "dialogues:notice_docx": page(REACH_C1),
    "chasing:board": page(IN_P),
    "chasing:board_rows": page(IN_P),
    "chasing:board_children": page(REACH_D1),  # the district's row on the board
    "chasing:board_export": page(IN_P),
    "chasing:board_export_start": page(IN_P),  # POST: a job of one's own
    # A job's page and file: only the user who asked (who sees the board).
    "chasing:board_export_job": page(only("d1_coord"), post=NOBODY),
    "chasing:board_export_download": page(only("d1_coord"), post=NOBODY),
    "chasing:chase": action(only("p_coord", "d1_coord", "c_coord", "d2_coord")),
    "chasing:policy": page(PLAN_MANAGERS),
    "consolidation:workspace": page(REACH_D1),
    "consolidation:item_texts": page(REACH_D1, post=NOBODY),
    "consolidation:fill_figures": action(D1_WRITERS),
    "consolidation:draft_texts": action(D1_WRITERS),
    "consolidation:builds": page(only("p_coord", "d1_coord"), post=NOBODY),
    "consolidation:build_start": action(only("p_coord", "d1_coord")),
    "consolidation:build_progress": page(only("p_coord", "d1_coord"), post=NOBODY),
    "consolidation:build_download": page(only("p_coord", "d1_coord"), post=NOBODY),
    "consolidation:overview": page(IN_P),
    # The people of a coordinator's subtree; the person is the commune's reporter.
    "people:list": page(COORDINATORS),
    "people:add": page(COORDINATORS),
    "people:import": page(COORDINATORS),
    "people:import_template": page(COORDINATORS, post=NOBODY),
    "people:without_role": page(COORDINATORS),
    "people:units_without_people": page(COORDINATORS),
    "people:detail": page(C1_COORDINATORS),
    "people:edit": page(C1_COORDINATORS),
    "people:role_remove": action(C1_COORDINATORS),
    "people:deactivate": page(C1_COORDINATORS),  # GET: the confirmation
    "people:reactivate": page(C1_COORDINATORS),
    "people:invite": action(C1_COORDINATORS),
    "people:password": action(C1_COORDINATORS),
    "people:set_password": Row(get=EVERYONE, post=EVERYONE, public=True),
    # A report received by e-mail or on paper is recorded by the level above.
    "reports:record_received": page(ABOVE_C1),
    # The commune's registers: read by whoever reaches it, kept by its working roles.
    "registers:index": page(LOGGED_IN),
    "registers:incoming": page(REACH_C1),
    "registers:incoming_new": page(only("c_coord", "c_reporter", "c_approver")),
    "registers:incoming_detail": page(REACH_C1),
    "registers:incoming_file": page(REACH_C1, post=NOBODY),
    "registers:outgoing": page(REACH_C1),
    "registers:plan_file_upload": action(PLAN_MANAGERS),
    "registers:plan_file": page(IN_P, post=NOBODY),
    "registers:plan_file_delete": action(PLAN_MANAGERS),
    "login": Row(get=EVERYONE, post=EVERYONE, public=True),
    "logout": Row(get=None, post=EVERYONE, public=True),
    "password_change": page(LOGGED_IN),
    "password_change_done": page(LOGGED_IN, post=NOBODY),
    "password_reset": Row(get=EVERYONE, post=EVERYONE, public=True),
    "password_reset_done": Row(get=EVERYONE, post=NOBODY, public=True),
    "password_reset_confirm": Row(get=EVERYONE, post=EVERYONE, public=True),
    "password_reset_complete": Row(get=EVERYONE, post=NOBODY, public=True),
    "set_language": Row(get=EVERYONE, post=EVERYONE, public=True),
    # The API for e-office systems: tokens only (see the module's docstring).
    "api:schema": Row(get=EVERYONE, post=NOBODY, public=True),
    "api:docs": Row(get=EVERYONE, post=NOBODY, public=True),
    "api:plan-list": token(),
    "api:plan-detail": token(),
    "api:plan-outline": token(),
    "api:plan-board": token(),
    "api:plan-pdf": token(),
    "api:report-list": token(),
    "api:report-detail": token(),
    "api:report-answers": token(),
    "api:report-submit": token(),
    "api:report-pdf": token(),
    "api:report-builds": token(),
    "api:answer": token(),
    "api:build_file": token(),
}

REFUSED = {403, 404}
NOT_THIS_METHOD = 405


def _texts(response) -> str:
    """What a response shows: the HTML, or the cells of an XLSX, or a CSV."""
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "json" in kind:
        return json.dumps(json.loads(content), ensure_ascii=False)
    if "html" in kind or "csv" in kind or kind.startswith("text/"):
        return content.decode("utf-8", "replace")
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell
        )
    return ""  # PDF, DOCX: their names are checked through the pages that build them


def test_every_url_pattern_has_a_row():
    names = patterns()
    assert sorted(set(names) - set(MATRIX)) == []
    assert sorted(set(MATRIX) - set(names)) == []
    assert sorted(set(names) - set(ARGS)) == []


def expected(row: Row, method: str, user: str) -> str:
    """ "ok", "refused", "login", "method" or "token" for ``user`` asking ``method``."""
    if row.token:
        return "token"
    allowed = row.get if method == "GET" else (row.post if row.post is not None else row.get)
    if method == "GET" and row.get is None:
        return "login" if user == "anon" and not row.public else "method"
    if user == "anon" and not row.public:
        return "login"
    return "ok" if allowed and user in allowed else "refused"


def check(response, outcome: str) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if outcome == "login":
        location = response.get("Location", "")
        return (
            None
            if status == 302 and location.startswith(reverse("login"))
            else f"{status} {location}"
        )
    if outcome == "token":  # the API: no session is a credential
        return None if status == 401 and "json" in response.get("Content-Type", "") else f"{status}"
    if outcome == "method":  # a POST-only URL: refused by method, or by access first
        return None if status == NOT_THIS_METHOD or status in REFUSED else f"{status}, expected 405"
    if outcome == "refused":
        return (
            None
            if status in REFUSED or status == NOT_THIS_METHOD
            else f"{status}, expected 403/404"
        )
    if status in REFUSED:
        return f"{status}, expected to be let in"
    return None


def run_matrix(client, world, users=USERS) -> tuple[list[str], int]:
    problems, rows = [], 0
    for name, row in MATRIX.items():
        url = reverse(name, args=ARGS[name](world)) + QUERIES.get(name, "")
        for user in users:
            client.logout()
            if user != "anon":
                client.force_login(world.users[user])
            for method in ("GET", "POST"):
                rows += 1
                with transaction.atomic():
                    response = client.get(url) if method == "GET" else client.post(url, {})
                    transaction.set_rollback(True)
                outcome = expected(row, method, user)
                problem = check(response, outcome)
                if problem:
                    problems.append(f"{method} {name} as {user}: {problem}")
                elif response.status_code == 200 and user != "anon":
                    allowed = world.scope_names(user)
                    text = _texts(response)
                    leaked = [n for n in NAMES.values() if n not in allowed and n in text]
                    if leaked:
                        problems.append(f"{method} {name} as {user} shows {leaked}")
    return problems, rows


@pytest.fixture
def world(levels, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    return build_world(levels)


@pytest.mark.parametrize("user", list(USERS))
def test_every_user_gets_what_the_matrix_says_and_sees_only_their_units(client, world, user):
    problems, rows = run_matrix(client, world, users=[user])
    assert problems == []
    assert rows == 2 * len(MATRIX)


def test_the_matrix_notices_a_view_that_drops_its_check(client, world, monkeypatch):
    """Every report page and action of D1C1 is opened to everyone who is logged in:
    the matrix must fail on the rows of those who are not let in today."""
    from reports import selectors

    everything = selectors.Report.objects.all
    monkeypatch.setattr(selectors, "reports_visible_to", lambda user: everything())
    monkeypatch.setattr(selectors, "require", lambda *args, **kwargs: None, raising=False)
    problems, _rows = run_matrix(client, world, users=["sib_reporter", "q_coord"])
    assert any("reports:detail as q_coord" in p for p in problems)
    assert any("reports:pdf as sib_reporter" in p for p in problems)
