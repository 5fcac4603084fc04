"""Reports a unit sent by e-mail or on paper, recorded by the level above:
who may, what is checked, how timeliness follows the day it arrived, and
where it shows (board, history, PHỤ LỤC 2)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AnswerType
from chasing import board
from consolidation import documents as consolidated
from consolidation import rollup
from documents.formatting import short_date
from orgunits.models import Role
from reports import services
from reports.models import (
    Attachment,
    AttachmentKind,
    ReceivedVia,
    Report,
    ReportStatus,
    WorkflowError,
)
from tests.factories import MembershipFactory, set_answer_type
from tests.reports.test_attachments import PDF, docx_bytes

pytestmark = pytest.mark.django_db

DUE = datetime.date(2020, 3, 12)  # the communes' deadline in SEED000_DEADLINES
ON_TIME = datetime.date(2020, 3, 10)
LATE = datetime.date(2020, 3, 20)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def figure(published_plan):
    return set_answer_type(published_plan, "1.1.", AnswerType.INTEGER)


def pdf(name="Báo cáo xã D1C1.pdf"):
    return SimpleUploadedFile(name, PDF)


def record(report, by, *, on=ON_TIME, via=ReceivedVia.EMAIL, files=None, **kwargs):
    return services.record_received_report(
        report,
        by=by,
        received_via=via,
        received_on=on,
        files=[pdf()] if files is None else files,
        **kwargs,
    )


def url(report):
    return reverse("reports:record_received", args=[report.pk])


def form_data(**overrides):
    data = {"received_via": ReceivedVia.EMAIL, "received_on": ON_TIME.isoformat(), "note": ""}
    return {**data, **overrides}


def versions(client, report) -> dict:
    """The hidden versions of the figure fields, as the page gives them."""
    forms = client.get(url(report)).context["figure_forms"]
    return {f"{form.prefix}-version": form["version"].value() for form in forms}


# --- The service -------------------------------------------------------------


def test_it_records_the_report_as_submitted_on_the_day_it_arrived(commune_report, people, figure):
    coordinator = people["district_coordinator"]
    record(
        commune_report,
        coordinator,
        files=[pdf(), SimpleUploadedFile("Phụ lục.docx", docx_bytes())],
        note="Từ dangbo.iablang@gmail.com",
        answers=[(figure, {"number": 12})],
    )
    report = Report.objects.get(pk=commune_report.pk)
    assert report.status == ReportStatus.SUBMITTED
    assert report.received_via == ReceivedVia.EMAIL
    assert report.received_note == "Từ dangbo.iablang@gmail.com"
    assert timezone.localtime(report.submitted_at).date() == ON_TIME
    # The start of that day in Vietnam: 17:00 UTC the day before.
    assert report.submitted_at == datetime.datetime(2020, 3, 9, 17, tzinfo=datetime.UTC)
    assert report.submitted_by == coordinator
    assert report.number is None  # the unit numbered its own paper; no app number is taken
    files = list(report.attachments.order_by("pk"))
    assert [(f.original_name, f.kind) for f in files] == [
        ("Báo cáo xã D1C1.pdf", AttachmentKind.SIGNED_SCAN),
        ("Phụ lục.docx", AttachmentKind.ANNEX),
    ]
    assert all(f.uploaded_by == coordinator for f in files)
    answer = report.answers.get(item=figure)
    assert (answer.number, answer.updated_by, answer.version) == (12, coordinator, 1)
    assert answer.history.get().history_user == coordinator
    assert report.history.first().history_user == coordinator


@pytest.mark.parametrize(
    ("received_on", "late", "timeliness"),
    [
        (ON_TIME, False, board.Timeliness.ON_TIME),
        (DUE, False, board.Timeliness.ON_TIME),
        (LATE, True, board.Timeliness.LATE),
    ],
)
def test_timeliness_follows_the_day_it_arrived_not_the_day_it_was_recorded(
    commune_report, people, small_tree, received_on, late, timeliness
):
    record(commune_report, people["district_coordinator"], on=received_on)
    report = Report.objects.get(pk=commune_report.pk)
    assert report.is_late is late
    assert board.timeliness_of(report, timezone.localdate()) == timeliness
    services.accept(report=report, by=people["district_coordinator"])
    counts = rollup.completeness(report.campaign, small_tree["D1"], include_submitted=False)
    assert (counts.direct.on_time, counts.direct.late) == ((0, 1) if late else (1, 0))


def test_a_report_sent_later_through_the_app_is_no_longer_marked_received_outside(
    commune_report, people
):
    record(commune_report, people["district_coordinator"])
    report = Report.objects.get(pk=commune_report.pk)
    services.send_back(
        report=report, by=people["district_coordinator"], overall="Bổ sung.", per_item={}
    )
    report.refresh_from_db()
    services.submit(report=report, rows=[], by=people["approver"])
    report.refresh_from_db()
    assert report.received_via == ReceivedVia.APP
    assert timezone.localdate(report.submitted_at) == timezone.localdate()


@pytest.mark.parametrize("who", ["reporter", "approver", "other_district", "other_commune"])
def test_only_the_level_above_may_record_it(commune_report, people, who):
    with pytest.raises(PermissionDenied):
        record(commune_report, people[who])
    assert Report.objects.get(pk=commune_report.pk).status == ReportStatus.PENDING
    assert not Attachment.objects.exists()


def test_the_province_above_may_record_it_too(commune_report, small_tree):
    province = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    record(commune_report, province, via=ReceivedVia.PAPER)
    assert Report.objects.get(pk=commune_report.pk).received_via == ReceivedVia.PAPER


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"on": timezone.localdate() + datetime.timedelta(days=1)}, WorkflowError),
        ({"on": datetime.date(2020, 2, 24)}, WorkflowError),  # the plan: 25/2/2020
        ({"files": []}, WorkflowError),
        ({"via": ReceivedVia.APP}, WorkflowError),
        ({"files": [SimpleUploadedFile("x.pdf", b"MZ\x90\x00 a program")]}, ValidationError),
    ],
)
def test_it_refuses_what_cannot_be(commune_report, people, tmp_path, kwargs, error):
    with pytest.raises(error):
        record(commune_report, people["district_coordinator"], **kwargs)
    report = Report.objects.get(pk=commune_report.pk)
    assert (report.status, report.submitted_at) == (ReportStatus.PENDING, None)
    assert not Attachment.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_submitted_report_is_not_recorded_again(commune_report, people):
    record(commune_report, people["district_coordinator"])
    with pytest.raises(WorkflowError):
        record(commune_report, people["district_coordinator"], on=LATE)
    assert Attachment.objects.count() == 1


# --- The page ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reporter", "approver", "other_district", "other_commune"])
def test_the_page_is_404_to_anyone_but_the_level_above(client, commune_report, people, who):
    client.force_login(people[who])
    assert client.get(url(commune_report)).status_code == 404
    response = client.post(url(commune_report), {**form_data(), "files": pdf()})
    assert response.status_code == 404
    assert Report.objects.get(pk=commune_report.pk).status == ReportStatus.PENDING


def test_the_report_page_and_the_board_offer_it_to_the_level_above_only(
    client, commune_report, people
):
    client.force_login(people["district_coordinator"])
    page = client.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    assert url(commune_report) in page
    board_page = client.get(reverse("chasing:board", args=[commune_report.plan.pk]))
    assert url(commune_report) in board_page.content.decode()
    client.force_login(people["approver"])
    page = client.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    assert url(commune_report) not in page


def test_the_page_records_the_report_with_its_figures(client, commune_report, people, figure):
    client.force_login(people["district_coordinator"])
    page = client.get(url(commune_report))
    assert page.status_code == 200
    assert "Ghi nhận báo cáo nhận ngoài hệ thống" in page.content.decode()
    assert f'name="item{figure.pk}-number"' in page.content.decode()
    response = client.post(
        url(commune_report),
        {
            **form_data(),
            "files": [pdf()],
            **versions(client, commune_report),
            f"item{figure.pk}-number": "15",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get(pk=commune_report.pk)
    assert report.status == ReportStatus.SUBMITTED
    assert report.answers.get(item=figure).number == 15
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "qua thư điện tử" in detail
    assert short_date(ON_TIME) in detail
    assert 'data-testid="accept-report"' in detail


def test_an_error_keeps_everything_typed_and_the_files_chosen(
    client, commune_report, people, figure
):
    client.force_login(people["district_coordinator"])
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        url(commune_report),
        {
            **form_data(received_on=future, note="Nhận tại bộ phận văn thư", received_via="paper"),
            "files": [pdf("Bản chụp.pdf")],
            **versions(client, commune_report),
            f"item{figure.pk}-number": "15",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "không thể là một ngày trong tương lai" in page
    assert "Nhận tại bộ phận văn thư" in page
    assert 'value="15"' in page
    assert "Bản chụp.pdf" in page
    held = response.context["held"]
    assert [f.name for f in held] == ["Bản chụp.pdf"]
    assert Report.objects.get(pk=commune_report.pk).status == ReportStatus.PENDING

    response = client.post(
        url(commune_report),
        {
            **form_data(note="Nhận tại bộ phận văn thư", received_via="paper"),
            "held": [held[0].token],
            **versions(client, commune_report),
            f"item{figure.pk}-number": "15",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get(pk=commune_report.pk)
    assert report.received_via == ReceivedVia.PAPER
    attachment = report.attachments.get()
    assert attachment.original_name == "Bản chụp.pdf"
    with attachment.file.open("rb") as file:
        assert file.read() == PDF


def test_a_held_file_is_only_for_its_user_and_report(client, commune_report, people, small_tree):
    client.force_login(people["district_coordinator"])
    response = client.post(
        url(commune_report), {**form_data(received_on="2019-01-01"), "files": [pdf()]}
    )
    assert "trước khi kế hoạch được ban hành" in response.content.decode()
    token = response.context["held"][0].token
    other = Report.objects.get(campaign=commune_report.campaign, unit=small_tree["D1C2"])
    response = client.post(url(other), {**form_data(), "held": [token]})
    assert response.status_code == 200  # the token does not carry to another report
    assert "Hãy đính kèm báo cáo đã nhận" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_bad_file_is_named_and_the_good_one_is_kept(client, commune_report, people):
    client.force_login(people["district_coordinator"])
    response = client.post(
        url(commune_report),
        {**form_data(), "files": [pdf(), SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")]},
    )
    assert response.status_code == 200
    assert "virus.pdf" in " ".join(response.context["upload_errors"])
    assert [f.name for f in response.context["held"]] == ["Báo cáo xã D1C1.pdf"]


def test_the_history_shows_who_recorded_it(client, commune_report, people):
    coordinator = people["district_coordinator"]
    coordinator.first_name, coordinator.last_name = "Lan", "Nguyễn Thị"
    coordinator.save()
    record(commune_report, coordinator, on=LATE, note="Bưu điện chuyển đến")
    client.force_login(coordinator)
    page = client.get(reverse("reports:history", args=[commune_report.pk])).content.decode()
    assert "Ghi nhận là báo cáo nhận ngoài hệ thống" in page
    assert f"qua thư điện tử · {short_date(LATE)} · Bưu điện chuyển đến" in page
    assert coordinator.get_full_name() in page


# --- Where it shows ------------------------------------------------------------------


def test_the_board_shows_how_and_when_it_arrived(client, commune_report, people, small_tree):
    record(commune_report, people["district_coordinator"], on=LATE)
    client.force_login(people["district_coordinator"])
    page = client.get(reverse("chasing:board", args=[commune_report.plan.pk])).content.decode()
    assert f"qua thư điện tử {short_date(LATE)}" in page
    rows = board.board_rows(people["district_coordinator"], commune_report.plan)
    row = next(r for r in rows if r.report.pk == commune_report.pk)
    assert (row.received_label, row.timeliness, row.can_record) == (
        "qua thư điện tử",
        board.Timeliness.LATE,
        False,
    )
    others = [r for r in rows if r.report.pk != commune_report.pk]
    assert {r.unit.code: r.can_record for r in others} == {"D1": False, "D1C2": True}


def test_the_board_costs_the_same_with_reports_received_outside(
    client, commune_report, people, small_tree, django_assert_max_num_queries
):
    client.force_login(people["district_coordinator"])
    plan_url = reverse("chasing:board", args=[commune_report.plan.pk])
    client.get(plan_url)
    with django_assert_max_num_queries(30) as before:
        client.get(plan_url)
    record(commune_report, people["district_coordinator"])
    other = Report.objects.get(campaign=commune_report.campaign, unit=small_tree["D1C2"])
    record(other, people["district_coordinator"], via=ReceivedVia.PAPER)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(plan_url)


def test_phu_luc_2_lists_the_reports_received_outside_with_the_day(
    commune_report, people, small_tree
):
    record(commune_report, people["district_coordinator"], on=LATE)
    report = Report.objects.get(pk=commune_report.pk)
    services.accept(report=report, by=people["district_coordinator"])
    other = Report.objects.get(campaign=report.campaign, unit=small_tree["D1C2"])
    record(other, people["district_coordinator"], via=ReceivedVia.PAPER)  # submitted only
    district = Report.objects.get(campaign=report.campaign, unit=small_tree["D1"])
    result = rollup.build(plan=district.plan, unit=district.unit, texts=False)
    annex = consolidated.timeliness_annex(result)
    text = (
        " ".join(annex.notes)
        + " "
        + " ".join(
            " ".join(str(cell) for cell in row) for table in annex.tables for row in table.rows
        )
    )
    assert "thư điện tử" in text
    assert f"Đảng ủy xã D1C1 Cấp cơ sở qua thư điện tử {short_date(LATE)} Gửi trễ hạn" in text
    assert (
        "D1C2 Cấp cơ sở bằng bản giấy" not in text
    )  # D1C2's report is not accepted: not counted here
    submitted = rollup.build(plan=district.plan, unit=district.unit, include_submitted=True)
    text = " ".join(
        " ".join(str(c) for c in row)
        for table in consolidated.timeliness_annex(submitted).tables
        for row in table.rows
    )
    assert f"Đảng ủy xã D1C2 Cấp cơ sở bằng bản giấy {short_date(ON_TIME)} Đúng hạn" in text


def test_phu_luc_2_has_no_such_table_when_every_report_came_through_the_app(
    commune_report, people, small_tree
):
    district = Report.objects.get(campaign=commune_report.campaign, unit=small_tree["D1"])
    result = rollup.build(plan=district.plan, unit=district.unit, texts=False)
    assert consolidated.received_outside_table(result) is None
