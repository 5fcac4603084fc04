from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from orgunits.admin import UnitPickerAdminMixin

from .models import DialoguePlan, Meeting, Petition, PetitionProgress


class MeetingInline(UnitPickerAdminMixin, admin.StackedInline):
    model = Meeting
    extra = 0


@admin.register(DialoguePlan)
class DialoguePlanAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "number", "summary"]
    list_filter = ["year"]
    raw_id_fields = ["unit"]
    inlines = [MeetingInline]


class PetitionProgressInline(admin.TabularInline):
    model = PetitionProgress
    extra = 0


@admin.register(Petition)
class PetitionAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "unit", "field", "status", "agency", "due_on"]
    list_filter = ["status", "field", "answered_on_spot"]
    raw_id_fields = ["meeting", "unit", "agency"]
    inlines = [PetitionProgressInline]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["target_group", "plan", "date", "status"]
    list_filter = ["status"]
