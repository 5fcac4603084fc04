from django.urls import include, path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("moi/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/soan/<slug:step>/", views.plan_compose, name="compose"),
    path("<int:pk>/phat-hanh/", views.plan_publish, name="publish"),
    path("<int:pk>/trien-khai/", views.plan_cascade, name="cascade"),
    path("<int:pk>/ap-dung-sua-doi/", views.plan_adopt, name="adopt"),
    path("<int:pk>/ket-thuc/", views.plan_close, name="close"),
    path("<int:pk>/xoa/", views.plan_delete, name="delete"),
    path("<int:pk>/ke-hoach.pdf", views.plan_pdf, name="pdf"),
    path("<int:pk>/ke-hoach.docx", views.plan_docx, name="docx"),
    path("<int:pk>/ban-in/", views.plan_print, name="print"),
    path("<int:pk>/de-cuong/", include("campaigns.outline_urls")),
]
