"""Import a synthetic 10,000-unit province from XLSX, and query its subtrees."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgunits import demo
from orgunits.models import Level, OrgUnit
from orgunits.services import COLUMNS, import_orgunits
from orgunits.tables import write_xlsx


def synthetic_rows(districts: int = 40, communes: int = 36, cells: int = 6) -> list[list[str]]:
    """1 province + 40 districts + 1,440 communes + 8,640 cells = 10,121 units."""
    rows = [["P", "Tỉnh ủy Thử nghiệm", "Tỉnh ủy", "", "tinh", "party_committee", "TU", "", "Thử"]]
    for d in range(districts):
        d_code = f"P.{d:02d}"
        rows.append([d_code, f"Huyện ủy Số {d}", "", "P", "huyen", "party_committee", "HU", "", ""])
        for c in range(communes):
            c_code = f"{d_code}.{c:02d}"
            rows.append(
                [
                    c_code,
                    f"Đảng ủy xã Ia Số {d}-{c}",
                    "",
                    d_code,
                    "co-so",
                    "grassroots_committee",
                    "ĐU",
                    "",
                    "",
                ]
            )
            for k in range(cells):
                rows.append(
                    [
                        f"{c_code}.{k}",
                        f"Chi bộ thôn {k} xã {d}-{c}",
                        "",
                        c_code,
                        "chi-bo",
                        "party_cell",
                        "CB",
                        "",
                        "",
                    ]
                )
    return rows


def run() -> None:
    for code, name, rank in demo.LEVELS:
        Level.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})
    rows = synthetic_rows()
    data = write_xlsx([key for key, _label in COLUMNS], rows, title="units")
    print(f"XLSX of {len(rows):,} units: {len(data) / 1024:,.0f} KiB")

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = import_orgunits(data=data)
    elapsed = time.perf_counter() - start
    assert result.ok, result.errors[:5]
    assert result.created == len(rows)
    print(f"import (new tree): {elapsed:.2f} s, {len(queries.captured_queries)} queries")

    start = time.perf_counter()
    again = import_orgunits(data=data)
    print(
        f"re-import (nothing changes): {time.perf_counter() - start:.2f} s,"
        f" {again.unchanged:,} unchanged"
    )

    district = OrgUnit.objects.get(code="P.07")
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        size = len(list(OrgUnit.objects.get_descendants(district)))
    print(
        f"subtree of a district ({size} units): {(time.perf_counter() - start) * 1000:.1f} ms,"
        f" {len(queries.captured_queries)} query"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE orgunits_orgunit")
            cursor.execute(
                "EXPLAIN SELECT id FROM orgunits_orgunit WHERE path LIKE %s", [district.path + "%"]
            )
            plan = " / ".join(row[0].strip() for row in cursor.fetchall())
        print(f"plan: {plan}")
