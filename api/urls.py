from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("reports", views.ReportViewSet, basename="report")


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: public (it names no data), never throttled."""

    authentication_classes = []
    throttle_classes = []


v1 = [
    *router.urls,
    path(
        "reports/<str:pk>/answers/<str:item_id>/",
        views.AnswerView.as_view(),
        name="answer",
    ),
    path(
        "reports/<str:pk>/builds/<str:build_id>/file/",
        views.BuildFileView.as_view(),
        name="build_file",
    ),
]

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    path("v1/", include(v1)),
]
