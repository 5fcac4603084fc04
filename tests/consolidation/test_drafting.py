"""Drafted consolidated text a leader could sign after light editing (issue #13, item 9).

Each failure seen in the drafts is a regression case here: bullets cut at ";"
starting lower-case, "- - …" and "- (3 đơn vị) - …", the same clause twice,
and a commune's wording ("Ban Thường vụ Đảng ủy xã") in the province's report.
"""

import re

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from campaigns.models import AnswerType
from consolidation import drafting
from consolidation.drafting import DRAFT_LINES, clause_key, draft_lines, split_clauses
from orgunits.models import Role
from reports.models import Answer, Report, ReportStatus
from tests.factories import (
    AnswerFactory,
    MembershipFactory,
    ReportFactory,
    add_unit,
    set_answer_type,
)


def first_letter(line: str) -> str:
    """The first letter or digit: a sentence may start with a figure."""
    return next((ch for ch in line if ch.isalnum()), "")


# --- Clauses ------------------------------------------------------------------


def test_it_cuts_at_semicolons_full_stops_and_line_breaks_and_drops_the_marks():
    text = (
        "- Đã quán triệt; đã ban hành kế hoạch.\n"
        "+ Còn thiếu kinh phí. Nhân dân đồng tình\n"
        "• ưu tiên đối thoại\n"
        "* a) giải quyết kiến nghị\n"
        "1. Tổ chức hội nghị\n"
        "2.1. - - Kiểm tra, giám sát"
    )
    assert split_clauses(text) == [
        "Đã quán triệt",
        "đã ban hành kế hoạch",
        "Còn thiếu kinh phí",
        "Nhân dân đồng tình",
        "ưu tiên đối thoại",
        "giải quyết kiến nghị",
        "Tổ chức hội nghị",
        "Kiểm tra, giám sát",
    ]


def test_it_keeps_abbreviations_and_numbers_inside_a_sentence():
    text = "Tổ chức tại TP. Pleiku 1.200 lượt người. ThS. Nguyễn Văn A trình bày"
    assert split_clauses(text) == [
        "Tổ chức tại TP. Pleiku 1.200 lượt người",
        "ThS. Nguyễn Văn A trình bày",
    ]


def test_a_short_lead_in_ending_with_a_colon_joins_the_next_clause():
    assert split_clauses("Kết quả đạt được: - Tổ chức 5 cuộc; - giải quyết 10 kiến nghị") == [
        "Kết quả đạt được: tổ chức 5 cuộc",
        "giải quyết 10 kiến nghị",
    ]


def test_a_semicolon_bullet_starts_with_a_capital_and_ends_with_a_full_stop():
    lines = draft_lines([("đã quán triệt; ưu tiên đối thoại; đảm bảo kinh phí", "Xã A")])
    assert lines == ["Đã quán triệt.", "Ưu tiên đối thoại.", "Đảm bảo kinh phí."]


def test_vietnamese_initials_are_capitalised():
    assert drafting.capitalise("đảng viên") == "Đảng viên"
    assert drafting.capitalise("“ưu tiên”") == "“Ưu tiên”"
    assert drafting.capitalise("5 cuộc") == "5 cuộc"


def test_no_dash_on_a_dash_when_units_wrote_their_own_bullets():
    lines = draft_lines([("- - Đã quán triệt\n-- Còn thiếu kinh phí\n– + Đối thoại", "Xã A")])
    assert lines == ["Đã quán triệt.", "Còn thiếu kinh phí.", "Đối thoại."]


def test_a_count_left_by_an_earlier_draft_is_not_a_bullet():
    """The district's own text was drafted the old way: "(2 đơn vị)" after the
    full stop, then the next line. It was read back as "- (2 đơn vị) - …"."""
    old = (
        "- Đã quán triệt đầy đủ. (2 đơn vị)\n- Còn thiếu kinh phí (3 đơn vị)\n- Nhân dân đồng tình."
    )
    lines = draft_lines([(old, "Huyện ủy D1")])
    assert lines == ["Đã quán triệt đầy đủ.", "Còn thiếu kinh phí.", "Nhân dân đồng tình."]
    assert not any("đơn vị" in line for line in lines)


