"""The plans' URLs, mounted under ``ke-hoach/``: one list per group of pages."""

from django.urls import include, path

from . import outline_views, participant_views, views

app_name = "campaigns"

plans = [
    path("", views.plan_list, name="list"),
    path("moi/", views.plan_create, name="create"),
]

plan = [
    path("", views.plan_detail, name="detail"),
    path("soan/<slug:step>/", views.plan_compose, name="compose"),
    path("phat-hanh/", views.plan_publish, name="publish"),
    path("trien-khai/", views.plan_cascade, name="cascade"),
    path("don-vi-tham-gia/", participant_views.participants, name="participants"),
    path("ap-dung-sua-doi/", views.plan_adopt, name="adopt"),
    path("khoa/", views.plan_lock, name="lock"),
    path("ket-thuc/", views.plan_close, name="close"),
    path("xoa/", views.plan_delete, name="delete"),
]

# The plan as a document.
document = [
    path("ke-hoach.pdf", views.plan_document, {"fmt": "pdf"}, name="pdf"),
    path("ke-hoach.docx", views.plan_document, {"fmt": "docx"}, name="docx"),
    path("ban-in/", views.plan_document, {"fmt": "print"}, name="print"),
]

# The outline editor (``<int:pk>/de-cuong/``).
outline = [
    path("", outline_views.editor, name="outline_editor"),
    path("them/", outline_views.item_add, name="outline_add"),
    path("<int:item_id>/sua/", outline_views.item_edit, name="outline_edit"),
    path("<int:item_id>/xoa/", outline_views.item_delete, name="outline_delete"),
    path("<int:item_id>/chuyen/", outline_views.item_move, name="outline_move"),
    path("danh-so-lai/", outline_views.renumber, name="outline_renumber"),
    path("dan-van-ban/", outline_views.paste, name="outline_paste"),
]

urlpatterns = [
    *plans,
    path("<int:pk>/", include(plan + document)),
    path("<int:pk>/de-cuong/", include(outline)),
]
