"""The second demo (``manage.py load_demo_2025``): a province without districts
(``orgunits.demo2025``), a campaign from the province straight to its
communes, reports in every state, and two communes merged in mid-campaign.

Idempotent: the tree, bodies and users are brought up to date on every run;
the campaign and the merger are made once.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from campaigns import demo as plan_demo
from campaigns import outline
from campaigns import services as plan_services
from campaigns.models import Plan, PlanKind, ReviewForm
from orgunits import demo, demo2025
from orgunits.bodies import default_body, save_body
from orgunits.mergers import merge_units
from orgunits.models import IssuingBody, Level, Membership, OrgUnit, Term, UnitMerger
from orgunits.services import COLUMNS, import_orgunits
from orgunits.tables import write_csv

from .demo import _answer
from .models import Report, ReportStatus

DEMO_NUMBER = 12
DAY = datetime.timedelta(days=1)
SUMMARY = (
    "tổng kết công tác dân vận năm 2025 của hệ thống chính trị các cấp sau khi sắp xếp "
    "đơn vị hành chính, tổ chức chính quyền địa phương hai cấp"
)


class DemoError(Exception):
    pass


@transaction.atomic
def load() -> dict:
    """Everything the second demo needs; what was made, for the command to say."""
    for code, name, rank in demo.LEVELS:
        Level.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})
    for name, starts_on, ends_on in demo.TERMS:
        Term.objects.get_or_create(name=name, defaults={"starts_on": starts_on, "ends_on": ends_on})
    result = import_orgunits(data=write_csv([key for key, _label in COLUMNS], demo2025.tree_rows()))
    if not result.ok:
        raise DemoError("\n".join(str(error) for error in result.errors))
    province = OrgUnit.objects.get(code=demo2025.PROVINCE[0])
    _bodies(province)
    _users()
    plan = _campaign(province)
    merger = _merger(plan)
    _users()  # the resulting unit's people, once it exists
    if plan is not None and merger is not None:
        _taken_over(plan, merger)
    return {
        "units": OrgUnit.objects.within([province.path]).count(),
        "created": result.created,
        "plan": plan,
        "merger": merger
        or UnitMerger.objects.filter(resulting_unit__code=demo2025.MERGED_INTO[0]).first(),
    }


def _bodies(province: OrgUnit) -> None:
    body = default_body(province)
    body.signer_name = demo2025.SIGNER
    save_body(body=body)
    header, phrase, symbol, position, signer = demo2025.LEAD_BODY
    lead = IssuingBody.objects.filter(unit=province, phrase=phrase).first() or IssuingBody(
        unit=province
    )
    lead.kind, lead.name, lead.phrase, lead.symbol = "commission", header, phrase, symbol
    lead.authority, lead.sign_for, lead.signer_position = "", "", position
    lead.signer_name, lead.is_default = signer, False
    save_body(body=lead)


def _users() -> None:
    User = get_user_model()
    units = OrgUnit.objects.in_bulk([row[2] for row in demo2025.USERS], field_name="code")
    for username, whole_name, unit_code, role in demo2025.USERS:
        unit = units.get(unit_code)
        if unit is None:
            continue  # the merged commune, before the merger
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": whole_name,
                "last_name": "",
                "email": f"{username}@daklak.dcs.vn",
            },
        )
        if created:
            user.set_password(demo2025.PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, unit=unit, role=role)


def _campaign(province: OrgUnit) -> Plan | None:
    """The province's plan straight to its communes, published, some reports in."""
    if Plan.objects.filter(issuing_unit=province, number=DEMO_NUMBER).exists():
        return None
    today = timezone.localdate()
    plan = plan_services.new_plan(issuing_unit=province, issued_on=today - 40 * DAY)
    plan.number = DEMO_NUMBER
    plan.kind = PlanKind.FINAL
    plan.period_start = plan.period_end = today.year
    plan.summary = SUMMARY
    plan.introduction = (
        "Thực hiện Chương trình công tác năm, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch tổng kết "
        "công tác dân vận năm, cụ thể như sau:"
    )
    plan.review_form = ReviewForm.WRITTEN
    plan.lead_body = IssuingBody.objects.filter(unit=province, symbol="BDVTU").first()
    plan.recipients = ["Các đảng ủy xã, phường", "Lưu Văn phòng Tỉnh ủy"]
    plan.signer_name = demo2025.SIGNER
    plan.save()
    plan_services.seed_sections(
        plan,
        purpose="<div>Đánh giá kết quả công tác dân vận sau khi tổ chức chính quyền địa phương "
        "hai cấp.</div>",
        implementation="<div>Các đảng ủy xã, phường tổng kết và gửi báo cáo về Ban Thường vụ "
        "Tỉnh ủy (qua Ban Dân vận Tỉnh ủy).</div>",
    )
    outline.import_text(plan=plan, text=plan_demo.OUTLINE.read_text(encoding="utf-8"), replace=True)
    levels = {level.code: level for level in Level.objects.all()}
    plan.participating_levels.set([levels["co-so"]])
    plan_services.set_deadlines(
        plan=plan,
        deadlines=[
            plan_services.DeadlineCheck(levels["co-so"], today + 5 * DAY),
            plan_services.DeadlineCheck(levels["tinh"], today + 15 * DAY),
        ],
    )
    coordinator = get_user_model().objects.get(username="dl.dieuphoi")
    plan_services.publish(plan=plan, by=coordinator)
    plan.refresh_from_db()
    _spread_states(plan)
    return plan


