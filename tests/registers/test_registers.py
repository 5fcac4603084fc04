"""The registers: a unit's incoming register (numbering, scope, filters,
XLSX, the plan page's prefilled entry), its outgoing register, plan files."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from documents.formatting import short_date
from orgunits.bodies import default_body
from orgunits.models import IssuingBody, IssuingBodyKind, Role
from registers import selectors, services
from registers.models import IncomingDocument, PlanFile
from reports import services as report_services
from reports.models import Report
from tests.factories import MembershipFactory, UserFactory
from tests.reports.test_attachments import PDF

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def office(people):
    """The district D1's coordinator: keeps D1's register."""
    return people["district_coordinator"]


@pytest.fixture
def dan_van(small_tree):
    return IssuingBody.objects.create(
        unit=small_tree["D1"],
        kind=IssuingBodyKind.COMMISSION,
        name="BAN DÂN VẬN",
        phrase="Ban Dân vận Huyện ủy D1",
        symbol="BDVHU",
    )


def enter(unit, by, **values):
    data = {
        "received_on": DAY,
        "sender": "Ban Thường vụ Tỉnh ủy Gia Lai",
        "summary": "Kế hoạch sơ kết 03 năm",
        **values,
    }
    return services.record_incoming(unit=unit, by=by, values=data)


def incoming_url(unit, name="registers:incoming", *args):
    return reverse(name, args=[unit.pk, *args])


# --- Numbering -------------------------------------------------------------------


def test_incoming_numbers_run_per_unit_and_year(small_tree, office, people):
    d1 = small_tree["D1"]
    assert [enter(d1, office).number for _ in range(3)] == [1, 2, 3]
    assert enter(d1, office, received_on=datetime.date(2027, 1, 2)).number == 1
    other = people["other_district"]
    assert enter(small_tree["D2"], other).number == 1
    assert enter(d1, office, number=10).number == 10
    assert enter(d1, office).number == 11
    assert selectors.next_incoming_number(d1, 2026) == 12


def test_a_number_already_used_is_refused_with_the_next_free_one(small_tree, office):
    d1 = small_tree["D1"]
    enter(d1, office)
    with pytest.raises(ValidationError) as error:
        enter(d1, office, number=1)
    assert "Số đến 1 năm 2026 đã được dùng" in error.value.messages[0]
    assert "số còn trống tiếp theo là 2" in error.value.messages[0]
    assert IncomingDocument.objects.count() == 1


def test_the_form_says_so_and_keeps_what_was_typed(client, small_tree, office):
    d1 = small_tree["D1"]
    enter(d1, office)
    client.force_login(office)
    response = client.post(
        incoming_url(d1, "registers:incoming_new"),
        {
            "number": "1",
            "received_on": DAY.isoformat(),
            "sender": "Văn phòng Tỉnh ủy",
            "summary": "Công văn về việc gửi báo cáo",
            "files": [SimpleUploadedFile("Công văn.pdf", PDF)],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Số đến 1 năm 2026 đã được dùng" in page
    assert "Công văn về việc gửi báo cáo" in page
    assert [f.name for f in response.context["held"]] == ["Công văn.pdf"]
    response = client.post(
        incoming_url(d1, "registers:incoming_new"),
        {
            "received_on": DAY.isoformat(),
            "sender": "Văn phòng Tỉnh ủy",
            "summary": "Công văn về việc gửi báo cáo",
            "held": [response.context["held"][0].token],
        },
    )
    entry = IncomingDocument.objects.get(number=2)
    assert response["Location"] == incoming_url(d1, "registers:incoming_detail", entry.pk)
    stored = entry.files.get()
    assert stored.original_name == "Công văn.pdf"
    assert "Công" not in stored.file.name  # stored under a random name
    assert stored.file.name.startswith(f"registers/incoming/{d1.pk}/")


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("received_on", "2999-01-01", "không thể là một ngày trong tương lai"),
        ("sender", "", "Hãy ghi nơi gửi văn bản"),
        ("document_date", "2026-03-05", "không thể mang ngày sau ngày đến"),
    ],
)
def test_the_form_refuses_bad_input_in_vietnamese(client, small_tree, office, field, value, error):
    client.force_login(office)
    data = {
        "received_on": DAY.isoformat(),
        "sender": "Tỉnh ủy",
        "summary": "Kế hoạch",
        field: value,
    }
    response = client.post(incoming_url(small_tree["D1"], "registers:incoming_new"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not IncomingDocument.objects.exists()


# --- Scope ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_district", "reporter", "other_commune"])
def test_a_register_is_404_outside_the_units_scope(client, small_tree, office, people, who):
    d1 = small_tree["D1"]
    entry = enter(d1, office)
    stored = services._store(
        entry.files.model(document=entry), SimpleUploadedFile("scan.pdf", PDF), office
    )
    client.force_login(people[who])
    for url in (
        incoming_url(d1),
        incoming_url(d1, "registers:incoming_new"),
        incoming_url(d1, "registers:incoming_detail", entry.pk),
        incoming_url(d1, "registers:incoming_file", entry.pk, stored.pk),
        reverse("registers:outgoing", args=[d1.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_entry_is_only_found_under_its_own_unit(client, small_tree, office, people):
    entry = enter(small_tree["D2"], people["other_district"])
    client.force_login(office)
    url = incoming_url(small_tree["D1"], "registers:incoming_detail", entry.pk)
    assert client.get(url).status_code == 404


def test_the_province_reads_a_districts_register_but_does_not_keep_it(
    client, small_tree, office, coordinator
):
    d1 = small_tree["D1"]
    entry = enter(d1, office)
    client.force_login(coordinator)
    assert client.get(incoming_url(d1)).status_code == 200
    assert client.get(incoming_url(d1, "registers:incoming_detail", entry.pk)).status_code == 200
    assert client.get(incoming_url(d1, "registers:incoming_new")).status_code == 404
    with pytest.raises(PermissionDenied):
        enter(d1, coordinator)


def test_a_document_is_routed_only_to_a_body_of_the_unit(small_tree, office, people):
    other = default_body(small_tree["D2"])
    with pytest.raises(ValidationError):
        enter(small_tree["D1"], office, routed_to=other)


# --- The plan reaches the unit -------------------------------------------------


def test_the_plan_page_offers_the_entry_prefilled_and_then_shows_it(
    client, published_plan, small_tree, office, dan_van
):
    d1 = small_tree["D1"]
    client.force_login(office)
    page = client.get(published_plan.get_absolute_url()).content.decode()
    new = f"{incoming_url(d1, 'registers:incoming_new')}?plan={published_plan.pk}"
    assert new in page.replace("&amp;", "&")
    form = client.get(new).context["form"]
    assert form.initial["symbol"] == "279-KH/TU"
    assert form.initial["plan"] == published_plan.pk
    assert form.initial["summary"].startswith("Kế hoạch sơ kết 03 năm")
    response = client.post(
        new,
        {
            "received_on": "2020-02-27",
            "sender": form.initial["sender"],
            "symbol": "279-KH/TU",
            "document_date": "2020-02-25",
            "summary": form.initial["summary"],
            "plan": published_plan.pk,
            "routed_to": dan_van.pk,
        },
    )
    assert response.status_code == 302
    entry = IncomingDocument.objects.get()
    assert (entry.year, entry.number, entry.routed_to, entry.plan) == (
        2020,
        1,
        dan_van,
        published_plan,
    )
    page = client.get(published_plan.get_absolute_url()).content.decode()
    assert f"số 1/2020, nhận ngày {short_date(datetime.date(2020, 2, 27))}" in page
    assert "đã được vào sổ" in client.get(new).content.decode()


def test_the_plan_page_offers_nothing_to_whoever_keeps_no_register_it_reached(
    client, published_plan, people
):
    client.force_login(people["viewer"])
    page = client.get(published_plan.get_absolute_url()).content.decode()
    assert 'data-testid="plan-incoming-new"' not in page


# --- Lists, filters, XLSX ------------------------------------------------------------------


@pytest.fixture
def entries(small_tree, office, dan_van):
    d1 = small_tree["D1"]
    return [
        enter(d1, office, summary="Kế hoạch sơ kết Quyết định 553", routed_to=dan_van),
        enter(d1, office, summary="Công văn đôn đốc báo cáo", sender="Văn phòng Tỉnh ủy"),
        enter(
            d1,
            office,
            summary='=HYPERLINK("http://x")',
            received_on=datetime.date(2025, 12, 30),
        ),
    ]


def test_the_incoming_list_filters_by_year_body_and_words(
    client, small_tree, office, entries, dan_van
):
    client.force_login(office)
    url = incoming_url(small_tree["D1"])

    def numbers(**query):
        response = client.get(url, query)
        return [(e.year, e.number) for e in response.context["entries"]]

    assert numbers() == [(2026, 2), (2026, 1), (2025, 1)]
    assert numbers(year="2025") == [(2025, 1)]
    assert numbers(body=dan_van.pk) == [(2026, 1)]
    assert numbers(q="đôn đốc") == [(2026, 2)]
    assert numbers(q="văn phòng") == [(2026, 2)]
    assert numbers(year="1990") == [(2026, 2), (2026, 1), (2025, 1)]  # not a choice: ignored


def test_the_incoming_xlsx_has_the_entries_as_text(client, small_tree, office, entries, dan_van):
    client.force_login(office)
    response = client.get(incoming_url(small_tree["D1"]), {"year": "2026", "format": "xlsx"})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Số đến", "Ngày đến", "Nơi gửi"]
    assert [row[0] for row in rows[1:]] == [2, 1]
    assert rows[2][5] == "Kế hoạch sơ kết Quyết định 553"
    assert rows[2][6] == "Ban Dân vận Huyện ủy D1"
    response = client.get(incoming_url(small_tree["D1"]), {"year": "2025", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["F2"].data_type == "s"  # a formula typed in stays text
    assert sheet["F2"].value == '=HYPERLINK("http://x")'


@pytest.mark.parametrize("name", ["registers:incoming", "registers:outgoing"])
def test_the_lists_cost_the_same_for_3_or_30_entries(
    client, small_tree, office, entries, published_plan, name, django_assert_max_num_queries
):
    d1 = small_tree["D1"]
    client.force_login(office)
    url = reverse(name, args=[d1.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as before:
        client.get(url)
    for _ in range(27):
        enter(d1, office)
    d1_report = Report.objects.get(campaign=published_plan, unit=d1)
    Report.objects.filter(pk=d1_report.pk).update(number=5, issued_on=DAY)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


# --- The outgoing register ----------------------------------------------------------


@pytest.fixture
def issued(published_plan, small_tree, people, dan_van):
    """P's plan 279-KH/TU; D1's consolidated report and D1C1's report submitted."""
    for unit, approver in (("D1C1", people["approver"]), ("D1", None)):
        report = Report.objects.get(campaign=published_plan, unit=small_tree[unit])
        if approver is None:
            approver = MembershipFactory(unit=small_tree[unit], role=Role.APPROVER).user
        report_services.submit(report=report, rows=[], by=approver)
    d1 = Report.objects.get(campaign=published_plan, unit=small_tree["D1"])
    d1.issuing_body, d1.issuer_symbol = dan_van, dan_van.symbol
    d1.issued_on = datetime.date(2025, 5, 6)
    d1.save()
    return published_plan


