import datetime

import pytest

from orgunits.models import OrgUnit
from orgunits.selectors import ancestors_by_path
from tests.factories import add_unit

pytestmark = pytest.mark.django_db


def _grow(levels, parent, breadth: int, prefix: str) -> None:
    for i in range(breadth):
        child = add_unit(parent, f"{prefix}{i}", levels["co-so"])
        add_unit(child, f"{prefix}{i}.cell", levels["chi-bo"])


def test_it_fetches_a_whole_subtree_in_one_query_whatever_its_size(
    small_tree, levels, django_assert_num_queries
):
    district = small_tree["D1"]
    with django_assert_num_queries(1):
        units = list(OrgUnit.objects.get_descendants(district))
    assert {u.code for u in units} == {"D1C1", "D1C2", "D1C1CELL"}

    _grow(levels, OrgUnit.objects.get(code="D1"), 40, "X")
    district.refresh_from_db()
    with django_assert_num_queries(1):
        units = list(OrgUnit.objects.get_descendants(district))
    assert len(units) == 3 + 80


def test_it_fetches_ancestors_in_one_query(small_tree, django_assert_num_queries):
    cell = small_tree["D1C1CELL"]
    with django_assert_num_queries(1):
        ancestors = list(OrgUnit.objects.get_ancestors(cell))
    assert [a.code for a in ancestors] == ["P", "D1", "D1C1"]


def test_it_finds_ancestors_of_many_units_in_one_query(small_tree, django_assert_num_queries):
    units = [small_tree["D1C1CELL"], small_tree["D2C2"]]
    with django_assert_num_queries(1):
        found = ancestors_by_path(units)
    assert {u.code for u in found.values()} == {"P", "D1", "D1C1", "D2"}


def test_it_searches_names_without_diacritics(small_tree):
    OrgUnit.objects.filter(code="D2").update(search_text="")
    unit = OrgUnit.objects.get(code="D2")
    unit.name = "Huyện ủy Tân Yên"
    unit.save()
    assert list(OrgUnit.objects.search("tan yen").values_list("code", flat=True)) == ["D2"]
    assert list(OrgUnit.objects.search("TÂN YÊN").values_list("code", flat=True)) == ["D2"]
    assert OrgUnit.objects.search("Đảng ủy xã D1C1").get().code == "D1C1"
    assert OrgUnit.objects.search("dang uy xa d1c1").get().code == "D1C1"


def test_it_keeps_a_retired_unit_with_its_history(small_tree):
    old = small_tree["D2"]
    merged_into = small_tree["D1"]
    old.retire(on=datetime.date(2025, 6, 30), successor=merged_into)

    assert OrgUnit.objects.filter(code="D2").exists()
    assert not OrgUnit.objects.active_on(datetime.date(2025, 7, 1)).filter(code="D2").exists()
    assert OrgUnit.objects.active_on(datetime.date(2025, 6, 30)).filter(code="D2").exists()
    assert old.history.count() >= 2
    assert old.history.first().valid_to == datetime.date(2025, 6, 30)
    assert list(merged_into.predecessors.all()) == [old]


def test_it_shows_a_units_old_name_as_of_a_date(small_tree):
    unit = small_tree["D1"]
    before = unit.history.latest().history_date
    unit.name = "Đảng bộ xã mới"
    unit.save()
    assert unit.history.as_of(before).name == "Huyện ủy D1"
    assert OrgUnit.objects.get(code="D1").name == "Đảng bộ xã mới"
