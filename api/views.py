"""The API's views: each asks the pages' own selectors and rules, as the
client's service user (``api.auth``); outside its scope, a 404."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import documents as plan_documents
from campaigns.models import Plan
from campaigns.selectors import outline_rows, plans_visible_to
from chasing import board_tree
from config.http import parse_id
from consolidation.models import BuildStatus, DocumentBuild
from documents.responses import PDF_CONTENT_TYPE, document_response, stored_file_response
from orgunits.access import can
from reports import documents as report_documents
from reports import services as report_services
from reports.forms import AnswerForm
from reports.models import Answer, Report, ReportStatus, WorkflowError
from reports.selectors import items_for_unit, reports_visible_to

from . import serializers as s
from .exceptions import Conflict

PDF = {(200, PDF_CONTENT_TYPE): OpenApiTypes.BINARY}


def _path_ids(*names: str) -> list[OpenApiParameter]:
    return [OpenApiParameter(name, int, OpenApiParameter.PATH) for name in names]


ERRORS = {
    401: OpenApiResponse(s.ErrorSerializer, description="No token, or a wrong or revoked one."),
    404: OpenApiResponse(s.ErrorSerializer, description="Not found, or outside the scope."),
    429: OpenApiResponse(s.ErrorSerializer, description="Too many requests."),
}
WRITE_ERRORS = {
    **ERRORS,
    400: OpenApiResponse(s.ErrorSerializer, description="The body is not valid."),
    403: OpenApiResponse(s.ErrorSerializer, description="The scope's role may not do it."),
    409: OpenApiResponse(s.ConflictSerializer, description="The report's state refuses it."),
}


def _id(value) -> int:
    pk = parse_id(value)
    if pk is None:
        raise exceptions.NotFound()
    return pk


def _require(request: Request, action_name: str, obj, *, hide: bool = False) -> None:
    """The rule of the pages: 404 when ``hide`` (the object looks absent), else 403."""
    if not can(request.user, action_name, obj):
        raise exceptions.NotFound() if hide else exceptions.PermissionDenied()


def _filters(request: Request, serializer_class) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ScopedViewSet(viewsets.GenericViewSet):
    def get_object(self):
        obj = self.get_queryset().filter(pk=_id(self.kwargs["pk"])).first()
        if obj is None:
            raise exceptions.NotFound()
        return obj


@extend_schema_view(
    list=extend_schema(
        summary="Plans the system sees",
        parameters=[s.PlanFilterSerializer],
        responses={200: s.PlanSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="A plan with its deadlines", responses={200: s.PlanSerializer, **ERRORS}
    ),
)
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = s.PlanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return Plan.objects.none()
        plans = (
            plans_visible_to(self.request.user)
            .select_related("issuing_unit", "issuing_body", "term")
            .prefetch_related("deadlines__level")
            .order_by("-pk")
        )
        if self.action == "list":
            wanted = _filters(self.request, s.PlanFilterSerializer)
            if "status" in wanted:
                plans = plans.filter(status=wanted["status"])
            if "unit" in wanted:
                plans = plans.filter(issuing_unit__code=wanted["unit"])
        return plans

    @extend_schema(
        summary="The plan's outline, in document order",
        responses={200: s.OutlineItemSerializer(many=True), **ERRORS},
    )
    @action(detail=True)
    def outline(self, request: Request, pk=None) -> Response:
        plan = self.get_object()
        return Response(s.OutlineItemSerializer(outline_rows(plan), many=True).data)

    @extend_schema(
        summary="The progress board's counts, per level and status",
        responses={200: s.BoardSerializer, **ERRORS},
    )
    @action(detail=True)
    def board(self, request: Request, pk=None) -> Response:
        plan = self.get_object()
        _require(request, "chasing.view_board", plan, hide=True)
        summaries = board_tree.level_summaries(request.user, plan, timezone.localdate())
        statuses: Counter = Counter()
        for summary in summaries:
            statuses.update(summary.statuses)
        levels = [
            {
                "level": summary.level,
                "total": summary.total,
                "done": summary.done,
                "percent": summary.percent,
                "overdue": summary.overdue,
                "late": summary.late,
                "statuses": {value: summary.statuses[value] for value in ReportStatus.values},
            }
            for summary in summaries
        ]
        data = {
            "plan": plan.pk,
            "total": sum(summary.total for summary in summaries),
            "statuses": {value: statuses[value] for value in ReportStatus.values},
            "levels": levels,
        }
        return Response(s.BoardSerializer(data).data)

    @extend_schema(summary="The plan (KẾ HOẠCH) as a PDF", responses={**PDF, **ERRORS})
    @action(detail=True, url_path="pdf", url_name="pdf")
    def document(self, request: Request, pk=None):
        plan = self.get_object()
        _require(request, "campaigns.download_plan", plan, hide=True)
        stem = f"ke-hoach-{slugify(plan.number_symbol.replace('/', '-'))}"
        return document_response(plan_documents.build(plan), "pdf", f"{stem}.pdf")


@extend_schema_view(
    list=extend_schema(
        summary="Reports the system sees",
        parameters=[s.ReportFilterSerializer],
        responses={200: s.ReportSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="A unit's report", responses={200: s.ReportSerializer, **ERRORS}
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = s.ReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Report.objects.none()
        reports = (
            reports_visible_to(self.request.user)
            .select_related("unit__level", "plan__issuing_unit", "plan__issuing_body", "campaign")
            .order_by("pk")
        )
        if self.action == "list":
            wanted = _filters(self.request, s.ReportFilterSerializer)
            if "status" in wanted:
                reports = reports.filter(status=wanted["status"])
            if "unit" in wanted:
                reports = reports.filter(unit__code=wanted["unit"])
            if "plan" in wanted:
                reports = reports.filter(plan_id=wanted["plan"])
        return reports

    @extend_schema(
        summary="The report's items and their answers",
        responses={200: s.AnswerRowSerializer(many=True), **ERRORS},
    )
    @action(detail=True)
    def answers(self, request: Request, pk=None) -> Response:
        report = self.get_object()
        answers = {a.item_id: a for a in report.answers.all()}
        rows = [
            {"row": row, "answer": answers.get(row.item.pk)}
            for row in items_for_unit(report)
            if not row.item.is_heading
        ]
        return Response(s.AnswerRowSerializer(rows, many=True).data)

    @extend_schema(
        summary="Submit the report to the level above",
        request=None,
        responses={200: s.ReportSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        report = self.get_object()
        _require(request, "reports.submit_report", report)
        try:
            report_services.submit(report=report, rows=items_for_unit(report), by=request.user)
        except WorkflowError as error:
            raise Conflict(str(error), code="workflow") from error
        return Response(s.ReportSerializer(self.get_object()).data)

    @extend_schema(summary="The report (BÁO CÁO) as a PDF", responses={**PDF, **ERRORS})
    @action(detail=True, url_path="pdf", url_name="pdf")
    def document(self, request: Request, pk=None):
        report = self.get_object()
        _require(request, "reports.download_report", report, hide=True)
        stem = f"bao-cao-{slugify(report.unit.code)}"
        return document_response(report_documents.build(report), "pdf", f"{stem}.pdf")

    @extend_schema(
        summary="The consolidated documents built for this report",
        responses={200: s.BuildSerializer(many=True), **ERRORS},
    )
    @action(detail=True)
    def builds(self, request: Request, pk=None) -> Response:
        report = self.get_object()
        _require(request, "consolidation.build", report, hide=True)
        builds = DocumentBuild.objects.filter(report=report).order_by("-pk")[:50]
        return Response(s.BuildSerializer(builds, many=True).data)


class AnswerView(APIView):
    """One item's answer: written as the report form writes it."""

    @extend_schema(
        summary="Save one item's answer (optimistic version)",
        parameters=_path_ids("id", "item_id"),
        request=s.AnswerWriteSerializer,
        responses={200: s.AnswerSerializer, **WRITE_ERRORS},
    )
    def put(self, request: Request, pk: str, item_id: str) -> Response:
        report = reports_visible_to(request.user).filter(pk=_id(pk)).first()
        if report is None:
            raise exceptions.NotFound()
        _require(request, "reports.edit_report", report)  # before reading the body
        wanted = _id(item_id)
        rows = [row for row in items_for_unit(report) if not row.item.is_heading]
        item = next((row.item for row in rows if row.item.pk == wanted), None)
        if item is None:
            raise exceptions.NotFound()
        body = s.AnswerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = Answer.objects.filter(report=report, item=item).first()
        years = list(range(report.plan.period_start, report.plan.period_end + 1))
        form = AnswerForm(
            _form_data(body.validated_data, item, years),
            item=item,
            years=years,
            answer=answer,
        )
        if not form.is_valid():
            errors = [str(e) for errors in form.errors.values() for e in errors]
            raise exceptions.ValidationError({"answer": errors})
        try:
            result = report_services.save_answer(
                report=report,
                item=item,
                values=form.values(),
                base_version=form.cleaned_data["version"],
                by=request.user,
            )
        except WorkflowError as error:
            raise Conflict(str(error), code="workflow") from error
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"answer": error.messages}) from error
        if result.conflict:
            raise Conflict(
                _(
                    "Someone saved this item while you were writing: nothing was saved. "
                    "Their answer is shown; add yours again."
                ),
                code="version_conflict",
                extra={"answer": s.AnswerSerializer(result.answer).data},
            )
        return Response(s.AnswerSerializer(result.answer).data)


