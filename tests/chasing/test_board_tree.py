"""The board of a large tree (chasing.board_tree): the first page shows the
board's unit and its direct subordinates with their subtrees' counts, a row
opens on demand, filters are a page from the database, the poll sends only
what changed (304 when nothing did); the same queries at 200 and 2,500 units."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from chasing import board_tree
from orgunits.models import Membership, OrgUnit, Role
from reports.models import Report, ReportStatus
from tests.factories import MembershipFactory, build_province, publish_plan

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def url(plan, name="board", *args, query=""):
    address = reverse(f"chasing:{name}", args=[plan.pk, *args])
    return f"{address}?{query}" if query else address


def coordinator_of(unit):
    return Membership.objects.filter(unit=unit, role=Role.COORDINATOR).first().user


def board_of(levels, today, communes, prefix=""):
    """A province of 10 districts and ``communes`` communes under a published
    plan; C0 submitted late, C1 on time, the others untouched (overdue)."""
    province = build_province(levels, communes=communes, prefix=prefix)
    plan = publish_plan(province, grassroots_due=today - DAY)
    now = timezone.now()
    Report.objects.filter(plan=plan, unit__code=f"{prefix}C0").update(
        status=ReportStatus.SUBMITTED, submitted_at=now
    )
    Report.objects.filter(plan=plan, unit__code=f"{prefix}C1").update(
        status=ReportStatus.SUBMITTED, submitted_at=now - 5 * DAY
    )
    return province, plan


def pieces(plan, prefix=""):
    return {
        "first page": url(plan),
        "subtree": url(plan, "board_children", f"{prefix}D0"),
        "filtered": url(plan, query="level=co-so&timeliness=overdue&page=2"),
        "poll": url(plan, "board_rows", query=urlencode({"since": timezone.now().isoformat()})),
    }


def test_every_piece_runs_the_same_queries_at_200_and_2500_units(
    client, levels, today, django_assert_max_num_queries, django_assert_num_queries
):
    small, plan = board_of(levels, today, 189)
    assert Report.objects.filter(plan=plan).count() == 200
    client.force_login(coordinator_of(small))
    counts = {}
    for name, address in pieces(plan).items():
        with django_assert_max_num_queries(25, info=name) as captured:
            assert client.get(address, HTTP_HX_REQUEST="true").status_code == 200, name
        counts[name] = len(captured)

    large, plan = board_of(levels, today, 2489, prefix="L")
    assert Report.objects.filter(plan=plan).count() == 2500
    client.force_login(coordinator_of(large))
    for name, address in pieces(plan, "L").items():
        with django_assert_num_queries(counts[name], info=name):
            assert client.get(address, HTTP_HX_REQUEST="true").status_code == 200, name

    page = client.get(url(plan))
    assert len(page.content) < 150 * 1024
    rows = page.context["rows"]
    assert [row.unit.code for row in rows] == ["LP"] + [f"LD{d}" for d in range(10)]
    d0 = rows[1].subtree  # LD0 (not due yet) and its 249 communes, LC0 among them
    assert (d0.total, d0.done, d0.late, d0.overdue) == (250, 1, 1, 248)
    assert [s.total for s in page.context["summaries"]] == [1, 10, 2489]


def test_a_row_opens_its_units_and_without_javascript_the_same_page_shows_them(
    client, levels, today
):
    province, plan = board_of(levels, today, 400)
    client.force_login(coordinator_of(province))
    fragment = client.get(url(plan, "board_children", "D1"), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html
    assert html.count('data-testid="board-row"') == 40
    assert [r.unit.code for r in fragment.context["rows"]][:2] == ["C1", "C11"]
    page = client.get(url(plan, "board_children", "D1"))
    assert "<html" in page.content.decode()
    assert len(page.context["rows"]) == 40
    assert 'data-testid="board-under"' in page.content.decode()
    first = client.get(url(plan)).content.decode()
    assert f'href="{url(plan, "board_children", "D1")}"' in first


def test_filters_are_a_page_of_flat_rows_naming_their_parent(client, levels, today):
    province, plan = board_of(levels, today, 400)
    client.force_login(coordinator_of(province))
    response = client.get(url(plan, query="level=co-so&timeliness=overdue"))
    rows = response.context["rows"]
    assert response.context["matched"] == 398
    assert response.context["pages"] == 8
    assert len(rows) == board_tree.PAGE_SIZE
    assert {row.parent_name for row in rows} <= {f"Huyện ủy {d}" for d in range(10)}
    assert all(row.timeliness == "overdue" for row in rows)
    late = client.get(url(plan, query="timeliness=late")).context["rows"]
    assert [row.unit.code for row in late] == ["C0"]
    named = client.get(url(plan, query="q=xã 39")).context["rows"]
    assert {row.unit.code for row in named} == {"C39", *(f"C39{n}" for n in range(10))}
    last = client.get(url(plan, query="level=co-so&timeliness=overdue&page=99"))
    assert last.context["page"] == 8
    assert len(last.context["rows"]) == 398 - 7 * 50


def test_the_poll_answers_304_until_a_report_changes_then_sends_that_row(client, levels, today):
    province, plan = board_of(levels, today, 400)
    client.force_login(coordinator_of(province))
    page = client.get(url(plan))
    poll = url(plan, "board_rows", query=urlencode({"since": page.context["since"]}))
    first = client.get(poll, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert first.context["rows"] == []
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get(poll, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""

    report = Report.objects.get(plan=plan, unit__code="C5")
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save()
    changed = client.get(poll, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    html = changed.content.decode()
    assert [row.unit.code for row in changed.context["rows"]] == ["D5", "C5"]  # and its district
    assert html.count('data-testid="board-row"') == 2
    assert f'id="board-row-{report.pk}" hx-swap-oob="true"' in html
    assert 'id="board-since"' in html
    district = changed.context["rows"][0].subtree
    assert (district.total, district.done) == (41, 1)


def test_a_commune_never_sees_a_sibling(client, levels, today):
    province, plan = board_of(levels, today, 400)
    commune = OrgUnit.objects.get(code="C7")
    user = MembershipFactory(unit=commune, role=Role.REPORTER).user
    client.force_login(user)
    page = client.get(url(plan))
    assert [row.unit.code for row in page.context["rows"]] == ["C7"]
    assert [s.total for s in page.context["summaries"]] == [1]
    assert client.get(url(plan, "board_children", "C17")).status_code == 404
    assert client.get(url(plan, "board_children", "D7")).status_code == 404
    found = client.get(url(plan, query="q=xã")).context["rows"]
    assert [row.unit.code for row in found] == ["C7"]
    district = MembershipFactory(unit=OrgUnit.objects.get(code="D7"), role=Role.COORDINATOR).user
    client.force_login(district)
    codes = {r.unit.code for r in client.get(url(plan)).context["rows"]}
    assert len(codes) == 41
    assert all(code.endswith("7") for code in codes)
