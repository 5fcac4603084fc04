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
    path("hoi-nghi/", include("conferences.urls")),
    path("so-van-ban/", include("registers.urls")),
    path("", include("chasing.urls")),
    path("", include("consolidation.urls")),
    path("nguoi-dung/", include("people.urls")),
    path("tai-khoan/", include(account_urlpatterns)),
    path("tai-khoan/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# MEDIA_URL is never routed, not even with DEBUG: every stored file is served by
# a view that checks who asks (documents.responses.stored_file_response).