# --- The same thing said twice ---------------------------------------------


def test_the_same_clause_is_written_once_whatever_its_case_marks_or_spelling():
    said = [
        ("Cấp ủy quan tâm chỉ đạo.", "Xã A"),
        ("- cấp uỷ quan tâm  chỉ đạo;", "Xã B"),  # old tone placement, spacing
        ("CẤP ỦY QUAN TÂM CHỈ ĐẠO", "Xã C"),
        ("Còn thiếu kinh phí", "Xã A"),
    ]
    lines = draft_lines(said, total=4)
    assert lines == [
        "Các cấp ủy quan tâm chỉ đạo (Xã A, Xã B, Xã C).",
        "Còn thiếu kinh phí (Xã A).",
    ]


def test_a_clause_within_a_longer_one_is_merged_into_it():
    said = [
        ("Còn thiếu kinh phí.", "Xã A"),
        ("Còn thiếu kinh phí tổ chức đối thoại.", "Xã B"),
        ("Đã tổ chức 5 cuộc.", "Xã A"),
        ("Đã tổ chức 6 cuộc.", "Xã B"),  # not the same thing: both kept
    ]
    lines = draft_lines(said)
    assert lines[0] == "Còn thiếu kinh phí tổ chức đối thoại."  # both said it
    assert "Đã tổ chức 5 cuộc (Xã A)." in lines
    assert "Đã tổ chức 6 cuộc (Xã B)." in lines
    assert len(lines) == 3


# --- Attribution -----------------------------------------------------------


def test_attribution_names_a_few_counts_beyond_and_says_nothing_when_all_said_it():
    units = [f"Đảng ủy xã X{i}" for i in range(6)]
    said = [("Đã quán triệt đầy đủ", u) for u in units]  # every unit
    said += [("Còn thiếu kinh phí", u) for u in units[:4]]  # four
    said += [("Chưa có hướng dẫn", u) for u in units[:2]]  # two
    lines = draft_lines(said, total=6)
    assert lines == [
        "Đã quán triệt đầy đủ.",
        "Còn thiếu kinh phí (4 đơn vị).",
        "Chưa có hướng dẫn (Đảng ủy xã X0, Đảng ủy xã X1).",
    ]
    # Every unit that answered is not every unit counted: one said nothing.
    assert draft_lines(said, total=7)[0] == "Đã quán triệt đầy đủ (6 đơn vị)."


def test_forty_identical_answers_give_one_sentence():
    said = [("- Đã quán triệt; còn thiếu kinh phí.", f"Đảng ủy xã X{i}") for i in range(40)]
    assert draft_lines(said, total=40) == ["Đã quán triệt.", "Còn thiếu kinh phí."]
    assert draft_lines(said, total=41) == [
        "Đã quán triệt (40 đơn vị).",
        "Còn thiếu kinh phí (40 đơn vị).",
    ]


def test_one_unit_only_needs_no_attribution():
    assert draft_lines([("Đã quán triệt", "Đảng ủy xã A")], total=1) == ["Đã quán triệt."]


def test_answers_of_nothing_but_bullets():
    assert draft_lines([("-\n- \n•\n+ ;", "Xã A"), ("", "Xã B")]) == []
    lines = draft_lines([("- a\n- b\n+ c", "Xã A")])
    assert lines == ["A.", "B.", "C."]


def test_it_caps_the_lines_and_says_what_it_left_out():
    said = [(f"Ý kiến số {i} về việc {i}", f"Xã {i % 5}") for i in range(30)]
    lines = draft_lines(said)
    assert len(lines) == DRAFT_LINES
    rest = 30 - (DRAFT_LINES - 1)
    assert lines[-1] == (
        f"Ngoài ra, còn {rest} ý kiến khác của 5 đơn vị (xem báo cáo của từng đơn vị)."
    )


# --- The level's own wording -----------------------------------------------


