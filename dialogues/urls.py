"""The dialogue URLs, mounted under ``doi-thoai/``: one list per group of pages."""

from django.urls import path

from . import views

app_name = "dialogues"

calendar = [
    path("", views.calendar, name="calendar"),
    path("ke-hoach/moi/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/sua/", views.plan_edit, name="plan_edit"),
]

meeting = [
    path("hop/<int:pk>/", views.meeting, name="meeting"),
    path("hop/<int:pk>/ghi-nhan/", views.meeting_record, name="meeting_record"),
    path("hop/<int:pk>/y-kien/", views.meeting_opinions, name="meeting_opinions"),
    path("hop/<int:pk>/huy/", views.meeting_cancel, name="meeting_cancel"),
    path("hop/<int:pk>/da-thong-bao/", views.meeting_notice, name="meeting_notice"),
    path("hop/<int:pk>/kien-nghi/", views.petition_add, name="petition_add"),
]

petitions = [
    path("kien-nghi/", views.register, name="register"),
    path("kien-nghi/xuat.xlsx", views.register_export, name="register_export"),
    path("kien-nghi/<int:pk>/", views.petition, name="petition"),
    path("kien-nghi/<int:pk>/giao/", views.petition_assign, name="petition_assign"),
    path("kien-nghi/<int:pk>/tien-do/", views.petition_progress, name="petition_progress"),
    path("kien-nghi/<int:pk>/tra-loi/", views.petition_answer, name="petition_answer"),
    path("kien-nghi/<int:pk>/dong/", views.petition_close, name="petition_close"),
    path("kien-nghi/<int:pk>/in/", views.petition_print, name="petition_print"),
]

# The dialogue plan as a KẾ HOẠCH and a meeting's radio notice as a THÔNG BÁO.
documents = [
    path("ke-hoach/<int:pk>/ke-hoach.pdf", views.plan_document, {"fmt": "pdf"}, name="plan_pdf"),
    path("ke-hoach/<int:pk>/ke-hoach.docx", views.plan_document, {"fmt": "docx"}, name="plan_docx"),
    path("hop/<int:pk>/thong-bao.pdf", views.notice_document, {"fmt": "pdf"}, name="notice_pdf"),
    path("hop/<int:pk>/thong-bao.docx", views.notice_document, {"fmt": "docx"}, name="notice_docx"),
]

urlpatterns = [*calendar, *meeting, *petitions, *documents]
