from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from orgunits.views import home
from people.urls import account_urlpatterns

urlpatterns = [
    path("", home, name="home"),
    path("don-vi/", include("orgunits.urls")),
    path("ke-hoach/", include("campaigns.urls")),
    path("bao-cao/", include("reports.urls")),
    path("thong-bao/", include("notifications.urls")),
    path("doi-thoai/", include("dialogues.urls")),
    path("so-van-ban/", include("registers.urls")),
    path("", include("chasing.urls")),
    path("", include("consolidation.urls")),
    path("nguoi-dung/", include("people.urls")),
    path("tai-khoan/", include(account_urlpatterns)),
    path("tai-khoan/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
