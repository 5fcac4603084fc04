"""A long last annex rendered in pieces and merged gives the single pass's pages.

Not the demo: a three-level tree's units (province, districts, communes,
party cells), a unit with a name long enough to wrap over three lines, two
tables one after the other (the cut crosses from the first to the second),
and cuts planned wrong on purpose (a piece must then be rendered again).
"""

import io

import pytest
from pypdf import PdfReader

from documents import chunked_pdf
from documents.content import PARA, Annex, Block, OfficialDocument, Table
from documents.pdf import render_pdf

LONG_NAME = (
    "Đảng ủy xã Ia Hrú thuộc Huyện ủy Chư Pưh, đơn vị mới sáp nhập từ ba xã "
    "Ia Hrú, Ia Rong và Ia Dreng theo Nghị quyết của Ủy ban Thường vụ Quốc hội "
    "(chưa được Huyện ủy Chư Pưh tổng hợp)"
)


def _names(count: int) -> list[str]:
    names = []
    for index in range(count):
        district = index // 40
        if index % 40 == 0:
            names.append(f"Huyện ủy Thử nghiệm {district}")
        elif index % 9 == 0:
            names.append(f"Chi bộ thôn {index} thuộc Đảng ủy xã {index - 1}")
        else:
            names.append(f"Đảng ủy xã Thử nghiệm {index}")
    names[57] = LONG_NAME
    return names


def _table(names: list[str], columns: int) -> Table:
    rows = [
        [str(number), name, *[f"{number * (c + 1)}.{c:03d}" for c in range(columns)]]
        for number, name in enumerate(names, start=1)
    ]
    rows.append(["", "Tổng cộng", *["9.999.999"] * columns])
    width = 10
    return Table(
        header=["STT", "Đơn vị", *[f"({c + 1})" for c in range(columns)]],
        rows=rows,
        numeric_columns={0, *range(2, 2 + columns)},
        widths=[5, 95 - width * columns, *[width] * columns],
    )


def document(rows: int = 130) -> OfficialDocument:
    names = _names(rows)
    return OfficialDocument(
        issuer_name="ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        superior_body="ĐẢNG BỘ TỈNH PHÚ THỌ",
        number_symbol="45-BC/ĐUK",
        place_date="Phú Thọ, ngày 05 tháng 02 năm 2026",
        doc_type="BÁO CÁO",
        summary="Tổng kết 10 năm thực hiện Chỉ thị 05-CT/TW",
        blocks=[Block(style=PARA, text="Nội dung báo cáo của Đảng ủy Khối.")],
        recipients=["Ban Thường vụ Tỉnh ủy (b/c)", "Lưu Văn phòng Đảng ủy Khối."],
        signer_position="BÍ THƯ",
        signer_name="Nguyễn Văn Thử",
        sign_on_behalf="T/M BAN THƯỜNG VỤ",
        annexes=[
            Annex(
                title="PHỤ LỤC 2\nTình hình gửi báo cáo",
                subtitle="(kèm theo Báo cáo số 45-BC/ĐUK)",
                blocks=[Block(style=PARA, text="Tính theo các báo cáo đã được tiếp nhận.")],
            ),
            Annex(
                title="PHỤ LỤC 3\nSố liệu tổng hợp theo từng đơn vị",
                subtitle="(kèm theo Báo cáo số 45-BC/ĐUK)",
                blocks=[Block(style=PARA, text="(1) Số đảng viên mới kết nạp. " * 12)],
                tables=[_table(names, 3), _table(names[:70], 5)],
                landscape=True,
            ),
        ],
    )


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def single_pass() -> list[str]:
    return pages_text(render_pdf(document()))


def test_pieces_give_the_pages_of_a_single_pass(single_pass):
    merged, again = chunked_pdf.render_in_pieces(document(), head_rows=7, pages_per_piece=2)
    assert pages_text(merged) == single_pass
    assert again == 0  # the planned cuts were where pages start
    assert len(single_pass) > 8


def test_a_cut_where_no_page_starts_is_rendered_again_from_the_right_row(single_pass):
    doc = chunked_pdf.numbered(document())
    rows = chunked_pdf.row_count(doc)
    # Odd cuts: inside a page of the first table, one across into the second.
    cuts = [
        chunked_pdf.Cut(start=0, end=23),
        chunked_pdf.Cut(start=23, end=61),
        chunked_pdf.Cut(start=61, end=139),
        chunked_pdf.Cut(start=139, end=None),
    ]
    assert cuts[-1].start < rows
    # Numbered as if each piece had three pages: wrong from the second on.
    pieces = [
        chunked_pdf.render_at((doc, c.start, c.stop, 3 * index + 1 if index else None))
        for index, c in enumerate(cuts)
    ]
    renders = []

    def again(start, stop, first_page):
        renders.append((start, stop))
        return chunked_pdf.render_at((doc, start, stop, first_page))

    merged, count = chunked_pdf.assemble(cuts, lambda index: pieces[index], again)
    assert pages_text(merged) == single_pass
    assert count == len(renders) >= 1
    assert all(start not in (23, 61, 139) for start, _stop in renders)


def test_page_numbers_run_on_from_page_two(single_pass):
    merged, _again = chunked_pdf.render_in_pieces(document(), head_rows=7, pages_per_piece=3)
    texts = pages_text(merged)
    assert not texts[0].rstrip().endswith("1")
    for number, text in enumerate(texts[1:], start=2):
        assert text.rstrip().splitlines()[-1] == str(number)


def test_every_page_of_the_annex_repeats_the_header_row(single_pass):
    merged, _again = chunked_pdf.render_in_pieces(document(), head_rows=7, pages_per_piece=2)
    annex_pages = [text for text in pages_text(merged) if "Đảng ủy xã Thử nghiệm" in text]
    assert len(annex_pages) > 4
    assert all("STT Đơn vị (1) (2) (3)" in text or "STT Đơn vị (1)" in text for text in annex_pages)


def test_the_predicted_page_starts_are_those_of_weasyprint():
    doc = chunked_pdf.numbered(document())
    piece = chunked_pdf.render_piece(chunked_pdf.piece_html(doc, 0, None))
    actual = [row for row in piece.page_rows if row is not None]
    assert chunked_pdf.page_starts(doc, actual[0]) == actual
