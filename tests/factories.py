"""factory_boy factories and tree builders shared by every app's tests.

Units are built through treebeard (``add_unit``, ``OrgUnitFactory``,
``build_province``); plans, reports, answers and dialogues through factories:

    plan = PlanFactory(issuing_unit=p, seed000=True, deadlines=SEED000_DEADLINES,
                       published_by=coordinator)          # reports opened for all
    report = ReportFactory(campaign=plan, unit=unit, status=ReportStatus.ACCEPTED)
    AnswerFactory(report=report, item=item, number=3)
    meeting = MeetingFactory(unit=district, date=day, hosts=[commune])
    PetitionFactory(meeting=meeting, assigned_to=agency, due_on=day)
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns import outline as outline_services
from campaigns import services as plan_services
from campaigns.models import OutlineItem, Plan, PlanKind, SubjectDocument
from dialogues.models import DialoguePlan, Meeting, MeetingStatus, Petition, PetitionStatus
from orgunits.bodies import default_body
from orgunits.models import Level, Membership, OrgUnit, Role, Term
from orgunits.services import COLUMNS, import_orgunits
from orgunits.tables import write_csv
from reports.models import Answer, Report, ReportStatus
from tests.campaigns.seeds import (
    SEED000_DEADLINES,
    SEED000_FIELDS,
    SEED000_OUTLINE,
    SEED000_SUBJECTS,
    SEED000_TEXTS,
)

__all__ = [
    "SEED000_DEADLINES",
    "AnswerFactory",
    "DialoguePlanFactory",
    "LevelFactory",
    "MeetingFactory",
    "MembershipFactory",
    "OrgUnitFactory",
    "PetitionFactory",
    "PlanFactory",
    "ReportFactory",
    "UserFactory",
    "add_unit",
    "build_province",
    "publish_plan",
    "item_of_type",
    "set_answer_type",
    "tiered_deadlines",
]

DAY = datetime.timedelta(days=1)


# --- People and units ---------------------------------------------------------


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"level-{n}")
    name = factory.LazyAttribute(lambda o: o.code.title())
    rank = factory.Sequence(lambda n: n + 10)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    # The whole name in first_name ("Họ và tên"), last_name empty: people/names.py.
    first_name = factory.Sequence(lambda n: f"Nguyễn Văn An {n}")
    last_name = ""
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password("secret-pass-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.REPORTER


def add_unit(parent: OrgUnit | None, code: str, level: Level, **fields) -> OrgUnit:
    """A unit under ``parent`` (a root when None), through treebeard's own API."""
    fields.setdefault("name", f"Đơn vị {code}")
    unit = OrgUnit(code=code, level=level, **fields)
    if parent is None:
        unit = OrgUnit.objects.add_root(instance=unit)
    else:
        parent.refresh_from_db()
        unit = OrgUnit.objects.add_child(parent, instance=unit)
    default_body(unit)  # every unit has its default issuing body, as an import gives it
    return unit


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """A unit under ``parent`` (a root without one): ``OrgUnitFactory(parent=d1, level=c)``."""

    class Meta:
        model = OrgUnit

    parent = None
    level = factory.SubFactory(LevelFactory)
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.LazyAttribute(lambda o: f"Đảng ủy xã {o.code}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, code, level, **fields):
        return add_unit(parent, code, level, **fields)


def build_province(levels, communes: int, prefix: str = "") -> OrgUnit:
    """A province with 10 districts and ``communes`` grassroots units, imported in bulk."""
    p = prefix
    rows = [[f"{p}P", "Tỉnh ủy", "", "", "tinh", "", "TU", "", "Gia Lai"]]
    for d in range(10):
        rows.append([f"{p}D{d}", f"Huyện ủy {d}", "", f"{p}P", "huyen", "", "HU", "", ""])
    for c in range(communes):
        rows.append([f"{p}C{c}", f"Đảng ủy xã {c}", "", f"{p}D{c % 10}", "co-so", "", "ĐU", "", ""])
    result = import_orgunits(data=write_csv([k for k, _l in COLUMNS], rows))
    assert result.ok, result.errors
    return OrgUnit.objects.get(code=f"{p}P")


def build_flat_province(
    today: datetime.date, communes: int, prefix: str = "", districts: int = 0, per_district: int = 0
) -> tuple[OrgUnit, Plan]:
    """A province whose ``communes`` communes answer to it directly (no district
    between), and ``districts`` districts of ``per_district`` communes each,
    under a published plan."""
    p = prefix
    rows = [[f"{p}P", "Tỉnh ủy", "", "", "tinh", "", "TU", "", "Gia Lai"]]
    rows += [
        [f"{p}C{c}", f"Đảng ủy xã {c}", "", f"{p}P", "co-so", "", "ĐU", "", ""]
        for c in range(communes)
    ]
    for d in range(districts):
        rows.append([f"{p}D{d}", f"Huyện ủy {d}", "", f"{p}P", "huyen", "", "HU", "", ""])
        rows += [
            [f"{p}D{d}C{c}", f"Đảng ủy xã {d}-{c}", "", f"{p}D{d}", "co-so", "", "ĐU", "", ""]
            for c in range(per_district)
        ]
    result = import_orgunits(data=write_csv([k for k, _l in COLUMNS], rows))
    assert result.ok, result.errors[:3]
    province = OrgUnit.objects.get(code=f"{p}P")
    return province, publish_plan(province, grassroots_due=today - DAY)


# --- Plans --------------------------------------------------------------------


def tiered_deadlines(grassroots_due: datetime.date, step: int = 10) -> dict[str, datetime.date]:
    """Grassroots on ``grassroots_due``, districts ``step`` days later, the province
    twice that: a mapping for ``PlanFactory(deadlines=...)``."""
    return {
        "co-so": grassroots_due,
        "huyen": grassroots_due + step * DAY,
        "tinh": grassroots_due + 2 * step * DAY,
    }


def _level(level_or_code) -> Level:
    if isinstance(level_or_code, Level):
        return level_or_code
    return Level.objects.get(code=level_or_code)


TEXTS = ("purpose", "content_intro", "implementation", "closing")


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan of ``issuing_unit`` (required), a draft with no outline unless asked:

    - ``seed000=True``: plan 279-KH/TU's texts, subjects and outline (tests/campaigns/seeds.py);
    - ``outline="1. Một\\n1.1. …"``: an outline imported from numbered text;
    - ``levels=[...]``: the participating levels (Level objects or codes);
    - ``deadlines={level or code: date}``: set through the service, which checks
      them; their levels take part unless ``levels`` is given.
      ``SEED000_DEADLINES`` and ``tiered_deadlines(day)`` are ready-made;
    - ``published_by=user``: published, a report opened for every participant.
    """

    class Meta:
        model = Plan

    class Params:
        seed000 = factory.Trait(
            number=279,
            outline=SEED000_OUTLINE,
            subjects=SEED000_SUBJECTS,
            **SEED000_FIELDS,
            **SEED000_TEXTS,
        )

    issuing_unit = None
    issuing_body = factory.LazyAttribute(lambda o: default_body(o.issuing_unit))
    issued_on = datetime.date(2020, 2, 25)
    term = factory.LazyAttribute(lambda o: Term.for_date(o.issued_on))
    number = factory.LazyAttribute(
        lambda o: plan_services.next_number(body=o.issuing_body, term=o.term)
    )
    issuer_symbol = factory.LazyAttribute(lambda o: o.issuing_unit.symbol or "TU")
    superior_body = factory.LazyAttribute(lambda o: o.issuing_body.header_lines()[0])
    issuer_line = factory.LazyAttribute(lambda o: o.issuing_body.header_lines()[1])
    place_name = "Gia Lai"
    kind = PlanKind.INTERIM
    period_start = factory.LazyAttribute(lambda o: o.issued_on.year - 3)
    period_end = factory.LazyAttribute(lambda o: o.issued_on.year)
    summary = "sơ kết 03 năm thực hiện Quyết định 553-QĐ/TU"
    signer_name = "Dương Văn Trang"
    # Not fields: what _create does once the plan is saved, in this order.
    # The texts of the skeleton's sections (services.skeleton); ``sections=False``: none.
    purpose = ""
    content_intro = ""
    implementation = ""
    closing = ""
    sections = True
    subjects = ()
    outline = ""
    levels = None
    deadlines = None
    published_by = None

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        for name in ("subjects", "outline", "levels", "deadlines", "published_by", *TEXTS):
            kwargs.pop(name)
        kwargs.pop("sections")
        return super()._build(model_class, *args, **kwargs)

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        subjects,
        outline,
        levels,
        deadlines,
        published_by,
        sections,
        **kwargs,
    ):
        texts = {name: kwargs.pop(name) for name in TEXTS}
        plan = super()._create(model_class, *args, **kwargs)
        if sections:
            plan_services.seed_sections(plan, **texts)
        for position, subject in enumerate(subjects):
            SubjectDocument.objects.create(plan=plan, position=position, **subject)
        if outline:
            result = outline_services.import_text(plan=plan, text=outline, replace=True)
            assert not result.errors, result.errors
        deadlines = {_level(key): due for key, due in (deadlines or {}).items()}
        if levels is None:
            levels = list(deadlines)
        if levels:
            plan.participating_levels.set([_level(level) for level in levels])
        if deadlines:
            plan_services.set_deadlines(
                plan=plan,
                deadlines=[
                    # A date, or the DeadlineCheck's other fields as a dict.
                    plan_services.DeadlineCheck(lv, **due)
                    if isinstance(due, dict)
                    else plan_services.DeadlineCheck(lv, due)
                    for lv, due in deadlines.items()
                ],
            )
        if published_by is not None:
            plan_services.publish(plan=plan, by=published_by)
            plan.refresh_from_db()
        return plan


def publish_plan(province: OrgUnit, *, grassroots_due: datetime.date) -> Plan:
    """Seed 000 issued 30 days before ``grassroots_due`` with tiered deadlines,
    published by a new coordinator of ``province``."""
    return PlanFactory(
        issuing_unit=province,
        seed000=True,
        issued_on=grassroots_due - 30 * DAY,
        deadlines=tiered_deadlines(grassroots_due),
        published_by=MembershipFactory(unit=province, role=Role.COORDINATOR).user,
    )


def set_answer_type(plan: Plan, numbering: str, answer_type: str, choices=None) -> OutlineItem:
    """Make the outline item numbered ``numbering`` an answerable ``answer_type``."""
    item = plan.outline_items.get(numbering=numbering)
    item.answer_type = answer_type
    item.choices = choices or []
    item.is_heading = False
    item.save()
    return item


def item_of_type(plan: Plan, answer_type: str) -> OutlineItem:
    """The plan's first answerable item, made of ``answer_type``."""
    item = plan.outline_items.filter(is_heading=False).order_by("position").first()
    item.answer_type = answer_type
    item.save()
    return item


# --- Reports ------------------------------------------------------------------


def _first_due_on(o) -> datetime.date:
    deadline = o.campaign.deadlines.filter(level=o.unit.level).first()
    return deadline.due_on if deadline else o.campaign.issued_on


class ReportFactory(factory.django.DjangoModelFactory):
    """A unit's report in ``campaign`` (required) for ``unit`` (required), answering
    the campaign's own plan, due on the deadline of the unit's level.

    Reports of the participants already exist once a plan is published: this is
    for units added afterwards or a report in a given state."""

    class Meta:
        model = Report

    campaign = None
    plan = factory.SelfAttribute("campaign")
    unit = None
    due_on = factory.LazyAttribute(_first_due_on)
    status = ReportStatus.PENDING
    submitted_at = factory.LazyAttribute(
        lambda o: (
            timezone.now()
            if o.status in (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.ACCEPTED)
            else None
        )
    )


class AnswerFactory(factory.django.DjangoModelFactory):
    """An answer of ``report`` to ``item`` (both required): ``AnswerFactory(report=r,
    item=i, number=3)``; version 1, as after one autosave."""

    class Meta:
        model = Answer

    report = None
    item = None
    version = 1


# --- Dialogues ----------------------------------------------------------------


class DialoguePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialoguePlan

    unit = None
    year = 2018
    summary = "tiếp xúc, đối thoại trực tiếp của đồng chí Bí thư Huyện ủy với nhân dân"


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned meeting: ``MeetingFactory(unit=district, date=day, hosts=[commune])``
    plans it in a new dialogue plan of ``unit`` for the date's year (or pass
    ``plan``). ``held=True`` gives it as held that day, with its attendance."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    class Params:
        unit = None
        held = factory.Trait(
            status=MeetingStatus.HELD,
            held_on=factory.SelfAttribute("date"),
            attendance={"cán bộ": 40, "hội viên": 85},
        )

    plan = factory.SubFactory(
        DialoguePlanFactory,
        unit=factory.SelfAttribute("..unit"),
        year=factory.LazyAttribute(
            lambda o: o.factory_parent.date.year if o.factory_parent.date else 2018
        ),
    )
    target_group = "Cán bộ, đảng viên xã"
    date = datetime.date(2018, 3, 20)
    month = factory.LazyAttribute(lambda o: o.date.month if o.date else 3)
    venue = "Hội trường UBND xã"

    @factory.post_generation
    def hosts(meeting, create, extracted, **kwargs):
        if create and extracted:
            meeting.host_units.set(extracted)


class PetitionFactory(factory.django.DjangoModelFactory):
    """A petition raised at ``meeting`` (required), received; with
    ``assigned_to=agency`` (and ``due_on``) it is assigned to that agency."""

    class Meta:
        model = Petition

    class Params:
        assigned_to = None

    meeting = None
    unit = factory.SelfAttribute("meeting.plan.unit")
    petitioner = "Ông Nguyễn Văn A, thôn 3"
    subject = factory.Sequence(lambda n: f"Kiến nghị số {n}: cấp giấy chứng nhận QSDĐ")
    field = "land"
    agency = factory.SelfAttribute("assigned_to")
    due_on = factory.Maybe(
        "assigned_to", yes_declaration=factory.LazyFunction(lambda: timezone.localdate() + 30 * DAY)
    )
    status = factory.Maybe(
        "assigned_to",
        yes_declaration=PetitionStatus.ASSIGNED,
        no_declaration=PetitionStatus.RECEIVED,
    )
