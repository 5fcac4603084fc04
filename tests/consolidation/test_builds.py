"""The consolidated document as a background build: PDF, DOCX and XLSX annexes,
kept until the data changes, with progress and download rights.

On seed 000's plan over the small tree: province P; districts D1 (communes
D1C1, D1C2) and D2 (D2C1, D2C2).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from campaigns.models import AnswerType
from consolidation import documents, rollup, tasks
from consolidation.models import BuildStatus, DocumentBuild
from documents import pdf
from documents.html import render_html
from documents.pdf import render_pdf
from orgunits.models import Role
from reports.models import Answer, Report, ReportStatus
from tests.factories import (
    AnswerFactory,
    MembershipFactory,
    ReportFactory,
    add_unit,
    set_answer_type,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def text_of_pdf(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def set_report(plan, unit, status, late=False):
    report = Report.objects.get(campaign=plan, unit=unit)
    report.status, report.is_late = status, late
    report.save()
    return report


@pytest.fixture
def items(published_plan):
    return {
        "count": set_answer_type(published_plan, "1.1.", AnswerType.INTEGER),
        "per_year": set_answer_type(published_plan, "1.2.", AnswerType.INTEGER_PER_YEAR),
        "points": set_answer_type(published_plan, "2.3.", AnswerType.POINTS),
    }


@pytest.fixture
def answered(published_plan, small_tree, items):
    """D1C1 and D1C2 (late) accepted, and D1 with their figures consolidated;
    D2C1 only submitted, D2 and D2C2 nothing."""
    plan, tree = published_plan, small_tree
    c11 = set_report(plan, tree["D1C1"], ReportStatus.ACCEPTED)
    c12 = set_report(plan, tree["D1C2"], ReportStatus.ACCEPTED, late=True)
    c21 = set_report(plan, tree["D2C1"], ReportStatus.SUBMITTED)
    d1 = set_report(plan, tree["D1"], ReportStatus.ACCEPTED)
    AnswerFactory(report=d1, item=items["count"], number=7)
    AnswerFactory(report=d1, item=items["per_year"], per_year={"2017": 1, "2018": 7, "2020": 1})
    AnswerFactory(report=c11, item=items["count"], number=3)
    AnswerFactory(report=c12, item=items["count"], number=4)
    AnswerFactory(report=c21, item=items["count"], number=100)
    AnswerFactory(report=c11, item=items["per_year"], per_year={"2017": 1, "2018": 2})
    AnswerFactory(report=c12, item=items["per_year"], per_year={"2018": 5, "2020": 1})
    AnswerFactory(report=c11, item=items["points"], points=["Cấp ủy quan tâm."])
    return plan


@pytest.fixture
def province_report(answered, small_tree):
    report = Report.objects.get(campaign=answered, unit=small_tree["P"])
    report.number, report.issuer_symbol = 312, "TU"
    report.issued_on = datetime.date(2020, 3, 30)
    report.signer_name = "Dương Văn Trang"
    report.save()
    return report


def start(client, report, django_capture_on_commit_callbacks, **data):
    """POST a build as a form would, running the queued job (eager) on commit."""
    data = {"fmt": "pdf", **data}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("consolidation:build_start", args=[report.pk]), data)


def file_of(build: DocumentBuild) -> bytes:
    build.refresh_from_db()
    with build.file.open("rb") as f:
        return f.read()


def test_it_builds_the_consolidated_pdf_with_its_annexes(
    client, coordinator, province_report, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    response = start(client, province_report, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[province_report.pk])
    build = DocumentBuild.objects.get()
    assert (build.status, build.progress, build.fmt) == (BuildStatus.DONE, 100, "pdf")
    assert build.file.name.startswith(f"consolidated/{province_report.campaign_id}/P/")

    text = text_of_pdf(file_of(build))
    in_order = [
        "TỈNH ỦY GIA LAI",
        "Số 312-BC/TU",
        "BÁO CÁO",
        "PHỤ LỤC 1 Số liệu tổng hợp theo đơn vị trực thuộc",
        "(kèm theo Báo cáo số 312-BC/TU, ngày 30/3/2020 của Ban Thường vụ Tỉnh ủy Gia Lai)",
        # The direct subordinates: D1 once, with its consolidated 7 and 1 + 7 + 1
        # over the years, not its communes again; D2C1 is only submitted.
        "1 Huyện ủy D1 7 9",
        "2 Huyện ủy D2 (chưa có báo cáo được tính)",
        "Tổng cộng 7 9",
        "PHỤ LỤC 2 Tình hình gửi báo cáo",
        # D1C2 late, D2C1 only submitted, D2C2 without a report
        "3 đơn vị cấp dưới khác gửi trễ hạn hoặc chưa có báo cáo không được liệt kê",
        "Đơn vị trực thuộc 2 1 0 1 50",
        "Cấp cơ sở 4 1 1 2 50",
        "Huyện ủy D2 Cấp huyện Chưa có báo cáo",
    ]
    positions = [text.find(expected) for expected in in_order]
    assert -1 not in positions, [e for e, p in zip(in_order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "Đảng ủy xã" not in text  # no commune listed: the annex of every unit was not asked
    assert "PHỤ LỤC 3" not in text


def test_the_annex_of_every_unit_is_added_when_asked(
    client, coordinator, province_report, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    start(client, province_report, django_capture_on_commit_callbacks, every_unit="on")
    build = DocumentBuild.objects.get()
    assert build.every_unit
    text = text_of_pdf(file_of(build))
    in_order = [
        "PHỤ LỤC 1 Số liệu tổng hợp theo đơn vị trực thuộc",
        "1 Huyện ủy D1 7 9",
        "PHỤ LỤC 2 Tình hình gửi báo cáo",
        "Huyện ủy D2 Cấp huyện Chưa có báo cáo",
        "Đảng ủy xã D1C2 Cấp cơ sở Gửi trễ hạn",
        "Đảng ủy xã D2C2 Cấp cơ sở Chưa có báo cáo",
        "PHỤ LỤC 3 Số liệu tổng hợp theo từng đơn vị",
        "1 Huyện ủy D1 7 9",
        "Tổng cộng 7 9",
    ]
    position = 0
    for expected in in_order:  # each after the one before
        position = text.find(expected, position)
        assert position >= 0, expected
    assert "cấp dưới khác" not in text
    # Another document than the default one: asking again without it builds anew.
    start(client, province_report, django_capture_on_commit_callbacks)
    assert DocumentBuild.objects.count() == 2
    start(client, province_report, django_capture_on_commit_callbacks, every_unit="on")
    assert DocumentBuild.objects.count() == 2


def test_its_totals_agree_with_the_rollup(province_report, items):
    result = rollup.build(plan=province_report.plan, unit=province_report.unit)
    table = documents.figures_annex(province_report, result).tables[0]
    assert table.rows[-1][2:4] == [
        result.item(items["count"].pk).figure.total,
        result.item(items["per_year"].pk).figure.total,
    ]
    assert table.rows[-1] == ["", "Tổng cộng", 7, 9, None]  # nobody gave the third figure


def test_it_can_count_submitted_reports_too(province_report, items):
    result = rollup.build(
        plan=province_report.plan, unit=province_report.unit, include_submitted=True
    )
    table = documents.figures_annex(province_report, result).tables[0]
    assert [row[1:3] for row in table.rows] == [
        ["Huyện ủy D1", 7],
        ["Huyện ủy D2 (chưa tổng hợp: tính bằng số liệu của 1 đơn vị trực thuộc)", 100],
        ["Tổng cộng", Decimal(107)],
    ]
    table = documents.units_annex(province_report, result).tables[0]
    assert [row[1] for row in table.rows] == [
        "Huyện ủy D1",
        "Đảng ủy xã D2C1 (chưa được Huyện ủy D2 tổng hợp)",
        "Tổng cộng",
    ]
    assert table.rows[-1][2] == Decimal(107)


def test_it_prints_unit_names_as_text_never_as_markup(province_report, small_tree):
    unit = small_tree["D1"]
    unit.name = SCRIPT
    unit.save()
    result = rollup.build(plan=province_report.plan, unit=province_report.unit)
    html = render_html(documents.consolidated_document(province_report, result))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    text = text_of_pdf(render_pdf(documents.consolidated_document(province_report, result)))
    assert SCRIPT in text.replace(" ", "")  # as text (the narrow cell may wrap it)


def test_it_keeps_the_build_while_the_data_is_unchanged(
    client, coordinator, province_report, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    start(client, province_report, django_capture_on_commit_callbacks)
    start(client, province_report, django_capture_on_commit_callbacks)
    assert DocumentBuild.objects.count() == 1
    # Another format, or counting submitted reports too, is another document.
    start(client, province_report, django_capture_on_commit_callbacks, include_submitted="on")
    assert DocumentBuild.objects.count() == 2


def test_it_builds_again_when_an_answer_changes(
    client, coordinator, province_report, items, small_tree, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    start(client, province_report, django_capture_on_commit_callbacks)
    answer = Answer.objects.get(report__unit=small_tree["D1"], item=items["count"])
    answer.number = 30
    answer.save()
    start(client, province_report, django_capture_on_commit_callbacks)
    first, second = DocumentBuild.objects.order_by("pk")
    assert first.fingerprint != second.fingerprint
    text = text_of_pdf(file_of(second))
    assert "Tổng cộng 30 9" in text
    assert "Đối chiếu: tổng các đơn vị cơ sở 7 9" in text  # D1's 30 is not its communes' 7
    html = client.get(reverse("consolidation:builds", args=[province_report.pk])).content.decode()
    assert 'data-testid="build-outdated"' not in html  # the newest build is current


def test_it_shows_a_kept_build_as_outdated_once_the_data_changes(
    client, coordinator, province_report, items, small_tree, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    start(client, province_report, django_capture_on_commit_callbacks)
    set_report(province_report.campaign, small_tree["D2C2"], ReportStatus.ACCEPTED)
    html = client.get(reverse("consolidation:builds", args=[province_report.pk])).content.decode()
    assert 'data-testid="build-outdated"' in html


def test_it_reports_progress_until_done(client, coordinator, province_report, monkeypatch):
    build = DocumentBuild.objects.create(report=province_report, fmt="pdf")
    client.force_login(coordinator)
    url = reverse("consolidation:build_progress", args=[province_report.pk, build.pk])
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="0"' in html

    stages = []
    set_stage = DocumentBuild.set_stage

    def spy(self, stage):
        set_stage(self, stage)
        stages.append((stage, DocumentBuild.objects.get(pk=self.pk).progress))

    monkeypatch.setattr(DocumentBuild, "set_stage", spy)
    assert tasks.build_document(build.pk) == BuildStatus.DONE
    assert stages == [("collecting", 10), ("rolling up", 35), ("laying out", 60), ("rendering", 80)]
    build.refresh_from_db()
    assert (build.status, build.progress, build.finished_at is not None) == ("done", 100, True)
    html = client.get(url).content.decode()
    assert "hx-trigger" not in html
    assert reverse("consolidation:build_download", args=[province_report.pk, build.pk]) in html
    # Claimed once: a second delivery of the same job does nothing.
    assert tasks.build_document(build.pk) == "already claimed"


def test_it_marks_a_failed_render_with_its_message(
    client, coordinator, province_report, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(html):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    client.force_login(coordinator)
    start(client, province_report, django_capture_on_commit_callbacks)
    build = DocumentBuild.objects.get()
    assert (build.status, build.error, build.file.name) == ("failed", "WeasyPrint fell over", "")
    html = client.get(reverse("consolidation:builds", args=[province_report.pk])).content.decode()
    assert "WeasyPrint fell over" in html
    assert "hx-trigger" not in html
    assert coordinator.notifications.filter(kind="consolidated_document").count() == 1
    # A failed build is not kept: the next request builds again.
    monkeypatch.undo()
    start(client, province_report, django_capture_on_commit_callbacks)
    assert DocumentBuild.objects.filter(status="done").count() == 1


def test_it_builds_a_docx_with_the_annex_tables(
    client, coordinator, province_report, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    start(client, province_report, django_capture_on_commit_callbacks, fmt="docx")
    document = Document(io.BytesIO(file_of(DocumentBuild.objects.get())))
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    figures = [[c.text for c in row.cells] for row in document.tables[-3].rows]
    assert figures[1][:3] == ["1", "Huyện ủy D1", "7"]
    assert figures[-1][1:] == ["Tổng cộng", "7", "9", ""]
    missing = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    # Short labels keep their no-break spaces, so Word keeps them on one line like the PDF.
    nbsp = "\u00a0".join
    missing_label = nbsp(["Chưa", "có", "báo", "cáo"])
    # the direct subordinates only
    assert missing[1:] == [["1", "Huyện ủy D2", nbsp(["Cấp", "huyện"]), missing_label]]


def test_it_writes_the_annex_tables_as_a_workbook(
    client, coordinator, province_report, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    start(client, province_report, django_capture_on_commit_callbacks, fmt="xlsx")
    build = DocumentBuild.objects.get()
    workbook = load_workbook(io.BytesIO(file_of(build)))
    # Always the annex of every unit, unasked.
    assert build.every_unit
    assert workbook.sheetnames == ["Phụ lục 1", "Phụ lục 2", "Phụ lục 3"]
    figures = list(workbook["Phụ lục 1"].iter_rows(values_only=True))
    assert figures[0][:2] == ("STT", "Đơn vị")
    assert workbook["Phụ lục 1"]["A1"].font.bold
    assert figures[1] == (1, "Huyện ủy D1", 7, 9, None)
    assert figures[-1] == (None, "Tổng cộng", 7, 9, None)
    every = list(workbook["Phụ lục 3"].iter_rows(values_only=True))
    assert every[1] == (1, "Huyện ủy D1", 7, 9, None)
    timeliness = [row[:6] for row in workbook["Phụ lục 2"].iter_rows(values_only=True)]
    assert ("Đơn vị trực thuộc", 2, 1, 0, 1, 50) in timeliness
    assert ("Cấp cơ sở", 4, 1, 1, 2, 50) in timeliness
    assert (4, "Đảng ủy xã D2C2", "Cấp cơ sở", "Chưa có báo cáo", None, None) in timeliness
    response = client.get(
        reverse("consolidation:build_download", args=[province_report.pk, build.pk])
    )
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-tong-hop-P.xlsx"'


def test_a_districts_consolidated_report_covers_its_own_subtree(
    client, answered, small_tree, django_capture_on_commit_callbacks
):
    district = Report.objects.get(campaign=answered, unit=small_tree["D1"])
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user)
    start(client, district, django_capture_on_commit_callbacks)
    text = text_of_pdf(file_of(DocumentBuild.objects.get()))
    assert "HUYỆN ỦY D1" in text
    assert "Tổng cộng 7 9" in text
    assert "D2C2" not in text


def test_the_card_answers_htmx_with_the_build_under_way(
    client, coordinator, province_report, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    url = reverse("consolidation:build_start", args=[province_report.pk])
    response = client.post(url, {"fmt": "pdf"}, **HTMX)  # the job runs on commit: not yet
    html = response.content.decode()
    assert 'id="consolidated-builds"' in html
    assert 'hx-trigger="every 1s"' in html
    assert 'data-status="queued"' in html
    bad = client.post(url, {"fmt": "odt"}, **HTMX).content.decode()
    assert 'data-testid="build-error"' in bad


def test_a_commune_reporter_elsewhere_cannot_see_the_builds(
    client, people, answered, small_tree, django_capture_on_commit_callbacks
):
    district = Report.objects.get(campaign=answered, unit=small_tree["D1"])
    build = DocumentBuild.objects.create(report=district, fmt="pdf", status="done")
    client.force_login(people["other_commune"])  # reporter of D2C1
    assert client.get(reverse("consolidation:builds", args=[district.pk])).status_code == 404
    response = start(client, district, django_capture_on_commit_callbacks)
    assert response.status_code == 404
    url = reverse("consolidation:build_download", args=[district.pk, build.pk])
    assert client.get(url).status_code == 404


def test_a_reporter_of_the_unit_may_not_build_or_download(
    client, province_report, small_tree, django_capture_on_commit_callbacks
):
    build = DocumentBuild.objects.create(report=province_report, fmt="pdf", status="done")
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.REPORTER).user)
    assert start(client, province_report, django_capture_on_commit_callbacks).status_code == 403
    url = reverse("consolidation:build_download", args=[province_report.pk, build.pk])
    assert client.get(url).status_code == 403
    assert DocumentBuild.objects.count() == 1


def test_a_province_viewer_can_build_and_download(
    client, province_report, small_tree, django_capture_on_commit_callbacks
):
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user)
    start(client, province_report, django_capture_on_commit_callbacks)
    build = DocumentBuild.objects.get()
    response = client.get(
        reverse("consolidation:build_download", args=[province_report.pk, build.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-tong-hop-P.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_district_coordinator_cannot_build_the_provinces_report(
    client, people, province_report, django_capture_on_commit_callbacks
):
    client.force_login(people["district_coordinator"])
    # The province's report is outside a district's scope altogether.
    assert start(client, province_report, django_capture_on_commit_callbacks).status_code == 404


def test_the_card_and_the_task_run_a_fixed_number_of_queries(
    client,
    coordinator,
    province_report,
    items,
    small_tree,
    levels,
    monkeypatch,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: b"%PDF-1.7")
    client.force_login(coordinator)
    build = DocumentBuild.objects.create(report=province_report, fmt="pdf")
    assert tasks.build_document(build.pk) == "done"
    card = reverse("consolidation:builds", args=[province_report.pk])

    def requeue():
        build.refresh_from_db()
        build.status, build.progress, build.stage = "queued", 0, ""
        build.save()

    client.get(card)  # session and user cached alike in both runs
    with django_assert_max_num_queries(14) as captured:
        assert client.get(card).status_code == 200
    card_queries = len(captured)  # read now: the next request clears the log
    requeue()
    with django_assert_max_num_queries(32) as captured:
        assert tasks.build_document(build.pk) == "done"
    task_queries = len(captured)
    for i in range(20):
        unit = add_unit(small_tree["D2"], f"X{i}", levels["co-so"], name=f"Đảng ủy xã X{i}")
        report = ReportFactory(
            campaign=province_report.campaign, unit=unit, status=ReportStatus.ACCEPTED
        )
        AnswerFactory(report=report, item=items["count"], number=1)
        AnswerFactory(report=report, item=items["per_year"], per_year={"2019": 2})
    client.get(card)
    with django_assert_num_queries(card_queries):
        assert client.get(card).status_code == 200
    requeue()
    with django_assert_num_queries(task_queries):
        assert tasks.build_document(build.pk) == "done"
    result = rollup.build(plan=province_report.plan, unit=province_report.unit)
    assert documents.figures_annex(province_report, result).tables[0].rows[-1][2:4] == [27, 49]


def test_a_lost_build_stops_polling_and_is_not_kept(
    client, coordinator, province_report, django_capture_on_commit_callbacks
):
    lost = DocumentBuild.objects.create(
        report=province_report,
        fmt="pdf",
        fingerprint=documents.fingerprint(province_report, False),
    )
    DocumentBuild.objects.filter(pk=lost.pk).update(
        created=lost.created - datetime.timedelta(hours=1)
    )
    client.force_login(coordinator)
    url = reverse("consolidation:build_progress", args=[province_report.pk, lost.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="build-lost"' in html
    assert "hx-trigger" not in html
    start(client, province_report, django_capture_on_commit_callbacks)
    assert DocumentBuild.objects.filter(status="done").count() == 1


def test_the_consolidated_workbook_writes_formula_like_names_as_text():
    """Audit finding #16.6: a unit named "=HYPERLINK(…)" became a live formula."""
    import io as _io

    from openpyxl import load_workbook

    from consolidation.documents import AnnexData, RawTable, xlsx

    data = AnnexData(
        title="PHỤ LỤC 1",
        name="Số liệu",
        tables=[RawTable(header=["STT", "Đơn vị", "(1)"], rows=[[1, '=HYPERLINK("x")', 3]])],
    )
    sheet = load_workbook(_io.BytesIO(xlsx([data]))).worksheets[0]
    name, number = sheet.cell(row=2, column=2), sheet.cell(row=2, column=3)
    assert (name.value, name.data_type) == ('=HYPERLINK("x")', "s")
    assert (number.value, number.data_type) == (3, "n")


