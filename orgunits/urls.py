from django.urls import path

from . import views

app_name = "orgunits"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("tim-kiem/", views.search, name="search"),
    path("chon/", views.pick, name="pick"),
    path("nhap/", views.import_units, name="import"),
    path("xuat/", views.export_units, name="export"),
    path("<str:code>/", views.unit_detail, name="detail"),
    path("<str:code>/con/", views.children, name="children"),
    path("<str:code>/co-quan-ban-hanh/", views.bodies, name="bodies"),
    path("<str:code>/co-quan-ban-hanh/them/", views.body_add, name="body_add"),
    path("<str:code>/co-quan-ban-hanh/<int:pk>/sua/", views.body_edit, name="body_edit"),
    path("<str:code>/co-quan-ban-hanh/<int:pk>/xoa/", views.body_delete, name="body_delete"),
]
