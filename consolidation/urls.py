from django.urls import include, path

app_name = "consolidation"

urlpatterns = [
    path("bao-cao/<int:pk>/tong-hop/", include("consolidation.workspace_urls")),
    path("bao-cao/<int:pk>/van-ban-tong-hop/", include("consolidation.build_urls")),
    path("ke-hoach/<int:pk>/tong-quan/", include("consolidation.leader_urls")),
]
