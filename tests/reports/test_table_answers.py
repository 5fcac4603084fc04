"""Table answers (a commendation list): rows typed, pasted from Word or
Excel, checked with errors a unit can act on, capped by the plan's quotas,
autosaved with the optimistic version, and printed in the BÁO CÁO's annex."""

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import AnswerType
from campaigns.tables import Quota, TableSpec, table_spec
from documents.pdf import render_pdf
from orgunits.models import Role
from reports import documents, tables
from reports.models import Answer
from tests.factories import MembershipFactory, item_of_type

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SPEC = TableSpec()  # STT | name | position | achievements | form (Bằng khen, Giấy khen)

WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>\n'
    "<!--StartFragment-->"
    "<table class=MsoTableGrid border=1 style='border-collapse:collapse;mso-yfti-tbll"
    "ook:1184'>\n "
    "<tr style='mso-yfti-irow:0'>"
    "<td width=40 style='width:30pt'><p class=MsoNormal><b>STT<o:p></o:p></b></p>"
    "</td>\n  "
    "<td><p class=MsoNormal><b>Tên tập thể / họ tên cá nhân</b></p></td>"
    "<td><p class=MsoNormal><b>Chức vụ / đơn vị</b></p></td>\n  "
    "<td><p class=MsoNormal><b>Thành tích chủ yếu</b></p></td>"
    "<td><p class=MsoNormal><b>Hình thức đề nghị</b></p></td></tr>\n "
    "<tr>"
    "<td><p class=MsoNormal>1<o:p></o:p></p></td>"
    "<td><p class=MsoNormal>Đồng chí Nguyễn Thị Hường<o:p></o:p></p></td>\n  "
    "<td><p class=MsoNormal>Bí thư Chi bộ thôn Plei Ơi</p></td>\n  "
    "<td><p class=MsoNormal>Có nhiều đóng góp trong việc xây dựng quy chế dân chủ;"
    "</p><p class=MsoNormal>tổ chức tốt đối thoại.</p></td>\n  "
    "<td><p class=MsoNormal>Giấy khen</p></td></tr>\n "
    "<tr>"
    "<td><p class=MsoNormal>2</p></td>"
    "<td><p class=MsoNormal>Chi bộ thôn Ia Rsươm</p></td>"
    "<td><p class=MsoNormal>Đảng ủy xã Ia Blang</p></td>\n  "
    "<td><p class=MsoNormal>Hoàn thành xuất sắc nhiệm vụ năm 2025</p></td>"
    "<td><p class=MsoNormal>bằng  khen</p></td></tr>\n</table><!--EndFragment-->"
    "</body></html>"
)

EXCEL_TSV = (
    "STT\tTên tập thể / họ tên cá nhân\tChức vụ / đơn vị\tThành tích chủ yếu\tHình thức đề nghị\r\n"
    '1\tÔng Rơ Châm Đức\tTrưởng thôn Đê Klăh\t"Vận động nhân dân hiến đất làm đường;\n'
    'tiêu biểu ""Dân vận khéo"""\tBằng khen\r\n'
    "2\tHội Cựu chiến binh xã\tXã Ia Ko\tGiữ vững an ninh\tGiấy khen\r\n"
)


def test_a_word_table_pasted_as_html_becomes_rows_without_its_header_and_numbers():
    rows = tables.rows_from_cells(tables.pasted_cells("ignored text", WORD_HTML), SPEC)
    assert [row["cells"] for row in rows] == [
        [
            "Đồng chí Nguyễn Thị Hường",
            "Bí thư Chi bộ thôn Plei Ơi",
            "Có nhiều đóng góp trong việc xây dựng quy chế dân chủ;\ntổ chức tốt đối thoại.",
        ],
        ["Chi bộ thôn Ia Rsươm", "Đảng ủy xã Ia Blang", "Hoàn thành xuất sắc nhiệm vụ năm 2025"],
    ]
    # The form in the plan's spelling, whatever the case and spaces pasted.
    assert [row["form"] for row in rows] == ["Giấy khen", "Bằng khen"]
    assert tables.validate(rows, SPEC) == []


