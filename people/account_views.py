"""The account pages under /tai-khoan/ that know about people: log in with the
username or the e-mail, the invitation's "choose your password", and the end
of a required password change. The other pages are Django's own."""

from __future__ import annotations

import hashlib
import logging

from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from config.auth import client_ip
from notifications.forms import OutboxPasswordResetForm

from .forms import LoginForm
from .models import Profile
from .signals import MUST_CHANGE_PASSWORD

BACKEND = "people.backends.UsernameOrEmailBackend"
logger = logging.getLogger(__name__)


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


# Reset e-mails per hour: to one address, and asked from one address. Beyond,
# the page says the same (it never tells who has an account) and sends nothing.
RESETS_PER_ADDRESS = 3
RESETS_PER_CLIENT = 10
RESET_WINDOW = 3600


def _over_limit(key: str, limit: int) -> bool:
    """Count one more under ``key`` for the window; whether it was over ``limit``."""
    cache.add(key, 0, RESET_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RESET_WINDOW)
        count = 1
    return count > limit


class PasswordResetView(auth_views.PasswordResetView):
    form_class = InvitedResetForm

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        over_address = _over_limit(f"password-reset:to:{digest}", RESETS_PER_ADDRESS)
        over_client = _over_limit(
            f"password-reset:from:{client_ip(self.request)}", RESETS_PER_CLIENT
        )
        if over_address or over_client:
            logger.warning("Password reset throttled (address or client over the hourly limit).")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


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
