"""The outline parser turns pasted Đề cương text into a tree of items.

Fixtures under data/ are copied verbatim from the seed plans: seed 000's
section II, seed 000 whole (a Roman-numbered plan with Word debris) and the
annexed outline of seed 003.
"""

import random
from pathlib import Path

import pytest

from campaigns.outline_parser import (
    OutlineNode,
    ParseResult,
    answer_hint,
    flatten,
    parse_outline,
)

DATA = Path(__file__).parent / "data"


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _find(result: ParseResult, numbering_path: str) -> OutlineNode:
    """Follow a path such as "2./2.2./-#2" (the second "-" under 2.2.)."""
    nodes = result.nodes
    node = None
    for step in numbering_path.split("/"):
        numbering, _, nth = step.partition("#")
        matches = [n for n in nodes if n.numbering == numbering]
        node = matches[int(nth or 1) - 1]
        nodes = node.children
    assert node is not None
    return node


def _shape(nodes: list[OutlineNode]) -> list:
    return [(n.numbering, n.title, n.guidance, _shape(n.children)) for n in nodes]


@pytest.fixture
def seed000() -> ParseResult:
    return parse_outline(_read("seed000_outline.txt"))


# --- Seed 000, section II ----------------------------------------------------


def test_it_parses_the_six_top_items_of_seed_000(seed000):
    assert [n.numbering for n in seed000.nodes] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert seed000.errors == []
    assert seed000.preamble == ""
    assert seed000.nodes[5].title == "Kiến nghị, đề xuất"


def test_it_nests_two_level_numbers_under_their_parent(seed000):
    assert [n.numbering for n in seed000.nodes[0].children] == ["1.1.", "1.2.", "1.3."]
    assert [n.numbering for n in seed000.nodes[1].children] == ["2.1.", "2.2.", "2.3."]
    assert [n.numbering for n in seed000.nodes[2].children] == ["3.1.", "3.2."]


def test_it_nests_dash_and_plus_bullets(seed000):
    item = _find(seed000, "2./2.2.")
    assert [n.numbering for n in item.children] == ["-", "-"]
    quality = item.children[1]
    assert quality.title == "Chất lượng các cuộc tiếp xúc, đối thoại trực tiếp với nhân dân:"
    assert [n.numbering for n in quality.children] == ["+", "+"]
    assert quality.children[0].title == "Việc lựa chọn chủ đề tiếp xúc, đối thoại trực tiếp."
    assert [n.numbering for n in _find(seed000, "6.").children] == ["-", "-"]


def test_it_attaches_unnumbered_lines_as_guidance(seed000):
    assert _find(seed000, "4.").guidance.startswith("Đề nghị đánh giá đúng thực chất")
    assert _find(seed000, "4.").title == (
        "Đánh giá những tồn tại, hạn chế, nguyên nhân và bài học kinh nghiệm"
    )
    assert _find(seed000, "5.").guidance.startswith("Xác định rõ phương hướng")
    assert _find(seed000, "1.").guidance == ""


def test_it_joins_a_sentence_broken_across_lines(seed000):
    third = _find(seed000, "3./3.2./-#3")
    assert third.title == (
        "Đối với ý kiến đóng góp qua đối thoại trực tiếp (đối thoại giữa người đứng đầu "
        "cấp ủy, chính quyền các cấp với nhân dân hoặc thông qua tiếp xúc trực tiếp)."
    )
    assert third.guidance == ""


def test_it_hints_a_number_per_year_anywhere_in_the_title(seed000):
    first = _find(seed000, "2./2.2./-")
    assert first.title.startswith("Việc tổ chức các cuộc tiếp xúc")
    assert first.answer_hint == "per_year_number"
    assert _find(seed000, "4.").answer_hint == "list"
    assert _find(seed000, "6.").answer_hint == "list"
    assert _find(seed000, "2./2.1.").answer_hint == "text"


