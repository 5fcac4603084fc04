"""A small fixed world with an object of every kind, for the access matrix.

Province P (two districts, four communes, a party cell under commune D1C1),
another province Q beside it; one user per position the matrix asks about;
P's published plan with reports, an attachment, a consolidated build, a
district head's dialogue with a meeting hosted by D1C1 and a petition
handled by the district's office D1.GT, a notification, a draft plan.
Every unit has a name no other name contains, so a page can be searched for
the names it must not show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from campaigns.models import Plan
from chasing.models import BoardExport, ExportStatus
from conferences.models import Conference, ConferenceStatus, Invitation, Speech
from consolidation.models import BuildStatus, DocumentBuild
from dialogues import services as dialogue_services
from dialogues.models import DialoguePlan, Meeting, Petition
from notifications.models import Notification, NotificationKind
from orgunits.models import IssuingBody, OrgUnit, Role
from orgunits.tables import write_xlsx
from registers.models import IncomingDocument, IncomingFile, PlanFile
from reports.models import Attachment, Report
from tests.campaigns.seeds import SEED000_DEADLINES
from tests.factories import MembershipFactory, PlanFactory, add_unit

# The users of the matrix: (unit code, role); "anon" has no session.
USERS: dict[str, tuple[str, str] | None] = {
    "anon": None,
    "p_coord": ("P", Role.COORDINATOR),
    "p_viewer": ("P", Role.VIEWER),
    "d1_coord": ("D1", Role.COORDINATOR),
    "d1_reporter": ("D1", Role.REPORTER),
    "c_coord": ("D1C1", Role.COORDINATOR),
    "c_reporter": ("D1C1", Role.REPORTER),
    "c_approver": ("D1C1", Role.APPROVER),
    "c_viewer": ("D1C1", Role.VIEWER),
    "sib_reporter": ("D1C2", Role.REPORTER),
    "d2_coord": ("D2", Role.COORDINATOR),
    "cell_reporter": ("D1C1CELL", Role.REPORTER),
    "agency_viewer": ("D1.GT", Role.VIEWER),
    "q_coord": ("Q", Role.COORDINATOR),
}

NAMES = {
    "P": "Tỉnh ủy Alpha",
    "D1": "Huyện ủy Bạch Mã",
    "D2": "Huyện ủy Cẩm Lệ",
    "D1C1": "Đảng ủy xã Đồng Xuân",
    "D1C2": "Đảng ủy xã Eo Gió",
    "D2C1": "Đảng ủy xã Gành Hào",
    "D2C2": "Đảng ủy xã Hòn Khoai",
    "D1C1CELL": "Chi bộ thôn Ia Lốp",
    "D1.GT": "Phòng Kinh tế Kỳ Sơn",
    "Q": "Tỉnh ủy Omega",
    "QD": "Huyện ủy Quỳnh Lưu",
    "QDC": "Đảng ủy xã Rạch Sỏi",
}


@dataclass
class World:
    units: dict[str, OrgUnit]
    users: dict[str, object]
    plan: Plan
    draft: Plan
    q_plan: Plan
    report: Report  # commune D1C1's
    district_report: Report  # D1's, with units below
    attachment: Attachment
    build: DocumentBuild
    body: IssuingBody  # D1C1's default body
    item_id: int
    draft_item_id: int
    dialogue_plan: DialoguePlan
    meeting: Meeting
    petition: Petition
    notification: Notification
    extra: dict = field(default_factory=dict)

    def scope_names(self, user_key: str) -> set[str]:
        """Unit names the user may see: their unit's subtree and its ancestors."""
        position = USERS[user_key]
        if position is None:
            return set()
        unit = self.units[position[0]]
        return {
            u.name
            for u in self.units.values()
            if u.path.startswith(unit.path) or unit.path.startswith(u.path)
        }


