import datetime

import pytest
from django.utils import timezone

from dialogues import chase, selectors
from dialogues.demo import load_dialogues
from dialogues.models import DialogueReminderKind, Meeting, MeetingStatus
from orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_the_demo_dialogues_are_loaded_once_and_give_the_sweep_work(
    demo_province, django_capture_on_commit_callbacks
):
    assert load_dialogues() is not None
    assert load_dialogues() is None
    district = OrgUnit.objects.get(code="GL.CS")
    held = Meeting.objects.get(plan__unit=district, status=MeetingStatus.HELD)
    assert held.petitions.count() == 3
    assert selectors.overdue().filter(meeting=held).count() == 1
    nine = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(9, 0)))
    with django_capture_on_commit_callbacks(execute=True):
        counts = chase.sweep(nine)
    # Three host units have not sent their opinions (due in 2 days); the overdue
    # petition is chased at the commune and reported to the district office.
    assert counts == {
        DialogueReminderKind.OPINIONS: 3,
        DialogueReminderKind.PETITION: 1,
        DialogueReminderKind.PETITION_ESCALATION: 1,
    }
