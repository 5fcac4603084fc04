"""Unit pickers: the search endpoint (scope, accents, labels, constant queries)
and the form fields (codes without JavaScript, ids, errors, never a 500)."""

from __future__ import annotations

import html as html_module
import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.forms import ParticipantsForm
from orgunits import access, pickers
from orgunits.fields import UnitChoiceField, UnitMultipleChoiceField
from orgunits.models import Membership, OrgUnit, Role
from orgunits.text import search_key
from tests.factories import MembershipFactory, UserFactory, add_unit

pytestmark = pytest.mark.django_db

PICK = reverse("orgunits:pick")


def build_tree(levels_by_depth, parents: list[int | None], names: list[str], prefix="U"):
    """Units in bulk with treebeard paths computed here: ``parents[i]`` is the
    index of unit i's parent (always lower than i), None for a root. Fast
    enough for 20,000 units; returns the units in index order."""
    steplen = OrgUnit.steplen
    paths: list[str] = []
    children: dict[int | None, int] = {}
    numchild = [0] * len(parents)
    roots_before = OrgUnit.objects.filter(depth=1).count()
    for parent in parents:
        children[parent] = children.get(parent, 0) + 1
        if parent is None:
            position = roots_before + children[None]
            paths.append(OrgUnit._get_path("", 1, position))
        else:
            numchild[parent] += 1
            base = paths[parent]
            paths.append(OrgUnit._get_path(base, len(base) // steplen + 1, children[parent]))
    units = []
    for index, path in enumerate(paths):
        depth = len(path) // steplen
        unit = OrgUnit(
            path=path,
            depth=depth,
            numchild=numchild[index],
            code=f"{prefix}{index}",
            name=names[index],
            level=levels_by_depth[min(depth, len(levels_by_depth)) - 1],
        )
        unit.search_text = unit.build_search_text()
        units.append(unit)
    OrgUnit.objects.bulk_create(units, batch_size=2000)
    return list(OrgUnit.objects.filter(code__startswith=prefix).order_by("path"))


@pytest.fixture
def ordered_levels(levels):
    return [levels[code] for code in ("tinh", "huyen", "co-so", "chi-bo")]


def _pick(client, **params) -> list[dict]:
    response = client.get(PICK, params)
    assert response.status_code == 200
    return response.json()


# --- The endpoint ---------------------------------------------------------------

NAMES = [
    "Đảng bộ Sở Tài chính",
    "Huyện ủy Chư Sê",
    "Đảng ủy xã Ia Ko",
    "Chi bộ thôn 1",
    "Ban Tài chính",
]
WORDS = ["tai", "chinh", "dang", "xa", "u", "1", "ia ko", "Tài Chính", "u1"]


@st.composite
def forests(draw):
    size = draw(st.integers(1, 18))
    parents: list[int | None] = []
    for index in range(size):
        parent = draw(st.integers(-1, index - 1)) if index else -1
        parents.append(None if parent < 0 else parent)
    names = [draw(st.sampled_from(NAMES)) for _ in range(size)]
    roles = [Role.COORDINATOR, Role.REPORTER, Role.VIEWER]
    memberships = draw(
        st.lists(st.tuples(st.integers(0, size - 1), st.sampled_from(roles)), max_size=3)
    )
    under = draw(st.none() | st.integers(0, size - 1))
    purpose = draw(st.sampled_from(sorted(pickers.PURPOSES)))
    word = draw(st.sampled_from(WORDS))
    return parents, names, memberships, under, purpose, word


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(forest=forests())
def test_the_endpoint_never_proposes_a_unit_outside_the_users_scope(client, ordered_levels, forest):
    parents, names, memberships, under_index, purpose, word = forest
    with transaction.atomic():
        units = build_tree(ordered_levels, parents, names, prefix="H")
        by_code = {unit.code: unit for unit in units}
        user = UserFactory()
        for index, role in memberships:
            Membership.objects.get_or_create(user=user, unit=units[index], role=role)
        client.force_login(user)
        params = {"q": word, "scope": purpose}
        under = None
        if under_index is not None:
            under = units[under_index]
            params["under"] = under.code
        found = _pick(client, **params)

        roles = {
            "coordinated": [Role.COORDINATOR],
            "issuer": [Role.COORDINATOR],
            "people": [Role.COORDINATOR],  # the people pages' (registered by people)
        }.get(purpose)
        user = type(user).objects.get(pk=user.pk)
        for item in found:
            unit = by_code[item["code"]]
            assert access.reaches(user, unit, roles=roles), (item, memberships)
            if under is not None:
                assert unit.path.startswith(under.path)
                assert unit.pk != under.pk
        # …and everything in scope that matches, up to the limit, in order.
        expected = sorted(
            (
                unit
                for unit in units
                if access.reaches(user, unit, roles=roles)
                and (under is None or (unit.is_within(under) and unit.pk != under.pk))
                and all(w in unit.search_text for w in search_key(word).split())
            ),
            key=lambda unit: (unit.depth, unit.name, unit.path),
        )[: pickers.RESULT_LIMIT]
        assert [item["code"] for item in found] == [unit.code for unit in expected]
        transaction.set_rollback(True)


def test_it_finds_names_without_accents_and_shows_parent_and_code(client, small_tree, levels):
    for district in ("D1", "D2"):
        add_unit(
            small_tree[district], f"{district}.STC", levels["co-so"], name="Đảng bộ Sở Tài chính"
        )
    OrgUnit.objects.filter(code="D2").update(name="Huyện ủy Chư Sê")
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user)

    for query in ("tai chinh", "TÀI CHÍNH", "Tài", "chinh tai", "đảng bộ sở", "dang bo so"):
        found = _pick(client, q=query)
        assert {item["code"] for item in found} == {"D1.STC", "D2.STC"}, query
    found = {item["code"]: item for item in _pick(client, q="tai chinh")}
    assert found["D2.STC"]["label"] == "Đảng bộ Sở Tài chính — Huyện ủy Chư Sê · D2.STC"
    assert found["D1.STC"]["parent_name"] == "Huyện ủy D1"
    assert found["D1.STC"]["level"] == levels["co-so"].name
    assert set(found["D1.STC"]) == {"id", "code", "name", "parent_name", "level", "label"}
    # The code is searched too, and the highest units come first.
    assert [item["code"] for item in _pick(client, q="d1")][:2] == ["D1", "D1.STC"]


def test_it_searches_only_below_the_unit_given_and_never_the_unit_itself(client, small_tree):
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user)
    codes = {item["code"] for item in _pick(client, q="d1", under="D1")}
    assert codes == {"D1C1", "D1C2", "D1C1CELL"}
    assert _pick(client, q="d1", under="NO-SUCH-UNIT") == []
    assert _pick(client, q="d1", scope="no-such-scope") == []
    assert _pick(client, q="") == []


