from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .access import can
from .fields import UnitChoiceField, UnitMultipleChoiceField
from .forms import IssuingBodyForm
from .models import IssuingBody, Level, Membership, OrgUnit, Term, UnitMerger
from .rules import ROOT_ADMINISTRATORS


class UnitPickerAdminMixin:
    """Every unit field of an admin form is a searched picker (orgunits.fields):
    never a list of the whole tree, each unit shown with its parent and code,
    within the units the admin user reaches."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.is_relation and db_field.related_model is OrgUnit and db_field.editable:
            field_class = UnitMultipleChoiceField if db_field.many_to_many else UnitChoiceField
            return field_class(
                label=capfirst(db_field.verbose_name),
                required=not db_field.blank,
                help_text=db_field.help_text or "",
            ).scope(request.user)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["rank", "code", "name"]
    ordering = ["rank"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class IssuingBodyInline(admin.TabularInline):
    model = IssuingBody
    extra = 0
    fields = IssuingBodyForm.Meta.fields  # the same fields as the unit's own screen


class OrgUnitAdminForm(movenodeform_factory(OrgUnit, exclude=["search_text"])):
    """Treebeard's move form with the reference unit searched, not listed
    (its own field lists every unit of the tree)."""

    treebeard_ref_node = UnitChoiceField(
        label=_("Relative to"), required=False, help_text=_("Empty: a top-level unit.")
    )
    user = None  # the admin user, set by OrgUnitAdmin.get_form

    def clean(self):
        data = super().clean()
        ref, position = data.get("treebeard_ref_node"), data.get("treebeard_position")
        becomes_top = ref is None or (ref.depth == 1 and position in ("left", "right"))
        was_top = self.instance.pk is not None and self.instance.depth == 1
        if becomes_top and not was_top and not can(self.user, "orgunits.add_top_unit"):
            self.add_error(
                "treebeard_ref_node",
                _(
                    "Only a system administrator (the group “%(group)s”) may add a top of the "
                    "tree; choose the unit this one belongs under."
                )
                % {"group": ROOT_ADMINISTRATORS},
            )
        return data

    def _set_ref_model_queryset(self, opts, instance):
        field = self.fields["treebeard_ref_node"].scope(self.user)
        if instance is not None and instance.pk:  # never relative to itself or below it
            field.queryset = field.queryset.exclude(path__startswith=instance.path)


@admin.register(OrgUnit)
class OrgUnitAdmin(UnitPickerAdminMixin, TreeAdmin, SimpleHistoryAdmin):
    form = OrgUnitAdminForm
    list_display = ["name", "code", "level", "kind", "symbol", "is_active", "valid_to"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name", "short_name", "search_text"]
    list_per_page = 200
    inlines = [IssuingBodyInline, MembershipInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})


@admin.register(Membership)
class MembershipAdmin(UnitPickerAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "unit", "role", "created"]
    list_filter = ["role", "unit__level"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__email",
        "unit__name",
        "unit__code",
    ]
    autocomplete_fields = ["user"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]


@admin.register(UnitMerger)
class UnitMergerAdmin(admin.ModelAdmin):
    """Mergers are recorded by ``orgunits.mergers.merge_units``; the admin shows them."""

    list_display = ["resulting_unit", "merged_on", "created_by", "created"]
    readonly_fields = ["resulting_unit", "merged_units", "merged_on", "created_by", "created"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
