"""Every page type of the app, as the demo user who may open it.

One row per GET page of the URLconf that renders a whole page. The HTMX
fragments (the outline editor and its paste form, the attachments, the builds
list, the tree's children, the board's rows) are checked inside the page that
loads them; the documents, exports and POST-only actions are not pages. The
objects come from the demo province with a published seed 000 plan and the
demo dialogues.
"""

from dataclasses import dataclass

from django.urls import reverse

from campaigns.models import Plan, PlanStatus
from consolidation.models import DocumentBuild
from dialogues.models import DialoguePlan, Meeting, Petition
from orgunits import demo
from orgunits.models import IssuingBody
from reports.models import Report, ReportStatus

COMMUNE = demo.DEMO_COMMUNE
DISTRICT = "GL.CS"
PROVINCE = "GL"


@dataclass(frozen=True)
class PageType:
    name: str
    username: str | None  # None: anonymous
    path: str
    main: bool = False  # also checked on a phone's screen
    status: int = 200


def catalogue() -> list[PageType]:
    plan = (
        Plan.objects.filter(issuing_unit__code=PROVINCE, status=PlanStatus.PUBLISHED)
        .order_by("-pk")
        .first()
    )
    reports = {
        r.unit.code: r
        for r in Report.objects.filter(
            campaign=plan, unit__code__in=[COMMUNE, DISTRICT, PROVINCE]
        ).select_related("unit")
    }
    commune, district, province = reports[COMMUNE], reports[DISTRICT], reports[PROVINCE]
    meeting = Meeting.objects.filter(plan__unit__code=DISTRICT).order_by("pk").first()
    petition = Petition.objects.filter(meeting__plan__unit__code=DISTRICT).order_by("pk").first()
    dialogue_plan = DialoguePlan.objects.filter(unit__code=DISTRICT).order_by("pk").first()
    body = IssuingBody.objects.filter(unit__code=PROVINCE).order_by("pk").first()
    submitted = (
        Report.objects.filter(
            campaign=plan, unit__code__startswith=f"{DISTRICT}.", status=ReportStatus.SUBMITTED
        )
        .order_by("pk")
        .first()
    )
    build = DocumentBuild.objects.filter(report=province).order_by("-pk").first()

    coordinator, district_coordinator = "tinh.dieuphoi", "huyen.dieuphoi"
    plan_url = reverse("campaigns:detail", args=[plan.pk])
    report_url = reverse("reports:detail", args=[commune.pk])
    rows = [
        PageType("login", None, reverse("login"), main=True),
        PageType("password reset", None, reverse("password_reset")),
        PageType("password reset sent", None, reverse("password_reset_done")),
        PageType("password reset complete", None, reverse("password_reset_complete")),
        PageType("home (inbox)", "xa.baocao", reverse("home"), main=True),
        PageType("home (coordinator)", coordinator, reverse("home")),
        PageType("report inbox", "huyen.duyet", reverse("reports:inbox"), main=True),
        PageType("password change", "xa.baocao", reverse("password_change")),
        PageType("password changed", "xa.baocao", reverse("password_change_done")),
        PageType("unit tree", coordinator, reverse("orgunits:tree"), main=True),
        PageType("unit page", coordinator, reverse("orgunits:detail", args=[DISTRICT])),
        PageType("unit import", "admin", reverse("orgunits:import")),
        PageType("people list", coordinator, reverse("people:list")),
        PageType("person add", coordinator, reverse("people:add")),
        PageType("people import", coordinator, reverse("people:import")),
        PageType("units without anyone", coordinator, reverse("people:units_without_people")),
        PageType("bodies", coordinator, reverse("orgunits:bodies", args=[PROVINCE])),
        PageType("body add", coordinator, reverse("orgunits:body_add", args=[PROVINCE])),
        PageType("plan list", coordinator, reverse("campaigns:list"), main=True),
        PageType("plan create", coordinator, reverse("campaigns:create")),
        PageType("plan detail", "xa.baocao", plan_url, main=True),
        PageType("plan detail (issuer)", coordinator, plan_url),
        PageType("plan print", coordinator, reverse("campaigns:print", args=[plan.pk])),
        PageType("report (reporter)", "xa.baocao", report_url, main=True),
        PageType("report (approver)", "xa.duyet", report_url),
        PageType("report (reviewer)", district_coordinator, report_url, main=True),
        PageType("report (viewer)", "xa.lanhdao", report_url),
        PageType("report history", "xa.baocao", reverse("reports:history", args=[commune.pk])),
        PageType("report print", "xa.baocao", reverse("reports:print", args=[commune.pk])),
        PageType("board", coordinator, reverse("chasing:board", args=[plan.pk]), main=True),
        PageType("reminder policy", coordinator, reverse("chasing:policy", args=[plan.pk])),
        PageType("overview", coordinator, reverse("consolidation:overview", args=[plan.pk])),
        PageType(
            "consolidation workspace",
            district_coordinator,
            reverse("consolidation:workspace", args=[district.pk]),
            main=True,
        ),
        PageType("notifications", "xa.baocao", reverse("notifications:list"), main=True),
        PageType("notification settings", "xa.baocao", reverse("notifications:preferences")),
        PageType("dialogue calendar", district_coordinator, "/doi-thoai/", main=True),
        PageType("dialogue plan create", district_coordinator, reverse("dialogues:plan_create")),
        PageType("petition register", district_coordinator, reverse("dialogues:register")),
        PageType("page not found", "xa.baocao", "/ke-hoach/999999/", status=404),
        PageType(
            "permission denied",
            "xa.baocao",
            reverse("campaigns:compose", args=[plan.pk, "general"]),
            status=403,
        ),
    ]
    for step in ("general", "subjects", "content", "outline", "deadlines", "signature", "preview"):
        rows.append(
            PageType(
                f"composer: {step}",
                coordinator,
                reverse("campaigns:compose", args=[plan.pk, step]),
                main=step == "general",
            )
        )
    if submitted:
        rows.append(
            PageType(
                "report (reviewer, submitted)",
                district_coordinator,
                reverse("reports:detail", args=[submitted.pk]),
                main=True,
            )
        )
    if body:
        rows.append(
            PageType(
                "body edit", coordinator, reverse("orgunits:body_edit", args=[PROVINCE, body.pk])
            )
        )
    if build:
        rows.append(
            PageType(
                "build progress",
                coordinator,
                reverse("consolidation:build_progress", args=[province.pk, build.pk]),
            )
        )
    if dialogue_plan:
        rows.append(
            PageType(
                "dialogue plan edit",
                district_coordinator,
                reverse("dialogues:plan_edit", args=[dialogue_plan.pk]),
            )
        )
    if meeting:
        rows += [
            PageType(
                "meeting",
                district_coordinator,
                reverse("dialogues:meeting", args=[meeting.pk]),
                main=True,
            ),
            PageType(
                "meeting record",
                district_coordinator,
                reverse("dialogues:meeting_record", args=[meeting.pk]),
            ),
        ]
    if petition:
        rows += [
            PageType(
                "petition",
                district_coordinator,
                reverse("dialogues:petition", args=[petition.pk]),
                main=True,
            ),
            PageType(
                "petition print",
                district_coordinator,
                reverse("dialogues:petition_print", args=[petition.pk]),
            ),
        ]
    return rows