def test_it_marks_items_with_children_as_headings(seed000):
    assert _find(seed000, "2.").kind_hint == "heading"
    assert _find(seed000, "2./2.2.").kind_hint == "heading"
    assert _find(seed000, "2./2.2./-#2").kind_hint == "heading"
    assert _find(seed000, "2./2.1.").kind_hint == "item"
    assert _find(seed000, "4.").kind_hint == "item"


def test_it_records_the_source_line_of_each_item(seed000):
    assert _find(seed000, "1.").line == 1
    assert _find(seed000, "1./1.2.").line == 4
    assert _find(seed000, "6.").line == 34


def test_it_flattens_in_document_order_with_depths(seed000):
    flat = [(depth, node.numbering) for depth, node in flatten(seed000.nodes)]
    assert flat[:6] == [(0, "1."), (1, "1.1."), (1, "1.2."), (1, "1.3."), (0, "2."), (1, "2.1.")]
    assert (3, "+") in flat
    assert len(flat) == 23


def test_it_reads_a_word_paste_like_the_clean_text(seed000):
    lines = _read("seed000_outline.txt").splitlines()
    messy = "\r\n".join(
        "\t" + line.replace(". ", ".\u00a0", 1) + "   " if i % 3 == 0 else line
        for i, line in enumerate(lines)
    )
    assert _shape(parse_outline(messy).nodes) == _shape(seed000.nodes)


# --- Seed 003, the annexed Đề cương -----------------------------------------


def test_it_parses_the_annexed_outline_of_seed_003():
    result = parse_outline(_read("seed003_outline.txt"))
    assert result.errors == []
    assert [n.numbering for n in result.nodes] == ["1.", "2.", "3.", "4.", "5."]
    assert [len(n.children) for n in result.nodes] == [2, 6, 3, 2, 2]
    assert all(c.numbering == "-" for n in result.nodes for c in n.children)
    assert _find(result, "3.").title == "Đánh giá chung"
    assert _find(result, "5./-#2").title.startswith("Đề xuất, kiến nghị với Trung ương")


def test_it_keeps_the_outline_heading_as_preamble_without_italic_marks():
    result = parse_outline(_read("seed003_outline.txt"))
    assert result.preamble.splitlines() == [
        "ĐỀ CƯƠNG",
        "báo cáo tổng kết 10 năm thực hiện Quyết định 221-QĐ/TW,",
        "Quyết định 1141-QĐ/TU",
        "(kèm theo Kế hoạch số 174-KH/TU, ngày 03/12/2018",
        "của Ban Thường vụ Tỉnh ủy)",
    ]


def test_it_hints_lists_for_weaknesses_causes_and_proposals_in_seed_003():
    result = parse_outline(_read("seed003_outline.txt"))
    assert [c.answer_hint for c in _find(result, "3.").children] == ["text", "list", "list"]
    assert [c.answer_hint for c in _find(result, "5.").children] == ["list", "list"]
    # Describing an activity that proposes things is narrative, not a list.
    assert _find(result, "2./-#4").title.startswith("Công tác đề xuất")
    assert _find(result, "2./-#4").answer_hint == "text"


# --- A whole plan pasted, Roman sections -------------------------------------


def test_it_parses_a_whole_plan_with_roman_sections():
    result = parse_outline(_read("seed000_plan.txt"))
    assert [n.numbering for n in result.nodes] == ["I-", "II-", "III-", "IV-"]
    assert all(n.kind_hint == "heading" for n in result.nodes)
    assert _find(result, "III-").title == "HÌNH THỨC, THỜI GIAN SƠ KẾT"
    content = _find(result, "II-")
    assert content.title == "NỘI DUNG SƠ KẾT"
    assert [n.numbering for n in content.children] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert [n.numbering for n in _find(result, "II-/2./2.2./-#2").children] == ["+", "+"]
    assert len(_find(result, "III-/2.").children) == 3
    assert result.errors == []


