"""A coordinator manages the people of their subtree and nothing else: 404s
outside it, POSTs refused, the whole person only if every role is theirs."""

import pytest
from django.urls import reverse

from orgunits.models import Membership, Role
from people import services
from people.models import Profile
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def names(response) -> str:
    return response.content.decode()


def test_the_list_shows_the_subtree_only(client, small_tree, people, district_coordinator):
    client.force_login(district_coordinator)
    html = names(client.get(reverse("people:list")))
    assert people["reporter"].get_full_name() in html  # D1C1
    assert people["district_coordinator"].get_full_name() in html  # D1 itself
    assert people["other_commune"].get_full_name() not in html  # D2C1
    assert people["other_district"].get_full_name() not in html  # D2
    province = MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user
    assert province.get_full_name() not in names(client.get(reverse("people:list")))


def test_a_person_without_role_stays_in_the_scope_of_their_home_unit(
    client, small_tree, district_coordinator
):
    loner = UserFactory(first_name="Lò Văn Một", last_name="")
    Profile.objects.create(user=loner, home_unit=small_tree["D1C2"])
    outsider = UserFactory(first_name="Quàng Thị Hai", last_name="")
    Profile.objects.create(user=outsider, home_unit=small_tree["D2C2"])
    client.force_login(district_coordinator)
    html = names(client.get(reverse("people:without_role")))
    assert "Lò Văn Một" in html
    assert "Quàng Thị Hai" not in html
    assert client.get(reverse("people:detail", args=[loner.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[outsider.pk])).status_code == 404


@pytest.mark.parametrize("who", ["other_commune", "other_district"])
def test_people_of_another_district_are_404_and_posts_refused(
    client, people, district_coordinator, small_tree, who
):
    person = people[who]
    client.force_login(district_coordinator)
    for name in ("detail", "edit", "deactivate", "reactivate"):
        assert client.get(reverse(f"people:{name}", args=[person.pk])).status_code == 404
    for name in ("deactivate", "invite", "password"):
        response = client.post(reverse(f"people:{name}", args=[person.pk]), {"password": "x"})
        assert response.status_code == 404
    membership = Membership.objects.get(user=person)
    response = client.post(reverse("people:role_remove", args=[person.pk, membership.pk]))
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.is_active
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_role_outside_the_subtree_cannot_be_given(
    client, people, district_coordinator, small_tree
):
    client.force_login(district_coordinator)
    person = people["reporter"]
    url = reverse("people:detail", args=[person.pk])
    for unit in (small_tree["D2C1"], small_tree["P"]):
        response = client.post(url, {"unit": unit.pk, "role": Role.APPROVER})
        assert response.status_code == 200  # the form again: not a choice
        assert not Membership.objects.filter(user=person, unit=unit).exists()
    client.post(url, {"unit": small_tree["D1C2"].pk, "role": Role.APPROVER})
    assert Membership.objects.filter(user=person, unit=small_tree["D1C2"]).exists()


def test_the_service_refuses_too(people, district_coordinator, small_tree):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.give_role(
            by=district_coordinator, person=people["reporter"], unit=small_tree["D2"], role="viewer"
        )
    with pytest.raises(PermissionDenied):
        services.set_active(by=district_coordinator, person=people["other_commune"], active=False)


def test_non_coordinators_get_404(client, people):
    client.force_login(people["reporter"])
    for name in ("list", "add", "import", "without_role", "units_without_people"):
        assert client.get(reverse(f"people:{name}")).status_code == 404
    assert client.post(reverse("people:import"), {}).status_code == 404


def test_someone_with_a_role_above_can_only_lose_the_roles_in_scope(
    client, small_tree, district_coordinator
):
    person = MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user
    MembershipFactory(user=person, unit=small_tree["P"], role=Role.VIEWER)
    client.force_login(district_coordinator)
    page = client.get(reverse("people:deactivate", args=[person.pk]))
    assert "không thể khóa tài khoản" in names(page)
    assert client.get(reverse("people:edit", args=[person.pk])).status_code == 404
    assert client.post(reverse("people:deactivate", args=[person.pk])).status_code == 404
    person.refresh_from_db()
    assert person.is_active
    client.post(reverse("people:deactivate", args=[person.pk]), {"what": "roles"})
    assert list(Membership.objects.filter(user=person).values_list("unit__code", flat=True)) == [
        "P"
    ]


def test_deactivate_and_reactivate(client, small_tree, people, district_coordinator):
    person = people["reporter"]
    client.force_login(district_coordinator)
    client.post(reverse("people:deactivate", args=[person.pk]))
    person.refresh_from_db()
    assert not person.is_active
    assert "đã khóa" in names(client.get(reverse("people:list")))
    client.post(reverse("people:reactivate", args=[person.pk]))
    person.refresh_from_db()
    assert person.is_active


def test_a_coordinator_cannot_deactivate_themselves(client, district_coordinator):
    client.force_login(district_coordinator)
    client.post(reverse("people:deactivate", args=[district_coordinator.pk]), follow=True)
    district_coordinator.refresh_from_db()
    assert district_coordinator.is_active


def test_administrators_are_not_managed_by_coordinators(client, small_tree, district_coordinator):
    admin = MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(district_coordinator)
    assert client.get(reverse("people:detail", args=[admin.pk])).status_code == 404


def test_units_without_people(client, small_tree, people, district_coordinator):
    client.force_login(district_coordinator)
    html = names(client.get(reverse("people:units_without_people")))
    # D1 has its coordinator, D1C1 its reporter; D1C2 and the cell nobody; D2… not in scope.
    assert "Đảng ủy xã D1C2" in html
    assert "Chi bộ thôn 1" in html
    assert "Đảng ủy xã D1C1" not in html
    assert "D2C2" not in html
    assert "Tỉnh ủy" not in html


def test_search_by_name_without_diacritics_and_by_email(client, small_tree, district_coordinator):
    chinh = MembershipFactory(
        unit=small_tree["D1C1"],
        role=Role.REPORTER,
        user=UserFactory(first_name="Hoàng Văn Chính", last_name="", email="chinh@x.vn"),
    ).user
    other = MembershipFactory(
        unit=small_tree["D1C2"],
        role=Role.VIEWER,
        user=UserFactory(first_name="Đỗ Thị Mai", last_name="", email="mai@x.vn"),
    ).user
    client.force_login(district_coordinator)
    html = names(client.get(reverse("people:list"), {"q": "hoang van chinh"}))
    assert chinh.get_full_name() in html
    assert other.get_full_name() not in html
    html = names(client.get(reverse("people:list"), {"q": "mai@x"}))
    assert other.get_full_name() in html
    assert chinh.get_full_name() not in html
    html = names(client.get(reverse("people:list"), {"role": Role.VIEWER}))
    assert other.get_full_name() in html
    assert chinh.get_full_name() not in html
    html = names(client.get(reverse("people:list"), {"unit": small_tree["D1C1"].pk}))
    assert chinh.get_full_name() in html
    assert other.get_full_name() not in html
    # A unit outside the scope is not a choice: the filter is ignored, not widened.
    html = names(client.get(reverse("people:list"), {"unit": small_tree["D2"].pk}))
    assert "D2" not in html.split("people-table")[1].split("</table>")[0]


@pytest.mark.parametrize(
    "page", ["people:list", "people:without_role", "people:units_without_people"]
)
def test_list_pages_run_a_constant_number_of_queries(
    client, small_tree, levels, district_coordinator, django_assert_max_num_queries, page
):
    from tests.factories import add_unit

    client.force_login(district_coordinator)

    def grow(n: int) -> None:
        for i in range(n):
            unit = add_unit(small_tree["D1"], f"X{page[-4:]}{n}{i}", levels["co-so"])
            MembershipFactory(unit=unit, role=Role.REPORTER)
            loner = UserFactory()
            Profile.objects.create(user=loner, home_unit=unit, position="Chuyên viên")
            add_unit(small_tree["D1"], f"Y{page[-4:]}{n}{i}", levels["co-so"])

    grow(5)
    client.get(reverse(page))
    with django_assert_max_num_queries(40) as small:
        client.get(reverse(page), {"q": "Nguyễn"} if page == "people:list" else {})
    grow(45)
    with django_assert_max_num_queries(len(small)):
        client.get(reverse(page), {"q": "Nguyễn"} if page == "people:list" else {})
