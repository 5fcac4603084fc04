"""URLs of a plan's outline editor, included under ``<int:pk>/de-cuong/``."""

from django.urls import path

from . import outline_views

urlpatterns = [
    path("", outline_views.editor, name="outline_editor"),
    path("them/", outline_views.item_add, name="outline_add"),
    path("<int:item_id>/sua/", outline_views.item_edit, name="outline_edit"),
    path("<int:item_id>/xoa/", outline_views.item_delete, name="outline_delete"),
    path("<int:item_id>/chuyen/", outline_views.item_move, name="outline_move"),
    path("danh-so-lai/", outline_views.renumber, name="outline_renumber"),
    path("dan-van-ban/", outline_views.paste, name="outline_paste"),
]