def test_it_keeps_the_plan_header_as_preamble():
    result = parse_outline(_read("seed000_plan.txt"))
    assert "Số 279-KH/TU" in result.preamble
    # The seed mixes combining accents (NFD) into the header; output is NFC.
    assert "Chương trình làm việc năm 2020" in result.preamble
    assert "-----" not in result.preamble
    assert result.preamble.endswith("cụ thể như sau:")


def test_it_depths_markers_relative_to_the_kinds_seen():
    bare = parse_outline("1. Một\n1.1. Một một\n- Gạch\n+ Cộng\n2. Hai")
    assert [(d, n.numbering) for d, n in flatten(bare.nodes)] == [
        (0, "1."),
        (1, "1.1."),
        (2, "-"),
        (3, "+"),
        (0, "2."),
    ]
    sectioned = parse_outline("I- PHẦN MỘT\n1. Một\n- Gạch\nII- PHẦN HAI\n1. Một")
    assert [(d, n.numbering) for d, n in flatten(sectioned.nodes)] == [
        (0, "I-"),
        (1, "1."),
        (2, "-"),
        (0, "II-"),
        (1, "1."),
    ]
    assert bare.errors == sectioned.errors == []


def test_it_normalises_marker_spellings():
    text = "I. MỘT\n2) Hai\n3- Ba\n3.1 Ba một\n3.1.1 Sâu\nb) Bê\n• Chấm\n– Gạch ngang\n+Cộng"
    result = parse_outline(text)
    assert [n.numbering for _, n in flatten(result.nodes)] == [
        "I-",
        "2.",
        "3.",
        "3.1.",
        "3.1.1.",
        "b)",
        "-",
        "-",
        "+",
    ]
    assert [n.title for _, n in flatten(result.nodes)][-1] == "Cộng"
    assert result.errors == []


def test_it_places_lettered_items_between_numbers_and_bullets():
    result = parse_outline("1. Một\na) A\n- Gạch của a\nb) B\n2. Hai")
    assert [(d, n.numbering) for d, n in flatten(result.nodes)] == [
        (0, "1."),
        (1, "a)"),
        (2, "-"),
        (1, "b)"),
        (0, "2."),
    ]


def test_it_accepts_an_outline_of_bullets_only():
    result = parse_outline("- Một\n+ Một một\n- Hai")
    assert [(d, n.numbering) for d, n in flatten(result.nodes)] == [(0, "-"), (1, "+"), (0, "-")]
    assert result.errors == []


def test_it_fills_a_lone_number_with_the_next_line():
    result = parse_outline("1.\nĐánh giá chung\nCần nêu rõ kết quả.")
    assert result.nodes[0].title == "Đánh giá chung"
    assert result.nodes[0].guidance == "Cần nêu rõ kết quả."
    assert result.errors == []


def test_it_rejoins_a_hyphenated_pair_split_before_the_hyphen():
    result = parse_outline("1. Triển khai kế hoạch phát triển kinh tế\n- xã hội của địa phương")
    assert result.nodes[0].title == "Triển khai kế hoạch phát triển kinh tế - xã hội của địa phương"
    assert result.nodes[0].children == []


def test_it_strips_footnote_marks_and_stray_asterisks():
    result = parse_outline("1. Nội dung báo cáo(*)\n2. Cách thức (*theo đề cương gợi ý*)")
    assert [n.title for n in result.nodes] == [
        "Nội dung báo cáo",
        "Cách thức (theo đề cương gợi ý)",
    ]


def test_it_does_not_take_dates_or_counts_for_numbers():
    result = parse_outline("1. Thời gian\n12/3 hoàn thành\n2018-2020 triển khai\n1.000 người")
    assert len(result.nodes) == 1
    assert result.nodes[0].guidance.splitlines() == [
        "12/3 hoàn thành",
        "2018-2020 triển khai",
        "1.000 người",
    ]


# --- Errors ------------------------------------------------------------------


def _only_error(text: str):
    errors = parse_outline(text).errors
    assert len(errors) == 1, errors
    return errors[0]


