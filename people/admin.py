"""The users' admin with one "Họ và tên" field (kept in first_name) and the profile."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from orgunits.admin import UnitPickerAdminMixin

from .models import Profile
from .names import FULL_NAME_MAX_LENGTH

User = get_user_model()


class ProfileInline(UnitPickerAdminMixin, admin.StackedInline):
    """The home unit is a searched picker showing each unit's parent and code."""

    model = Profile
    fk_name = "user"
    can_delete = False
    extra = 1
    max_num = 1


class PersonAdmin(UserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "email")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email"]
    inlines = [ProfileInline]

    @admin.display(description=_("Full name"), ordering="first_name")
    def full_name(self, user) -> str:
        return user.get_full_name()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("first_name")
        if field is not None:
            field.label = _("Full name")
            field.max_length = FULL_NAME_MAX_LENGTH
            field.help_text = _("As written in Vietnamese, e.g. “Hoàng Văn Chính”.")
        return form

    def save_model(self, request, obj, form, change) -> None:
        obj.first_name = (
            " ".join(f"{obj.last_name} {obj.first_name}".split())
            if obj.last_name
            else obj.first_name
        )
        obj.last_name = ""
        super().save_model(request, obj, form, change)


admin.site.unregister(User)
admin.site.register(User, PersonAdmin)
