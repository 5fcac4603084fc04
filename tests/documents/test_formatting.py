"""Dates, numbers and recipients as official documents write them (documents.formatting)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import engines

from documents.formatting import (
    date_words,
    month_words,
    parse_recipients,
    place_date,
    recipient_lines,
    short_date,
    short_month,
    undated_place_date,
    vietnamese_number,
)
from documents.forms import RecipientsField
from documents.numbering import BLANK, DOC_TYPE_PLAN, number_symbol


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2017, 3, 14), "ngày 14 tháng 3 năm 2017"),
        (datetime.date(2020, 2, 25), "ngày 25 tháng 02 năm 2020"),
        (datetime.date(2026, 12, 5), "ngày 05 tháng 12 năm 2026"),
        (datetime.date(2021, 1, 1), "ngày 01 tháng 01 năm 2021"),
        (datetime.date(2019, 9, 9), "ngày 09 tháng 9 năm 2019"),
        (datetime.date(2018, 12, 31), "ngày 31 tháng 12 năm 2018"),
        (datetime.date(2024, 10, 10), "ngày 10 tháng 10 năm 2024"),
    ],
)
def test_it_pads_days_below_ten_and_only_the_months_january_and_february(day, expected):
    assert date_words(day) == expected


def test_the_place_and_date_line_puts_the_place_first():
    assert place_date("Gia Lai", datetime.date(2020, 2, 25)) == "Gia Lai, ngày 25 tháng 02 năm 2020"


def test_an_undated_line_leaves_day_and_month_blank_for_the_office():
    line = undated_place_date("Tân Yên", 2018)
    assert line == f"Tân Yên, ngày{BLANK}tháng{BLANK}năm 2018"
    assert " ".join(line.split()) == "Tân Yên, ngày tháng năm 2018"


@pytest.mark.parametrize(
    ("month", "year", "expected"),
    [
        (3, 2017, "tháng 3 năm 2017"),
        (2, 2020, "tháng 02 năm 2020"),
        (11, 2026, "tháng 11 năm 2026"),
    ],
)
def test_it_writes_a_month_in_words(month, year, expected):
    assert month_words(month, year) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2015, 7, 9), "09/7/2015"),
        (datetime.date(2020, 2, 25), "25/02/2020"),
        (datetime.date(2018, 12, 3), "03/12/2018"),
    ],
)
def test_it_writes_a_date_cited_in_running_text(day, expected):
    assert short_date(day) == expected


def test_it_writes_a_month_cited_in_running_text():
    assert (short_month(3, 2018), short_month(1, 2019)) == ("3/2018", "01/2019")


def test_it_pads_numbers_below_ten_and_leaves_a_blank_for_none():
    assert number_symbol(279, DOC_TYPE_PLAN, "TU") == "279-KH/TU"
    assert number_symbol(5, DOC_TYPE_PLAN, "HU") == "05-KH/HU"
    assert number_symbol(None, DOC_TYPE_PLAN, "HU") == f"{BLANK}-KH/HU"


def test_it_groups_thousands_with_dots_and_decimals_with_a_comma():
    assert vietnamese_number(1234567) == "1.234.567"
    assert vietnamese_number(Decimal("1234.5000")) == "1.234,5"
    assert vietnamese_number(Decimal("1000.0000")) == "1.000"
    assert vietnamese_number(Decimal("-0.25")) == "-0,25"


def test_recipients_end_with_commas_and_the_last_with_a_full_stop():
    typed = "- Các huyện ủy, thị ủy, thành ủy\n\nLưu Văn phòng Tỉnh ủy."
    assert recipient_lines(parse_recipients(typed)) == [
        "Các huyện ủy, thị ủy, thành ủy,",
        "Lưu Văn phòng Tỉnh ủy.",
    ]


def test_templates_write_dates_the_same_way():
    template = engines["django"].from_string(
        "{% load documents %}{{ day|short_date }} · tháng {{ day|month_number }}"
    )
    assert template.render({"day": datetime.date(2015, 7, 9)}) == "09/7/2015 · tháng 7"
    assert template.render({"day": datetime.date(2020, 2, 25)}) == "25/02/2020 · tháng 02"
    assert template.render({"day": None}) == " · tháng "


def test_the_recipients_field_shows_one_per_line_and_keeps_a_list():
    field = RecipientsField()
    assert field.prepare_value(["Các huyện ủy", "Lưu VP"]) == "Các huyện ủy\nLưu VP"
    assert field.clean("- Các huyện ủy,\n\n– Lưu VP.\n") == ["Các huyện ủy,", "Lưu VP."]
    assert field.clean("") == []


def test_pages_e_mails_and_exports_write_dates_through_the_one_format():
    """Hướng dẫn 36's padding ("12/3/2020", "25/02/2020") is ``documents.formatting``'s:
    no template or module formats a day with its own ``d/m/Y`` (which pads every month)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    own = [
        path
        for app in (
            "campaigns",
            "chasing",
            "config",
            "consolidation",
            "dialogues",
            "documents",
            "notifications",
            "orgunits",
            "reports",
            "templates",
        )
        for path in (root / app).rglob("*")
        if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts
    ]
    offenders = [
        str(path.relative_to(root))
        for path in own
        if re.search(r'\|date:"d/m|%d/%m', path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
