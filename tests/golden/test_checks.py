"""The golden checks themselves, on crafted text: each must catch what it is for."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from documents.formatting import date_words, month_words, short_date

from . import checks

# --- Padded months --------------------------------------------------------------


def test_it_catches_a_padded_month_in_words_and_in_figures():
    text = "trước ngày 12 tháng 03 năm 2020; kèm theo Kế hoạch ngày 25/03/2020 và ngày 9/07/2019"
    assert checks.padded_months(text) == ["tháng 03", "25/03/2020", "9/07/2019"]


def test_it_accepts_padded_days_and_the_months_01_and_02():
    text = (
        "ngày 05 tháng 9 năm 2025, ngày 25 tháng 02 năm 2020, ngày 15 tháng 01 năm 2019, "
        "ngày 03/12/2018, 25/02/2020, sơ kết 03 năm, tháng 10 năm 2009, 05 năm"
    )
    assert checks.padded_months(text) == []


def test_it_reads_decomposed_vietnamese_as_composed():
    import unicodedata

    assert checks.padded_months(unicodedata.normalize("NFD", "ngày 1 tháng 04 năm 2020")) == [
        "tháng 04"
    ]


@given(st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_the_documents_own_dates_are_never_taken_for_padded_months(day):
    text = f"{date_words(day)}, {short_date(day)}, {month_words(day.month, day.year)}"
    assert checks.padded_months(text) == []


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=28))
def test_a_month_padded_by_hand_is_caught_unless_it_is_01_or_02(month, day):
    found = checks.padded_months(f"ngày {day} tháng {month:02d} năm 2020; {day}/{month:02d}/2020")
    assert bool(found) == (3 <= month <= 9)


# --- Symbols split across lines ---------------------------------------------------


def test_it_catches_a_symbol_broken_after_its_hyphen():
    lines = [
        "Thực hiện Quyết định 553-QĐ/TU, Quyết định 554-",
        "QĐ/TU, cụ thể như sau:",
    ]
    assert checks.split_symbols(lines) == [
        "…ịnh 553-QĐ/TU, Quyết định 554- | QĐ/TU, cụ thể như sau:…"
    ]


def test_it_catches_a_symbol_broken_after_its_slash_before_or_at_the_hyphen():
    cases = [
        ["Số 279-KH/", "TU"],
        ["theo Kết luận số 10-KL", "/TW của Bộ Chính trị"],
        ["Kế hoạch số 48", "-KH/ĐUK ngày 05 tháng 9"],
    ]
    for lines in cases:
        assert len(checks.split_symbols(lines)) == 1, lines


def test_it_leaves_whole_symbols_hyphens_and_numbers_alone():
    lines = [
        "Quyết định 553-QĐ/TU,",
        "Quyết định 554-QĐ/TU nhằm đánh giá",
        "phát triển kinh tế -",
        "xã hội trong 10 năm 2015-",
        "2025 và năm 2020",
        "số cuộc: 12",
        "- Hình thức quán triệt: hội nghị",
        "và/",
        "hoặc đối thoại",
    ]
    assert checks.split_symbols(lines) == []


SYMBOL = st.tuples(
    st.integers(min_value=1, max_value=2999),
    st.sampled_from(["QĐ", "KH", "BC", "CT", "KL", "HD", "TB", "NQ"]),
    st.sampled_from(["TU", "TW", "HU", "ĐUK", "BTGTU", "ĐU"]),
).map(lambda parts: f"{parts[0]}-{parts[1]}/{parts[2]}")


@given(SYMBOL, st.data())
def test_a_symbol_broken_anywhere_is_caught_and_a_whole_one_never(symbol, data):
    cut = data.draw(st.integers(min_value=1, max_value=len(symbol) - 1))
    head, tail = symbol[:cut], symbol[cut:]
    before, after = "Thực hiện Quyết định số", "ngày 14 tháng 3 năm 2017"
    if head[-1].isdigit() and tail[0].isdigit():
        return  # inside the number: the line would end in digits and start in digits
    broken = [f"{before} {head}", f"{tail} {after}"]
    if head.endswith("-") or head.endswith("/") or tail.startswith(("/", "-")):
        assert checks.split_symbols(broken), broken
    assert checks.split_symbols([f"{before} {symbol}", after]) == []
    assert checks.split_symbols([before, f"{symbol} {after}"]) == []


# --- Filled pages ---------------------------------------------------------------


def test_a_short_page_is_wrong_unless_it_ends_a_section():
    filled = [0.45, 0.97, 0.30, 0.80, 0.20]
    assert checks.underfilled(filled, section_ends=[3, 5]) == [(1, 0.45)]
    assert checks.underfilled(filled, section_ends=[1, 3, 5]) == []


# --- Against the golden -----------------------------------------------------------

GOLDEN = {
    "pages": 2,
    "filled": [0.98, 0.40],
    "text": [
        " ".join(["Việc sơ kết phải được chỉ đạo thực hiện từ cơ sở."] * 40),
        "T/M BAN THƯỜNG VỤ BÍ THƯ Dương Văn Trang",
    ],
}


def test_the_same_pages_compare_equal():
    assert checks.page_count_problem(GOLDEN, GOLDEN) == ""
    assert checks.text_problems(GOLDEN, GOLDEN, 0.98) == []
    assert checks.fill_problems(GOLDEN, GOLDEN, 0.04) == []


def test_a_changed_word_is_tolerated_but_a_changed_line_is_not():
    words = GOLDEN["text"][0].split()
    words[5] = "đạo,"
    one_word = {**GOLDEN, "text": [" ".join(words), GOLDEN["text"][1]]}
    assert checks.text_problems(GOLDEN, one_word, 0.98) == []
    changed = {**GOLDEN, "text": [GOLDEN["text"][0], "T/M BAN CHỈ ĐẠO TRƯỞNG BAN Hồ Văn Niên"]}
    [problem] = checks.text_problems(GOLDEN, changed, 0.98)
    assert problem.startswith("page 2: text ")
    assert (
        "after “…T/M BAN”: golden “THƯỜNG VỤ BÍ THƯ Dương” now “CHỈ ĐẠO TRƯỞNG BAN Hồ”" in problem
    )


def test_a_page_more_or_a_page_filled_otherwise_is_reported():
    longer = {"pages": 3, "filled": [0.98, 0.97, 0.10], "text": [*GOLDEN["text"], ""]}
    assert checks.page_count_problem(GOLDEN, longer).startswith("3 pages, the golden has 2.")
    shifted = {**GOLDEN, "filled": [0.98, 0.45]}
    assert checks.fill_problems(GOLDEN, shifted, 0.04) == [
        "page 2: filled 45% of the page, golden 40% (±4% allowed)"
    ]
    assert checks.fill_problems(GOLDEN, {**GOLDEN, "filled": [0.95, 0.43]}, 0.04) == []


def test_any_changed_word_of_the_document_is_reported_with_its_page():
    assert checks.word_changes(GOLDEN, GOLDEN) == ""
    moved = {**GOLDEN, "text": [GOLDEN["text"][0] + " T/M", GOLDEN["text"][1][4:]]}
    assert checks.word_changes(GOLDEN, moved) == ""  # a word over the page break
    deadline = {**GOLDEN, "text": [GOLDEN["text"][0], GOLDEN["text"][1] + " trước ngày 30"]}
    assert checks.word_changes(GOLDEN, deadline) == (
        "the words changed: gone none; new “trước”, “ngày”, “30” (added on page 2)"
    )