def test_a_communes_own_bodies_become_the_provinces_wording():
    said = [
        ("Ban Thường vụ Đảng ủy xã đã chỉ đạo sát sao.", "Đảng ủy xã A"),
        ("Ban Thường vụ Đảng ủy xã đã chỉ đạo sát sao;", "Đảng ủy xã B"),
        ("Đảng ủy xã đã tổ chức 5 cuộc đối thoại", "Đảng ủy xã C"),
        ("Huyện ủy đã ban hành kế hoạch", "Huyện ủy D1"),
        ("Chi bộ đã họp", "Chi bộ thôn 1"),
    ]
    lines = draft_lines(said, total=5)
    assert lines == [
        "Ban Thường vụ các đảng ủy xã đã chỉ đạo sát sao (Đảng ủy xã A, Đảng ủy xã B).",
        "Đảng ủy xã C đã tổ chức 5 cuộc đối thoại.",  # one unit: its name
        "Huyện ủy D1 đã ban hành kế hoạch.",
        "Chi bộ thôn 1 đã họp.",
    ]
    for line in lines:
        assert not re.match(r"(Ban Thường vụ )?(Đảng ủy xã|Huyện ủy|Chi bộ) đã", line)


def test_every_unit_saying_it_reads_as_the_level():
    said = [("Đảng ủy xã đã quán triệt", f"Đảng ủy xã X{i}") for i in range(3)]
    assert draft_lines(said, total=3) == ["Các đảng ủy xã đều đã quán triệt."]
    mixed = [("Cấp ủy đã quán triệt", "Đảng ủy xã A"), ("Huyện ủy đã quán triệt", "Huyện ủy D1")]
    assert draft_lines(mixed, total=2) == ["Các cấp ủy đều đã quán triệt."]


def test_a_named_body_or_someone_elses_is_left_as_written():
    said = [
        ("Huyện ủy Chư Sê đã chỉ đạo", "Huyện ủy Chư Sê"),  # already explicit
        ("Huyện ủy đã tổ chức hội nghị", "Đảng ủy xã A"),  # a commune speaks of its district
        ("Đảng ủy xã Ia Dêr đã làm tốt", "Huyện ủy D1"),
    ]
    assert draft_lines(said, total=3) == [
        "Huyện ủy Chư Sê đã chỉ đạo.",
        "Huyện ủy đã tổ chức hội nghị (Đảng ủy xã A).",
        "Đảng ủy xã Ia Dêr đã làm tốt (Huyện ủy D1).",
    ]


def test_the_draft_is_deterministic():
    said = [(f"Ý {i % 7}; Ý {i % 3}. Cấp ủy đã làm {i % 2}", f"Xã {i}") for i in range(25)]
    assert draft_lines(said, total=25) == draft_lines(list(said), total=25)


# --- Property: for arbitrary answers ------------------------------------------

WORDS = [
    "đã", "quán", "triệt", "kinh", "phí", "Ưu", "tiên", "đối", "thoại", "nhân", "dân",
    "Đảng", "ủy", "xã", "huyện", "chi", "bộ", "cấp", "ý", "kiến", "5", "TP", "A", "b",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "; ", ". ", "\n", "\n- ", "\n+ ", "\n• ", "\n* ", "\na) ", "\n1. ",
              " - - ", ": ", ", ", "…", "! ", "? ", " (3 đơn vị) "]  # fmt: skip
answer = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=40).map(
    "".join
)
units = st.sampled_from(["Đảng ủy xã A", "Đảng ủy xã B", "Huyện ủy D1", "Chi bộ thôn 1"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(answer, units), max_size=8))
@example(
    [(",  - - đã", "Đảng ủy xã A")]
)  # punctuation before the bullet marks (found by the property)
def test_drafts_are_sentences_said_once_and_lose_nothing(said):
    lines = draft_lines(said)
    for line in lines:
        assert "- -" not in f"- {line}"
        assert not first_letter(line).islower(), line
        assert line[-1] in ".!?…", line
    keys = [clause_key(line) for line in lines]
    assert len(set(keys)) == len(keys)
    capped = len(lines) == DRAFT_LINES and lines[-1].startswith("Ngoài ra, còn")
    drafted = " | ".join(f" {key} " for key in keys)
    for text, unit in said:
        for clause in split_clauses(text):
            found = drafting.parse(clause, unit)
            key = clause_key(found)
            if found.is_self:  # written in the level's words: compare what follows
                key = clause_key(found.rest)
            assert capped or f" {key} " in drafted, (clause, lines)


