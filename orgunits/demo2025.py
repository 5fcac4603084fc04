"""A second demo province, shaped as provinces are since 1 July 2025: no
district level, the communes and wards directly under the province committee
(a few with chi bộ below), and two communes merged in mid-campaign.

Names are realistic (Đắk Lắk after its merger with Phú Yên); the figures are
made up. Used by ``manage.py load_demo_2025`` and by tests; it lives beside
the first demo province (``orgunits.demo``) without touching it.
"""

from __future__ import annotations

from .text import search_key

PROVINCE = ("DL", "Tỉnh ủy Đắk Lắk", "Tỉnh ủy", "TU", "btv@daklak.dcs.vn", "Đắk Lắk")

# (kind word, place): the grassroots committees directly under the province.
COMMUNES = [
    ("phường", "Buôn Ma Thuột"),
    ("phường", "Tân An"),
    ("phường", "Tân Lập"),
    ("phường", "Thành Nhất"),
    ("phường", "Ea Kao"),
    ("phường", "Buôn Hồ"),
    ("phường", "Tuy Hòa"),
    ("phường", "Phú Yên"),
    ("phường", "Bình Kiến"),
    ("phường", "Sông Cầu"),
    ("xã", "Hòa Phú"),
    ("xã", "Ea Drông"),
    ("xã", "Cư M'gar"),
    ("xã", "Ea Kiết"),
    ("xã", "Pơng Drang"),
    ("xã", "Ea Súp"),
    ("xã", "Buôn Đôn"),
    ("xã", "Ea Wer"),
    ("xã", "Krông Pắc"),
    ("xã", "Ea Kly"),
    ("xã", "Dray Bhăng"),
    ("xã", "Krông Ana"),
    ("xã", "Liên Sơn Lắk"),
    ("xã", "Hòa Xuân"),
    ("xã", "Sông Hinh"),
    ("xã", "Đồng Xuân"),
]

# The chi bộ of one ward, below its committee (a campaign may go down to them).
CELLS_OF = "DL.TANAN"
PARTY_CELLS = ["Chi bộ khối 1", "Chi bộ khối 2", "Chi bộ khối 3"]

# The merger in mid-campaign: these two communes form a new one.
MERGED = ["DL.BUONDON", "DL.EAWER"]
MERGED_INTO = ("DL.EANUOL", "Đảng ủy xã Ea Nuôl", "Xã Ea Nuôl", "Ea Nuôl")

PASSWORD = "tongket2026"
# username, whole name (first_name; last_name stays empty), unit code, role
USERS = [
    ("dl.dieuphoi", "Y Thanh Niê", "DL", "coordinator"),
    ("dl.baocao", "Nguyễn Thị Hồng Vân", "DL", "reporter"),
    ("dl.duyet", "Trần Minh Quang", "DL", "approver"),
    ("dl.lanhdao", "Lê Văn Hòa", "DL", "viewer"),
    ("bmt.baocao", "H'Yim Kđoh", "DL.BUONMATHUOT", "reporter"),
    ("bmt.duyet", "Phan Đức Lợi", "DL.BUONMATHUOT", "approver"),
    ("buondon.duyet", "Y Khu Niê", "DL.BUONDON", "approver"),
    ("eawer.duyet", "Ama Sa", "DL.EAWER", "approver"),
    ("eanuol.baocao", "H'Nhi Byă", "DL.EANUOL", "reporter"),
    ("eanuol.duyet", "Y Duôn Ktla", "DL.EANUOL", "approver"),
]

# The province's signer and its Ban Dân vận (reports go through it).
SIGNER = "Lương Nguyễn Minh Triết"
LEAD_BODY = ("BAN DÂN VẬN", "Ban Dân vận Tỉnh ủy Đắk Lắk", "BDVTU", "TRƯỞNG BAN", "Ksor Thị Nga")


def code_of(place: str) -> str:
    return "DL." + search_key(place).replace(" ", "").replace("'", "").upper()


def tree_rows() -> list[list[str]]:
    """The province as import rows: code, name, short name, parent, level, kind,
    symbol, e-mail, place name."""
    code, name, short, symbol, email, place = PROVINCE
    rows = [[code, name, short, "", "tinh", "party_committee", symbol, email, place]]
    for word, commune in COMMUNES:
        rows.append(
            [
                code_of(commune),
                f"Đảng ủy {word} {commune}",
                f"{word.capitalize()} {commune}",
                code,
                "co-so",
                "grassroots_committee",
                "ĐU",
                "",
                commune,
            ]
        )
    for index, cell in enumerate(PARTY_CELLS, start=1):
        rows.append(
            [
                f"{CELLS_OF}.{index:02d}",
                cell,
                cell.replace("Chi bộ ", ""),
                CELLS_OF,
                "chi-bo",
                "party_cell",
                "CB",
                "",
                "Tân An",
            ]
        )
    return rows
