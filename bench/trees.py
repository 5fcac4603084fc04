"""The synthetic province the benches measure, imported in bulk as a coordinator would."""

from __future__ import annotations

from orgunits import demo
from orgunits.models import Level, OrgUnit
from orgunits.services import COLUMNS, import_orgunits
from orgunits.tables import write_csv


def province(code: str, districts: int, communes: int) -> OrgUnit:
    """A province ``code`` with ``districts`` districts and ``communes`` communes
    spread over them, through the tree import (one bulk insert)."""
    for level_code, name, rank in demo.LEVELS:
        Level.objects.get_or_create(code=level_code, defaults={"name": name, "rank": rank})
    rows = [[code, "Tỉnh ủy Thử nghiệm", "", "", "tinh", "", "TU", "", "Thử"]]
    rows += [
        [f"{code}.{d}", f"Huyện ủy {d}", "", code, "huyen", "", "HU", "", ""]
        for d in range(districts)
    ]
    rows += [
        [f"{code}.{c % districts}.{c}", f"Đảng ủy xã {c}", "", f"{code}.{c % districts}"]
        + ["co-so", "", "ĐU", "", ""]
        for c in range(communes)
    ]
    result = import_orgunits(data=write_csv([k for k, _l in COLUMNS], rows))
    assert result.ok, result.errors[:3]
    return OrgUnit.objects.get(code=code)