def test_a_user_sees_only_the_units_they_reach(client, small_tree):
    client.force_login(MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user)
    assert {item["code"] for item in _pick(client, q="xa")} == {"D2C1", "D2C2"}
    # Asking below a unit out of reach gives nothing of it.
    assert _pick(client, q="xa", under="D1") == []
    client.logout()
    assert client.get(PICK, {"q": "xa"}).status_code == 302


def test_it_returns_at_most_twenty_units(client, small_tree, levels):
    for index in range(30):
        add_unit(small_tree["D1"], f"T{index}", levels["co-so"], name=f"Chi bộ Tài chính {index}")
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user)
    assert len(_pick(client, q="tai chinh")) == 20


def test_the_endpoint_runs_the_same_queries_on_200_and_20000_units(client, ordered_levels):
    """One search query at any tree size (plus the session, the user, its
    memberships and the unit asked below: constant)."""
    user = UserFactory()
    client.force_login(user)
    counts, timings = [], []
    for prefix, districts, communes, target in (("S", 9, 21, 200), ("B", 40, 498, 20_000)):
        parents: list[int | None] = [None]
        names = ["Tỉnh ủy Gia Lai"]
        for d in range(districts):
            parents.append(0)
            names.append(f"Huyện ủy {d}")
            district = len(parents) - 1
            for c in range(communes):
                parents.append(district)
                names.append("Đảng bộ Sở Tài chính" if c % 50 == 7 else f"Đảng ủy xã {d}-{c}")
        while len(parents) < target:  # commissions of the province, to the round number
            parents.append(0)
            names.append(f"Ban {len(parents)}")
        units = build_tree(ordered_levels, parents, names, prefix=prefix)
        Membership.objects.create(user=user, unit=units[0], role=Role.COORDINATOR)
        total = OrgUnit.objects.filter(code__startswith=prefix).count()
        assert total == target
        params = {"q": "tai chinh", "scope": "coordinated", "under": units[0].code}
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            found = _pick(client, **params)
            timings.append(time.perf_counter() - started)
        assert found
        assert all(item["code"].startswith(prefix) for item in found)
        counts.append(len(queries))
        for query in ("xa", "dang uy xa 7-1", "zzz"):  # many, some and no matches
            started = time.perf_counter()
            _pick(client, **{**params, "q": query})
            timings.append(time.perf_counter() - started)
        print(
            f"{total} units: {counts[-1]} queries; "
            + ", ".join(f"{t * 1000:.1f} ms" for t in timings[-4:])
        )
    assert counts[0] == counts[1]


