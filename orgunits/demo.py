"""A demo province shaped like Gia Lai before the 2025 reform (seed 000).

Real district-level names; grassroots names are real where known and
realistic elsewhere. Used by `manage.py load_demo` and by tests.
"""

from __future__ import annotations

from .text import search_key

LEVELS = [
    ("trung-uong", "Trung ương", 0),
    ("tinh", "Cấp tỉnh", 1),
    ("huyen", "Cấp huyện", 2),
    ("co-so", "Cấp cơ sở", 3),
    ("chi-bo", "Chi bộ", 4),
]

TERMS = [
    ("2015–2020", "2015-10-01", "2020-09-30"),
    ("2020–2025", "2020-10-01", "2025-09-30"),
    ("2025–2030", "2025-10-01", "2030-09-30"),
]

PROVINCE = ("GL", "Tỉnh ủy Gia Lai", "Tỉnh ủy", "TU", "btv@gialai.dcs.vn")

# code, full name, short name, kind, symbol, [(grassroots kind word, place)…]
DISTRICTS: list[tuple[str, str, str, str, str, list[tuple[str, str]]]] = [
    (
        "GL.PK",
        "Thành ủy Pleiku",
        "Thành ủy Pleiku",
        "party_committee",
        "TU",
        [
            ("phường", "Diên Hồng"),
            ("phường", "Hoa Lư"),
            ("phường", "Hội Phú"),
            ("phường", "Hội Thương"),
            ("phường", "Ia Kring"),
            ("phường", "Phù Đổng"),
            ("phường", "Tây Sơn"),
            ("phường", "Thắng Lợi"),
            ("phường", "Thống Nhất"),
            ("phường", "Trà Bá"),
            ("phường", "Yên Đỗ"),
            ("phường", "Yên Thế"),
            ("phường", "Đống Đa"),
            ("phường", "Chi Lăng"),
            ("xã", "An Phú"),
            ("xã", "Biển Hồ"),
            ("xã", "Chư Á"),
            ("xã", "Diên Phú"),
            ("xã", "Gào"),
            ("xã", "Ia Kênh"),
            ("xã", "Trà Đa"),
            ("xã", "Tân Sơn"),
        ],
    ),
    (
        "GL.AK",
        "Thị ủy An Khê",
        "Thị ủy An Khê",
        "party_committee",
        "TU",
        [
            ("phường", "An Bình"),
            ("phường", "An Phú"),
            ("phường", "An Phước"),
            ("phường", "An Tân"),
            ("phường", "Ngô Mây"),
            ("phường", "Tây Sơn"),
            ("xã", "Cửu An"),
            ("xã", "Song An"),
            ("xã", "Thành An"),
            ("xã", "Tú An"),
            ("xã", "Xuân An"),
        ],
    ),
    (
        "GL.AP",
        "Thị ủy Ayun Pa",
        "Thị ủy Ayun Pa",
        "party_committee",
        "TU",
        [
            ("phường", "Cheo Reo"),
            ("phường", "Đoàn Kết"),
            ("phường", "Hòa Bình"),
            ("phường", "Sông Bờ"),
            ("xã", "Chư Băh"),
            ("xã", "Ia Rbol"),
            ("xã", "Ia Rtô"),
            ("xã", "Ia Sao"),
        ],
    ),
    (
        "GL.CS",
        "Huyện ủy Chư Sê",
        "Huyện ủy Chư Sê",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Chư Sê"),
            ("xã", "Albá"),
            ("xã", "Ayun"),
            ("xã", "Bar Măih"),
            ("xã", "Bờ Ngoong"),
            ("xã", "Chư Pơng"),
            ("xã", "Dun"),
            ("xã", "Hbông"),
            ("xã", "Ia Blang"),
            ("xã", "Ia Glai"),
            ("xã", "Ia Hlốp"),
            ("xã", "Ia Ko"),
            ("xã", "Ia Pal"),
            ("xã", "Ia Tiêm"),
            ("xã", "Kông Htok"),
        ],
    ),
    (
        "GL.CPR",
        "Huyện ủy Chư Prông",
        "Huyện ủy Chư Prông",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Chư Prông"),
            ("xã", "Bàu Cạn"),
            ("xã", "Bình Giáo"),
            ("xã", "Ia Bang"),
            ("xã", "Ia Băng"),
            ("xã", "Ia Boòng"),
            ("xã", "Ia Drăng"),
            ("xã", "Ia Ga"),
            ("xã", "Ia Kly"),
            ("xã", "Ia Lâu"),
            ("xã", "Ia Me"),
            ("xã", "Ia Mơ"),
            ("xã", "Ia O"),
            ("xã", "Ia Phìn"),
            ("xã", "Ia Pia"),
            ("xã", "Ia Piơr"),
            ("xã", "Ia Púch"),
            ("xã", "Ia Tôr"),
            ("xã", "Ia Vê"),
            ("xã", "Thăng Hưng"),
        ],
    ),
    (
        "GL.CPA",
        "Huyện ủy Chư Păh",
        "Huyện ủy Chư Păh",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Phú Hòa"),
            ("thị trấn", "Ia Ly"),
            ("xã", "Chư Đăng Ya"),
            ("xã", "Đăk Tơ Ver"),
            ("xã", "Hà Tây"),
            ("xã", "Hòa Phú"),
            ("xã", "Ia Ka"),
            ("xã", "Ia Khươl"),
            ("xã", "Ia Kreng"),
            ("xã", "Ia Mơ Nông"),
            ("xã", "Ia Nhin"),
            ("xã", "Ia Phí"),
            ("xã", "Nghĩa Hòa"),
            ("xã", "Nghĩa Hưng"),
        ],
    ),
    (
        "GL.CPU",
        "Huyện ủy Chư Pưh",
        "Huyện ủy Chư Pưh",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Nhơn Hòa"),
            ("xã", "Chư Don"),
            ("xã", "Ia Blứ"),
            ("xã", "Ia Dreng"),
            ("xã", "Ia Hla"),
            ("xã", "Ia Hrú"),
            ("xã", "Ia Le"),
            ("xã", "Ia Phang"),
            ("xã", "Ia Rong"),
        ],
    ),
    (
        "GL.DD",
        "Huyện ủy Đak Đoa",
        "Huyện ủy Đak Đoa",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Đak Đoa"),
            ("xã", "A Dơk"),
            ("xã", "Glar"),
            ("xã", "Hà Bầu"),
            ("xã", "Hà Đông"),
            ("xã", "Hải Yang"),
            ("xã", "Hneng"),
            ("xã", "Hnol"),
            ("xã", "Ia Băng"),
            ("xã", "Ia Pết"),
            ("xã", "K'Dang"),
            ("xã", "Kon Gang"),
            ("xã", "Nam Yang"),
            ("xã", "Tân Bình"),
            ("xã", "Trang"),
            ("xã", "Đak Krong"),
            ("xã", "Đak Sơmei"),
        ],
    ),
    (
        "GL.DC",
        "Huyện ủy Đức Cơ",
        "Huyện ủy Đức Cơ",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Chư Ty"),
            ("xã", "Ia Din"),
            ("xã", "Ia Dok"),
            ("xã", "Ia Dơk"),
            ("xã", "Ia Kla"),
            ("xã", "Ia Krêl"),
            ("xã", "Ia Kriêng"),
            ("xã", "Ia Lang"),
            ("xã", "Ia Nan"),
            ("xã", "Ia Pnôn"),
        ],
    ),
    (
        "GL.IG",
        "Huyện ủy Ia Grai",
        "Huyện ủy Ia Grai",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Ia Kha"),
            ("xã", "Ia Bă"),
            ("xã", "Ia Chia"),
            ("xã", "Ia Dêr"),
            ("xã", "Ia Grăng"),
            ("xã", "Ia Hrung"),
            ("xã", "Ia Khai"),
            ("xã", "Ia Krái"),
            ("xã", "Ia O"),
            ("xã", "Ia Pếch"),
            ("xã", "Ia Sao"),
            ("xã", "Ia Tô"),
            ("xã", "Ia Yok"),
        ],
    ),
    (
        "GL.KB",
        "Huyện ủy Kbang",
        "Huyện ủy Kbang",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Kbang"),
            ("xã", "Đak Rong"),
            ("xã", "Đông"),
            ("xã", "Kon Pne"),
            ("xã", "Kông Bơ La"),
            ("xã", "Kông Lơng Khơng"),
            ("xã", "Krong"),
            ("xã", "Lơ Ku"),
            ("xã", "Nghĩa An"),
            ("xã", "Sơ Pai"),
            ("xã", "Sơn Lang"),
            ("xã", "Tơ Tung"),
        ],
    ),
    (
        "GL.MY",
        "Huyện ủy Mang Yang",
        "Huyện ủy Mang Yang",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Kon Dơng"),
            ("xã", "Ayun"),
            ("xã", "Đak Djrăng"),
            ("xã", "Đak Jơ Ta"),
            ("xã", "Đak Ta Ley"),
            ("xã", "Đak Trôi"),
            ("xã", "Đak Yă"),
            ("xã", "Đê Ar"),
            ("xã", "H'ra"),
            ("xã", "Kon Chiêng"),
            ("xã", "Kon Thụp"),
            ("xã", "Lơ Pang"),
        ],
    ),
    (
        "GL.KP",
        "Huyện ủy Krông Pa",
        "Huyện ủy Krông Pa",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Phú Túc"),
            ("xã", "Chư Drăng"),
            ("xã", "Chư Gu"),
            ("xã", "Chư Ngọc"),
            ("xã", "Chư Rcăm"),
            ("xã", "Đất Bằng"),
            ("xã", "Ia Hdreh"),
            ("xã", "Ia Mlah"),
            ("xã", "Ia Rmok"),
            ("xã", "Ia Rsai"),
            ("xã", "Ia Rsươm"),
            ("xã", "Krông Năng"),
        ],
    ),
    (
        "GL.PT",
        "Huyện ủy Phú Thiện",
        "Huyện ủy Phú Thiện",
        "party_committee",
        "HU",
        [
            ("thị trấn", "Phú Thiện"),
            ("xã", "Ayun Hạ"),
            ("xã", "Chrôh Pơnan"),
            ("xã", "Chư A Thai"),
            ("xã", "Ia Ake"),
            ("xã", "Ia Hiao"),
            ("xã", "Ia Peng"),
            ("xã", "Ia Piar"),
            ("xã", "Ia Sol"),
            ("xã", "Ia Yeng"),
        ],
    ),
]

