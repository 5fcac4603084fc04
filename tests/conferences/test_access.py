"""Who sees a conference and who may act on it: the organiser's coordinators
organise, an invited unit's own people reply and send its speech in, the
levels between see it, a sibling commune not invited sees nothing (404)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campaigns import services as plan_services
from conferences import services
from conferences.models import Reply
from orgunits.models import Role
from tests.conferences.conftest import make_conference
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def urls(conference, speech):
    return [
        reverse("conferences:detail", args=[conference.pk]),
        reverse("conferences:speech", args=[speech.pk]),
        reverse("conferences:notice_pdf", args=[conference.pk]),
    ]


def test_a_sibling_commune_not_invited_sees_nothing_of_the_conference(
    client, conference, organiser, sibling_reporter, small_tree, published_plan
):
    speech = services.assign_speech(
        conference=conference,
        unit=small_tree["D1C1"],
        topic="Kinh nghiệm",
        due_on=conference.date,
        by=organiser,
    )
    client.force_login(sibling_reporter)
    for url in urls(conference, speech):
        assert client.get(url).status_code == 404, url
    reply = reverse("conferences:reply", args=[conference.pk])
    assert client.post(reply, {"reply": Reply.ATTEND}).status_code == 404
    # Nor is it on the plan's page.
    page = client.get(reverse("campaigns:detail", args=[published_plan.pk]))
    assert conference.title not in page.content.decode()


def test_the_invited_commune_sees_the_conference_and_its_card_on_the_plan(
    client, conference, commune_reporter, published_plan
):
    client.force_login(commune_reporter)
    page = client.get(reverse("conferences:detail", args=[conference.pk]))
    assert page.status_code == 200
    assert 'data-testid="reply-form"' in page.content.decode()
    card = client.get(reverse("campaigns:detail", args=[published_plan.pk])).content.decode()
    assert 'data-testid="plan-conference"' in card
    assert conference.title in card
    assert 'data-testid="conference-new"' not in card  # the commune does not hold it


def test_the_district_between_sees_but_does_not_reply_for_its_commune(
    client, conference, small_tree
):
    district = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    client.force_login(district)
    page = client.get(reverse("conferences:detail", args=[conference.pk]))
    assert page.status_code == 200
    assert 'data-testid="reply-form"' not in page.content.decode()
    answer = client.post(
        reverse("conferences:reply", args=[conference.pk]), {"reply": Reply.ATTEND}
    )
    assert answer.status_code == 403
    invitation = conference.invitations.get(unit=small_tree["D1C1"])
    with pytest.raises(PermissionDenied):
        services.reply(invitation=invitation, reply=Reply.ATTEND, by=district)


def test_a_viewer_of_the_commune_reads_but_never_replies(conference, small_tree):
    viewer = MembershipFactory(unit=small_tree["D1C1"], role=Role.VIEWER).user
    invitation = conference.invitations.get(unit=small_tree["D1C1"])
    with pytest.raises(PermissionDenied):
        services.reply(invitation=invitation, reply=Reply.ATTEND, by=viewer)


def test_only_the_issuing_units_coordinators_open_a_conference(
    client, published_plan, commune_reporter, small_tree
):
    district = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    for user in (commune_reporter, district):
        client.force_login(user)
        answer = client.get(reverse("conferences:create", args=[published_plan.pk]))
        assert answer.status_code in (403, 404)


def test_a_district_holds_its_own_conference_on_its_implementing_plan(
    client, published_plan, small_tree, levels, sibling_reporter
):
    """Three levels: the district's conference on the plan it cascaded; the
    province above sees it, the district's commune replies, another district's
    coordinator sees nothing."""
    district = small_tree["D1"]
    d1 = MembershipFactory(unit=district, role=Role.COORDINATOR).user
    child = plan_services.cascade(parent=published_plan, unit=district, by=d1)
    child.signer_name, child.issued_on = "Trần Văn C", published_plan.issued_on
    child.save()
    child.participating_levels.set([levels["co-so"]])
    earlier = published_plan.deadlines.get(level=levels["co-so"]).last_day - datetime.timedelta(3)
    plan_services.set_deadlines(
        plan=child, deadlines=[plan_services.DeadlineCheck(levels["co-so"], earlier)]
    )
    plan_services.publish(plan=child, by=d1)
    child.refresh_from_db()

    conference = make_conference(child, d1, units=[small_tree["D1C1"]])
    assert conference.unit == district
    assert conference.issuing_body.unit == district

    province = MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user
    other = MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user
    url = reverse("conferences:detail", args=[conference.pk])
    for user, status in [(province, 200), (d1, 200), (other, 404), (sibling_reporter, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
