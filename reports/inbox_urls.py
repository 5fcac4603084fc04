"""Included by the reports URLconf, inside its "reports" namespace."""

from django.urls import path

from . import inbox_views

urlpatterns = [
    path("hop-thu/", inbox_views.inbox, name="inbox"),
]
