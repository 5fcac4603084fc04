"""How official documents write dates, numbers and recipients.

Dates follow Hướng dẫn 36-HD/VPTW: a day below 10 is padded to two digits, a
month only when it is 1 or 2 (so that "tháng 01" cannot be read as "tháng 10"
with a digit added): "ngày 05 tháng 12 năm 2026", "ngày 14 tháng 3 năm 2017",
"ngày 25 tháng 02 năm 2020"; in running text "09/7/2015", "25/02/2020".
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from .numbering import BLANK


def day_number(day: int) -> str:
    """ "05", "14": the day of the month, padded below 10."""
    return f"{day:02d}"


def month_number(month: int) -> str:
    """ "01", "02", "3" … "12": padded only for January and February."""
    return f"{month:02d}" if month < 3 else str(month)


def date_words(day: datetime.date) -> str:
    """ "ngày 25 tháng 02 năm 2020", "ngày 14 tháng 3 năm 2017"."""
    return f"ngày {day_number(day.day)} tháng {month_number(day.month)} năm {day.year}"


def month_words(month: int, year: int) -> str:
    """ "tháng 3 năm 2017", "tháng 02 năm 2020"."""
    return f"tháng {month_number(month)} năm {year}"


def short_date(day: datetime.date) -> str:
    """ "09/7/2015", "25/02/2020": a date cited in running text."""
    return f"{day_number(day.day)}/{month_number(day.month)}/{day.year}"


def short_day_month(day: datetime.date) -> str:
    """ "12/3", "05/02": a day of a year the reader knows (chart axes)."""
    return f"{day_number(day.day)}/{month_number(day.month)}"


def short_datetime(moment: datetime.datetime) -> str:
    """ "09/7/2015 08:05": a moment shown on a page or in an e-mail."""
    return f"{short_date(moment)} {moment:%H:%M}"


def short_month(month: int, year: int) -> str:
    """ "3/2018", "01/2019"."""
    return f"{month_number(month)}/{year}"


def place_date(place: str, day: datetime.date) -> str:
    """The place and date line: "Gia Lai, ngày 25 tháng 02 năm 2020"."""
    return f"{place}, {date_words(day)}"


def undated_place_date(place: str, year: int) -> str:
    """The place and date line with day and month left blank for the office:
    "Tân Yên, ngày      tháng      năm 2018"."""
    return f"{place}, ngày{BLANK}tháng{BLANK}năm {year}"


def vietnamese_number(value: Decimal | int) -> str:
    """ "1.234,5": thousands grouped by ".", decimals after ","; no trailing zeros."""
    number = Decimal(value)
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = f"{abs(number).normalize():f}".partition(".")
    return f"{sign}{int(whole):,}".replace(",", ".") + (f",{fraction}" if fraction else "")


def recipient_lines(lines: list[str]) -> list[str]:
    """Nơi nhận as printed: each line ends with "," and the last with "."."""
    cleaned = [line.strip().rstrip(",.") for line in lines if line.strip()]
    return [
        line + ("." if index == len(cleaned) - 1 else ",") for index, line in enumerate(cleaned)
    ]


def parse_recipients(text: str) -> list[str]:
    """Recipients typed one per line, with or without the leading dash."""
    lines = (line.strip().lstrip("-–").strip() for line in (text or "").splitlines())
    return [line for line in lines if line]