@pytest.fixture
def twelve_communes(levels):
    """A province of 3 districts × 4 communes; no district has consolidated yet
    (their reports submitted, not accepted), so every commune counts; the
    communes' figures 1..12."""
    from tests.factories import SEED000_DEADLINES, PlanFactory

    province = add_unit(None, "Q", levels["tinh"], name="Tỉnh ủy Thử", symbol="TU")
    districts = [
        add_unit(province, f"Q{d}", levels["huyen"], name=f"Huyện ủy {d}", symbol="HU")
        for d in range(1, 4)
    ]
    communes = [
        add_unit(district, f"Q{d}X{c}", levels["co-so"], name=f"Đảng ủy xã {d}-{c}")
        for d, district in enumerate(districts, start=1)
        for c in range(1, 5)
    ]
    coordinator = MembershipFactory(unit=province, role=Role.COORDINATOR).user
    plan = PlanFactory(
        issuing_unit=province,
        seed000=True,
        deadlines=SEED000_DEADLINES,
        published_by=coordinator,
    )
    count = set_answer_type(plan, "1.1.", AnswerType.INTEGER)
    for number, unit in enumerate(communes, start=1):
        report = set_report(plan, unit, ReportStatus.ACCEPTED)
        AnswerFactory(report=report, item=count, number=number)
    for district in districts:
        set_report(plan, district, ReportStatus.SUBMITTED)
    return Report.objects.get(campaign=plan, unit=province), coordinator


