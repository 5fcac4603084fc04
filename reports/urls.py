from django.urls import include, path

from . import views

app_name = "reports"

urlpatterns = [
    path("", include("reports.inbox_urls")),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/muc/<int:item_id>/", views.item_save, name="item"),
    path("<int:pk>/van-ban/", views.save_document_info, name="document_info"),
    path("<int:pk>/nop/", views.report_submit, name="submit"),
    path("<int:pk>/tra-lai/", views.report_return, name="return"),
    path("<int:pk>/tiep-nhan/", views.report_accept, name="accept"),
    path("<int:pk>/mo-lai/", views.report_reopen, name="reopen"),
    path("<int:pk>/lich-su/", views.report_history, name="history"),
    path("ke-hoach/<int:plan_pk>/khoa/", views.plan_lock, name="plan_lock"),
    path("<int:pk>/tep/", include("reports.attachment_urls")),
    path("<int:pk>/", include("reports.output_urls")),
]