def _spread_states(plan: Plan) -> None:
    """Before the merger: some communes accepted or submitted, some writing.
    Of the two communes to merge, one was accepted and the other not begun."""
    rng = random.Random(DEMO_NUMBER)
    now = timezone.now()
    reports = list(
        Report.objects.filter(campaign=plan, unit__level__code="co-so").order_by("unit__path")
    )
    for report in reports:
        code = report.unit.code
        roll = rng.random()
        if code == demo2025.MERGED[0] or (code not in demo2025.MERGED and roll < 0.5):
            accepted = code == demo2025.MERGED[0] or roll < 0.3
            report.status = ReportStatus.ACCEPTED if accepted else ReportStatus.SUBMITTED
            report.submitted_at = now - rng.choice([12, 14, 16, 20]) * DAY
            report.issued_on = timezone.localdate(report.submitted_at)
            report.unit_name = report.unit.name
            if accepted:
                report.reviewed_at = report.submitted_at + DAY
        elif code == demo2025.MERGED[1] or roll < 0.75:
            report.status = ReportStatus.DRAFT
    Report.objects.bulk_update(
        reports,
        ["status", "submitted_at", "issued_on", "unit_name", "reviewed_at"],
        batch_size=500,
    )
    _answer(plan, [r for r in reports if r.status != ReportStatus.PENDING], rng)


def _merger(plan: Plan | None) -> UnitMerger | None:
    """The two communes merged ten days ago, once."""
    code, name, short, place = demo2025.MERGED_INTO
    if OrgUnit.objects.filter(code=code).exists():
        return None
    units = list(OrgUnit.objects.filter(code__in=demo2025.MERGED).order_by("path"))
    return merge_units(
        units=units,
        name=name,
        code=code,
        short_name=short,
        place_name=place,
        on=timezone.localdate() - 10 * DAY,
        by=None,
    )


def _taken_over(plan: Plan, merger: UnitMerger) -> None:
    """Ea Wer's report, not submitted at the merger, is finished and submitted
    by the new commune's approver, still as Ea Wer's report."""
    approver = get_user_model().objects.get(username="eanuol.duyet")
    report = Report.objects.get(campaign=plan, unit__code=demo2025.MERGED[1])
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now() - 2 * DAY
    report.submitted_by = approver
    report.issued_on = timezone.localdate(report.submitted_at)
    report.save(update_fields=["status", "submitted_at", "submitted_by", "issued_on", "modified"])