def test_the_annexes_list_the_direct_subordinates_and_every_unit_when_asked(
    client, twelve_communes, django_capture_on_commit_callbacks
):
    report, coordinator = twelve_communes
    result = rollup.build(plan=report.plan, unit=report.unit)
    direct = documents.annex_data(report, result)
    assert [data.title for data in direct] == ["PHỤ LỤC 1", "PHỤ LỤC 2"]
    rows = direct[0].tables[0].rows
    # Each district with the sum of its four communes: 1+2+3+4, 5+…+8, 9+…+12.
    assert [(row[0], row[2]) for row in rows] == [(1, 10), (2, 26), (3, 42), ("", 78)]
    every = documents.annex_data(report, result, every_unit=True)
    assert [data.title for data in every] == ["PHỤ LỤC 1", "PHỤ LỤC 2", "PHỤ LỤC 3"]
    rows = every[2].tables[0].rows
    assert [row[2] for row in rows] == [*range(1, 13), 78]
    assert rows[0][1] == "Đảng ủy xã 1-1 (chưa được Huyện ủy 1 tổng hợp)"

    client.force_login(coordinator)
    start(client, report, django_capture_on_commit_callbacks)
    text = text_of_pdf(file_of(DocumentBuild.objects.get()))
    assert "Đảng ủy xã" not in text
    assert "Tổng cộng 78" in text
    start(client, report, django_capture_on_commit_callbacks, every_unit="on")
    text = text_of_pdf(file_of(DocumentBuild.objects.latest("pk")))
    assert text.count("Đảng ủy xã") == 12
