import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from orgunits import demo
from orgunits.models import Level, OrgUnit
from tests.factories import UserFactory, add_unit

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


@pytest.fixture
def demo_province(db) -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))


@pytest.fixture
def user_factory(db):
    return UserFactory
