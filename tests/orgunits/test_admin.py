import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:orgunits_orgunit_changelist",
        "admin:orgunits_orgunit_add",
        "admin:orgunits_membership_changelist",
        "admin:orgunits_membership_add",
        "admin:orgunits_level_changelist",
    ],
)
def test_a_superuser_manages_units_and_memberships_in_the_admin(client, small_tree, url_name):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse(url_name)).status_code == 200


def test_the_admin_edits_a_unit(client, small_tree):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:orgunits_orgunit_change", args=[small_tree["D1"].pk])
    assert client.get(url).status_code == 200
    assert (
        client.get(
            reverse("admin:orgunits_orgunit_history", args=[small_tree["D1"].pk])
        ).status_code
        == 200
    )