# Bodies beside the districts that report straight to the province.
DIRECT_BODIES: list[tuple[str, str, str, str, str, list[str]]] = [
    (
        "GL.KCQ",
        "Đảng ủy Khối các cơ quan tỉnh",
        "Đảng ủy Khối các cơ quan",
        "bloc_committee",
        "ĐUK",
        [
            "Đảng bộ Sở Tài chính",
            "Đảng bộ Sở Kế hoạch và Đầu tư",
            "Đảng bộ Sở Giáo dục và Đào tạo",
            "Đảng bộ Sở Y tế",
            "Chi bộ Sở Tư pháp",
            "Đảng bộ Sở Nông nghiệp và Phát triển nông thôn",
            "Chi bộ Sở Ngoại vụ",
            "Đảng bộ Sở Lao động - Thương binh và Xã hội",
            "Chi bộ Văn phòng Đoàn Đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
            "Đảng bộ Cục Thuế tỉnh",
            "Đảng bộ Kho bạc Nhà nước tỉnh",
        ],
    ),
    (
        "GL.KDN",
        "Đảng ủy Khối doanh nghiệp tỉnh",
        "Đảng ủy Khối doanh nghiệp",
        "bloc_committee",
        "ĐUK",
        [
            "Đảng bộ Công ty TNHH MTV Cà phê Gia Lai",
            "Đảng bộ Công ty Cổ phần Cao su Chư Păh",
            "Chi bộ Công ty Cổ phần Cấp nước Gia Lai",
            "Đảng bộ Công ty Điện lực Gia Lai",
            "Chi bộ Công ty Xổ số kiến thiết Gia Lai",
        ],
    ),
    (
        "GL.MTTQ",
        "Đảng đoàn Mặt trận Tổ quốc Việt Nam tỉnh",
        "Đảng đoàn MTTQ tỉnh",
        "party_delegation",
        "ĐĐ",
        [],
    ),
    (
        "GL.BCSUB",
        "Ban cán sự đảng Ủy ban nhân dân tỉnh",
        "Ban cán sự đảng UBND tỉnh",
        "cadre_committee",
        "BCSĐ",
        [],
    ),
    ("GL.TD", "Ban Thường vụ Tỉnh đoàn Gia Lai", "Tỉnh đoàn", "mass_organisation", "TĐTN", []),
]

