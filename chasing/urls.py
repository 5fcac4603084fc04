from django.urls import path

from . import views

app_name = "chasing"

urlpatterns = [
    path("ke-hoach/<int:pk>/tien-do/", views.board_page, name="board"),
    path("ke-hoach/<int:pk>/tien-do/bang/", views.board_rows, name="board_rows"),
    path("ke-hoach/<int:pk>/tien-do/con/<str:code>/", views.board_children, name="board_children"),
    path("ke-hoach/<int:pk>/tien-do/xuat.xlsx", views.board_export, name="board_export"),
    path("ke-hoach/<int:pk>/tien-do/xuat/", views.board_export_start, name="board_export_start"),
    path(
        "ke-hoach/<int:pk>/tien-do/xuat/<int:export_id>/",
        views.board_export_job,
        name="board_export_job",
    ),
    path(
        "ke-hoach/<int:pk>/tien-do/xuat/<int:export_id>/tai-ve/",
        views.board_export_download,
        name="board_export_download",
    ),
    path("ke-hoach/<int:pk>/tien-do/nhac/", views.chase, name="chase"),
    path("ke-hoach/<int:pk>/nhac-viec/", views.policy, name="policy"),
]
