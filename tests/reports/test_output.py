import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from campaigns.models import AnswerType, OutlineItem
from documents.docx import render_docx
from documents.numbering import BLANK
from documents.pdf import render_pdf
from orgunits.models import OrgUnitKind, Role
from reports import documents as output
from reports.models import Answer, Report, ReportStatus
from tests.campaigns.seeds import seed000_plan
from tests.factories import AnswerFactory, MembershipFactory, ReportFactory

pytestmark = pytest.mark.django_db

PER_YEAR_TITLE = "Việc tổ chức các cuộc tiếp xúc"


def item(plan, title_start: str) -> OutlineItem:
    return plan.outline_items.get(title__startswith=title_start)


def text_of_pdf(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


@pytest.fixture
def plan(published_plan):
    """Seed 000, published (tests/conftest.py)."""
    return published_plan


@pytest.fixture
def report(plan, small_tree):
    report = Report.objects.get(plan=plan, unit=small_tree["D1"])
    report.number, report.issuer_symbol = 45, "HU"
    report.issued_on = datetime.date(2020, 3, 20)
    report.signer_name = "Nguyễn Văn Bình"
    report.save()
    per_year = item(plan, PER_YEAR_TITLE)
    per_year.answer_type = AnswerType.INTEGER_PER_YEAR
    per_year.save()
    Answer.objects.create(
        report=report,
        item=item(plan, "Công tác lãnh đạo, chỉ đạo của cấp ủy"),
        text="<div>Đã triển khai.</div>",
    )
    Answer.objects.create(report=report, item=per_year, per_year={"2017": 3, "2018": 5, "2019": 4})
    Answer.objects.create(
        report=report,
        item=item(plan, "Đánh giá những tồn tại"),
        points=["Ưu điểm 1", "Ưu điểm 2"],
    )
    return report


def test_it_prints_the_report_as_an_official_document(report):
    text = text_of_pdf(render_pdf(output.build(report)))

    for expected in (
        "HUYỆN ỦY D1",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 45-BC/HU",
        "Gia Lai, ngày 20 tháng 3 năm 2020",
        "BÁO CÁO sơ kết 03 năm triển khai thực hiện",
        "Thực hiện Kế hoạch số 279-KH/TU, ngày 25/02/2020 của Ban Thường vụ Tỉnh ủy Gia Lai",
        "Huyện ủy D1 báo cáo kết quả như sau:",
        "Năm 2017: 3; năm 2018: 5; năm 2019: 4. Tổng cộng: 12.",
        "Nơi nhận:",
        "Ban Thường vụ Tỉnh ủy Gia Lai (qua Ban Dân vận Tỉnh ủy) (để báo cáo),",
        "T/M BAN THƯỜNG VỤ",
        "Nguyễn Văn Bình",
    ):
        assert expected in text, expected
    in_order = [
        "1.1. Công tác lãnh đạo",
        "Đã triển khai.",
        "- Việc tổ chức các cuộc tiếp xúc",
        "Tổng cộng: 12",
        "4. Đánh giá những tồn tại",
        "- Ưu điểm 1",
        "- Ưu điểm 2",
        "5. Phương hướng",
    ]
    positions = [text.index(fragment) for fragment in in_order]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "typed",
    [
        "Ban Dân vận Tỉnh ủy",
        "qua Ban Dân vận Tỉnh ủy",
        " Qua  Ban Dân vận Tỉnh ủy",
        "(qua Ban Dân vận Tỉnh ủy)",
    ],
)
def test_it_sends_the_report_through_the_lead_commission_once_however_it_was_typed(
    report, plan, typed
):
    plan.lead_commission = typed
    plan.save()
    report.plan.refresh_from_db()
    assert output.build(report).recipients[0] == (
        "Ban Thường vụ Tỉnh ủy Gia Lai (qua Ban Dân vận Tỉnh ủy) (để báo cáo),"
    )


def test_it_leaves_out_items_restricted_to_another_level(report, plan, levels):
    restricted = item(plan, "Đánh giá ý nghĩa, vai trò")
    restricted.levels.set([levels["tinh"]])
    item(plan, "Đánh giá trách nhiệm trong việc tiếp nhận").levels.set([levels["tinh"]])
    heading = item(plan, "Kiến nghị, đề xuất")
    for child in heading.children.all():
        child.levels.set([levels["tinh"]])

    rows = output.items_for_unit(report)
    text = text_of_pdf(render_pdf(output.build(report)))

    assert restricted.pk not in {row.item.pk for row in rows}
    assert "2.3. Đánh giá ý nghĩa" not in text
    assert "3.2. Đánh giá trách nhiệm" not in text
    assert "Đối với ý kiến đóng góp cho tổ chức đảng" not in text  # goes with its item
    assert "6. Kiến nghị, đề xuất" not in text  # a heading with nothing left under it
    assert "3.1. Đánh giá việc triển khai" in text
    assert "5. Phương hướng" in text


