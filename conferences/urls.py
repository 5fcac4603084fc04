"""The conference URLs, mounted under ``hoi-nghi/``: one list per group of pages."""

from django.urls import path

from . import views

app_name = "conferences"

conference = [
    path("ke-hoach/<int:plan_pk>/moi/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/moi-du/", views.invite, name="invite"),
    path("<int:pk>/tra-loi/", views.reply, name="reply"),
    path("<int:pk>/huy/", views.cancel, name="cancel"),
]

speeches = [
    path("<int:pk>/tham-luan/", views.speech_assign, name="speech_assign"),
    path("tham-luan/<int:pk>/", views.speech, name="speech"),
    path("tham-luan/<int:pk>/tep/", views.speech_file, name="speech_file"),
]

# After the conference: the minutes and conclusions, the THÔNG BÁO KẾT LUẬN.
after = [
    path("<int:pk>/ket-qua/", views.record, name="record"),
    path("<int:pk>/thong-bao/", views.notice_issue, name="notice_issue"),
    path(
        "<int:pk>/thong-bao-ket-luan.pdf",
        views.notice_document,
        {"fmt": "pdf"},
        name="notice_pdf",
    ),
    path(
        "<int:pk>/thong-bao-ket-luan.docx",
        views.notice_document,
        {"fmt": "docx"},
        name="notice_docx",
    ),
]

urlpatterns = [*conference, *speeches, *after]