# --- The form fields ------------------------------------------------------------


@pytest.fixture
def plan(small_tree):
    from tests.factories import PlanFactory

    return PlanFactory(issuing_unit=small_tree["P"])


def _participants(plan, user, **data):
    data.setdefault("pilot_due_on", "2030-01-15")
    return ParticipantsForm(data, instance=plan, levels=None, user=user)


def test_the_composer_takes_codes_typed_without_javascript(plan, coordinator, small_tree):
    form = _participants(plan, coordinator, excluded_units="D1C1, D2C2", pilot_units="D1C2")
    assert form.is_valid(), form.errors
    form.save()
    assert set(plan.excluded_units.all()) == {small_tree["D1C1"], small_tree["D2C2"]}
    assert list(plan.pilot_units.all()) == [small_tree["D1C2"]]
    # Ids (what older clients post) are accepted too, repeated or in a list.
    form = _participants(
        plan, coordinator, pilot_units=[str(small_tree["D2C1"].pk), "D2C1"], excluded_units=""
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["pilot_units"] == [small_tree["D2C1"]]


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "P",
        "<script>alert(1)</script>",
        "99999999999999999999999",
        "D1C1, nope",
        "-1",
        "１２",
    ],
)
def test_unknown_or_out_of_scope_units_are_form_errors(plan, coordinator, typed):
    form = _participants(plan, coordinator, pilot_units=typed)
    assert not form.is_valid()
    assert "pilot_units" in form.errors
    with translation.override("vi"):
        form = _participants(plan, coordinator, pilot_units=typed)
        assert "Không có đơn vị" in str(form.errors["pilot_units"])


def test_a_unit_out_of_the_users_scope_is_refused_by_code_and_by_id(small_tree, plan):
    district = MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user
    for value in ("D1C1", str(small_tree["D1C1"].pk)):
        form = _participants(plan, district, excluded_units=value)
        assert not form.is_valid()
        assert "excluded_units" in form.errors
    assert _participants(plan, district, excluded_units="D2C1").is_valid()


def test_the_field_renders_only_the_chosen_units(plan, coordinator, small_tree, levels):
    for index in range(40):
        add_unit(small_tree["D1"], f"MANY{index}", levels["co-so"], name=f"Đảng ủy xã {index}")
    plan.pilot_units.set([small_tree["D1C2"]])
    html = str(ParticipantsForm(instance=plan, user=coordinator)["pilot_units"])
    assert 'name="pilot_units"' in html
    assert 'value="D1C2"' in html
    assert "MANY" not in html
    assert "<option" not in html
    chosen = json.loads(html_module.unescape(html.split('data-chosen="')[1].split('"')[0]))
    assert [unit["label"] for unit in chosen] == ["Đảng ủy xã D1C2 — Huyện ủy D1 · D1C2"]
    assert "scope=visible" in html
    assert "under=P" in html


