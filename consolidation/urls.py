"""The consolidation URLs, mounted at the root: one list per group of pages."""

from django.urls import include, path

from . import views

app_name = "consolidation"

# Under a unit's own report (``bao-cao/<int:pk>/tong-hop/``): roll up the units below.
workspace = [
    path("", views.workspace, name="workspace"),
    path("muc/<int:item_id>/", views.item_texts, name="item_texts"),
    path("so-lieu/", views.fill_figures, name="fill_figures"),
    path("du-thao/", views.draft_texts, name="draft_texts"),
]

# The consolidated document of a report (``bao-cao/<int:pk>/van-ban-tong-hop/``).
builds = [
    path("", views.builds, name="builds"),
    path("tao/", views.start, name="build_start"),
    path("<int:build_id>/", views.progress, name="build_progress"),
    path("<int:build_id>/tai-ve/", views.download, name="build_download"),
]

# The leader's page of a plan (``ke-hoach/<int:pk>/tong-quan/``).
leader = [
    path("", views.overview, name="overview"),
]

urlpatterns = [
    path("bao-cao/<int:pk>/tong-hop/", include(workspace)),
    path("bao-cao/<int:pk>/van-ban-tong-hop/", include(builds)),
    path("ke-hoach/<int:pk>/tong-quan/", include(leader)),
]