def test_it_writes_the_same_headings_to_docx(report):
    document = Document(io.BytesIO(render_docx(output.build(report))))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]

    assert "BÁO CÁO" in paragraphs
    for heading in ("1. Đánh giá công tác lãnh đạo", "1.1. Công tác lãnh đạo", "4. Đánh giá"):
        assert any(text.startswith(heading) for text in paragraphs), heading
    assert "Năm 2017: 3; năm 2018: 5; năm 2019: 4. Tổng cộng: 12." in paragraphs
    assert "- Ưu điểm 2" in paragraphs


def test_it_marks_missing_answers_only_while_the_report_is_written(report):
    assert output.NOT_ANSWERED in [block.text for block in output.build(report).blocks]

    report.status = ReportStatus.SUBMITTED
    assert output.NOT_ANSWERED not in [block.text for block in output.build(report).blocks]


def test_it_leaves_room_for_the_number_of_an_unnumbered_report(report):
    report.number = None

    number_symbol = output.build(report).number_symbol

    assert number_symbol.endswith("-BC/HU")
    assert number_symbol == f"{BLANK}-BC/HU"  # kept blank for the number, by hand


def test_it_names_the_superior_committee_of_a_grassroots_unit(plan, small_tree):
    commune = small_tree["D1C1"]
    commune.kind = OrgUnitKind.GRASSROOTS_COMMITTEE
    commune.save()
    report = Report.objects.get(plan=plan, unit=commune)

    doc = output.build(report)

    # The party organisation the commune belongs to (Hướng dẫn 36-HD/VPTW), not
    # its district committee's name: "ĐẢNG BỘ HUYỆN D1" above "ĐẢNG ỦY XÃ D1C1".
    assert doc.superior_body == "ĐẢNG BỘ HUYỆN D1"
    assert doc.issuer_name == "ĐẢNG ỦY XÃ D1C1"
    # A district prints the province's party organisation too, as its plans do.
    district = output.build(Report.objects.get(plan=plan, unit=small_tree["D1"]))
    assert (district.superior_body, district.issuer_name) == ("ĐẢNG BỘ TỈNH GIA LAI", "HUYỆN ỦY D1")


def test_it_serves_the_documents_within_the_users_scope_only(client, report, small_tree):
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.REPORTER).user)
    response = client.get(reverse("reports:pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-d1.pdf"'
    response = client.get(reverse("reports:docx", args=[report.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-d1.docx"'
    assert "Số 45-BC/HU" in client.get(reverse("reports:print", args=[report.pk])).content.decode()

    client.force_login(MembershipFactory(unit=small_tree["D2C1"], role=Role.REPORTER).user)
    for name in ("reports:pdf", "reports:docx", "reports:print"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404, name


def _report_with_outline(province, unit, levels, size: int, number: int) -> Report:
    """A district report answering ``size`` items of every kind."""
    plan = seed000_plan(province, number=number)
    plan.outline_items.all().delete()
    report = ReportFactory(campaign=plan, unit=unit, due_on=datetime.date(2020, 3, 24))
    kinds = [AnswerType.TEXT, AnswerType.INTEGER_PER_YEAR, AnswerType.POINTS, AnswerType.DECIMAL]
    for position in range(size):
        kind = kinds[position % len(kinds)]
        outline_item = OutlineItem.objects.create(
            plan=plan,
            position=position,
            numbering=f"{position + 1}.",
            title=f"Mục {position + 1}",
            answer_type=kind,
        )
        outline_item.levels.set([levels["huyen"]])
        AnswerFactory(
            report=report,
            item=outline_item,
            text="<div>Nội dung.</div>",
            per_year={"2018": 1, "2019": 2},
            points=["Điểm"],
            number=12,
        )
    return Report.objects.select_related(
        "unit__level", "plan__issuing_unit", "plan__issuing_body", "issuing_body__unit"
    ).get(pk=report.pk)


def test_it_builds_in_the_same_number_of_queries_whatever_the_outline_size(
    small_tree, levels, django_assert_max_num_queries, django_assert_num_queries
):
    small = _report_with_outline(small_tree["P"], small_tree["D1"], levels, 20, number=1)
    large = _report_with_outline(small_tree["P"], small_tree["D2"], levels, 60, number=2)

    # 7: the issuing body's header reads the unit's parent (its party organisation).
    with django_assert_max_num_queries(7) as captured:
        output.build(small)
    with django_assert_num_queries(len(captured)):
        doc = output.build(large)

    assert "Kết quả: 12." in [block.text for block in doc.blocks]
