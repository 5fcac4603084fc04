"""URLs of the dialogue plan's documents; included into dialogues/urls.py."""

from django.urls import path

from . import document_views

urlpatterns = [
    path("ke-hoach/<int:pk>/ke-hoach.pdf", document_views.plan_pdf, name="plan_pdf"),
    path("ke-hoach/<int:pk>/ke-hoach.docx", document_views.plan_docx, name="plan_docx"),
]