# --- In the workspace: province ← district ← communes ------------------------


def _set(plan, unit, status, text=None, item=None):
    report = Report.objects.get(campaign=plan, unit=unit)
    Report.objects.filter(pk=report.pk).update(status=status)
    if text is not None:
        AnswerFactory(report=report, item=item, text=text)
    return report


@pytest.fixture
def three_levels(published_plan, small_tree):
    """D1 accepted its own consolidated report, drafted the old way from its
    communes; D2 has not consolidated yet, so its communes count in its place:
    D2C1 wrote in a commune's words, D2C2 accepted but answered nothing."""
    item = set_answer_type(published_plan, "3.1.", AnswerType.TEXT)
    plan, tree = published_plan, small_tree
    _set(plan, tree["D1C1"], ReportStatus.ACCEPTED, "<div>Đảng ủy xã đã quán triệt.</div>", item)
    _set(plan, tree["D1C2"], ReportStatus.ACCEPTED, "<div>Đã quán triệt.</div>", item)
    district = (
        "<div>- Đã quán triệt. (2 đơn vị)</div>"
        "<div>- - Ban Thường vụ Huyện ủy đã ban hành kế hoạch; tổ chức 12 cuộc đối thoại</div>"
        "<div>- còn thiếu kinh phí</div>"
    )
    _set(plan, tree["D1"], ReportStatus.ACCEPTED, district, item)
    commune = (
        "<div>Ban Thường vụ Đảng ủy xã đã chỉ đạo sát sao; đã quán triệt.</div>"
        "<div>Còn thiếu kinh phí tổ chức đối thoại.</div>"
    )
    _set(plan, tree["D2C1"], ReportStatus.ACCEPTED, commune, item)
    _set(plan, tree["D2C2"], ReportStatus.ACCEPTED)
    _set(plan, tree["D2"], ReportStatus.SUBMITTED)
    province = Report.objects.get(campaign=plan, unit=tree["P"])
    writer = MembershipFactory(unit=tree["P"], role=Role.REPORTER).user
    return {"item": item, "province": province, "writer": writer}


@pytest.mark.django_db
def test_the_province_drafts_in_its_own_words_from_three_levels(client, three_levels):
    province, item = three_levels["province"], three_levels["item"]
    client.force_login(three_levels["writer"])
    client.post(reverse("consolidation:draft_texts", args=[province.pk]))
    text = Answer.objects.get(report=province, item=item).text
    lines = re.findall(r"<div>(.*?)</div>", text)
    # D1 (its own report, not its communes), D2C1 and D2C2 in D2's place: 3 counted.
    assert lines == [
        "- Đã quán triệt (Huyện ủy D1, Đảng ủy xã D2C1).",
        "- Còn thiếu kinh phí tổ chức đối thoại (Huyện ủy D1, Đảng ủy xã D2C1).",
        "- Ban Thường vụ Huyện ủy D1 đã ban hành kế hoạch.",
        "- Tổ chức 12 cuộc đối thoại (Huyện ủy D1).",
        "- Ban Thường vụ Đảng ủy xã D2C1 đã chỉ đạo sát sao.",
    ]
    assert "- -" not in text
    assert "đơn vị) -" not in text


@pytest.mark.django_db
def test_a_district_with_one_commune_counted_names_it(client, three_levels, small_tree):
    Report.objects.filter(unit=small_tree["D1C2"]).update(status=ReportStatus.RETURNED)
    district = Report.objects.get(campaign=three_levels["province"].campaign, unit=small_tree["D1"])
    Report.objects.filter(pk=district.pk).update(status=ReportStatus.DRAFT)
    Answer.objects.filter(report=district).delete()
    writer = MembershipFactory(unit=small_tree["D1"], role=Role.REPORTER).user
    client.force_login(writer)
    client.post(reverse("consolidation:draft_texts", args=[district.pk]))
    text = Answer.objects.get(report=district, item=three_levels["item"]).text
    assert text == "<div>- Đảng ủy xã D1C1 đã quán triệt.</div>"