def _form_data(values: dict, item, years: list[int]) -> QueryDict:
    """The JSON body as the report form's fields (``reports.forms.AnswerForm``)."""
    prefix = f"item{item.pk}-"
    data = QueryDict(mutable=True)
    data[prefix + "version"] = str(values["version"])
    if "text" in values:
        data[prefix + "text"] = values["text"]
    if values.get("number") is not None:
        # As typed in the form: no trailing zeros, the language's decimal mark.
        text = format(values["number"].normalize(), "f")
        data[prefix + "number"] = text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
    for year in years:
        figure = values.get("per_year", {}).get(str(year))
        if figure is not None:
            data[f"{prefix}year_{year}"] = str(figure)
    if values.get("boolean") is not None:
        data[prefix + "boolean"] = "yes" if values["boolean"] else "no"
    if "choice" in values:
        data[prefix + "choice"] = values["choice"]
    data.setlist(prefix + "point", values.get("points", []))
    return data


class BuildFileView(APIView):
    @extend_schema(
        summary="A consolidated document's file (PDF, DOCX or XLSX)",
        parameters=_path_ids("id", "build_id"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS},
    )
    def get(self, request: Request, pk: str, build_id: str):
        report = reports_visible_to(request.user).select_related("unit").filter(pk=_id(pk)).first()
        if report is None:
            raise exceptions.NotFound()
        _require(request, "consolidation.build", report, hide=True)
        build = DocumentBuild.objects.filter(
            pk=_id(build_id), report=report, status=BuildStatus.DONE
        ).first()
        if build is None:
            raise exceptions.NotFound()
        build.report = report
        return stored_file_response(build.file, build.download_name, build.content_type)


@require_GET
def docs(request):
    """The browsable documentation: Swagger UI from vendored files."""
    return render(request, "api/docs.html", {"schema_url": reverse("api:schema")})
