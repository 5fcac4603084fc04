"""Submissions reach the coordinators above as an hourly digest, not one e-mail each.

On deadline day hundreds of communes submit to the same few coordinators: each
submission is in their bell at once, and the digest task sends each of them
one e-mail listing what came in since the last one.
"""

import pytest
from django.core import mail

from notifications.models import Notification, NotificationKind, Preference
from notifications.services import notify
from notifications.tasks import DIGEST_MAX_LISTED, send_digests
from orgunits.models import Role
from reports import services
from reports.models import Report
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def submit_all(plan, units, rows_of):
    for unit in units:
        report = Report.objects.get(campaign=plan, unit=unit)
        approver = MembershipFactory(unit=unit, role=Role.APPROVER).user
        services.submit(report=report, rows=rows_of(report), by=approver)


@pytest.fixture
def optional_outline(published_plan):
    published_plan.outline_items.update(required=False)
    return published_plan


def test_many_submissions_make_one_email_per_coordinator(
    optional_outline, small_tree, django_capture_on_commit_callbacks
):
    from campaigns.selectors import outline_rows

    district = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    province = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    with django_capture_on_commit_callbacks(execute=True):
        submit_all(
            optional_outline,
            [small_tree["D1C1"], small_tree["D1C2"]],
            lambda report: outline_rows(report.plan),
        )
    # In the bell at once, by e-mail not yet.
    assert (
        Notification.objects.filter(user=district, kind=NotificationKind.REPORT_SUBMITTED).count()
        == 2
    )
    assert mail.outbox == []

    publisher = optional_outline.revisions.get().published_by  # the province's other one
    coordinators = sorted([district.email, province.email, publisher.email])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 3  # one each: the district's and the province's coordinators
    assert sorted(m.to[0] for m in mail.outbox) == coordinators
    to_district = next(m for m in mail.outbox if m.to == [district.email])
    assert "2 báo cáo" in to_district.subject
    assert "Đảng ủy xã D1C1" in to_district.body
    assert "Đảng ủy xã D1C2" in to_district.body

    # Nothing is sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 0
    assert len(mail.outbox) == 3


def test_a_digest_counts_what_it_does_not_list_and_respects_muted_email(
    db, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    reader = UserFactory(email="doc@x.vn")
    muted = UserFactory(email="tat@x.vn")
    Preference.objects.create(user=muted, email_enabled=False)
    for n in range(DIGEST_MAX_LISTED + 7):
        notify(
            users=[reader, muted],
            kind=NotificationKind.REPORT_SUBMITTED,
            title=f"Đơn vị {n} đã gửi báo cáo",
            url="/bao-cao/1/",
        )
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_max_num_queries(12):
            assert send_digests() == 1
    (message,) = mail.outbox
    assert message.to == ["doc@x.vn"]
    assert "7" in message.body  # "… và 7 báo cáo khác"
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_other_kinds_are_still_emailed_one_by_one(db, django_capture_on_commit_callbacks):
    reader = UserFactory(email="doc@x.vn")
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[reader], kind=NotificationKind.REPORT_RETURNED, title="Báo cáo bị trả lại")
    assert len(mail.outbox) == 1