def test_an_excel_range_pasted_as_tabs_keeps_a_cell_with_a_line_break_and_quotes():
    rows = tables.rows_from_cells(tables.pasted_cells(EXCEL_TSV), SPEC)
    assert len(rows) == 2
    assert rows[0]["cells"] == [
        "Ông Rơ Châm Đức",
        "Trưởng thôn Đê Klăh",
        'Vận động nhân dân hiến đất làm đường;\ntiêu biểu "Dân vận khéo"',
    ]
    assert rows[1]["form"] == "Giấy khen"


def test_rows_pasted_without_numbers_or_header_are_taken_as_they_are():
    rows = tables.rows_from_cells(tables.pasted_cells("Chi bộ 3\tThôn 3\tTốt\tGiấy khen\n\n"), SPEC)
    assert rows[0]["cells"] == ["Chi bộ 3", "Thôn 3", "Tốt"]


def test_each_wrong_row_is_named_in_vietnamese():
    rows = [
        {"uid": "a", "cells": ["", "Bí thư", ""], "form": "Bằng khen"},
        {"uid": "b", "cells": ["Ông A", "", ""], "form": "Huân chương"},
        {"uid": "c", "cells": ["Ông B", "", ""], "form": ""},
        {"uid": "d", "cells": ["Ông C", "x", "y", "z"], "form": "Giấy khen"},
    ]
    with translation.override("vi"):
        errors = tables.validate(rows, SPEC)
    assert errors == [
        "Dòng 1: “Tên tập thể / họ tên cá nhân” để trống.",
        "Dòng 2: “Huân chương” không phải là hình thức kế hoạch quy định (Bằng khen, Giấy khen).",
        "Dòng 3: chưa chọn hình thức đề nghị.",
        "Dòng 4: dòng có 5 cột, bảng chỉ có 4 cột.",
    ]


def test_a_quota_shows_what_remains_and_refuses_more():
    spec = TableSpec(quotas=[Quota("huyen", "Bằng khen", 2)])
    rows = [{"uid": str(i), "cells": [f"Ông {i}"], "form": "Bằng khen"} for i in range(3)]
    [line] = tables.quota_lines(rows[:1], spec, "huyen")
    assert (line.form, line.used, line.quota, line.remaining) == ("Bằng khen", 1, 2, 1)
    assert tables.quota_lines(rows, spec, "co-so") == []  # no quota for communes
    with translation.override("vi"):
        [error] = tables.validate(rows, spec, level_code="huyen")
    assert error == (
        "Kế hoạch cho phép mỗi đơn vị cấp này đề nghị tối đa 2 “Bằng khen”; danh sách đang có "
        "3. Hãy bỏ bớt 1."
    )


# ------------------------------------------------------------ the form


@pytest.fixture
def table_item(published_plan, levels):
    item = item_of_type(published_plan, AnswerType.TABLE)
    item.choices = {
        **TableSpec().as_data(),
        "quotas": [{"level": "co-so", "form": "Bằng khen", "count": 1}],
    }
    item.save()
    return item


@pytest.fixture
def reporter(client, commune_report):
    client.force_login(MembershipFactory(unit=commune_report.unit, role=Role.REPORTER).user)
    return client


def rows_data(item, rows, version, **extra):
    prefix = f"item{item.pk}"
    data = {f"{prefix}-version": str(version), **extra}
    for key in ("uid", "c0", "c1", "c2", "form"):
        data[f"{prefix}-{key}"] = [row.get(key, "") for row in rows]
    return data


