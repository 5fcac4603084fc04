"""A report's document outputs, included under ``<int:pk>/`` in the reports namespace."""

from django.urls import path

from . import output_views

urlpatterns = [
    path("bao-cao.pdf", output_views.report_pdf, name="pdf"),
    path("bao-cao.docx", output_views.report_docx, name="docx"),
    path("ban-in/", output_views.report_print, name="print"),
]
