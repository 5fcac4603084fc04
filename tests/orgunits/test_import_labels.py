"""Issue #15: the tree file as offices write it (kinds and levels as labels or
codes, any case, with or without accents), exported with labels and read back,
and the tops of the tree added by the "Quản trị hệ thống" group only."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from orgunits.access import can
from orgunits.models import OrgUnit, Role
from orgunits.rules import ROOT_ADMINISTRATORS
from orgunits.services import COLUMNS, export_orgunits, import_orgunits
from orgunits.tables import read_table, write_csv
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [key for key, _label in COLUMNS]


def csv_file(*rows) -> bytes:
    return write_csv(HEADER, [list(row) + [""] * (len(HEADER) - len(row)) for row in rows])


def errors(result) -> list[tuple[int, str]]:
    return [(error.row, error.message) for error in result.errors]


def test_kinds_and_levels_are_read_as_labels_or_codes_in_any_spelling(small_tree):
    data = csv_file(
        ["N1", "Xã 1", "", "D1", "Cấp cơ sở", "Đảng ủy cơ sở"],
        ["N2", "Xã 2", "", "D1", "CAP CO SO", "dang uy co so"],
        ["N3", "Xã 3", "", "D1", "co-so", "grassroots_committee"],
        ["N4", "Xã 4", "", "D1", "  cấp  cơ sở ", "GRASSROOTS PARTY COMMITTEE"],
        ["N5", "Chi bộ 5", "", "N1", "chi bo", "Chi Bộ"],
        ["N6", "Ban 6", "", "P", "Cấp Huyện", "ban tham muu"],
    )
    result = import_orgunits(data=data)
    assert result.ok, result.errors
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__startswith="N")}
    assert {units[c].kind for c in ("N1", "N2", "N3", "N4")} == {"grassroots_committee"}
    assert {units[c].level.code for c in ("N1", "N2", "N3", "N4")} == {"co-so"}
    assert (units["N5"].level.code, units["N5"].kind) == ("chi-bo", "party_cell")
    assert (units["N6"].level.code, units["N6"].kind) == ("huyen", "commission")


def test_an_unknown_kind_or_level_lists_the_values_it_could_be(small_tree):
    data = csv_file(
        ["N1", "Xã 1", "", "D1", "cap xa", "Đảng ủy cơ sở"],
        ["N2", "Xã 2", "", "D1", "co-so", "dang uy phuong"],
    )
    with translation.override("vi"):
        result = import_orgunits(data=data)
        found = errors(result)
    assert [row for row, _message in found] == [2, 3]
    level_error, kind_error = found[0][1], found[1][1]
    assert "cap xa" in level_error
    assert "Cấp tỉnh (tinh)" in level_error
    assert "Chi bộ (chi-bo)" in level_error
    assert "dang uy phuong" in kind_error
    for label in ("Cấp ủy", "Đảng ủy cơ sở", "Chi bộ", "Ban tham mưu", "Khác"):
        assert label in kind_error
    assert not OrgUnit.objects.filter(code__in=["N1", "N2"]).exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_writes_labels_and_reads_back_in_any_language(small_tree, file_format):
    OrgUnit.objects.filter(code="D2C2").update(kind="party_cell")
    with translation.override("vi"):
        exported = export_orgunits(OrgUnit.objects.all(), file_format=file_format)
    table = read_table(exported)
    rows = {row[0]: row for _number, row in table.rows}
    level_column = HEADER.index("level")
    kind_column = HEADER.index("kind")
    assert rows["P"][level_column] == "Cấp tỉnh"
    assert rows["D1C1"][level_column] == "Cấp cơ sở"
    assert rows["D1"][kind_column] == "Cấp ủy"
    assert rows["D2C2"][kind_column] == "Chi bộ"
    cells = {cell for _number, row in table.rows for cell in row}
    assert not cells & {"party_committee", "tinh", "huyen", "co-so", "chi-bo"}

    snapshot = sorted(OrgUnit.objects.values_list("code", "level__code", "kind", "depth"))
    OrgUnit.objects.all().delete()
    with translation.override("en"):  # read back where the interface is in English
        result = import_orgunits(data=exported)
    assert result.ok, result.errors
    assert sorted(OrgUnit.objects.values_list("code", "level__code", "kind", "depth")) == snapshot

    with translation.override("en"):
        english = export_orgunits(OrgUnit.objects.all(), file_format=file_format)
    english_rows = {row[0]: row for _number, row in read_table(english).rows}
    assert english_rows["D2C2"][kind_column] == "Party cell"
    with translation.override("vi"):
        again = import_orgunits(data=english)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(snapshot))


def test_the_export_writes_a_levels_code_where_two_levels_share_its_name(small_tree, levels):
    levels["chi-bo"].name = levels["co-so"].name
    levels["chi-bo"].save()
    exported = export_orgunits(OrgUnit.objects.all(), file_format="csv")
    rows = {row[0]: row for _number, row in read_table(exported).rows}
    assert rows["D1C1CELL"][HEADER.index("level")] == "chi-bo"
    assert rows["D1C1"][HEADER.index("level")] == "co-so"


# --- Tops of the tree: the "Quản trị hệ thống" group ---------------------------------


def test_a_data_migration_made_the_administrators_group():
    group = Group.objects.get(name=ROOT_ADMINISTRATORS)
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("orgunits", "add_root_unit")
    ]


def test_the_group_is_in_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:auth_group_changelist")).content.decode()
    assert ROOT_ADMINISTRATORS in page
    group = Group.objects.get(name=ROOT_ADMINISTRATORS)
    page = client.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert "add_root_unit" in page or "top-level unit" in page


def administrator(**fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=ROOT_ADMINISTRATORS))
    return type(user).objects.get(pk=user.pk)  # no permission cache


NEW_PROVINCE = [
    ["KT", "Tỉnh ủy Kon Tum", "", "", "Cấp tỉnh", "Cấp ủy"],
    ["KT.DH", "Huyện ủy Đăk Hà", "", "KT", "Cấp huyện"],
    ["KT.DH.X1", "Đảng ủy xã Hà Mòn", "", "KT.DH", "Cấp cơ sở", "Đảng ủy cơ sở"],
]


def test_a_coordinator_without_the_right_is_told_which_rows_add_a_top(small_tree):
    coordinator = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    data = csv_file(
        ["N1", "Xã mới", "", "D1", "co-so"],
        *NEW_PROVINCE,
        ["KT2", "Tỉnh ủy khác", "", "", "tinh"],
    )
    with translation.override("vi"):
        result = import_orgunits(data=data, by=coordinator)
        found = errors(result)
        text = [str(error) for error in result.errors]
    assert [row for row, _message in found] == [3, 6]
    assert "Dòng 3" in text[0]
    assert "“KT”" in text[0]
    assert ROOT_ADMINISTRATORS in text[0]
    assert "“KT2”" in text[1]
    assert not OrgUnit.objects.filter(code__in=["N1", "KT"]).exists()


def test_a_member_of_the_group_adds_a_province_with_its_units(small_tree, client):
    user = administrator()
    assert can(user, "orgunits.add_top_unit")
    assert can(user, "orgunits.import_units")  # without holding a role anywhere
    result = import_orgunits(data=csv_file(*NEW_PROVINCE), by=user)
    assert result.ok, result.errors
    province = OrgUnit.objects.get(code="KT")
    assert province.depth == 1
    assert OrgUnit.objects.get(code="KT.DH.X1").path.startswith(province.path)

    # Through the upload page too; a unit of an existing province stays its coordinators'.
    client.force_login(user)
    upload = io.BytesIO(csv_file(["QN", "Tỉnh ủy Quảng Ngãi", "", "", "tinh"]))
    upload.name = "tinh-moi.csv"
    response = client.post(reverse("orgunits:import"), {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("orgunits:tree")
    assert OrgUnit.objects.get(code="QN").depth == 1
    outside = import_orgunits(data=csv_file(["D1C1", "Đổi tên", "", "D1", "co-so"]), by=user)
    assert [row for row, _message in errors(outside)] == [2]


def test_the_permission_alone_works_and_an_inactive_administrator_has_none(small_tree):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_root_unit"))
    user = type(user).objects.get(pk=user.pk)
    assert can(user, "orgunits.add_top_unit")
    inactive = administrator(is_active=False)
    assert not can(inactive, "orgunits.add_top_unit")
    assert not can(
        MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user, "orgunits.add_top_unit"
    )


def _admin_add(client, **extra):
    return client.post(
        reverse("admin:orgunits_orgunit_add"),
        {
            "code": "NEWTOP",
            "name": "Tỉnh ủy Mới",
            "level": extra.pop("level"),
            "kind": "party_committee",
            "is_active": "on",
            "treebeard_position": "first-child",
            "treebeard_ref_node": "",
            "issuing_bodies-TOTAL_FORMS": "0",
            "issuing_bodies-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            **extra,
        },
    )


def test_the_admin_adds_a_top_of_the_tree_only_for_the_group(client, small_tree, levels):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="orgunits",
            codename__in=["add_orgunit", "change_orgunit", "view_orgunit"],
        )
    )
    MembershipFactory(user=staff, unit=small_tree["P"], role=Role.COORDINATOR)
    client.force_login(staff)
    with translation.override("vi"):
        response = _admin_add(client, level=levels["tinh"].pk)
    assert response.status_code == 200
    assert ROOT_ADMINISTRATORS in response.content.decode()
    assert not OrgUnit.objects.filter(code="NEWTOP").exists()
    # Under a unit of their own, it is added.
    response = _admin_add(client, level=levels["huyen"].pk, treebeard_ref_node="P")
    assert response.status_code == 302
    assert OrgUnit.objects.get(code="NEWTOP").depth == 2
    OrgUnit.objects.get(code="NEWTOP").delete()

    staff.groups.add(Group.objects.get(name=ROOT_ADMINISTRATORS))
    client.force_login(type(staff).objects.get(pk=staff.pk))
    response = _admin_add(client, level=levels["tinh"].pk)
    assert response.status_code == 302
    assert OrgUnit.objects.get(code="NEWTOP").depth == 1
