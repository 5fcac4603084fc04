"""Invitations in the app and by e-mail, each in its reader's language; the
replies of the invited units and their rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from conferences import services
from conferences.models import ConferenceError, Reply
from notifications.models import EmailOutbox, Notification, NotificationKind
from orgunits.models import Role
from people.models import profile_of
from tests.conferences.conftest import make_conference
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def invitation_of(conference, unit):
    return conference.invitations.get(unit=unit)


def test_invitations_reach_the_units_people_in_the_app_and_by_e_mail_in_their_language(
    conference, organiser, commune_reporter, small_tree, django_capture_on_commit_callbacks
):
    english = MembershipFactory(unit=small_tree["D2C1"], role=Role.APPROVER).user
    profile = profile_of(english)
    profile.language = "en"
    profile.save()
    viewer = MembershipFactory(unit=small_tree["D1C1"], role=Role.VIEWER).user
    conference.guests = "Đ/c Lê Thị Dung, Phó Bí thư Tỉnh ủy, dung@example.vn\nĐ/c Không Thư"
    conference.save()

    with django_capture_on_commit_callbacks():
        invited = services.send_invitations(conference=conference, by=organiser)

    assert invited == 2
    assert all(i.sent_at for i in conference.invitations.all())
    bells = Notification.objects.filter(kind=NotificationKind.CONFERENCE_INVITATION)
    assert {b.user for b in bells} == {commune_reporter, english}  # a viewer is not asked
    assert not bells.filter(user=viewer).exists()
    bell = bells.get(user=english)
    assert bell.url == reverse("conferences:detail", args=[conference.pk])
    with translation.override("en"):
        assert bell.shown_title.startswith("Invitation: ")
    with translation.override("vi"):
        assert bell.shown_title.startswith("Giấy mời: ")
    rows = {tuple(row.to): row for row in EmailOutbox.objects.all()}
    assert set(rows) == {(commune_reporter.email,), (english.email,), ("dung@example.vn",)}
    assert rows[(english.email,)].subject.startswith("[Tổng kết] Invitation: ")
    assert rows[(commune_reporter.email,)].subject.startswith("[Tổng kết] Giấy mời: ")
    assert "Đ/c Lê Thị Dung, Phó Bí thư Tỉnh ủy" in rows[("dung@example.vn",)].text
    assert conference.venue in rows[(english.email,)].text

    # Sent again: nobody is invited twice.
    with django_capture_on_commit_callbacks():
        assert services.send_invitations(conference=conference, by=organiser) == 0
    assert bells.count() == 2
    assert EmailOutbox.objects.filter(to=["dung@example.vn"]).count() == 1
    # A person added by name later is e-mailed alone.
    conference.guests += "\nĐ/c Hà Văn Giang, giang@example.vn"
    conference.save()
    with django_capture_on_commit_callbacks():
        services.send_invitations(conference=conference, by=organiser)
    assert EmailOutbox.objects.filter(to=["dung@example.vn"]).count() == 1
    assert EmailOutbox.objects.filter(to=["giang@example.vn"]).count() == 1


def test_a_unit_added_later_is_invited_alone(
    conference, organiser, small_tree, django_capture_on_commit_callbacks
):
    MembershipFactory(unit=small_tree["D1C2"], role=Role.REPORTER)
    services.send_invitations(conference=conference, by=organiser)
    services.save_conference(
        conference=conference,
        invited=[small_tree["D1C1"], small_tree["D2C1"], small_tree["D1C2"]],
        by=organiser,
    )
    assert services.send_invitations(conference=conference, by=organiser) == 1


def test_the_commune_attends_sends_a_deputy_with_a_name_or_declines(
    client, conference, commune_reporter, small_tree
):
    invitation = invitation_of(conference, small_tree["D1C1"])
    with pytest.raises(ConferenceError, match="deputy|cấp phó|người dự"):
        services.reply(
            invitation=invitation, reply=Reply.DEPUTY, attendee="  ", by=commune_reporter
        )

    client.force_login(commune_reporter)
    url = reverse("conferences:reply", args=[conference.pk])
    answer = client.post(
        url,
        {"invitation": invitation.pk, "reply": Reply.DEPUTY, "attendee": "Phạm Văn E, Phó Bí thư"},
    )
    assert answer.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.attendee) == (Reply.DEPUTY, "Phạm Văn E, Phó Bí thư")
    assert invitation.replied_by == commune_reporter
    assert invitation.confirmed

    services.reply(invitation=invitation, reply=Reply.DECLINE, attendee="x", by=commune_reporter)
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.attendee) == (Reply.DECLINE, "")
    assert not invitation.confirmed

    page = client.get(reverse("conferences:detail", args=[conference.pk])).content.decode()
    assert "0/2 đã xác nhận" in page


def test_a_commune_replies_only_for_its_own_invitation(conference, commune_reporter, small_tree):
    other = invitation_of(conference, small_tree["D2C1"])
    with pytest.raises(PermissionDenied):
        services.reply(invitation=other, reply=Reply.ATTEND, by=commune_reporter)


def test_replies_close_when_the_conference_is_past_or_cancelled(
    published_plan, organiser, commune_reporter, small_tree
):
    today = timezone.localdate()
    past = make_conference(published_plan, organiser, units=[small_tree["D1C1"]], date=today - DAY)
    with pytest.raises(ConferenceError):
        services.reply(
            invitation=invitation_of(past, small_tree["D1C1"]),
            reply=Reply.ATTEND,
            by=commune_reporter,
        )
    with pytest.raises(ConferenceError):
        services.send_invitations(conference=past, by=organiser)

    soon = make_conference(published_plan, organiser, units=[small_tree["D1C1"]])
    services.cancel(conference=soon, by=organiser)
    with pytest.raises(ConferenceError):
        services.reply(
            invitation=invitation_of(soon, small_tree["D1C1"]),
            reply=Reply.ATTEND,
            by=commune_reporter,
        )
    # On the day itself the unit may still answer.
    today_one = make_conference(published_plan, organiser, units=[small_tree["D1C1"]], date=today)
    services.reply(
        invitation=invitation_of(today_one, small_tree["D1C1"]),
        reply=Reply.ATTEND,
        by=commune_reporter,
    )


def test_a_past_conference_records_its_minutes_a_future_one_does_not(
    published_plan, organiser, small_tree
):
    today = timezone.localdate()
    ahead = make_conference(published_plan, organiser, units=[small_tree["D1C1"]])
    with pytest.raises(ConferenceError):
        services.record(conference=ahead, minutes="m", conclusions="c", by=organiser)
    past = make_conference(
        published_plan, organiser, units=[small_tree["D1C1"]], date=today - 3 * DAY
    )
    services.record(conference=past, minutes="Biên bản.", conclusions="Kết luận.", by=organiser)
    past.refresh_from_db()
    assert (past.status, past.conclusions) == ("held", "Kết luận.")


def test_a_new_day_or_venue_leaves_the_invitations_to_send_again_and_keeps_the_replies(
    conference, organiser, commune_reporter, small_tree, django_capture_on_commit_callbacks
):
    conference.guests = "Đ/c Lê Thị Dung, dung@example.vn"
    conference.save()
    with django_capture_on_commit_callbacks():
        services.send_invitations(conference=conference, by=organiser)
    services.reply(
        invitation=invitation_of(conference, small_tree["D1C1"]),
        reply=Reply.ATTEND,
        by=commune_reporter,
    )
    conference.chair = "Đồng chí khác"  # not in the invitation's news: nothing to send
    services.save_conference(
        conference=conference, invited=[small_tree["D1C1"], small_tree["D2C1"]], by=organiser
    )
    assert not conference.invitations.filter(sent_at__isnull=True).exists()
    conference.venue = "Hội trường mới"
    services.save_conference(
        conference=conference, invited=[small_tree["D1C1"], small_tree["D2C1"]], by=organiser
    )
    with django_capture_on_commit_callbacks():
        assert services.send_invitations(conference=conference, by=organiser) == 2
    assert EmailOutbox.objects.filter(to=["dung@example.vn"]).count() == 2
    assert "Hội trường mới" in EmailOutbox.objects.filter(to=[commune_reporter.email]).last().text
    assert invitation_of(conference, small_tree["D1C1"]).reply == Reply.ATTEND
