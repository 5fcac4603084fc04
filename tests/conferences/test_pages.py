"""The plan's card and the board's line: who confirmed and which speeches are
in, read in the same queries however many conferences the plan has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conferences import services
from conferences.models import Reply
from tests.conferences.conftest import make_conference

pytestmark = pytest.mark.django_db


def test_the_board_shows_who_confirmed_and_which_speeches_are_in(
    client, conference, organiser, commune_reporter, small_tree, published_plan
):
    services.reply(
        invitation=conference.invitations.get(unit=small_tree["D1C1"]),
        reply=Reply.ATTEND,
        by=commune_reporter,
    )
    speech = services.assign_speech(
        conference=conference,
        unit=small_tree["D1C1"],
        topic="Kinh nghiệm",
        due_on=conference.date,
        by=organiser,
    )
    services.send_speech(speech=speech, text="Tham luận.", upload=None, by=commune_reporter)
    client.force_login(organiser)
    page = client.get(reverse("chasing:board", args=[published_plan.pk])).content.decode()
    assert 'data-testid="board-conferences"' in page
    assert "1/2 đơn vị được mời đã xác nhận" in page
    assert "tham luận đã gửi: 1/1" in page


def test_the_plan_page_reads_the_conferences_in_the_same_queries_however_many(
    client, published_plan, organiser, small_tree
):
    make_conference(published_plan, organiser, units=[small_tree["D1C1"]])
    client.force_login(organiser)
    url = reverse("campaigns:detail", args=[published_plan.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(3):
        make_conference(published_plan, organiser, units=[small_tree["D1C1"], small_tree["D2C1"]])
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert page.count('data-testid="plan-conference"') == 4
    assert len(four) == len(one)