def test_typed_text_comes_back_as_typed_and_names_only_units_in_scope(small_tree, plan):
    district = MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user
    form = _participants(plan, district, pilot_units="D2C1, D1C1, zz")
    assert not form.is_valid()
    html = str(form["pilot_units"])
    assert 'value="D2C1, D1C1, zz"' in html
    assert "Đảng ủy xã D2C1" in html
    assert "Đảng ủy xã D1C1" not in html


def test_a_single_picker_takes_one_unit(small_tree, coordinator):
    field = UnitChoiceField(required=True).scope(coordinator)
    assert field.clean("D1") == small_tree["D1"]
    for bad in ("D1, D2", "nope", ""):
        with pytest.raises(ValidationError):
            field.clean(bad)
    optional = UnitChoiceField(required=False).scope(coordinator)
    assert optional.clean("") is None


def test_has_changed_compares_units_not_spelling(small_tree, coordinator):
    field = UnitMultipleChoiceField(required=False).scope(coordinator)
    d1, d2 = small_tree["D1"], small_tree["D2"]
    assert not field.has_changed([d1, d2], f"D2,{d1.pk}")
    assert field.has_changed([d1], "D1, D2")
    assert not field.has_changed(None, "")


def test_the_deadlines_step_keeps_a_bad_code_and_says_why(client, plan, coordinator):
    client.force_login(coordinator)
    url = reverse("campaigns:compose", args=[plan.pk, "deadlines"])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="pilot_units"' in page.content
    assert b"data-unit-picker" in page.content
    response = client.post(url, {"pilot_units": "D1C1, KHONG-CO", "excluded_units": ""})
    assert response.status_code == 200
    assert b"KHONG-CO" in response.content
    assert plan.pilot_units.count() == 0


# --- The admin --------------------------------------------------------------------


def test_the_admin_picks_units_by_search_with_parent_and_code(client, small_tree, levels):
    for index in range(30):
        add_unit(small_tree["D2"], f"ADM{index}", levels["co-so"], name=f"Đảng ủy xã {index}")
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    cell = small_tree["D1C1CELL"]
    page = client.get(reverse("admin:orgunits_orgunit_change", args=[cell.pk])).content.decode()
    assert "ADM1" not in page  # the tree is never listed
    assert "Đảng ủy xã D1C1 — Huyện ủy D1 · D1C1" in page  # the current parent, labelled
    page = client.get(reverse("admin:orgunits_membership_add")).content.decode()
    assert 'name="unit"' in page
    assert "data-unit-picker" in page
    assert "ADM1" not in page

    # Moving the cell under another commune, by code.
    response = client.post(
        reverse("admin:orgunits_orgunit_change", args=[cell.pk]),
        {
            "code": cell.code,
            "name": cell.name,
            "level": cell.level_id,
            "kind": cell.kind,
            "is_active": "on",
            "treebeard_position": "first-child",
            "treebeard_ref_node": "D2C2",
            "issuing_bodies-TOTAL_FORMS": "0",
            "issuing_bodies-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "successor": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    cell.refresh_from_db()
    assert cell.path.startswith(small_tree["D2C2"].path)


def test_the_body_search_keeps_to_the_units_the_user_coordinates(client, small_tree):
    from orgunits.bodies import default_body

    for unit in small_tree.values():
        default_body(unit)
    client.force_login(MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user)
    found = _pick(client, q="huyen uy", scope="issuer", pick="body")
    assert [item["code"] for item in found] == ["D2"]
    assert _pick(client, q="d1", scope="issuer", pick="body") == []
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user)
    assert _pick(client, q="huyen uy", scope="issuer", pick="body") == []
