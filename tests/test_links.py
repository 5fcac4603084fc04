"""No link shown that the click refuses: every link a page renders for a user
(downloads included) opens for that user.

The pages: a published plan, its overview, a unit's report and its
consolidation workspace, for users from a commune reporter to the province's
leaders; a head's dialogue meeting and its petition for the office, the host
commune and the agency. Every same-site ``href`` and ``hx-get`` on them is
opened once.
"""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from consolidation.models import BuildStatus, DocumentBuild
from dialogues import services as dialogue_services
from dialogues.models import DialoguePlan, Meeting
from orgunits.models import OrgUnit, Role
from reports.models import Report
from tests.factories import MembershipFactory, add_unit

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def dialogue(small_tree, levels):
    """A district head's meeting hosted by commune D1C1, and a petition raised
    there that the district's land office handles."""
    day = timezone.localdate() + datetime.timedelta(days=20)
    plan = DialoguePlan.objects.create(unit=small_tree["D1"], year=day.year, summary="đối thoại")
    meeting = Meeting.objects.create(
        plan=plan, target_group="Cán bộ xã D1C1", month=day.month, date=day, venue="Hội trường"
    )
    meeting.host_units.set([small_tree["D1C1"]])
    office = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    petition = dialogue_services.record_petition(
        meeting=meeting,
        petitioner="Ông A",
        subject="Đường liên thôn",
        field="economy",
        answered_on_spot=False,
        by=office,
    )
    agency = add_unit(small_tree["D1"], "D1.GT", levels["co-so"], name="Phòng Kinh tế - Hạ tầng")
    dialogue_services.assign(
        petition=petition, agency=agency, due_on=day + datetime.timedelta(days=30), by=office
    )
    return meeting, petition


@pytest.mark.parametrize(
    ("code", "role"),
    [
        ("D1", Role.COORDINATOR),
        ("D1C1", Role.REPORTER),
        ("D1C1", Role.VIEWER),
        ("D1.GT", Role.VIEWER),
    ],
)
def test_every_link_on_the_dialogue_pages_opens_for_the_user(
    client, dialogue, small_tree, code, role
):
    meeting, petition = dialogue
    client.force_login(MembershipFactory(unit=OrgUnit.objects.get(code=code), role=role).user)
    pages = [
        reverse("dialogues:calendar") + f"?year={meeting.plan.year}",
        reverse("dialogues:register"),
    ]
    for page in (
        reverse("dialogues:meeting", args=[meeting.pk]),
        reverse("dialogues:petition", args=[petition.pk]),
    ):
        if client.get(page).status_code == 200:
            pages.append(page)
    opened: dict[str, int] = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        for url in links(response.content.decode()):
            if url not in opened:
                opened[url] = client.get(url).status_code
    assert {url: status for url, status in opened.items() if status != 200} == {}


# The other pages a user moves between, for the province's coordinator and a
# commune's approver too; the 404 and 403 pages show only links that open.
HUB_USERS = [*USERS, ("P", Role.COORDINATOR), ("D1C1", Role.APPROVER)]


@pytest.mark.parametrize(("code", "role"), HUB_USERS)
def test_every_link_on_the_other_pages_opens_for_the_user(client, built, small_tree, code, role):
    plan = built
    unit = small_tree[code]
    client.force_login(MembershipFactory(unit=unit, role=role).user)
    report = Report.objects.get(campaign=plan, unit=unit)
    candidates = [
        reverse("home"),
        reverse("reports:inbox"),
        reverse("campaigns:list"),
        reverse("chasing:board", args=[plan.pk]),
        reverse("chasing:policy", args=[plan.pk]),
        reverse("orgunits:tree"),
        reverse("orgunits:detail", args=[unit.code]),
        reverse("orgunits:bodies", args=[unit.code]),
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("reports:history", args=[report.pk]),
        reverse("consolidation:builds", args=[report.pk]),
        reverse("campaigns:compose", args=[plan.pk, "general"]),
        reverse("campaigns:compose", args=[plan.pk, "preview"]),
        reverse("password_change"),
    ]
    pages = [page for page in candidates if client.get(page).status_code == 200]
    assert len(pages) >= 8  # home, inbox, plans, units, a unit, notifications, history, password
    error_pages = {"/ke-hoach/999999/": 404}
    if not can_compose(client, plan):
        error_pages[reverse("campaigns:compose", args=[plan.pk, "general"])] = 403
    opened: dict[str, int] = {}
    for page, status in [(page, 200) for page in pages] + list(error_pages.items()):
        response = client.get(page)
        assert response.status_code == status, page
        for url in links(response.content.decode()):
            if url not in opened:
                opened[url] = client.get(url).status_code
    assert {url: status for url, status in opened.items() if status != 200} == {}
    assert len(opened) >= 10


def can_compose(client, plan) -> bool:
    return client.get(reverse("campaigns:compose", args=[plan.pk, "general"])).status_code == 200