def test_rows_autosave_keep_their_ids_and_an_old_version_is_a_conflict(
    reporter, commune_report, table_item
):
    url = reverse("reports:item", args=[commune_report.pk, table_item.pk])
    rows = [
        {"uid": "0a1b2c3d", "c0": "Ông Kpă Hlin", "c1": "Bí thư", "c2": "Tốt", "form": "Bằng khen"},
        {"uid": "", "c0": "", "c1": "", "c2": "", "form": ""},  # the blank row: left out
    ]
    response = reporter.post(url, rows_data(table_item, rows, 0), **HTMX)
    assert 'data-state="saved"' in response.content.decode()
    answer = Answer.objects.get(report=commune_report, item=table_item)
    assert answer.rows == [
        {"uid": "0a1b2c3d", "cells": ["Ông Kpă Hlin", "Bí thư", "Tốt"], "form": "Bằng khen"}
    ]
    rows[0]["c2"] = "Hoàn thành xuất sắc"
    stale = reporter.post(url, rows_data(table_item, rows, 0), **HTMX).content.decode()
    assert 'data-state="conflict"' in stale
    answer.refresh_from_db()
    assert answer.rows[0]["cells"][2] == "Tốt"
    assert answer.version == 1


def test_a_row_over_the_quota_is_refused_and_nothing_is_saved(reporter, commune_report, table_item):
    url = reverse("reports:item", args=[commune_report.pk, table_item.pk])
    rows = [{"uid": "", "c0": f"Ông {i}", "form": "Bằng khen"} for i in range(2)]
    with translation.override("vi"):
        body = reporter.post(url, rows_data(table_item, rows, 0), **HTMX).content.decode()
    assert 'data-state="error"' in body
    assert "tối đa 1 “Bằng khen”" in body
    assert not Answer.objects.filter(report=commune_report, item=table_item).exists()


def test_a_paste_without_javascript_adds_rows_and_a_wrong_one_stays_on_the_page(
    reporter, commune_report, table_item
):
    url = reverse("reports:item", args=[commune_report.pk, table_item.pk])
    prefix = f"item{table_item.pk}"
    data = rows_data(table_item, [], 0, action="paste")
    data[f"{prefix}-paste"] = "1\tChi bộ thôn 2\tXã Ia Ko\tTiêu biểu\tGiấy khen\n"
    response = reporter.post(url, data)
    assert response.status_code == 302
    answer = Answer.objects.get(report=commune_report, item=table_item)
    assert [row["cells"][0] for row in answer.rows] == ["Chi bộ thôn 2"]

    data = rows_data(
        table_item,
        [{"uid": answer.rows[0]["uid"], "c0": "Chi bộ thôn 2", "form": "Giấy khen"}],
        answer.version,
        action="paste",
    )
    data[f"{prefix}-paste"] = "Bà H'Nhung\tHội Phụ nữ\tTốt\tKỷ niệm chương\n"
    response = reporter.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200  # the page, with the rows as posted
    assert "Bà H&#x27;Nhung" in body
    assert "Kỷ niệm chương" in body
    answer.refresh_from_db()
    assert len(answer.rows) == 1


def test_the_report_page_and_its_pdf_show_the_list(reporter, commune_report, table_item):
    Answer.objects.create(
        report=commune_report,
        item=table_item,
        version=1,
        rows=[
            {
                "uid": "1",
                "cells": ["Chi bộ thôn Plei Ơi", "Xã Ia Blang", "Tốt"],
                "form": "Giấy khen",
            }
        ],
    )
    page = reporter.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    assert 'data-testid="table-answer"' in page
    assert "Chi bộ thôn Plei Ơi" in page
    assert 'data-testid="quota" data-form="Bằng khen" data-remaining="1"' in page
    doc = documents.build(commune_report)
    [annex] = doc.annexes
    assert annex.title == "PHỤ LỤC\nDANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    assert annex.tables[0].rows == [
        ["1", "Chi bộ thôn Plei Ơi", "Xã Ia Blang", "Tốt", "Giấy khen", commune_report.unit_label]
    ]
    assert any("Giấy khen: 1" in block.text for block in doc.blocks)
    assert render_pdf(doc)[:4] == b"%PDF"


# ------------------------------------------------------------ round trip

