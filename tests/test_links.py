"""No link shown that the click refuses: every link a page renders for a user
(downloads included) opens for that user.

The pages: a published plan, its overview, a unit's report and its
consolidation workspace, for users from a commune reporter to the province's
leaders. Every same-site ``href`` and ``hx-get`` on them is opened once.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from consolidation.models import BuildStatus, DocumentBuild
from orgunits.models import Role
from reports.models import Report
from tests.factories import MembershipFactory
from tests.reports import conftest as report_fixtures

pytestmark = pytest.mark.django_db

published_plan = report_fixtures.published_plan

LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
NOT_PAGES = ("/static/", "/media/", "/admin/", "/i18n/")
DOWNLOAD = re.compile(r"\.(pdf|docx|xlsx)$|/ban-in/|/tai-ve/")

# (unit, role) of the users whose pages are crawled, and whose report page.
USERS = [
    ("D1C1", Role.REPORTER),  # a commune: the plan is issued two levels above
    ("D1C1", Role.VIEWER),
    ("D1", Role.REPORTER),  # a district's writer: consolidates, does not build
    ("D1", Role.COORDINATOR),
    ("P", Role.VIEWER),  # the province's leader
    ("P", Role.REPORTER),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def built(published_plan, small_tree):
    """A consolidated PDF of the province and of district D1, ready to download."""
    for code in ("P", "D1"):
        report = Report.objects.get(campaign=published_plan, unit=small_tree[code])
        build = DocumentBuild.objects.create(
            report=report, fmt="pdf", status=BuildStatus.DONE, finished_at=timezone.now()
        )
        build.file.save(f"{code}.pdf", ContentFile(b"%PDF-1.4 test"))
    return published_plan


def links(html: str) -> list[str]:
    found = [url.replace("&amp;", "&") for url in LINK.findall(html)]
    return [url for url in found if not url.startswith(NOT_PAGES)]


@pytest.mark.parametrize(("code", "role"), USERS)
def test_every_link_on_the_plan_and_report_pages_opens_for_the_user(
    client, built, small_tree, code, role
):
    plan = built
    client.force_login(MembershipFactory(unit=small_tree[code], role=role).user)
    report = Report.objects.get(campaign=plan, unit=small_tree[code])
    pages = [
        reverse("campaigns:detail", args=[plan.pk]),
        reverse("consolidation:overview", args=[plan.pk]),
        reverse("reports:detail", args=[report.pk]),
    ]
    opened: dict[str, int] = {}
    downloads = 0
    while pages:
        page = pages.pop(0)
        response = client.get(page)
        assert response.status_code == 200, page
        for url in links(response.content.decode()):
            if url in opened:
                continue
            target = client.get(url)
            opened[url] = target.status_code
            downloads += bool(DOWNLOAD.search(url))
            if url.startswith("/bao-cao/") and url.endswith("/tong-hop/"):
                pages.append(url)  # the workspace: crawl its links too
    refused = {url: status for url, status in opened.items() if status != 200}
    assert refused == {}
    assert downloads >= 5  # the plan's PDF, DOCX and print, the report's PDF and DOCX
