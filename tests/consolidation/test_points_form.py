"""A "Danh sách ý" answered through the real report form rolls up as the
units' own text, in a cascaded campaign: the district issues its own plan,
its communes answer their copy of the item, the district and the province
consolidate.

The form is read from the page as a browser would submit it: every input
of the item's form, the point inputs filled with what the user typed.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from campaigns import services as plan_services
from campaigns.models import AnswerType
from consolidation import rollup
from orgunits.models import Role
from reports.models import Answer, Report, ReportStatus
from tests.factories import MembershipFactory, set_answer_type

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


class Forms(HTMLParser):
    """The forms of a page: action and (name, value) of their inputs, in order."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"action": attrs.get("action"), "inputs": []}
            self.forms.append(self._current)
        elif tag in ("input", "textarea", "select") and self._current is not None:
            if attrs.get("name") and attrs.get("type") not in ("button", "submit"):
                self._current["inputs"].append((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def submit_points(client, report, copy, typed: list[str]) -> None:
    """Type ``typed`` into the item's point inputs (adding rows as "Thêm ý"
    does) and post the form as the page's autosave would."""
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    parser = Forms()
    parser.feed(page)
    name = f"item{copy.pk}-point"
    [form] = [f for f in parser.forms if any(n == name for n, _v in f["inputs"])]
    data: dict[str, list[str]] = {}
    for input_name, value in form["inputs"]:
        if input_name != name:
            data.setdefault(input_name, []).append(value)
    data[name] = typed  # the rows the user typed in, one input each
    response = client.post(form["action"], data, **HTMX)
    assert 'data-testid="saved"' in response.content.decode()


@pytest.fixture
def cascaded(published_plan, small_tree, levels, people):
    """D1 issues its implementing plan; its communes answer their copy of 2.3."""
    points = set_answer_type(published_plan, "2.3.", AnswerType.POINTS)
    child = plan_services.cascade(
        parent=published_plan, unit=small_tree["D1"], by=people["district_coordinator"]
    )
    child.issued_on, child.signer_name = datetime.date(2020, 3, 1), "Lê Văn Ba"
    child.save()
    child.participating_levels.set([levels["co-so"]])
    plan_services.set_deadlines(
        plan=child,
        deadlines=[plan_services.DeadlineCheck(levels["co-so"], datetime.date(2020, 3, 8))],
    )
    plan_services.publish(plan=child, by=people["district_coordinator"])
    copy = child.outline_items.get(inherited_from=points)
    return {"plan": published_plan, "child": child, "points": points, "copy": copy}


def test_points_typed_in_the_form_roll_up_as_the_units_text(client, cascaded, small_tree, people):
    plan, copy = cascaded["plan"], cascaded["copy"]
    typed = {
        "D1C1": ["Cấp ủy quan tâm lãnh đạo.", "Thiếu kinh phí tổ chức."],
        "D1C2": ["Nhân dân đồng tình ủng hộ."],
    }
    for code, points in typed.items():
        report = Report.objects.get(campaign=plan, unit=small_tree[code])
        assert report.plan == cascaded["child"]
        client.force_login(MembershipFactory(unit=small_tree[code], role=Role.REPORTER).user)
        submit_points(client, report, copy, points)
        assert Answer.objects.get(report=report).points == points
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.ACCEPTED)

    # The district consolidates its communes: their text, by unit.
    result = rollup.build(plan=plan, unit=small_tree["D1"])
    groups = {g.text: g.units for g in result.item(cascaded["points"].pk).groups}
    assert groups == {
        "Cấp ủy quan tâm lãnh đạo.": ["Đảng ủy xã D1C1"],
        "Thiếu kinh phí tổ chức.": ["Đảng ủy xã D1C1"],
        "Nhân dân đồng tình ủng hộ.": ["Đảng ủy xã D1C2"],
    }
    district = Report.objects.get(campaign=plan, unit=small_tree["D1"])
    client.force_login(people["district_coordinator"])
    body = client.get(reverse("consolidation:workspace", args=[district.pk])).content.decode()
    assert 'data-testid="points-below" data-count="2"' in body  # what they said: on opening
    assert f"item{copy.pk}-point" not in body
    shown = district.plan.outline_items.get(pk__in=[copy.pk, cascaded["points"].pk])
    texts = reverse("consolidation:item_texts", args=[district.pk, shown.pk])
    body = client.get(texts, headers={"HX-Request": "true"}).content.decode()
    assert "Thiếu kinh phí tổ chức." in body
    assert f"item{copy.pk}-point" not in body

    # The province, D1 not reported yet: the communes' points, marked.
    result = rollup.build(plan=plan, unit=small_tree["P"])
    sources = {
        (g.text, s.name, s.pending_by)
        for g in result.item(cascaded["points"].pk).groups
        for s in g.sources
    }
    assert ("Thiếu kinh phí tổ chức.", "Đảng ủy xã D1C1", "Huyện ủy D1") in sources
    assert all(f"item{copy.pk}" not in text for text, _n, _p in sources)


def test_the_district_fills_its_own_points_and_the_province_reads_those(
    client, cascaded, small_tree, people
):
    """The district drafts its points from its communes, then the province
    sees the district's own points once, not its communes' again."""
    plan, copy = cascaded["plan"], cascaded["copy"]
    commune = Report.objects.get(campaign=plan, unit=small_tree["D1C1"])
    client.force_login(people["reporter"])  # D1C1's reporter
    submit_points(client, commune, copy, ["Thiếu kinh phí tổ chức."])
    Report.objects.filter(pk=commune.pk).update(status=ReportStatus.ACCEPTED)

    district = Report.objects.get(campaign=plan, unit=small_tree["D1"])
    writer = MembershipFactory(unit=small_tree["D1"], role=Role.REPORTER).user
    client.force_login(writer)
    submit_points(client, district, cascaded["points"], ["Cần bố trí kinh phí."])
    Report.objects.filter(pk=district.pk).update(status=ReportStatus.ACCEPTED)

    result = rollup.build(plan=plan, unit=small_tree["P"])
    groups = {g.text: g.units for g in result.item(cascaded["points"].pk).groups}
    assert groups == {"Cần bố trí kinh phí.": ["Huyện ủy D1"]}


def test_the_point_inputs_are_named_after_their_item_for_assistive_tools(
    client, cascaded, small_tree, people
):
    report = Report.objects.get(campaign=cascaded["plan"], unit=small_tree["D1C1"])
    client.force_login(people["reporter"])
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert (
        f'name="item{cascaded["copy"].pk}-point" placeholder="Một ý…" aria-label="Ý của mục 2.3."'
        in page
    )
