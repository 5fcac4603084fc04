"""The consolidation workspace, included under ``bao-cao/<int:pk>/tong-hop/`` (the report's id)."""

from django.urls import path

from . import workspace_views

urlpatterns = [
    path("", workspace_views.workspace, name="workspace"),
    path("so-lieu/", workspace_views.fill_figures, name="fill_figures"),
    path("du-thao/", workspace_views.draft_texts, name="draft_texts"),
]