def test_the_outgoing_register_lists_what_the_units_bodies_issued(
    client, small_tree, issued, coordinator
):
    client.force_login(coordinator)

    def rows(unit, **query):
        response = client.get(reverse("registers:outgoing", args=[small_tree[unit].pk]), query)
        return [(r.number_symbol, r.kind, r.body.symbol) for r in response.context["rows"]]

    assert rows("P") == [("279-KH/TU", "plan", "TU")]
    assert rows("D1") == [("01-BC/BDVHU", "consolidated", "BDVHU")]
    assert rows("D1C1")[0][1] == "report"
    assert rows("D1", kind="report") == []
    assert rows("D1", kind="consolidated") == [("01-BC/BDVHU", "consolidated", "BDVHU")]
    assert rows("D1", year="2025") == [("01-BC/BDVHU", "consolidated", "BDVHU")]
    assert rows("D1", year=str(timezone.localdate().year)) == []
    default = default_body(small_tree["D1"])
    assert rows("D1", body=default.pk) == []


def test_the_outgoing_xlsx(client, small_tree, issued, coordinator):
    client.force_login(coordinator)
    response = client.get(
        reverse("registers:outgoing", args=[small_tree["P"].pk]), {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Số, ký hiệu", "Ngày", "Loại", "Trích yếu", "Cơ quan ban hành"]
    assert rows[1][:3] == ["279-KH/TU", short_date(datetime.date(2020, 2, 25)), "Kế hoạch"]


# --- The files of a plan ----------------------------------------------------------


def test_the_plans_coordinators_attach_files_everyone_who_sees_it_downloads(
    client, published_plan, people, coordinator
):
    manager = coordinator
    client.force_login(manager)
    upload = reverse("registers:plan_file_upload", args=[published_plan.pk])
    response = client.post(upload, {"file": SimpleUploadedFile("Kế hoạch đã ký.pdf", PDF)})
    assert response.status_code == 302
    file = PlanFile.objects.get()
    assert file.original_name == "Kế hoạch đã ký.pdf"
    assert "ký" not in file.file.name
    download = reverse("registers:plan_file", args=[published_plan.pk, file.pk])

    client.force_login(people["reporter"])  # a commune: sees the plan
    page = client.get(published_plan.get_absolute_url()).content.decode()
    assert download in page
    assert 'data-testid="plan-file-upload"' not in page
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert client.post(upload, {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    delete = reverse("registers:plan_file_delete", args=[published_plan.pk, file.pk])
    assert client.post(delete).status_code == 404

    client.force_login(UserFactory())  # nobody's member: does not see the plan
    assert client.get(download).status_code == 404

    client.force_login(manager)
    bad = client.post(upload, {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")})
    assert bad.status_code == 302
    assert PlanFile.objects.count() == 1
    assert client.post(delete).status_code == 302
    assert not PlanFile.objects.exists()


def test_the_index_lists_the_users_units_and_those_right_below(client, small_tree, office):
    client.force_login(office)
    units = client.get(reverse("registers:index")).context["units"]
    assert [unit.code for unit in units] == ["D1", "D1C1", "D1C2"]
