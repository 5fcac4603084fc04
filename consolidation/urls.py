"""The consolidation URLs, mounted at the root: one list per group of pages."""

from django.urls import include, path

from . import build_views, leader_views, workspace_views

app_name = "consolidation"

# Under a unit's own report (``bao-cao/<int:pk>/tong-hop/``): roll up the units below.
workspace = [
    path("", workspace_views.workspace, name="workspace"),
    path("so-lieu/", workspace_views.fill_figures, name="fill_figures"),
    path("du-thao/", workspace_views.draft_texts, name="draft_texts"),
]

# The consolidated document of a report (``bao-cao/<int:pk>/van-ban-tong-hop/``).
builds = [
    path("", build_views.builds, name="builds"),
    path("tao/", build_views.start, name="build_start"),
    path("<int:build_id>/", build_views.progress, name="build_progress"),
    path("<int:build_id>/tai-ve/", build_views.download, name="build_download"),
]

# The leader's page of a plan (``ke-hoach/<int:pk>/tong-quan/``).
leader = [
    path("", leader_views.overview, name="overview"),
]

urlpatterns = [
    path("bao-cao/<int:pk>/tong-hop/", include(workspace)),
    path("bao-cao/<int:pk>/van-ban-tong-hop/", include(builds)),
    path("ke-hoach/<int:pk>/tong-quan/", include(leader)),
]
