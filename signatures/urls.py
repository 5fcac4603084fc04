"""The signatures' URLs, mounted under ``ky-so/``."""

from django.urls import path

from . import views

app_name = "signatures"

urlpatterns = [
    path("co-quan/<int:body_id>/chung-thu/", views.certificate, name="certificate"),
    path(
        "co-quan/<int:body_id>/chung-thu/go/", views.certificate_remove, name="certificate_remove"
    ),
]
