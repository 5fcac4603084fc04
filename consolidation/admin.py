from django.contrib import admin

from .models import DocumentBuild


@admin.register(DocumentBuild)
class DocumentBuildAdmin(admin.ModelAdmin):
    list_display = ["report", "fmt", "status", "progress", "created", "finished_at"]
    list_filter = ["fmt", "status"]
    raw_id_fields = ["report", "requested_by"]
