from django.urls import path

from . import account_views, views

app_name = "people"

urlpatterns = [
    path("", views.people_list, name="list"),
    path("them/", views.person_add, name="add"),
    path("nhap/", views.import_people, name="import"),
    path("nhap/mau/", views.import_template, name="import_template"),
    path("chua-co-vai-tro/", views.without_role, name="without_role"),
    path("don-vi-chua-co-nguoi/", views.units_without_people, name="units_without_people"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/sua/", views.person_edit, name="edit"),
    path("<int:pk>/vai-tro/<int:membership_pk>/go/", views.role_remove, name="role_remove"),
    path("<int:pk>/khoa/", views.person_active, {"active": False}, name="deactivate"),
    path("<int:pk>/mo-khoa/", views.person_active, {"active": True}, name="reactivate"),
    path("<int:pk>/gui-loi-moi/", views.person_invite, name="invite"),
    path("<int:pk>/mat-khau-tam/", views.person_password, name="password"),
    path(
        "dat-mat-khau/<uidb64>/<token>/",
        account_views.SetPasswordView.as_view(),
        name="set_password",
    ),
]

# Django's account pages with what the people app adds; the rest come from
# django.contrib.auth.urls, included after these in config/urls.py.
account_urlpatterns = [
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("password_change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