@pytest.mark.django_db
def test_nothing_but_bullet_marks_drafts_nothing(client, three_levels, small_tree):
    for answer in Answer.objects.filter(item=three_levels["item"]):
        answer.text = "<div>-</div><div>+ ;</div>"
        answer.save()  # its plain text too
    client.force_login(three_levels["writer"])
    response = client.post(reverse("consolidation:draft_texts", args=[three_levels["province"].pk]))
    assert 'data-testid="draft-result" data-count="0"' in response.content.decode()
    assert not Answer.objects.filter(report=three_levels["province"]).exists()


def test_a_generic_self_reference_takes_the_units_own_kind():
    said = [("Đảng ủy đã quán triệt", "Đảng ủy xã A"), ("Đảng ủy đã quán triệt", "Đảng ủy xã B")]
    assert draft_lines(said, total=3) == [
        "Các đảng ủy xã đã quán triệt (Đảng ủy xã A, Đảng ủy xã B)."
    ]
    bare = [
        ("Ban Thường vụ đã chỉ đạo", "Huyện ủy D1"),
        ("Ban Thường vụ đã chỉ đạo", "Huyện ủy D2"),
    ]
    assert draft_lines(bare, total=2) == ["Ban Thường vụ các huyện ủy đều đã chỉ đạo."]


def test_units_of_different_kinds_are_named_together_as_documents_do():
    said = [
        ("Đảng ủy phường đã tổ chức đối thoại", "Đảng ủy phường Hoa Lư"),
        ("Đảng ủy xã đã tổ chức đối thoại", "Đảng ủy xã An Phú"),
        ("Huyện ủy đã ban hành kế hoạch", "Huyện ủy Chư Sê"),
        ("Thị ủy đã ban hành kế hoạch", "Thị ủy An Khê"),
        ("Đảng ủy đã quán triệt", "Đảng ủy xã An Phú"),
        ("Đảng ủy đã quán triệt", "Đảng bộ Sở Y tế"),  # its executive is an "Đảng ủy"
    ]
    assert draft_lines(said, total=9) == [
        "Các đảng ủy xã, phường đã tổ chức đối thoại (Đảng ủy phường Hoa Lư, Đảng ủy xã An Phú).",
        "Các huyện ủy, thị ủy đã ban hành kế hoạch (Huyện ủy Chư Sê, Thị ủy An Khê).",
        "Các đảng ủy đã quán triệt (Đảng ủy xã An Phú, Đảng bộ Sở Y tế).",
    ]


@pytest.mark.django_db
def test_drafting_runs_a_fixed_number_of_queries(
    client, three_levels, small_tree, levels, django_assert_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    province, item = three_levels["province"], three_levels["item"]
    page = reverse("consolidation:draft_texts", args=[province.pk])
    client.force_login(three_levels["writer"])
    client.post(page)  # warm the session
    Answer.objects.filter(report=province).delete()
    cache.clear()  # the page after the draft computes its roll-up (not kept from the warm-up)
    with CaptureQueriesContext(connection) as few:
        client.post(page)
    assert Answer.objects.filter(report=province, item=item).exists()
    for i in range(20):
        unit = add_unit(small_tree["D2"], f"X{i}", levels["co-so"], name=f"Đảng ủy xã X{i}")
        report = ReportFactory(
            campaign=province.campaign, unit=unit, due_on=province.due_on,
            status=ReportStatus.ACCEPTED,
        )  # fmt: skip
        AnswerFactory(report=report, item=item, text=f"<div>Đảng ủy xã đã làm {i}; ổn.</div>")
    Answer.objects.filter(report=province).delete()
    cache.clear()
    with django_assert_num_queries(len(few)):
        client.post(page)
    text = Answer.objects.get(report=province, item=item).text
    assert text.count("<div>") == DRAFT_LINES  # capped, and it says so
    assert "ý kiến khác" in text
