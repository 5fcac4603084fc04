"""The pages of reports: the inbox; a unit's report with its form, autosave,
submission, review and history; the report as a document (PDF, DOCX, print).

The attachments card has its own module (``attachment_views``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import AnswerType, OutlineItem
from config.http import parse_id
from documents.responses import XLSX_CONTENT_TYPE, document_view, file_download
from orgunits.access import can

from . import documents, history, registry, selectors, services
from .attachment_views import card_context
from .forms import AnswerForm, DocumentInfoForm, RecordedDateForm, ReturnForm
from .models import AlreadyDone, Answer, Report, ReportStatus, WorkflowError
from .selectors import DueRow, items_for_unit

# A province coordinator may have hundreds of reports waiting; the section
# headers show the full counts (from the navbar's context processor).
LIST_LIMIT = 200


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    # The deadlines come along to word each report's (Report.due_text). A
    # returned report is listed once, under "Returned to you".
    to_write = [
        DueRow.of(r, today)
        for r in selectors.reports_to_write(request.user)
        .exclude(status=ReportStatus.RETURNED)
        .prefetch_related("plan__deadlines")[:LIST_LIMIT]
    ]
    returned = [
        DueRow.of(r, today)
        for r in selectors.returned_reports(request.user).prefetch_related("plan__deadlines")[
            :LIST_LIMIT
        ]
    ]
    counts = selectors.inbox_counts(request.user)  # the navbar's too (one aggregate)
    return render(
        request,
        "reports/inbox.html",
        {
            "to_write": to_write,
            "returned": returned,
            "to_review": selectors.reports_to_review(request.user)[:LIST_LIMIT],
            "list_limit": LIST_LIMIT,
            "inbox_counts": counts,
            "to_write_count": counts["to_write"] - counts["returned"],
        },
    )


def _years(report: Report) -> list[int]:
    return list(range(report.plan.period_start, report.plan.period_end + 1))


def _editable(request: HttpRequest, report: Report) -> bool:
    return can(request.user, "reports.edit_report", report) and report.is_changeable


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_report_for_user(request.user, pk))


def _detail(request: HttpRequest, report: Report, bound: AnswerForm | None = None) -> HttpResponse:
    """The report page; ``bound``: an item's form as posted, with its errors
    (a table pasted into without JavaScript), shown instead of the saved answer."""
    rows = items_for_unit(report, cached=True)
    answers = {a.item_id: a for a in report.answers.all()}
    comments = list(report.comments.select_related("author"))
    editable = _editable(request, report)
    years = _years(report)
    items = [row.item for row in rows if not row.item.is_heading]
    below_reports, below = registry.answers_below(report, items)
    computed = _computed_figures(report, items)
    sections = []
    for row in rows:
        item = row.item
        answer = answers.get(item.pk)
        item_comments = [c for c in comments if c.item_id == item.pk]
        sections.append(
            {
                "row": row,
                "answer": answer,
                "mark": _mark(report, answer, item_comments),
                "form": None
                if item.is_heading or not editable
                else bound
                if bound is not None and bound.item.pk == item.pk
                else AnswerForm(
                    item=item,
                    years=years,
                    answer=answer,
                    computed=computed.get(item.figure_source),
                    level_code=report.unit.level.code,
                    below_rows=_below_rows(below.get(item.pk)),
                ),
                "computed": computed.get(item.figure_source),
                "computed_years": _per_year(computed.get(item.figure_source), years),
                # The level above's comments are to act on while the report is
                # returned; once it is submitted again or accepted, the history keeps them.
                "comments": item_comments if report.status == ReportStatus.RETURNED else [],
                "below": below.get(item.pk),
            }
        )
    review = can(request.user, "reports.review_report", report)
    context = {
        "report": report,
        "sections": sections,
        "editable": editable,
        "years": years,
        "overall_comments": [c for c in comments if c.item_id is None],
        "can_submit": editable and can(request.user, "reports.submit_report", report),
        "can_review": review,
        # A report the unit sent by e-mail or on paper is recorded by the level above.
        "can_record_received": report.is_changeable
        and can(request.user, "reports.record_received_report", report),
        "can_accept": review and report.status == ReportStatus.SUBMITTED,
        # An accepted report can be sent back too, e.g. for an item the plan
        # added since (the service allows it; the page must offer it).
        "can_return": review and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED),
        "below_reports": below_reports,
        "has_tables": any(item.answer_type == AnswerType.TABLE for item in items),
        "info_form": DocumentInfoForm(instance=report) if editable else None,
        "completeness": services.completeness(report, rows, answers) if editable else None,
        "may_ask_approval": editable
        and not can(request.user, "reports.submit_report", report)
        and report.status != ReportStatus.SUBMITTED,
        "return_form": ReturnForm(),
        # The attachments card is in the first response (no JavaScript needed).
        "attachment_card": card_context(request, report),
    }
    # The contents appear twice (above the items on a phone, in the sidebar):
    # their list is rendered once (without the request: nothing of the
    # context processors is needed there).
    context["contents_list"] = render_to_string(
        "reports/_contents_list.html", {"sections": sections}
    )
    return render(request, "reports/report_detail.html", context)


def _below_rows(below: object) -> list:
    """The rows the units below propose to a table item (``BelowItem.rows``)."""
    return list(getattr(below, "rows", None) or [])


def _per_year(computed: object, years: list[int]) -> list[tuple[int, object]] | None:
    """A per-year figure as (year, value) over the whole period: a year the
    records do not mention counts 0. None for a figure that is not per year."""
    if not isinstance(computed, dict):
        return None
    return [(year, computed.get(str(year), 0)) for year in years]


def _computed_figures(report: Report, items: list[OutlineItem]) -> dict:
    """Figures the unit's own records give, for items bound to them (reports.registry)."""
    sources = {item.figure_source for item in items if item.figure_source}
    return registry.figures(report.unit, report.plan.period_start, report.plan.period_end, sources)


