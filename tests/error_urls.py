"""The project's URLs and one view that fails, for the error page tests."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("hong/", broken), *project_urlpatterns]
