"""axe-core finds no critical or serious violation on any page type: every
page of tests/browser/pages.py, as the user who may open it, on a desktop
screen (1280×900) and the main ones on a phone (390×844).

The data: the demo province, seed 000 published by the province (a commune's
report submitted to the district), the demo dialogues of the district.
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from orgunits import demo
from orgunits.models import OrgUnit
from reports.models import Report, ReportStatus
from tests.browser import axe
from tests.browser.conftest import BROWSER_TIMEOUT_MS, log_in
from tests.browser.pages import DISTRICT, catalogue
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def every_page(demo_province):
    day = datetime.timedelta(days=1)
    today = timezone.localdate()
    plan = PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        issued_on=today - 10 * day,
        deadlines={"co-so": today + 5 * day, "huyen": today + 12 * day, "tinh": today + 20 * day},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )
    other_commune = (
        Report.objects.filter(campaign=plan, unit__code__startswith=f"{DISTRICT}.")
        .exclude(unit__code=demo.DEMO_COMMUNE)
        .order_by("unit__code")
        .first()
    )
    Report.objects.filter(pk=other_commune.pk).update(
        status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    call_command("load_demo_dialogues", stdout=io.StringIO())
    return catalogue()


def scan(browser, live_server, rows, viewport) -> dict[str, list[str]]:
    """Each page's blocking violations: {page: ["rule (impact): selectors"]}."""
    found: dict[str, list[str]] = {}
    pages = {}
    try:
        for row in rows:
            if row.username not in pages:
                context = browser.new_context(locale="vi-VN", viewport=viewport)
                pages[row.username] = context.new_page()
                pages[row.username].set_default_timeout(BROWSER_TIMEOUT_MS)
                if row.username:
                    log_in(pages[row.username], live_server, row.username, demo.PASSWORD)
            page = pages[row.username]
            response = page.goto(f"{live_server.url}{row.path}")
            assert response.status == row.status, row.name
            page.wait_for_load_state("networkidle")
            blocking = axe.blocking(axe.check(page))
            if blocking:
                found[row.name] = [
                    f"{v['id']} ({v['impact']}): {', '.join(v['nodes'][:5])}" for v in blocking
                ]
    finally:
        for page in pages.values():
            page.context.close()
    return found


def test_no_page_type_has_a_serious_violation_on_a_desktop(browser, live_server, every_page):
    assert len(every_page) >= 50
    assert scan(browser, live_server, every_page, DESKTOP) == {}


def test_the_main_pages_have_no_serious_violation_on_a_phone(browser, live_server, every_page):
    main = [row for row in every_page if row.main]
    assert len(main) >= 15
    assert scan(browser, live_server, main, PHONE) == {}
