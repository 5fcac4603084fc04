"""The board's filters, chasing by hand, and a plan's reminder policy."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from orgunits.models import Level
from reports.models import ReportStatus

from .board import Timeliness
from .models import ReminderPolicy

MAX_DAYS_BEFORE = 60
NOTE_MAX_LENGTH = 500
FILTERS = ("status", "level", "timeliness", "q")


class BoardFilterForm(forms.Form):
    """GET filters of the board; an unknown value is dropped, never an error page."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ReportStatus.choices],
    )
    level = forms.ChoiceField(label=_("Level"), required=False)
    timeliness = forms.ChoiceField(
        label=_("Timeliness"),
        required=False,
        choices=[("", _("On time or not")), *Timeliness.choices],
    )
    q = forms.CharField(label=_("Unit name"), required=False, max_length=100, strip=True)

    def __init__(self, data=None, *, levels: list[Level]) -> None:
        super().__init__(data)
        self.fields["level"].choices = [("", _("All levels"))] + [
            (level.code, level.name) for level in levels
        ]

    def filters(self) -> dict[str, str]:
        """The valid filters, each alone validated so one bad value spoils nothing."""
        result = {}
        for name in FILTERS:
            value = self.data.get(name, "") if self.data else ""
            try:
                result[name] = self.fields[name].clean(value)
            except ValidationError:
                result[name] = ""
        return result


class ReportIdsField(forms.Field):
    """Ids from repeated checkboxes; anything that is not an id is ignored."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return sorted({int(v) for v in values if str(v).isdigit()})


class ChaseForm(forms.Form):
    report = ReportIdsField(required=False)
    note = forms.CharField(
        label=_("Personal line (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_report(self) -> list[int]:
        ids = self.cleaned_data["report"]
        if not ids:
            raise ValidationError(_("Tick the units to remind first."))
        return ids


def parse_days(text: str) -> list[int]:
    """ "7, 3, 1" → [7, 3, 1]; raises ValidationError on anything else."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    days = set()
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= MAX_DAYS_BEFORE:
            raise ValidationError(
                _(
                    "Enter whole numbers of days from 1 to %(max)s, separated by commas, "
                    "e.g. 7, 3, 1."
                ),
                code="invalid_days",
                params={"max": MAX_DAYS_BEFORE},
            )
        days.add(int(part))
    return sorted(days, reverse=True)


class ReminderPolicyForm(forms.ModelForm):
    days_before = forms.CharField(
        label=_("Days before the deadline"),
        required=False,
        help_text=_(
            "Separated by commas, e.g. 7, 3, 1: reminders 7, 3 and 1 days before each "
            "unit's own deadline. Leave empty for none."
        ),
    )
    overdue_every = forms.IntegerField(
        label=_("Then every … days while overdue"),
        min_value=0,
        max_value=30,
        help_text=_("0: no more reminders once the deadline has passed."),
    )
    escalate_after = forms.IntegerField(
        label=_("Escalate after … days overdue"),
        min_value=0,
        max_value=60,
        help_text=_(
            "The coordinators of the level above get a digest of their late units. "
            "0: never escalate."
        ),
    )
    send_hour = forms.IntegerField(
        label=_("Send from (hour of the day)"),
        min_value=0,
        max_value=23,
        help_text=_("0 to 23, Vietnam time. No reminder goes out before this hour."),
    )

    class Meta:
        model = ReminderPolicy
        fields = [
            "enabled",
            "days_before",
            "on_due_day",
            "overdue_every",
            "escalate_after",
            "send_hour",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["days_before"] = ", ".join(str(d) for d in self.instance.days_before)

    def clean_days_before(self) -> list[int]:
        return parse_days(self.cleaned_data["days_before"])


def explain(policy: ReminderPolicy) -> list[str]:
    """The policy in plain words, one sentence per step, for the coordinator."""
    if not policy.enabled:
        return [
            str(
                _(
                    "Automatic reminders are off for this plan. You can still chase units "
                    "by hand from the progress board."
                )
            )
        ]
    steps = []
    days = sorted(policy.days_before, reverse=True)
    if days:
        steps.append(
            ngettext(
                "%(days)s day before its deadline, each unit that has not submitted its "
                "report is reminded.",
                "%(days)s days before its deadline, each unit that has not submitted its "
                "report is reminded.",
                days[-1] if len(days) == 1 else 2,
            )
            % {"days": ", ".join(str(d) for d in days)}
        )
    if policy.on_due_day:
        steps.append(str(_("On the day of the deadline, it is reminded once more.")))
    if policy.overdue_every:
        steps.append(
            ngettext(
                "Once overdue, it is reminded every day until it submits.",
                "Once overdue, it is reminded every %(n)s days until it submits.",
                policy.overdue_every,
            )
            % {"n": policy.overdue_every}
        )
    if policy.escalate_after:
        steps.append(
            ngettext(
                "After %(n)s day overdue, the coordinators of the level above receive a "
                "digest of their late units.",
                "After %(n)s days overdue, the coordinators of the level above receive a "
                "digest of their late units.",
                policy.escalate_after,
            )
            % {"n": policy.escalate_after}
        )
    steps.append(
        str(
            _(
                "Reminders go out from %(hour)s:00, by e-mail and in the app; units that "
                "have submitted are never reminded."
            )
            % {"hour": f"{policy.send_hour:02d}"}
        )
    )
    return steps
