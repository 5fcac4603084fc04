"""What the app keeps about a person beyond Django's user: position, phone, the
unit they were created under, the language of their e-mails, whether they
must choose a new password.

A person's name is one field, "Họ và tên", kept whole in ``User.first_name``
(``last_name`` stays empty), so ``get_full_name()`` gives it in Vietnamese
order everywhere (see ``names.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orgunits.models import OrgUnit


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    position = models.CharField(pgettext_lazy("person", "position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The unit the person was created under: a person without any role stays
    # in the scope of that unit's coordinators.
    home_unit = models.ForeignKey(
        OrgUnit,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="home_profiles",
        verbose_name=_("home unit"),
    )
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


def profile_of(user) -> Profile:
    """The user's profile, made on first need (users from before this app have none)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _created = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile
