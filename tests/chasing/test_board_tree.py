"""The board of a large tree (chasing.board_tree): the first page shows the
board's unit and its direct subordinates with their subtrees' counts, a row
opens on demand, filters are a page from the database, the poll sends only
what changed (304 when nothing did); the same queries at 200 and 2,500 units."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from chasing import board_tree
from chasing.models import DeliveryStatus, Reminder, ReminderKind
from notifications import delivery
from orgunits.models import Membership, OrgUnit, Role
from reports.models import Report, ReportStatus
from tests.factories import MembershipFactory, build_flat_province, build_province, publish_plan

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


# --- A unit with hundreds of subordinates opens 50 at a time ------------------------


def codes(response):
    return [row.unit.code for row in response.context["rows"] if not row.more]


def opened(client, plan, code, page=1):
    query = f"page={page}" if page > 1 else ""
    return client.get(url(plan, "board_children", code, query=query), HTTP_HX_REQUEST="true")


def test_a_unit_with_hundreds_of_subordinates_opens_them_a_page_at_a_time(client, levels, today):
    province, plan = build_flat_province(today, 260, districts=1, per_district=120)
    client.force_login(coordinator_of(province))
    page = client.get(url(plan))
    html = page.content.decode()
    # The province, its first 50 subordinates (in path order: the communes, then D0), "more".
    assert codes(page) == ["P"] + [f"C{c}" for c in range(50)]
    assert html.count('data-testid="show-more"') == 1
    more = page.context["rows"][-1]
    assert more.more
    assert more.remaining == 261 - 50  # 260 communes and the district
    assert more.url == url(plan, "board_children", "P") + "?page=2"
    assert "Xem thêm (còn 211 đơn vị)" in html

    second = client.get(more.url, HTTP_HX_REQUEST="true")
    assert "<html" not in second.content.decode()
    assert codes(second) == [f"C{c}" for c in range(50, 100)]
    assert second.context["rows"][-1].url.endswith("?page=3")
    last = opened(client, plan, "P", page=6)
    assert codes(last) == [f"C{c}" for c in range(250, 260)] + ["D0"]
    assert not last.context["rows"][-1].more
    assert 'data-testid="show-more"' not in last.content.decode()
    assert codes(opened(client, plan, "P", page=7)) == []

    # The district's 120 communes: 50, 50, then 20; the "more" row folds with the district.
    district = opened(client, plan, "D0")
    assert codes(district) == [f"D0C{c}" for c in range(50)]
    more = district.context["rows"][-1]
    assert (more.remaining, more.path) == (70, OrgUnit.objects.get(code="D0").path + "+")
    assert f'hx-get="{more.url}"' in district.content.decode()
    assert codes(opened(client, plan, "D0", page=3)) == [f"D0C{c}" for c in range(100, 120)]

    # Without JavaScript the same link is the board showing the next page.
    plain = client.get(url(plan, "board_children", "D0", query="page=2")).content.decode()
    assert "<html" in plain
    assert plain.count('data-testid="board-row"') == 50
    assert f'href="{url(plan, "board_children", "D0")}?page=3"' in plain
    assert 'data-testid="board-under"' in plain


def test_opening_pages_costs_the_same_queries_at_200_and_2500_subordinates(client, levels, today):
    def measure(plan, prefix):
        counts = {}
        for name, address in {
            "first page": url(plan),
            "page 2": url(plan, "board_children", f"{prefix}P", query="page=2"),
            "page 3": url(plan, "board_children", f"{prefix}P", query="page=3"),
        }.items():
            with CaptureQueriesContext(connection) as captured:
                response = client.get(address, HTTP_HX_REQUEST="true")
            assert response.status_code == 200
            assert 'data-testid="show-more"' in response.content.decode(), name
            counts[name] = len(captured)
        return counts

    small, plan = build_flat_province(today, 200)
    client.force_login(coordinator_of(small))
    few = measure(plan, "")
    large, plan = build_flat_province(today, 2500, prefix="L")
    client.force_login(coordinator_of(large))
    assert measure(plan, "L") == few


# --- The poll sends rows whose reminders changed -------------------------------------


def reminder_of(plan, code, **fields):
    report = Report.objects.get(plan=plan, unit__code=code)
    return Reminder.objects.create(
        plan=plan,
        report=report,
        unit=report.unit,
        step=f"due@{report.due_on}",
        kind=ReminderKind.REMINDER,
        due_on=report.due_on,
        days_left=0,
        **fields,
    )


def poll_again(client, plan, since, etag):
    poll = url(plan, "board_rows", query=urlencode({"since": since}))
    return client.get(poll, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=etag)


def settled(client, plan, since) -> str:
    """The ETag of the poll from ``since`` once it has nothing to send (and a 304 for it)."""
    quiet = poll_again(client, plan, since, "")
    assert quiet.context["rows"] == []
    assert poll_again(client, plan, since, quiet["ETag"]).status_code == 304
    return quiet["ETag"]


def test_the_poll_sends_again_a_row_whose_reminder_was_sent_failed_or_is_to_check(
    client, levels, today
):
    province, plan = board_of(levels, today, 400)
    client.force_login(coordinator_of(province))
    sent = reminder_of(plan, "C5")
    failing = reminder_of(plan, "C6")
    interrupted = reminder_of(
        plan,
        "C8",
        status=DeliveryStatus.SENDING,
        interruptions=1,
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    since = client.get(url(plan)).context["since"]
    first = poll_again(client, plan, since, "")
    assert first.context["rows"] == []
    assert poll_again(client, plan, since, first["ETag"]).status_code == 304

    assert delivery.claim(sent.pk, Reminder)
    delivery.mark_sent([sent.pk], Reminder)
    changed = poll_again(client, plan, since, first["ETag"])
    assert changed.status_code == 200
    assert [row.unit.code for row in changed.context["rows"]] == ["D5", "C5"]
    c5 = changed.context["rows"][1]
    assert c5.last_reminder is not None
    assert c5.reminder_text != "—"
    since = changed.context["since"]
    etag = settled(client, plan, since)

    assert delivery.claim(failing.pk, Reminder)
    delivery.release([failing.pk], "refused", final=True, model=Reminder)
    failed = poll_again(client, plan, since, etag)
    assert failed.status_code == 200
    assert [row.unit.code for row in failed.context["rows"]] == ["D6", "C6"]
    html = failed.content.decode()
    assert html.count('data-testid="reminder-failed"') == 1
    assert f'id="board-row-{failing.report_id}" hx-swap-oob="true"' in html
    since = failed.context["since"]
    etag = settled(client, plan, since)

    delivery.recover_interrupted(Reminder, timezone.now())
    assert Reminder.objects.get(pk=interrupted.pk).status == DeliveryStatus.TO_CHECK
    checked = poll_again(client, plan, since, etag)
    assert checked.status_code == 200
    assert [row.unit.code for row in checked.context["rows"]] == ["D8", "C8"]
    assert checked.content.decode().count('data-testid="reminder-to-check"') == 1
    settled(client, plan, checked.context["since"])


def test_the_polls_run_the_same_queries_at_200_and_2500_units(client, levels, today):
    def measure(plan, prefix):
        reminder = reminder_of(plan, f"{prefix}C7")
        counts = {}
        since = client.get(url(plan)).context["since"]
        etag = poll_again(client, plan, since, "")["ETag"]
        with CaptureQueriesContext(connection) as captured:
            assert poll_again(client, plan, since, etag).status_code == 304
        counts["nothing changed"] = len(captured)
        report = Report.objects.get(plan=plan, unit__code=f"{prefix}C5")
        report.status = ReportStatus.DRAFT
        report.save()
        with CaptureQueriesContext(connection) as captured:
            answer = poll_again(client, plan, since, etag)
        assert [row.unit.code for row in answer.context["rows"]] == [f"{prefix}D5", f"{prefix}C5"]
        counts["a report changed"] = len(captured)
        since, etag = answer.context["since"], answer["ETag"]
        delivery.claim(reminder.pk, Reminder)
        delivery.release([reminder.pk], "refused", final=True, model=Reminder)
        with CaptureQueriesContext(connection) as captured:
            answer = poll_again(client, plan, since, etag)
        assert [row.unit.code for row in answer.context["rows"]] == [f"{prefix}D7", f"{prefix}C7"]
        counts["a reminder changed"] = len(captured)
        return counts

    small, plan = board_of(levels, today, 189)
    client.force_login(coordinator_of(small))
    few = measure(plan, "")
    large, plan = board_of(levels, today, 2489, prefix="L")
    client.force_login(coordinator_of(large))
    assert measure(plan, "L") == few
