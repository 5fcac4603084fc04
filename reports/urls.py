"""The reports URLs, mounted under ``bao-cao/``: one list per group of pages."""

from django.urls import include, path

from . import attachment_views, received_views, views

app_name = "reports"

inbox = [
    path("hop-thu/", views.inbox, name="inbox"),
]

report = [
    path("", views.report_detail, name="detail"),
    path("muc/<int:item_id>/", views.item_save, name="item"),
    path("van-ban/", views.save_document_info, name="document_info"),
    path("nop/", views.report_submit, name="submit"),
    path("bao-lanh-dao/", views.report_ask_approval, name="ask_approval"),
    path("tra-lai/", views.report_return, name="return"),
    path("tiep-nhan/", views.report_accept, name="accept"),
    path("mo-lai/", views.report_reopen, name="reopen"),
    path("lich-su/", views.report_history, name="history"),
    path("nhan-ngoai/", received_views.record_received, name="record_received"),
]

# The report as a document.
document = [
    path("bao-cao.pdf", views.report_document, {"fmt": "pdf"}, name="pdf"),
    path("bao-cao.docx", views.report_document, {"fmt": "docx"}, name="docx"),
    path("ban-in/", views.report_document, {"fmt": "print"}, name="print"),
    path("danh-sach.xlsx", views.report_tables_xlsx, name="tables_xlsx"),
]

attachments = [
    path("", attachment_views.attachment_list, name="attachment_list"),
    path("tai-len/", attachment_views.attachment_upload, name="attachment_upload"),
    path("<int:attachment_id>/xoa/", attachment_views.attachment_delete, name="attachment_delete"),
    path(
        "<int:attachment_id>/tai-ve/",
        attachment_views.attachment_download,
        name="attachment_download",
    ),
]

urlpatterns = [
    *inbox,
    path("<int:pk>/", include(report + document)),
    path("<int:pk>/tep/", include(attachments)),
]
