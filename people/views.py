"""The people pages of coordinators (404 outside their scope)."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents.responses import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, file_download
from orgunits.access import can, require
from orgunits.models import Membership

from . import imports, selectors, services
from .forms import (
    ImportForm,
    PeopleFilterForm,
    PersonAddForm,
    PersonEditForm,
    RoleForm,
    TemporaryPasswordForm,
)
from .models import profile_of
from .services import NewPerson, PersonError

PER_PAGE = 25
IMPORT_SESSION_KEY = "people_import"


def _coordinator(request: HttpRequest) -> None:
    require(request.user, "people.manage_people", None, hide=True)


def _person(request: HttpRequest, pk: int, action: str = "people.view_person"):
    _coordinator(request)
    person = selectors.get_person_for_user(request.user, pk)
    require(request.user, action, person, hide=True)
    return person


def _rows(request: HttpRequest, people) -> list[dict]:
    selectors.remember_paths(people)
    return [
        {
            "person": person,
            "roles": person.scoped_memberships,
            "outside": len(person.all_memberships) - len(person.scoped_memberships),
            "manageable": can(request.user, "people.manage_person", person),
        }
        for person in people
    ]


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


@login_required
@require_GET
def people_list(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    form = PeopleFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.search_people(
        request.user,
        text=filters.get("q") or "",
        unit=filters.get("unit"),
        role=filters.get("role") or "",
    )
    page = _page(request, people)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(request, list(page.object_list)),
        "query": query.urlencode(),
    }
    return render(request, "people/list.html", context)


@login_required
@require_GET
def without_role(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    page = _page(request, selectors.people_without_role(request.user))
    rows = _rows(request, list(page.object_list))
    return render(request, "people/without_role.html", {"page": page, "rows": rows})


@login_required
@require_GET
def units_without_people(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    page = _page(request, selectors.units_without_people(request.user))
    return render(request, "people/units_without_people.html", {"page": page})


@login_required
def person_add(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    initial = {}
    if request.GET.get("unit"):
        initial["unit"] = (
            selectors.units_in_scope(request.user).filter(code=request.GET["unit"]).first()
        )
    form = PersonAddForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        temporary = data["access_mode"] == PersonAddForm.TEMPORARY
        try:
            person = services.create_person(
                by=request.user,
                person=NewPerson(
                    data["full_name"],
                    data["email"],
                    data["position"],
                    data["phone"],
                    data["language"],
                ),
                unit=data["unit"],
                role=data["role"],
                temporary_password=data["temporary_password"] if temporary else "",
            )
        except PersonError as error:
            form.add_error(None, str(error))
        else:
            if temporary:
                messages.success(
                    request,
                    _(
                        "%(name)s was added (username %(username)s). Hand over the temporary "
                        "password; it must be changed at the first login."
                    )
                    % {"name": person.get_full_name(), "username": person.username},
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s was added (username %(username)s); an invitation was sent to "
                        "%(email)s."
                    )
                    % {
                        "name": person.get_full_name(),
                        "username": person.username,
                        "email": person.email,
                    },
                )
            return redirect("people:detail", person.pk)
    return render(request, "people/add.html", {"form": form})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    role_form = RoleForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if role_form.is_valid():
            unit, role = role_form.cleaned_data["unit"], role_form.cleaned_data["role"]
            if services.give_role(by=request.user, person=person, unit=unit, role=role):
                messages.success(request, _("Role given."))
            else:
                messages.info(request, _("The person already holds this role there."))
            return redirect("people:detail", person.pk)
    context = {
        "person": person,
        "profile": profile_of(person),
        "roles": person.scoped_memberships,
        "outside": len(person.all_memberships) - len(person.scoped_memberships),
        "manageable": can(request.user, "people.manage_person", person),
        "role_form": role_form,
        "password_form": TemporaryPasswordForm(person=person),
    }
    return render(request, "people/detail.html", context)


@login_required
@require_POST
def role_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    person = _person(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("unit", "user"), pk=membership_pk, user=person
    )
    if not can(request.user, "people.assign_on_unit", membership.unit):
        raise Http404("Not in your scope.")
    services.take_role(by=request.user, membership=membership)
    messages.success(request, _("Role removed."))
    return redirect("people:detail", person.pk)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "people.manage_person")
    profile = profile_of(person)
    initial = {
        "full_name": person.get_full_name(),
        "email": person.email,
        "position": profile.position,
        "phone": profile.phone,
        "language": profile.language,
    }
    form = PersonEditForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(by=request.user, person=person, **form.cleaned_data)
        except PersonError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", person.pk)
    return render(request, "people/edit.html", {"form": form, "person": person})


@login_required
def person_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    """Deactivate or reactivate; when some roles lie outside the coordinator's
    scope, only the roles inside it can be removed (the page explains)."""
    person = _person(request, pk)
    manageable = can(request.user, "people.manage_person", person)
    if request.method == "POST":
        if request.POST.get("what") == "roles":
            count = services.take_roles_in_scope(by=request.user, person=person)
            messages.success(request, _("%(count)s role(s) removed.") % {"count": count})
            return redirect("people:detail", person.pk)
        if not manageable:
            raise Http404("Not all of this person's roles are in your scope.")
        try:
            services.set_active(by=request.user, person=person, active=active)
        except PersonError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The account is active again.") if active else _("The account is deactivated."),
            )
        return redirect("people:detail", person.pk)
    context = {
        "person": person,
        "active": active,
        "manageable": manageable,
        "roles": person.scoped_memberships,
        "outside": len(person.all_memberships) - len(person.scoped_memberships),
    }
    return render(request, "people/confirm_active.html", context)


@login_required
@require_POST
def person_invite(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "people.manage_person")
    try:
        services.invite(by=request.user, person=person)
    except PersonError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
    return redirect("people:detail", person.pk)


@login_required
@require_POST
def person_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "people.manage_person")
    form = TemporaryPasswordForm(request.POST, person=person)
    if form.is_valid():
        services.set_temporary_password(
            by=request.user, person=person, password=form.cleaned_data["password"]
        )
        messages.success(
            request, _("Temporary password set; it must be changed at the first login.")
        )
    else:
        messages.error(request, " ".join(form.errors.get("password", [])))
    return redirect("people:detail", person.pk)


# --- Import ----------------------------------------------------------------------


@login_required
def import_people(request: HttpRequest) -> HttpResponse:
    """Upload → every row checked and shown → confirm (the file kept in the
    session between the two, checked again on confirming)."""
    _coordinator(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(IMPORT_SESSION_KEY)
        if not stored:
            messages.error(request, _("The checked file is no longer here: upload it again."))
            return redirect("people:import")
        data = base64.b64decode(stored["data"])
        result = imports.apply(data=data, by=request.user)
        if result.ok:
            del request.session[IMPORT_SESSION_KEY]
            messages.success(
                request,
                _("Import done: %(created)s people added and invited, %(roles)s role(s) given.")
                % {"created": result.created, "roles": result.roles_added},
            )
            return redirect("people:list")
        form = ImportForm()
    elif request.method == "POST" and form.is_valid():
        request.session.pop(IMPORT_SESSION_KEY, None)
        data = form.cleaned_data["file"].read()
        result = imports.check(data=data, by=request.user)
        if result.ok:
            request.session[IMPORT_SESSION_KEY] = {
                "data": base64.b64encode(data).decode("ascii"),
                "name": form.cleaned_data["file"].name,
            }
    context = {
        "form": form,
        "result": result,
        "roles": imports.role_spellings(),
        "file_name": (request.session.get(IMPORT_SESSION_KEY) or {}).get("name", ""),
    }
    return render(request, "people/import.html", context)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    content_type = CSV_CONTENT_TYPE if file_format == "csv" else XLSX_CONTENT_TYPE
    return file_download(
        imports.template(file_format), f"mau-nhap-nguoi-dung.{file_format}", content_type
    )