def test_it_reports_a_plus_bullet_with_nothing_above():
    error = _only_error("\n\n+ Việc lựa chọn chủ đề\n")
    assert error.line == 3
    assert error.text == "+ Việc lựa chọn chủ đề"
    assert "3" in error.message
    assert "+ Việc lựa chọn chủ đề" in error.message


def test_it_reports_a_two_level_number_without_its_parent():
    error = _only_error("I- NỘI DUNG\n1.1. Công tác lãnh đạo")
    assert error.line == 2
    assert "2" in error.message
    assert "1.1. Công tác" in error.message
    assert "“1.”" in error.message


def test_it_reports_a_two_level_number_under_the_wrong_parent():
    result = parse_outline("1. Một\n1.1. Một một\n2.1. Hai một")
    assert [e.line for e in result.errors] == [3]
    assert "2.1. Hai một" in result.errors[0].message
    # Best effort: the stray item is still kept where it was found.
    assert [n.numbering for n in result.nodes[0].children] == ["1.1.", "2.1."]


def test_it_reports_a_dash_before_the_first_numbered_item():
    result = parse_outline("Đề cương\n- Gạch đầu dòng\n1. Một")
    assert [e.line for e in result.errors] == [2]
    assert "- Gạch đầu dòng" in result.errors[0].message
    assert [n.numbering for n in result.nodes] == ["-", "1."]


def test_it_reports_an_item_without_text():
    error = _only_error("1. Một\n2.\n3. Ba")
    assert error.line == 2
    assert "2" in error.message
    assert "“2.”" in error.message


@pytest.mark.parametrize("text", ["", "   \n\t\r\n\u00a0", None])
def test_it_reports_an_empty_outline(text):
    result = parse_outline(text)
    assert result.nodes == []
    assert len(result.errors) == 1


def test_it_reports_text_without_any_item():
    result = parse_outline("Chỉ có một đoạn văn.\nKhông có mục nào.")
    assert result.nodes == []
    assert result.preamble == "Chỉ có một đoạn văn.\nKhông có mục nào."
    assert len(result.errors) == 1


def test_it_quotes_only_the_beginning_of_a_long_line():
    error = _only_error("+ " + "rất dài " * 40)
    assert "…" in error.message
    assert len(error.message) < 200


def test_it_never_raises_on_garbage():
    rng = random.Random(20200225)
    alphabet = "IVXL1234567890.-–)(+*•a bcđĐ\n\r\t\u00a0\u0301\ufffd\ufeffSố năm:;"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        result = parse_outline(text)
        lines = len(text.splitlines())
        assert all(0 <= node.line <= lines for _, node in flatten(result.nodes))
        assert all(0 <= error.line <= lines for error in result.errors)
    for text in ["\x00\x01\x02", "(" * 1000, "1." * 5000, "-\n" * 300, "+\n+\n+", "\u2028\u2029"]:
        parse_outline(text)


# --- Answer hints ------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "hint"),
    [
        ("Số cuộc tiếp xúc, đối thoại đã triển khai từng năm.", "per_year_number"),
        ("Số lượng kiến nghị tiếp nhận hằng năm", "per_year_number"),
        ("Tổng số đảng viên tham gia mỗi năm", "per_year_number"),
        ("Số cuộc tiếp xúc, đối thoại đã triển khai.", "number"),
        ("Số lượng văn bản đã ban hành", "number"),
        ("Số 279-KH/TU hằng năm", "text"),
        ("Việc xây dựng kế hoạch hằng năm", "text"),
        ("Ưu điểm, khuyết điểm", "list"),
        ("Những tồn tại, hạn chế và nguyên nhân", "list"),
        ("BÀI HỌC KINH NGHIỆM", "list"),
        ("Công tác giải quyết những ý kiến kiến nghị của nhân dân", "text"),
        ("Đánh giá việc triển khai thực hiện.", "text"),
    ],
)
def test_it_guesses_the_answer_type_from_the_title(title, hint):
    assert answer_hint(title) == hint
