"""The workspace's first paint carries figures and counts only; what the units
below wrote on an item loads when the item is opened (a fragment, 25 units a
page; a page of its own without JavaScript), with a fixed number of queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.consolidation import make_campaign
from consolidation import rollup
from orgunits.models import Role
from reports.models import Answer, Report, ReportStatus
from tests.factories import AnswerFactory, MembershipFactory, ReportFactory, add_unit

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def province_report(answered, small_tree):
    return Report.objects.get(campaign=answered, unit=small_tree["P"])


@pytest.fixture
def writer(small_tree):
    return MembershipFactory(unit=small_tree["P"], role=Role.REPORTER).user


def texts_url(report, item, **query):
    url = reverse("consolidation:item_texts", args=[report.pk, item.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_first_paint_counts_the_units_and_links_to_their_texts(
    client, writer, province_report, items
):
    client.force_login(writer)
    body = client.get(
        reverse("consolidation:workspace", args=[province_report.pk])
    ).content.decode()
    assert 'data-testid="narratives" data-count="1"' in body  # D1C1 wrote
    assert 'data-testid="points-below" data-count="2"' in body  # D1C1 and D1C2, accepted
    assert "Xã đã" not in body  # not read yet
    assert "Thiếu kinh phí" not in body
    assert f'href="{texts_url(province_report, items["text"])}"' in body  # without JavaScript
    assert f'hx-get="{texts_url(province_report, items["text"])}"' in body
    body = client.get(
        reverse("consolidation:workspace", args=[province_report.pk]), {"submitted": "1"}
    ).content.decode()
    assert f'hx-get="{texts_url(province_report, items["points"], submitted=1)}"' in body
    assert 'data-testid="narratives"' not in body  # D1, counted in its communes' place, wrote none


def test_an_item_opens_on_what_the_units_wrote(client, writer, province_report, items):
    client.force_login(writer)
    fragment = client.get(texts_url(province_report, items["text"]), headers=HTMX)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body
    assert "Đảng ủy xã D1C1" in body
    assert "Xã đã quán triệt." in body
    points = client.get(texts_url(province_report, items["points"]), headers=HTMX).content.decode()
    assert 'data-testid="group" data-count="2"' in points  # said alike by two communes
    # Submitted D1 counted: its own points instead of its communes'.
    points = client.get(
        texts_url(province_report, items["points"], submitted=1), headers=HTMX
    ).content.decode()
    assert "Cấp uỷ quan tâm, chỉ đạo sát sao." in points
    # Without JavaScript: the same list as a page of its own.
    page = client.get(texts_url(province_report, items["text"])).content.decode()
    assert "<html" in page
    assert "Xã đã quán triệt." in page
    assert 'data-testid="item-texts"' in page


def test_the_texts_come_25_units_a_page(client, writer, province_report, items, small_tree, levels):
    plan = province_report.campaign
    for i in range(30):
        unit = add_unit(small_tree["D2"], f"T{i:02}", levels["co-so"], name=f"Đảng ủy xã T{i:02}")
        report = ReportFactory(campaign=plan, unit=unit, status=ReportStatus.ACCEPTED)
        AnswerFactory(report=report, item=items["text"], text=f"<p>Ý kiến số {i:02}.</p>")
    client.force_login(writer)
    first = client.get(texts_url(province_report, items["text"]), headers=HTMX).content.decode()
    assert first.count('data-testid="narrative"') == 25
    assert 'data-testid="texts-next"' in first
    assert "trang=2" in first
    second = client.get(
        texts_url(province_report, items["text"], trang=2), headers=HTMX
    ).content.decode()
    assert second.count('data-testid="narrative"') == 6
    assert "Ý kiến số 29." in second
    assert 'data-testid="texts-previous"' in second
    junk = client.get(texts_url(province_report, items["text"], trang="x"), headers=HTMX)
    assert junk.status_code == 200  # the first page


def test_outside_the_scope_an_items_texts_are_not_found(
    client, province_report, items, small_tree, published_plan
):
    district_user = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    client.force_login(district_user)
    assert client.get(texts_url(province_report, items["text"])).status_code == 404
    assert client.get(texts_url(province_report, items["text"]), headers=HTMX).status_code == 404
    district = Report.objects.get(campaign=published_plan, unit=small_tree["D1"])
    assert client.get(texts_url(district, items["text"])).status_code == 200  # its own
    client.force_login(MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user)
    assert client.get(texts_url(district, items["text"]), headers=HTMX).status_code == 404
    # An item of another plan, or a heading: not found either.
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.REPORTER).user)
    heading = published_plan.outline_items.filter(is_heading=True).first()
    assert client.get(texts_url(province_report, heading)).status_code == 404
    url = reverse("consolidation:item_texts", args=[province_report.pk, 10**9])
    assert client.get(url).status_code == 404


def test_the_points_are_grouped_once_per_state_of_the_data(
    client, writer, province_report, items, small_tree, monkeypatch
):
    calls = []
    real = rollup.group_points
    monkeypatch.setattr(rollup, "group_points", lambda entries: calls.append(1) or real(entries))
    client.force_login(writer)
    url = texts_url(province_report, items["points"])
    for _ in range(3):
        assert "Thiếu kinh phí" in client.get(url, headers=HTMX).content.decode()
    assert len(calls) == 1
    answer = Answer.objects.get(report__unit=small_tree["D1C1"], item=items["points"])
    answer.points = ["Cần thêm kinh phí tổ chức đối thoại."]
    answer.save()  # the fingerprint changes: grouped again, with the new point
    assert "Cần thêm kinh phí" in client.get(url, headers=HTMX).content.decode()
    assert len(calls) == 2
    client.get(reverse("consolidation:workspace", args=[province_report.pk]))
    assert len(calls) == 2  # the page itself never groups


def _queries(client, url, headers=None) -> int:
    client.get(url, headers=headers)  # warm: the session, the cached groups
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200
    return len(captured)


def _computed(client, url) -> int:
    """The page with nothing kept: its roll-up computed (issue #17)."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_and_an_items_texts_run_the_same_queries_at_200_and_2500_units(client):
    counts = []
    for code, districts, communes in (("Q", 4, 195), ("R", 25, 2475)):
        plan, province = make_campaign(code, districts=districts, communes=communes)
        assert Report.objects.filter(campaign=plan).count() in (200, 2501)
        report = Report.objects.get(campaign=plan, unit=province)
        client.force_login(MembershipFactory(unit=province, role=Role.REPORTER).user)
        text = plan.outline_items.get(numbering="2.1.")
        points = plan.outline_items.get(numbering="2.3.")
        counts.append(
            (
                _queries(client, reverse("consolidation:workspace", args=[report.pk])),
                _computed(client, reverse("consolidation:workspace", args=[report.pk])),
                _queries(client, texts_url(report, text), HTMX),
                _queries(client, texts_url(report, points), HTMX),
                _queries(client, texts_url(report, text, trang=3)),
            )
        )
    assert counts[0] == counts[1], counts
