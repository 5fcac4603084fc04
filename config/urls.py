from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from notifications.forms import OutboxPasswordResetForm
from orgunits.views import home

urlpatterns = [
    path("", home, name="home"),
    path("don-vi/", include("orgunits.urls")),
    path("ke-hoach/", include("campaigns.urls")),
    path("bao-cao/", include("reports.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("doi-thoai/", include("dialogues.urls")),
    path("", include("chasing.urls")),
    path("", include("consolidation.urls")),
    # The reset e-mail goes through the outbox (sent by the worker).
    path(
        "tai-khoan/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path("tai-khoan/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
