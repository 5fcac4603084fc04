"""Fixtures shared by every app's tests. A folder's conftest.py holds only what
that app alone uses; factories and tree builders are in tests/factories.py."""

import datetime
import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone, translation

from campaigns.models import AnswerType
from orgunits import demo
from orgunits.models import Level, OrgUnit, Role
from reports.models import Report
from tests.factories import (
    SEED000_DEADLINES,
    MembershipFactory,
    PlanFactory,
    UserFactory,
    add_unit,
)
from tests.snapshot import Snapshot

CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config):
    # The SQLite test database is a file under var/ (see config/settings/test.py).
    (Path(__file__).resolve().parent.parent / "var").mkdir(exist_ok=True)


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium; CI installs it and must run them."""
    if shutil.which(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium.")
    browser = [item for item in items if item.get_closest_marker("browser")]
    if browser:
        config.hook.pytest_deselected(items=browser)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]
        print(f"\nDeselected {len(browser)} browser test(s): install chromium to run them.")


@pytest.fixture(autouse=True)
def _vietnamese():
    """Every test starts in the default language, whatever an earlier request chose."""
    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (the password reset's counters)."""
    cache.clear()


# --- Time ---------------------------------------------------------------------


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def nine_am(today) -> datetime.datetime:
    """Today at 9:00, local time: after the hour reminders are sent."""
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))


# --- Trees --------------------------------------------------------------------


@pytest.fixture
def levels(db) -> dict[str, Level]:
    result = {}
    for code, name, rank in demo.LEVELS:
        result[code], _created = Level.objects.get_or_create(
            code=code, defaults={"name": name, "rank": rank}
        )
    return result


@pytest.fixture
def small_tree(levels) -> dict[str, OrgUnit]:
    """A province with two districts, two communes each, and a party cell."""
    units = {}
    units["P"] = add_unit(None, "P", levels["tinh"], name="Tỉnh ủy Gia Lai", symbol="TU")
    for d in ("D1", "D2"):
        units[d] = add_unit(units["P"], d, levels["huyen"], name=f"Huyện ủy {d}", symbol="HU")
        for c in ("C1", "C2"):
            code = f"{d}{c}"
            units[code] = add_unit(units[d], code, levels["co-so"], name=f"Đảng ủy xã {code}")
    units["D1C1CELL"] = add_unit(units["D1C1"], "D1C1CELL", levels["chi-bo"], name="Chi bộ thôn 1")
    for unit in units.values():
        unit.refresh_from_db()
    return units


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker) -> Snapshot:
    """`load_demo` run once per test process (each xdist worker), its rows kept."""
    with django_db_blocker.unblock():
        return Snapshot.capture(lambda: call_command("load_demo", stdout=io.StringIO()))


@pytest.fixture
def demo_province(_demo_snapshot, db) -> None:
    """The demo province of `manage.py load_demo` (Gia Lai, its demo users), put
    back from the session's snapshot: in every kind of test, browser ones too."""
    _demo_snapshot.restore()


# --- People -------------------------------------------------------------------


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def coordinator(small_tree):
    """A coordinator of the small tree's province P."""
    return MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user


@pytest.fixture
def people(small_tree) -> dict:
    """One user per role where the tests need them."""
    return {
        "reporter": MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user,
        "approver": MembershipFactory(unit=small_tree["D1C1"], role=Role.APPROVER).user,
        "viewer": MembershipFactory(unit=small_tree["D1C1"], role=Role.VIEWER).user,
        "district_coordinator": MembershipFactory(
            unit=small_tree["D1"], role=Role.COORDINATOR
        ).user,
        "other_commune": MembershipFactory(unit=small_tree["D2C1"], role=Role.REPORTER).user,
        "other_district": MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user,
    }


# --- A published plan ---------------------------------------------------------


@pytest.fixture
def published_plan(small_tree):
    """Seed 000 (279-KH/TU) of the small tree's province, published by its
    coordinator: every unit but the party cell has a report."""
    return PlanFactory(
        issuing_unit=small_tree["P"],
        seed000=True,
        deadlines=SEED000_DEADLINES,
        published_by=MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user,
    )


@pytest.fixture
def commune_report(published_plan, small_tree) -> Report:
    return Report.objects.get(campaign=published_plan, unit=small_tree["D1C1"])


@pytest.fixture
def text_item(published_plan):
    return (
        published_plan.outline_items.filter(is_heading=False, answer_type=AnswerType.TEXT)
        .order_by("position")
        .first()
    )
