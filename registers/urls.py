"""The registers' URLs, mounted under ``so-van-ban/``: one list per group of pages."""

from django.urls import include, path

from . import views

app_name = "registers"

incoming = [
    path("", views.incoming_list, name="incoming"),
    path("moi/", views.incoming_new, name="incoming_new"),
    path("<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path("<int:pk>/tep/<int:file_pk>/tai-ve/", views.incoming_file, name="incoming_file"),
]

outgoing = [
    path("", views.outgoing_list, name="outgoing"),
]

plan_files = [
    path("tai-len/", views.plan_file_upload, name="plan_file_upload"),
    path("<int:file_pk>/tai-ve/", views.plan_file_download, name="plan_file"),
    path("<int:file_pk>/xoa/", views.plan_file_delete, name="plan_file_delete"),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:unit_pk>/den/", include(incoming)),
    path("<int:unit_pk>/di/", include(outgoing)),
    path("ke-hoach/<int:plan_pk>/tep/", include(plan_files)),
]