def build_world(levels) -> World:
    units: dict[str, OrgUnit] = {}
    units["P"] = add_unit(None, "P", levels["tinh"], name=NAMES["P"], symbol="TU")
    for d in ("D1", "D2"):
        units[d] = add_unit(units["P"], d, levels["huyen"], name=NAMES[d], symbol="HU")
        for c in ("C1", "C2"):
            units[d + c] = add_unit(units[d], d + c, levels["co-so"], name=NAMES[d + c])
    units["D1C1CELL"] = add_unit(
        units["D1C1"], "D1C1CELL", levels["chi-bo"], name=NAMES["D1C1CELL"]
    )
    units["Q"] = add_unit(None, "Q", levels["tinh"], name=NAMES["Q"], symbol="TU")
    units["QD"] = add_unit(units["Q"], "QD", levels["huyen"], name=NAMES["QD"], symbol="HU")
    units["QDC"] = add_unit(units["QD"], "QDC", levels["co-so"], name=NAMES["QDC"])
    for unit in units.values():
        unit.refresh_from_db()

    users = {
        key: MembershipFactory(unit=units[code], role=role).user
        for key, position in USERS.items()
        if position is not None and (code := position[0]) != "D1.GT"
        for role in [position[1]]
    }
    plan = PlanFactory(
        issuing_unit=units["P"],
        seed000=True,
        deadlines=SEED000_DEADLINES,
        published_by=users["p_coord"],
    )
    draft = PlanFactory(issuing_unit=units["P"], seed000=True, number=280)
    q_plan = PlanFactory(
        issuing_unit=units["Q"],
        seed000=True,
        deadlines=SEED000_DEADLINES,
        published_by=users["q_coord"],
    )
    report = Report.objects.get(campaign=plan, unit=units["D1C1"])
    district_report = Report.objects.get(campaign=plan, unit=units["D1"])
    attachment = Attachment.objects.create(
        report=report,
        original_name="bien-ban.pdf",
        content_type="application/pdf",
        size=13,
        uploaded_by=users["c_reporter"],
    )
    attachment.file.save("bien-ban.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    build = DocumentBuild.objects.create(
        report=district_report, fmt="pdf", status=BuildStatus.DONE, finished_at=timezone.now()
    )
    build.file.save("D1.pdf", ContentFile(b"%PDF-1.4 test"))
    # A finished export of the plan's board, asked for by the district's coordinator.
    board_export = BoardExport.objects.create(
        plan=plan,
        requested_by=users["d1_coord"],
        language="vi",
        fingerprint="-",
        status=ExportStatus.DONE,
        finished_at=timezone.now(),
    )
    board_export.file.save(
        "tien-do.xlsx", ContentFile(write_xlsx(["Unit"], [[NAMES["D1"]]], title="Progress"))
    )

    day = timezone.localdate() + datetime.timedelta(days=20)
    dialogue_plan = DialoguePlan.objects.create(
        unit=units["D1"], year=day.year, summary="đối thoại"
    )
    meeting = Meeting.objects.create(
        plan=dialogue_plan, target_group="Cán bộ xã", month=day.month, date=day, venue="Hội trường"
    )
    meeting.host_units.set([units["D1C1"]])
    petition = dialogue_services.record_petition(
        meeting=meeting,
        petitioner="Ông A",
        subject="Đường liên thôn",
        field="economy",
        answered_on_spot=False,
        by=users["d1_coord"],
    )
    units["D1.GT"] = add_unit(units["D1"], "D1.GT", levels["co-so"], name=NAMES["D1.GT"])
    units["D1.GT"].refresh_from_db()
    users["agency_viewer"] = MembershipFactory(unit=units["D1.GT"], role=Role.VIEWER).user
    dialogue_services.assign(
        petition=petition,
        agency=units["D1.GT"],
        due_on=day + datetime.timedelta(days=30),
        by=users["d1_coord"],
    )
    notification = Notification.objects.create(
        user=users["c_reporter"], kind=NotificationKind.PLAN_PUBLISHED, title="Kế hoạch", url="/"
    )
    incoming = IncomingDocument.objects.create(
        unit=units["D1C1"],
        number=1,
        received_on=plan.issued_on,
        sender=NAMES["P"],
        symbol=plan.number_symbol,
        summary="Kế hoạch sơ kết",
        plan=plan,
        recorded_by=users["c_reporter"],
    )
    incoming_file = IncomingFile(
        document=incoming, original_name="den.pdf", content_type="application/pdf", size=13
    )
    incoming_file.file.save("den.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    plan_file = PlanFile(plan=plan, original_name="kh.pdf", content_type="application/pdf", size=13)
    plan_file.file.save("kh.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    conference, held_conference = (
        Conference.objects.create(
            plan=plan,
            unit=units["P"],
            issuing_body=plan.issuing_body,
            title=title,
            date=on,
            venue="Hội trường Tỉnh ủy",
            chair="Đồng chí Bí thư",
            status=status,
            conclusions=conclusions,
        )
        for title, on, status, conclusions in [
            ("Hội nghị tổng kết", day, ConferenceStatus.PLANNED, ""),
            ("Hội nghị sơ kết", plan.issued_on, ConferenceStatus.HELD, "Kết luận."),
        ]
    )
    for each in (conference, held_conference):
        Invitation.objects.create(conference=each, unit=units["D1C1"])
    speech = Speech.objects.create(
        conference=conference,
        unit=units["D1C1"],
        topic="Kinh nghiệm",
        due_on=day,
        text="Tham luận",
        submitted_at=timezone.now(),
        original_name="tham-luan.pdf",
        content_type="application/pdf",
    )
    speech.file.save("tham-luan.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    item_id = next(i.pk for i in plan.outline_items.all() if i.is_answerable)
    draft_item_id = draft.outline_items.first().pk
    return World(
        units=units,
        users=users,
        plan=plan,
        draft=draft,
        q_plan=q_plan,
        report=report,
        district_report=district_report,
        attachment=attachment,
        build=build,
        body=IssuingBody.objects.get(unit=units["D1C1"], is_default=True),
        item_id=item_id,
        draft_item_id=draft_item_id,
        dialogue_plan=dialogue_plan,
        meeting=meeting,
        petition=petition,
        notification=notification,
        extra={
            "incoming": incoming,
            "incoming_file": incoming_file,
            "plan_file": plan_file,
            "conference": conference,
            "held_conference": held_conference,
            "speech": speech,
            "board_export": board_export,
        },
    )
