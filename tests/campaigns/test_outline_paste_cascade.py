"""Pasting an outline into an implementing plan that already holds the inherited one."""

import pytest
from django.urls import reverse

from campaigns import selectors, services
from orgunits.models import Role
from tests.campaigns.seeds import DATA, seed000_deadlines, seed000_plan
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
OWN = "2.4. Đánh giá riêng của Huyện ủy về việc đối thoại ở thôn, làng."


@pytest.fixture
def district_plan(small_tree, levels):
    province = seed000_plan(small_tree["P"])
    province.participating_levels.set([levels["huyen"], levels["co-so"]])
    seed000_deadlines(province, levels)
    coordinator = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    services.publish(plan=province, by=coordinator)
    province.refresh_from_db()
    return services.cascade(parent=province, unit=small_tree["D1"], by=coordinator)


def _district_text() -> str:
    """The province's outline as the district pastes it, with an item of its own."""
    lines = (DATA / "seed000_outline.txt").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("3. "))
    return "\n".join([*lines[:at], OWN, *lines[at:]])


def test_replacing_the_outline_keeps_one_copy_of_the_inherited_items(
    client, small_tree, district_plan
):
    inherited = district_plan.outline_items.count()
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user)
    url = reverse("campaigns:outline_paste", args=[district_plan.pk])
    for _twice in range(2):
        response = client.post(url, {"text": _district_text(), "replace": "on"}, **HTMX)
        assert response.status_code == 200

    rows = selectors.outline_rows(district_plan)
    entries = [(row.item.numbering, row.item.title) for row in rows]
    assert len(entries) == len(set(entries)) == inherited + 1
    numberings = [numbering for numbering, _title in entries]
    own = next(row for row in rows if row.item.numbering == "2.4.")
    assert own.item.inherited_from is None
    assert own.item.parent.numbering == "2."
    assert own.item.parent.inherited_from is not None
    assert numberings.index("2.4.") == numberings.index("3.") - 1
    assert "được giữ một lần" in response.content.decode()  # the user is told
