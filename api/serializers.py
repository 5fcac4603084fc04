"""What the API answers: plain shapes of the project's objects (read-only),
and the body of an answer's save."""

from __future__ import annotations

from rest_framework import serializers

from campaigns.models import AnswerType, Deadline, Plan, PlanStatus
from reports.models import Answer, Report, ReportStatus

MAX_ID = 2**63 - 1


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class DeadlineSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="level.code")
    level_name = serializers.CharField(source="level.name")

    class Meta:
        model = Deadline
        fields = ["level", "level_name", "kind", "starts_on", "due_on", "report_by", "last_day"]


class PlanSerializer(serializers.ModelSerializer):
    number_symbol = serializers.CharField()
    title = serializers.CharField(source="summary")
    issuing_unit = UnitSerializer()
    deadlines = DeadlineSerializer(many=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "number_symbol",
            "title",
            "kind",
            "status",
            "period_start",
            "period_end",
            "issued_on",
            "published_at",
            "closed_at",
            "locked_at",
            "recorded_after_the_fact",
            "parent",
            "issuing_unit",
            "deadlines",
        ]


class OutlineItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="item.pk")
    parent = serializers.IntegerField(source="item.parent_id", allow_null=True)
    depth = serializers.IntegerField()
    numbering = serializers.CharField(source="item.numbering")
    title = serializers.CharField(source="item.title")
    guidance = serializers.CharField(source="item.guidance")
    is_heading = serializers.BooleanField(source="item.is_heading")
    answer_type = serializers.ChoiceField(choices=AnswerType.choices, source="item.answer_type")
    choices = serializers.ListField(child=serializers.CharField(), source="item.choices")
    required = serializers.BooleanField(source="item.required")
    levels = serializers.ListField(child=serializers.IntegerField(), source="level_ids")


class ReportSerializer(serializers.ModelSerializer):
    unit = UnitSerializer()
    unit_name = serializers.CharField(source="unit_label")

    class Meta:
        model = Report
        fields = [
            "id",
            "plan",
            "campaign",
            "unit",
            "unit_name",
            "status",
            "due_on",
            "number",
            "issued_on",
            "submitted_at",
            "is_late",
            "received_via",
            "reviewed_at",
            "reopened",
            "modified",
        ]


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id")

    class Meta:
        model = Answer
        fields = [
            "item",
            "version",
            "text",
            "number",
            "per_year",
            "boolean",
            "choice",
            "points",
            "updated_at",
        ]


class AnswerRowSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="row.item.pk")
    numbering = serializers.CharField(source="row.item.numbering")
    title = serializers.CharField(source="row.item.title")
    answer_type = serializers.ChoiceField(choices=AnswerType.choices, source="row.item.answer_type")
    choices = serializers.ListField(child=serializers.CharField(), source="row.item.choices")
    required = serializers.BooleanField(source="row.item.required")
    answer = AnswerSerializer(allow_null=True)


class AnswerWriteSerializer(serializers.Serializer):
    """One item's answer: ``version`` is the one it was read at (0: none yet);
    give the field of the item's answer type. Checked by the report form's own
    rules (``reports.forms.AnswerForm``)."""

    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
    text = serializers.CharField(required=False, allow_blank=True, max_length=200_000)
    number = serializers.DecimalField(
        required=False, allow_null=True, max_digits=18, decimal_places=4
    )
    per_year = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), required=False
    )
    boolean = serializers.BooleanField(required=False, allow_null=True)
    choice = serializers.CharField(required=False, allow_blank=True, max_length=255)
    points = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=5000),
        required=False,
        max_length=200,
    )


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    answer = AnswerSerializer(required=False)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class LevelCountsSerializer(serializers.Serializer):
    level = serializers.CharField(source="level.code")
    level_name = serializers.CharField(source="level.name")
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    percent = serializers.IntegerField()
    overdue = serializers.IntegerField()
    late = serializers.IntegerField()
    statuses = serializers.DictField(child=serializers.IntegerField())


class BoardSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    total = serializers.IntegerField()
    statuses = serializers.DictField(child=serializers.IntegerField())
    levels = LevelCountsSerializer(many=True)


class BuildSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report = serializers.IntegerField(source="report_id")
    fmt = serializers.CharField()
    status = serializers.CharField()
    created = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class PlanFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
    unit = serializers.CharField(
        required=False, max_length=64, help_text="Code of the issuing unit."
    )


class ReportFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReportStatus.choices, required=False)
    unit = serializers.CharField(required=False, max_length=64, help_text="Code of the unit.")
    plan = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