HEADER = {label.casefold() for label in ["STT", *SPEC.header]}
cell = (
    st.text(
        alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẠẢÃỲỸ ,.;-/()\"'")),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and s.casefold() not in HEADER)
)
row = st.tuples(cell, st.one_of(st.just(""), cell), cell, st.sampled_from(SPEC.forms))


def _as_word(rows) -> str:
    from django.utils.html import escape

    body = "".join(
        "<tr>"
        + f"<td><p class=MsoNormal>{n}</p></td>"
        + "".join(f"<td><p class=MsoNormal>{escape(c)}<o:p></o:p></p></td>" for c in r)
        + "</tr>"
        for n, r in enumerate(rows, start=1)
    )
    return f"<table class=MsoTableGrid>{body}</table>"


def _as_excel(rows) -> str:
    def quoted(text):
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if '"' in text else text

    return "".join("\t".join(quoted(c) for c in r) + "\r\n" for r in rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=6), word=st.booleans())
def test_pasted_rows_print_as_they_were_typed(rows, word):
    cells = (
        tables.pasted_cells(html=_as_word(rows)) if word else tables.pasted_cells(_as_excel(rows))
    )
    parsed = tables.rows_from_cells(cells, SPEC)
    assert tables.validate(parsed, SPEC) == []
    printed = [documents.table_cells(SPEC, r, n, "Xã A") for n, r in enumerate(parsed, start=1)]
    assert printed == [[str(n), *r, "Xã A"] for n, r in enumerate(rows, start=1)]


def test_a_table_spec_reads_back_what_the_outline_editor_wrote():
    spec = TableSpec(
        columns=["Họ tên", "Thành tích"],
        forms=["Bằng khen"],
        quotas=[Quota("huyen", "Bằng khen", 2)],
    )
    assert table_spec(spec.as_data()) == spec
    assert table_spec([]) == TableSpec()  # an item that was a choice list


def test_the_list_downloads_as_a_workbook_with_numbers_and_units(
    reporter, commune_report, table_item
):
    from io import BytesIO

    from openpyxl import load_workbook

    Answer.objects.create(
        report=commune_report,
        item=table_item,
        version=1,
        rows=[{"uid": "1", "cells": ["=SUM(A1)", "Xã", "Tốt"], "form": "Bằng khen"}],
    )
    response = reporter.get(reverse("reports:tables_xlsx", args=[commune_report.pk]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "STT"
    assert rows[1] == [1, "=SUM(A1)", "Xã", "Tốt", "Bằng khen", commune_report.unit_label]
    assert sheet["B2"].data_type == "s"  # text, never a formula


def test_a_paste_over_a_newer_version_keeps_the_rows_posted_on_the_page(
    reporter, commune_report, table_item
):
    Answer.objects.create(
        report=commune_report,
        item=table_item,
        version=2,
        rows=[{"uid": "0000000a", "cells": ["Bản của người khác", "", ""], "form": "Giấy khen"}],
    )
    prefix = f"item{table_item.pk}"
    data = rows_data(table_item, [], 1, action="paste")
    data[f"{prefix}-paste"] = "Chi bộ thôn 9\tXã Ia Ko\tTiêu biểu\tGiấy khen\n"
    response = reporter.post(reverse("reports:item", args=[commune_report.pk, table_item.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Chi bộ thôn 9"' in body
    assert f'name="{prefix}-version" value="2"' in body  # saving again is from theirs
    answer = Answer.objects.get(report=commune_report, item=table_item)
    assert [r["cells"][0] for r in answer.rows] == ["Bản của người khác"]


def test_a_list_longer_than_a_post_can_carry_is_refused_by_its_own_rule(settings):
    wide = TableSpec(columns=[f"Cột {i}" for i in range(12)])
    limit = tables.row_limit(wide)
    assert limit * (len(wide.header) + 2) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    rows = [{"uid": str(i), "cells": ["Ông A"], "form": "Giấy khen"} for i in range(limit + 1)]
    with translation.override("vi"):
        assert tables.validate(rows, wide)[0] == f"Mỗi bảng có tối đa {limit} dòng."
    assert tables.validate(rows[:limit], wide) == []
