"""Log in with the username or the e-mail address (any case)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from orgunits import access


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        User = get_user_model()
        user = User._default_manager.filter(username=username).first()
        if user is None and "@" in username:
            # An e-mail names one person only; if two accounts share it, neither logs in by it.
            found = list(User._default_manager.filter(email__iexact=username.strip())[:2])
            user = found[0] if len(found) == 1 else None
        if user is None:
            User().set_password(password)  # the same time as a wrong password (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of a request and their memberships, in one query
        (``orgunits.access`` asks for them on nearly every page)."""
        User = get_user_model()
        fields = [field.attname for field in User._meta.concrete_fields]
        rows = list(
            User._default_manager.filter(pk=user_id).values_list(
                *fields, "memberships__unit__path", "memberships__role"
            )
        )
        if not rows:
            return None
        user = User.from_db(User._default_manager.db, fields, rows[0][: len(fields)])
        if not self.user_can_authenticate(user):
            return None
        access.prime(user, [row[-2:] for row in rows if row[-1] is not None])
        return user
