"""The tools of `make bench` (bench/): what its figures rest on."""

import pytest
from django.test import Client
from django.urls import reverse

from bench import live, table
from bench.consolidation import hand_figures, make_campaign
from consolidation import rollup
from reports.models import Answer
from tests.factories import UserFactory


@pytest.mark.django_db
def test_sessions_written_to_the_store_log_each_user_in():
    first, second = UserFactory(), UserFactory()
    sessions = live.sessions([first, second])
    assert len({s.key for s in sessions}) == 2
    for user, session in zip((first, second), sessions, strict=True):
        client = Client()
        client.cookies["sessionid"] = session.key
        response = client.get(reverse("password_change"))
        assert response.status_code == 200
        assert response.wsgi_request.user == user


@pytest.mark.django_db
def test_a_session_no_longer_logs_in_once_the_password_changed():
    user = UserFactory()
    (session,) = live.sessions([user])
    user.set_password("another password 2026")
    user.save()
    client = Client()
    client.cookies["sessionid"] = session.key
    assert client.get(reverse("password_change")).status_code == 302


def test_percentile_is_the_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert table.percentile(values, 95) == 19.0
    assert table.percentile(values, 50) == 10.0
    assert table.percentile([7.0], 95) == 7.0


def test_ratio_of_the_medians_and_of_a_rate():
    slower = table.Row("page", [30.0, 10.0, 20.0], "ms", floor=[5.0, 4.0, 100.0])
    assert slower.ratio == 4.0
    rate = table.Row("burst", [25.0], "/s", floor=[200.0], invert=True)
    assert rate.ratio == 8.0
    assert table.Row("size", [60.0], "KiB").ratio is None


@pytest.mark.django_db
def test_the_hand_sql_floor_sums_the_figures_of_the_rollup_and_not_the_texts():
    plan, province = make_campaign("HF", districts=3, communes=12)
    figures = rollup.figures(plan=plan, unit=province)
    totals = hand_figures(plan, province)
    assert {e.item.pk: e.figure.total for e in figures if e.figure.total is not None} == totals
    text_items = set(
        Answer.objects.filter(report__campaign=plan)
        .exclude(text="")
        .values_list("item__inherited_from_id", "item_id")
    )
    assert not {pk for pair in text_items for pk in pair if pk} & set(totals)
