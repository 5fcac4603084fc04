from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from documents.responses import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, file_download

from . import bodies as body_services
from . import pickers, selectors, services
from .access import can, require
from .forms import ImportForm, IssuingBodyForm
from .models import IssuingBody, IssuingBodyKind, Membership, OrgUnit

SEARCH_LIMIT = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    by_unit: dict = {}
    for membership in selectors.memberships_of(request.user):
        by_unit.setdefault(membership.unit, []).append(membership.get_role_display())
    return render(request, "orgunits/home.html", {"units_with_roles": list(by_unit.items())})


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    visible = selectors.units_visible_to(request.user)
    context = {
        "top_units": selectors.top_units(request.user),
        "level_counts": selectors.level_counts(visible),
        "total": visible.count(),
        "can_import": can(request.user, "orgunits.import_units"),
    }
    return render(request, "orgunits/tree.html", context)


@login_required
@require_GET
def children(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, code)
    context = {"units": selectors.children_of(unit), "depth": unit.depth + 1}
    return render(request, "orgunits/_tree_rows.html", context)


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results: list = []
    more = False
    if query:
        found = list(
            selectors.units_visible_to(request.user)
            .search(query)
            .select_related("level")[: SEARCH_LIMIT + 1]
        )
        more = len(found) > SEARCH_LIMIT
        found = found[:SEARCH_LIMIT]
        ancestors = selectors.ancestors_by_path(found, user=request.user)
        results = [
            (unit, [ancestors[p] for p in unit.ancestor_paths() if p in ancestors])
            for unit in found
        ]
    context = {"query": query, "results": results, "more": more, "limit": SEARCH_LIMIT}
    return render(request, "orgunits/_search_results.html", context)


@login_required
@require_GET
def pick(request: HttpRequest) -> JsonResponse:
    """What a unit picker proposes for ``q``: JSON, at most 20 units, within the
    user's reach and the picker's ``scope`` (a purpose of ``orgunits.pickers``),
    strictly below ``under`` (a code) when given; ``pick=body``: the issuing
    bodies of those units. An unknown scope or ``under`` proposes nothing."""
    query = request.GET.get("q", "").strip()[:100]
    purpose = request.GET.get("scope", "visible")
    if not query or purpose not in pickers.PURPOSES:
        return JsonResponse([], safe=False)
    under = None
    if under_code := request.GET.get("under", "").strip():
        under = OrgUnit.objects.filter(code=under_code).only("path", "depth").first()
        if under is None:
            return JsonResponse([], safe=False)
    if request.GET.get("pick") == "body":
        bodies = pickers.search_bodies(pickers.pickable_bodies(request.user, purpose, under), query)
        return JsonResponse([pickers.body_as_json(body) for body in bodies], safe=False)
    units = pickers.search(pickers.pickable(request.user, purpose, under), query)
    return JsonResponse([pickers.as_json(unit) for unit in units], safe=False)


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, code)
    ancestors = selectors.ancestors_by_path([unit], user=request.user)
    context = {
        "unit": unit,
        "ancestors": [ancestors[p] for p in unit.ancestor_paths() if p in ancestors],
        "children": selectors.children_of(unit),
        "subtree_counts": selectors.level_counts(OrgUnit.objects.get_descendants(unit)),
        "members": Membership.objects.filter(unit=unit).select_related("user").order_by("role"),
        "can_manage_bodies": can(request.user, "orgunits.manage_bodies", unit),
    }
    return render(request, "orgunits/unit_detail.html", context)


@login_required
def import_units(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "orgunits.import_units"):
        raise PermissionDenied
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = services.import_orgunits(data=form.cleaned_data["file"].read(), by=request.user)
        if result.ok:
            messages.success(
                request,
                _(
                    "Import done: %(created)s added, %(updated)s updated, %(moved)s moved, "
                    "%(unchanged)s unchanged."
                )
                % vars(result)
                + (
                    " "
                    + _("Issuing bodies: %(bodies_created)s added, %(bodies_updated)s updated.")
                    % vars(result)
                    if result.bodies_created or result.bodies_updated
                    else ""
                ),
            )
            return redirect("orgunits:tree")
    return render(request, "orgunits/import.html", {"form": form, "result": result})


@login_required
@require_GET
def export_units(request: HttpRequest) -> FileResponse:
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    root_code = request.GET.get("root")
    if root_code:
        root = selectors.get_unit_for_user(request.user, root_code)
        units = selectors.units_visible_to(request.user).within([root.path])
    else:
        units = selectors.units_visible_to(request.user)
    content = services.export_orgunits(units, file_format=file_format)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    content_type = XLSX_CONTENT_TYPE if file_format == "xlsx" else CSV_CONTENT_TYPE
    return file_download(content, f"don-vi-{stamp}.{file_format}", content_type)


# --- Issuing bodies ------------------------------------------------------------


def _unit_for_bodies(request: HttpRequest, code: str) -> OrgUnit:
    """The unit whose bodies ``request.user`` manages; a 404 for anyone else."""
    unit = selectors.get_unit_for_user(request.user, code)
    require(request.user, "orgunits.manage_bodies", unit, hide=True)
    return unit


def _body_of(unit: OrgUnit, pk: int) -> IssuingBody:
    return get_object_or_404(IssuingBody.objects.select_related("unit"), unit=unit, pk=pk)


@login_required
@require_GET
def bodies(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_for_bodies(request, code)
    body_services.default_body(unit)  # a unit made outside the import gets its default here
    listed = body_services.bodies_of_units([unit])
    for body in listed:
        body.unit = unit  # one unit object: its parent is read once for every header
    rows = [(body, body.header_lines()) for body in listed]
    return render(request, "orgunits/bodies.html", {"unit": unit, "rows": rows})


def _edit_body(request: HttpRequest, unit: OrgUnit, body: IssuingBody) -> HttpResponse:
    form = IssuingBodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        body_services.save_body(body=form.save(commit=False))
        messages.success(request, _("Saved."))
        return redirect("orgunits:bodies", unit.code)
    return render(request, "orgunits/body_form.html", {"unit": unit, "form": form, "body": body})


@login_required
def body_add(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_for_bodies(request, code)
    body = IssuingBody(unit=unit, kind=IssuingBodyKind.COMMISSION, authority="", symbol="")
    return _edit_body(request, unit, body)


@login_required
def body_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = _unit_for_bodies(request, code)
    return _edit_body(request, unit, _body_of(unit, pk))


@login_required
def body_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = _unit_for_bodies(request, code)
    body = _body_of(unit, pk)
    if request.method == "POST":
        try:
            body_services.delete_body(body=body)
        except body_services.BodyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The body was deleted."))
        return redirect("orgunits:bodies", unit.code)
    return render(request, "orgunits/body_confirm_delete.html", {"unit": unit, "body": body})