def _mark(report: Report, answer: Answer | None, comments: list) -> str:
    """The item's mark in the contents list: returned (commented by the level
    above in a returned report), commented, saved or empty."""
    if comments:
        return "returned" if report.status == ReportStatus.RETURNED else "commented"
    return "saved" if answer is not None and not answer.is_empty else "empty"


def _item_for(report: Report, item_id: int) -> tuple[OutlineItem, list]:
    """The item ``item_id`` of the report and the report's rows (the plan
    was read with the report: its outline as kept per plan)."""
    rows = items_for_unit(report, cached=True)
    for row in rows:
        if row.item.pk == item_id and not row.item.is_heading:
            return row.item, rows
    raise Http404("No such item in this report.")


@login_required
@require_POST
def item_save(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Autosave of one item. Answers with a small status fragment and, out of
    band, the report's status, its completeness and the item's mark; a plain
    form post (no JavaScript) goes back to the item on the report page."""
    # Read once, its row locked until the save is committed: a submission
    # waits for it, or it sees the report submitted (and the answers after).
    report = selectors.get_report_for_user(
        request.user, pk, action="reports.edit_report", lock=True
    )
    item, rows = _item_for(report, item_id)
    answers = {a.item_id: a for a in report.answers.all()}
    answer = answers.get(item.pk)
    below_rows = []
    if item.answer_type == AnswerType.TABLE and request.POST.get("action") == "take":
        _below, below = registry.answers_below(report, [item])
        below_rows = _below_rows(below.get(item.pk))
    form = AnswerForm(
        request.POST,
        item=item,
        years=_years(report),
        answer=answer,
        level_code=report.unit.level.code,
        below_rows=below_rows,
    )
    context = {"report": report, "item": item}
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
        if item.answer_type == AnswerType.TABLE and not request.htmx:
            # The rows stay on the page as posted, with what to correct.
            for error in context["errors"]:
                messages.error(request, error)
            return _detail(request, report, bound=form)
        return _saved(request, context)
    try:
        result = services.save_answer(
            report=report,
            item=item,
            values=form.values(),
            base_version=form.cleaned_data["version"],
            by=request.user,
            answers=answers,
        )
    except WorkflowError as error:
        context["errors"] = [str(error)]
        return _saved(request, context)
    except ValidationError as error:
        context["errors"] = error.messages
        return _saved(request, context)
    context["answer"] = result.answer
    if not request.htmx and result.conflict and item.answer_type == AnswerType.TABLE:
        # A full post of a table (pasted or taken rows): the rows posted stay on
        # the page, from the newer version, for the unit to check and save.
        messages.error(
            request,
            _(
                "Someone saved this list while you were editing it: nothing was saved. Your "
                "rows are shown below; check them against theirs and save again."
            ),
        )
        data = request.POST.copy()
        data[form.add_prefix("version")] = str(result.answer.version)
        mine = AnswerForm(
            data,
            item=item,
            years=_years(report),
            answer=result.answer,
            level_code=report.unit.level.code,
            below_rows=below_rows,
        )
        mine.is_valid()
        return _detail(request, report, bound=mine)
    if not request.htmx:
        if result.conflict:
            context["errors"] = [
                _(
                    "Someone saved this item while you were writing: nothing was saved. "
                    "Their answer is shown; add yours again."
                )
            ]
        return _saved(request, context)
    if result.conflict:
        context["conflict"] = True
        context["theirs"] = AnswerForm(
            item=item,
            years=_years(report),
            answer=result.answer,
            level_code=report.unit.level.code,
        )
        context["mine"] = form.values()
        return render(request, "reports/_save_status.html", context)
    report = result.answer.report  # its status as the save left it
    answers[item.pk] = result.answer
    # Comments come with a return only: a report never reviewed has none.
    comments = list(report.comments.filter(item=item)) if report.reviewed_at else []
    context.update(
        report=report,
        completeness=services.completeness(report, rows, answers),
        mark=_mark(report, result.answer, comments),
        oob=True,
    )
    return render(request, "reports/_save_status.html", context)


def _saved(request: HttpRequest, context: dict) -> HttpResponse:
    """The status fragment for the autosave; without JavaScript, back to the
    item with the outcome as a message."""
    if request.htmx:
        return render(request, "reports/_save_status.html", context)
    for error in context.get("errors", []):
        messages.error(request, error)
    if not context.get("errors") and "answer" in context and not context.get("conflict"):
        messages.success(request, _("Saved."))
    url = reverse("reports:detail", args=[context["report"].pk])
    return redirect(f"{url}#item-{context['item'].pk}")


@login_required
@require_POST
def save_document_info(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    if not _editable(request, report):
        raise PermissionDenied
    form = DocumentInfoForm(request.POST, instance=report)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("reports:detail", report.pk)


def _workflow(
    request: HttpRequest,
    pk: int,
    action,
    *,
    lock: bool = False,
    related: tuple[str, ...] = selectors.REPORT_RELATED,
) -> HttpResponse:
    """``action`` on the report; ``lock``: the report's row is locked as it is
    read (the action's service then does not read it again); ``related``: the
    relations the action reads with it."""
    report = selectors.get_report_for_user(request.user, pk, lock=lock, related=related)
    try:
        # A savepoint: what the action wrote is undone with its error, and
        # the success message is given only once its writes stand.
        with transaction.atomic():
            message = action(report)
    except AlreadyDone as done:
        messages.info(request, str(done))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect("reports:detail", report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: Report) -> str:
        reviewer = services.submit(
            report=report,
            rows=items_for_unit(report, cached=True),
            by=request.user,
            on=RecordedDateForm.day(request.POST),
            locked=True,
        )
        return _("The report was submitted to %(unit)s.") % {"unit": reviewer.name}

    return _workflow(request, pk, action, lock=True, related=selectors.SUBMIT_RELATED)


@login_required
@require_POST
def report_ask_approval(request: HttpRequest, pk: int) -> HttpResponse:
    """A reporter tells the unit's approvers the report is ready (Báo lãnh đạo duyệt)."""

    def action(report: Report) -> str:
        told = services.ask_approval(report=report, by=request.user)
        return _("%(who)s will be told the report is ready for approval.") % {
            "who": ", ".join(u.get_full_name() or u.get_username() for u in told)
        }

    return _workflow(request, pk, action)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    def action(report: Report) -> str:
        per_item = {}
        for key, value in request.POST.items():
            if key.startswith("comment_"):
                item_id = parse_id(key.removeprefix("comment_"))
                if item_id is None:
                    raise WorkflowError(
                        _(
                            "A comment is on an item that is not in this report: "
                            "nothing was returned."
                        )
                    )
                per_item[item_id] = value
        form = ReturnForm(request.POST)
        if not form.is_valid():
            raise WorkflowError(" ".join(e for errors in form.errors.values() for e in errors))
        services.send_back(
            report=report,
            by=request.user,
            overall=form.cleaned_data["overall"],
            per_item=per_item,
            new_due_on=form.cleaned_data["new_due_on"],
        )
        return _("The report was returned to %(unit)s.") % {"unit": report.unit.name}

    return _workflow(request, pk, action)


def _review(request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
    """Accepting or reopening: the service ``step`` as the user, then ``done``
    said of the report's unit."""

    def action(report: Report) -> str:
        step(report=report, by=request.user)
        return done % {"unit": report.unit.name}

    return _workflow(request, pk, action)


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept; with ``next`` in the form, go on to the next report waiting for
    this reviewer (the inbox when none is left)."""

    def accept(*, report: Report, by) -> None:
        services.accept(report=report, by=by, on=RecordedDateForm.day(request.POST))

    response = _review(request, pk, accept, _("The report of %(unit)s was accepted."))
    if request.POST.get("next") != "1":
        return response
    following = selectors.next_to_review(request.user, after=pk)
    if following is None:
        messages.info(request, _("No other report is waiting for your review."))
        return redirect("reports:inbox")
    return redirect("reports:detail", following.pk)


@login_required
@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, services.reopen, _("%(unit)s may change its report again."))


@login_required
def report_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what, when; narrative answers with their diff."""
    report = selectors.get_report_for_user(request.user, pk)
    events = []
    previous = None
    for record in report.history.select_related("history_user").order_by(
        "history_date", "history_id"
    ):
        changes = history.report_changes(record, previous, report)
        previous = record
        if changes:
            events.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "what": "report",
                    "changes": changes,
                }
            )
    records = (
        Answer.history.filter(report_id=report.pk)
        .select_related("history_user", "item")
        .order_by("item_id", "history_date")
    )
    answered: dict[int, object] = {}
    for record in records:
        before = answered.get(record.item_id)
        events.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "what": "answer",
                "item": record.item,
                "diff": history.text_diff(before, record)
                if record.item.answer_type == AnswerType.TEXT
                else None,
                "summary": history.summary(record),
            }
        )
        answered[record.item_id] = record
    events.sort(key=lambda e: e["when"], reverse=True)
    return render(request, "reports/history.html", {"report": report, "events": events})


# --- The report as a document -----------------------------------------------


@login_required
def report_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report as a PDF, a DOCX or the printable preview (``fmt``, from the URL)."""
    report = selectors.get_report_for_user(
        request.user, pk, action="reports.download_report", hide=True
    )
    stem = f"bao-cao-{slugify(report.unit.code)}"
    return document_view(request, documents.build(report), fmt, stem)


@login_required
def report_tables_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's table answers (its commendation list) as a workbook."""
    report = selectors.get_report_for_user(
        request.user, pk, action="reports.download_report", hide=True
    )
    return file_download(
        documents.tables_workbook(report),
        f"danh-sach-{slugify(report.unit.code)}.xlsx",
        XLSX_CONTENT_TYPE,
    )
