"""A report's consolidated document, included under ``bao-cao/<int:pk>/van-ban-tong-hop/``."""

from django.urls import path

from . import build_views

urlpatterns = [
    path("", build_views.builds, name="builds"),
    path("tao/", build_views.start, name="build_start"),
    path("<int:build_id>/", build_views.progress, name="build_progress"),
    path("<int:build_id>/tai-ve/", build_views.download, name="build_download"),
]
