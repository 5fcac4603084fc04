import pytest
from django.urls import reverse

from orgunits.models import Role
from orgunits.selectors import units_visible_to
from tests.factories import MembershipFactory, UserFactory, add_unit

pytestmark = pytest.mark.django_db


def _member(unit, role):
    return MembershipFactory(unit=unit, role=role).user


def test_it_shows_a_district_coordinator_exactly_its_subtree(small_tree):
    user = _member(small_tree["D1"], Role.COORDINATOR)
    codes = set(units_visible_to(user).values_list("code", flat=True))
    assert codes == {"D1", "D1C1", "D1C2", "D1C1CELL"}


def test_it_merges_the_subtrees_of_several_roles(small_tree):
    user = _member(small_tree["D1C1"], Role.REPORTER)
    MembershipFactory(user=user, unit=small_tree["D2C2"], role=Role.VIEWER)
    MembershipFactory(user=user, unit=small_tree["D1"], role=Role.VIEWER)
    codes = set(units_visible_to(user).values_list("code", flat=True))
    assert codes == {"D1", "D1C1", "D1C2", "D1C1CELL", "D2C2"}


def test_it_shows_nothing_to_a_user_without_membership(small_tree):
    assert not units_visible_to(UserFactory()).exists()


def test_it_shows_everything_to_a_superuser(small_tree):
    admin = UserFactory(is_superuser=True)
    assert units_visible_to(admin).count() == len(small_tree)


@pytest.mark.parametrize(
    "url_name",
    ["orgunits:detail", "orgunits:children"],
)
def test_it_gives_a_commune_reporter_404_on_another_communes_pages(client, small_tree, url_name):
    client.force_login(_member(small_tree["D1C1"], Role.REPORTER))
    assert client.get(reverse(url_name, args=["D1C1"])).status_code == 200
    for other in ("D1C2", "D2C1", "D1", "P"):
        assert client.get(reverse(url_name, args=[other])).status_code == 404


def test_it_gives_404_on_exporting_another_units_subtree(client, small_tree):
    client.force_login(_member(small_tree["D1C1"], Role.REPORTER))
    response = client.get(reverse("orgunits:export"), {"root": "D2"})
    assert response.status_code == 404


def test_it_exports_only_the_visible_subtree(client, small_tree):
    client.force_login(_member(small_tree["D2"], Role.COORDINATOR))
    body = client.get(reverse("orgunits:export"), {"format": "csv"}).getvalue().decode("utf-8-sig")
    codes = {line.split(",")[0] for line in body.splitlines()[1:]}
    assert codes == {"D2", "D2C1", "D2C2"}


def test_it_searches_only_within_the_users_subtree(client, small_tree):
    client.force_login(_member(small_tree["D1"], Role.COORDINATOR))
    html = client.get(reverse("orgunits:search"), {"q": "dang uy xa"}).content.decode()
    assert "D1C1" in html
    assert "D1C2" in html
    assert "D2C1" not in html


def test_it_redirects_anonymous_users_to_login(client, small_tree):
    response = client.get(reverse("orgunits:tree"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_refuses_the_import_page_to_a_reporter(client, small_tree):
    client.force_login(_member(small_tree["D1"], Role.REPORTER))
    assert client.get(reverse("orgunits:import")).status_code == 403


@pytest.mark.parametrize("url_name", ["orgunits:tree", "home"])
def test_it_runs_the_same_number_of_queries_whatever_the_tree_size(
    client, small_tree, levels, url_name, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(_member(small_tree["P"], Role.COORDINATOR))
    url = reverse(url_name)
    with django_assert_max_num_queries(20) as captured:
        assert client.get(url).status_code == 200
    small = len(captured)
    for i in range(30):
        commune = add_unit(small_tree["D2"], f"N{i}", levels["co-so"])
        add_unit(commune, f"N{i}.1", levels["chi-bo"])
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_it_runs_a_constant_number_of_queries_for_children_and_search(
    client, small_tree, levels, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(_member(small_tree["P"], Role.COORDINATOR))
    urls = [reverse("orgunits:children", args=["D2"]), reverse("orgunits:search") + "?q=xa"]
    before = {}
    for url in urls:
        with django_assert_max_num_queries(12, info=url) as captured:
            assert client.get(url).status_code == 200
        before[url] = len(captured)
    for i in range(25):
        add_unit(small_tree["D2"], f"M{i}", levels["co-so"], name=f"Đảng ủy xã M{i}")
    for url, count in before.items():
        with django_assert_num_queries(count, info=url):
            assert client.get(url).status_code == 200


def test_it_does_not_name_ancestors_outside_the_users_subtree(client, small_tree):
    client.force_login(_member(small_tree["D1"], Role.COORDINATOR))
    for response in (
        client.get(reverse("orgunits:search"), {"q": "D1C1"}),
        client.get(reverse("orgunits:detail", args=["D1C1"])),
    ):
        html = response.content.decode()
        assert "Huyện ủy D1" in html
        assert "Tỉnh ủy Gia Lai" not in html
