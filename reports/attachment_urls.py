"""URLs of a report's attachments, included under ``<int:pk>/tep/``."""

from django.urls import path

from . import attachment_views

urlpatterns = [
    path("", attachment_views.attachment_list, name="attachment_list"),
    path("tai-len/", attachment_views.attachment_upload, name="attachment_upload"),
    path("<int:attachment_id>/xoa/", attachment_views.attachment_delete, name="attachment_delete"),
    path(
        "<int:attachment_id>/tai-ve/",
        attachment_views.attachment_download,
        name="attachment_download",
    ),
]