DEMO_COMMUNE = "GL.CS.IABLANG"
PARTY_CELLS = [
    "Chi bộ thôn Plei Ring Đáp",
    "Chi bộ thôn Plei Ku Tong",
    "Chi bộ thôn Hòa Thuận",
    "Chi bộ thôn Phú Hà",
    "Chi bộ Trường Tiểu học Ia Blang",
]

# Issuing bodies beyond the defaults the import gives, and the defaults' signers:
# unit code, kind, header name, phrase, symbol, authority, signs for, position,
# signer, default.
BODIES = [
    (
        "GL",
        "standing_committee",
        "",
        "Ban Thường vụ Tỉnh ủy Gia Lai",
        "TU",
        "T/M",
        "BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Dương Văn Trang",
        True,
    ),
    (
        "GL",
        "commission",
        "BAN DÂN VẬN",
        "Ban Dân vận Tỉnh ủy Gia Lai",
        "BDVTU",
        "K/T",
        "TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Nguyễn Thị Thanh Lịch",
        False,
    ),
    (
        "GL.KCQ",
        "steering_committee",
        "BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ",
        "Ban Chỉ đạo thực hiện dân chủ Đảng ủy Khối các cơ quan tỉnh",
        "BCĐ",
        "T/M",
        "BAN CHỈ ĐẠO",
        "TRƯỞNG BAN",
        "Trần Văn Mười",
        False,
    ),
    (
        "GL.CS",
        "standing_committee",
        "",
        "Ban Thường vụ Huyện ủy Chư Sê",
        "HU",
        "T/M",
        "BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Võ Thành Công",
        True,
    ),
    (
        "GL.CS",
        "commission",
        "BAN DÂN VẬN",
        "Ban Dân vận Huyện ủy Chư Sê",
        "BDVHU",
        "",
        "",
        "TRƯỞNG BAN",
        "Lê Thị Thu",
        False,
    ),
    (
        DEMO_COMMUNE,
        "executive_committee",
        "",
        "Đảng ủy xã Ia Blang",
        "ĐU",
        "T/M",
        "ĐẢNG ỦY",
        "BÍ THƯ",
        "Rahlan Minh",
        True,
    ),
]

