"""The account pages under /tai-khoan/ that know about people: log in with the
username or the e-mail, the invitation's "choose your password", and the end
of a required password change. The other pages are Django's own."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from notifications.forms import OutboxPasswordResetForm

from .forms import LoginForm
from .models import Profile
from .signals import MUST_CHANGE_PASSWORD

BACKEND = "people.backends.UsernameOrEmailBackend"


def _password_chosen(request, user) -> None:
    Profile.objects.filter(user=user, must_change_password=True).update(must_change_password=False)
    request.session.pop(MUST_CHANGE_PASSWORD, None)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        _password_chosen(self.request, form.user)
        return response


class InvitedResetForm(OutboxPasswordResetForm):
    """Django's reset form, sent through the outbox, also for people invited who
    never chose a password (Django leaves out accounts without a usable one)."""

    def get_users(self, email):
        User = get_user_model()
        return (
            user
            for user in User._default_manager.filter(email__iexact=email, is_active=True)
            if user.email
        )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = InvitedResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        _password_chosen(self.request, form.user)
        return response


class SetPasswordView(PasswordResetConfirmView):
    """The invitation's link: choose a password, then logged in and on the home page."""

    template_name = "people/set_password.html"
    post_reset_login = True
    post_reset_login_backend = BACKEND
    success_url = reverse_lazy("home")
