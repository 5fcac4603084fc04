from django.contrib import admin

from .models import Conference, ConferenceReminder, Invitation, ProgrammeItem, Speech


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    raw_id_fields = ["unit", "replied_by"]


class ProgrammeInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "date", "status", "notice_number"]
    list_filter = ["status"]
    raw_id_fields = ["plan", "unit", "issuing_body", "notice_term", "created_by"]
    inlines = [InvitationInline, ProgrammeInline]


@admin.register(Speech)
class SpeechAdmin(admin.ModelAdmin):
    list_display = ["topic", "unit", "due_on", "submitted_at"]
    raw_id_fields = ["conference", "unit", "submitted_by"]


@admin.register(ConferenceReminder)
class ConferenceReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "status", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["speech", "unit"]
