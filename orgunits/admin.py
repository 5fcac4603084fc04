from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .forms import IssuingBodyForm
from .models import IssuingBody, Level, Membership, OrgUnit, Term, UnitMerger


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


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(OrgUnit, exclude=["search_text"])
    list_display = ["name", "code", "level", "kind", "symbol", "is_active", "valid_to"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name", "short_name", "search_text"]
    list_per_page = 200
    autocomplete_fields = ["successor"]
    inlines = [IssuingBodyInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "role", "created"]
    list_filter = ["role", "unit__level"]
    search_fields = ["user__username", "user__last_name", "unit__name", "unit__code"]
    autocomplete_fields = ["user", "unit"]


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
