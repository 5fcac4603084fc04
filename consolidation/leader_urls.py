"""The leader's page, included under ``ke-hoach/<int:pk>/tong-quan/`` (the plan's id)."""

from django.urls import path

from . import leader_views

urlpatterns = [
    path("", leader_views.overview, name="overview"),
]
