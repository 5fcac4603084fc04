"""URLs of the dialogue documents (the plan, a meeting's notice); included into
dialogues/urls.py."""

from django.urls import path

from . import document_views

urlpatterns = [
    path("ke-hoach/<int:pk>/ke-hoach.pdf", document_views.plan_pdf, name="plan_pdf"),
    path("ke-hoach/<int:pk>/ke-hoach.docx", document_views.plan_docx, name="plan_docx"),
    path("hop/<int:pk>/thong-bao.pdf", document_views.notice_pdf, name="notice_pdf"),
    path("hop/<int:pk>/thong-bao.docx", document_views.notice_docx, name="notice_docx"),
]