PASSWORD = "tongket2026"
# username, last and first names (Vietnamese order: family name first), unit code, role
USERS = [
    ("tinh.dieuphoi", "Rơ Mah", "Thị Hạnh", "GL", "coordinator"),
    ("tinh.baocao", "Nguyễn", "Văn Bình", "GL", "reporter"),
    ("tinh.duyet", "Trần", "Quốc Dũng", "GL", "approver"),
    ("tinh.lanhdao", "Dương", "Văn Trang", "GL", "viewer"),
    ("huyen.dieuphoi", "Lê", "Thị Thu", "GL.CS", "coordinator"),
    ("huyen.baocao", "Phạm", "Minh Tuấn", "GL.CS", "reporter"),
    ("huyen.duyet", "Hoàng", "Văn Nam", "GL.CS", "approver"),
    ("huyen.lanhdao", "Võ", "Thành Công", "GL.CS", "viewer"),
    ("xa.dieuphoi", "Ksor", "H'Bla", DEMO_COMMUNE, "coordinator"),
    ("xa.baocao", "Đinh", "Văn Hùng", DEMO_COMMUNE, "reporter"),
    ("xa.duyet", "Siu", "Thanh", DEMO_COMMUNE, "approver"),
    ("xa.lanhdao", "Rahlan", "Minh", DEMO_COMMUNE, "viewer"),
]


def _slug(place: str) -> str:
    return search_key(place).replace(" ", "").replace("'", "").upper()


def tree_rows() -> list[list[str]]:
    """The province as import rows: code, name, short name, parent, level, kind, symbol,
    e-mail, place name."""
    code, name, short, symbol, email = PROVINCE
    rows = [[code, name, short, "", "tinh", "party_committee", symbol, email, "Gia Lai"]]
    for d_code, d_name, d_short, kind, d_symbol, grassroots in DISTRICTS:
        place = d_short.split(" ", 2)[-1]
        rows.append(
            [
                d_code,
                d_name,
                d_short,
                code,
                "huyen",
                kind,
                d_symbol,
                f"{_slug(place).lower()}@gialai.dcs.vn",
                place,
            ]
        )
        used: set[str] = set()
        for word, commune in grassroots:
            c_code = f"{d_code}.{_slug(commune)}"
            if c_code in used:
                c_code = f"{c_code}{len(used)}"
            used.add(c_code)
            rows.append(
                [
                    c_code,
                    f"Đảng ủy {word} {commune}",
                    f"{word.capitalize()} {commune}",
                    d_code,
                    "co-so",
                    "grassroots_committee",
                    "ĐU",
                    "",
                    commune,
                ]
            )
    for b_code, b_name, b_short, kind, b_symbol, members in DIRECT_BODIES:
        rows.append([b_code, b_name, b_short, code, "huyen", kind, b_symbol, "", "Gia Lai"])
        for index, member in enumerate(members, start=1):
            is_cell = member.startswith("Chi bộ")
            rows.append(
                [
                    f"{b_code}.{index:02d}",
                    member,
                    member.split(" ", 2)[-1],
                    b_code,
                    "co-so",
                    "party_cell" if is_cell else "grassroots_committee",
                    "CB" if is_cell else "ĐU",
                    "",
                    "Gia Lai",
                ]
            )
    for index, cell in enumerate(PARTY_CELLS, start=1):
        rows.append(
            [
                f"{DEMO_COMMUNE}.{index:02d}",
                cell,
                cell.replace("Chi bộ ", ""),
                DEMO_COMMUNE,
                "chi-bo",
                "party_cell",
                "CB",
                "",
                "Ia Blang",
            ]
        )
    return rows
