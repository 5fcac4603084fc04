from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from orgunits.fields import UnitChoiceField
from orgunits.models import Role

from . import services
from .names import FULL_NAME_MAX_LENGTH

PEOPLE_IMPORT_MAX_BYTES = 5 * 1024 * 1024


def unit_field(user, *, required: bool = True, label=None) -> UnitChoiceField:
    """The unit picker of the people pages: the active units ``user`` coordinates,
    searched by name or code (``orgunits.pickers``, purpose "people")."""
    field = UnitChoiceField(purpose="people", required=required, label=label or _("Unit"))
    return field.scope(user)


class LoginForm(AuthenticationForm):
    """Django's login form, saying that the e-mail works as well as the username."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or e-mail")
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254


class PersonFields(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=FULL_NAME_MAX_LENGTH,
        help_text=_("As written in Vietnamese, e.g. “Hoàng Văn Chính”."),
    )
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    language = forms.ChoiceField(
        label=_("Language of e-mails"), choices=settings.LANGUAGES, initial="vi"
    )

    def __init__(self, *args, person=None, **kwargs) -> None:
        self.person = person
        super().__init__(*args, **kwargs)

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Write the person's full name."))
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if services.email_taken(email, exclude_pk=self.person.pk if self.person else None):
            raise forms.ValidationError(
                _(
                    "A person with this e-mail already exists: find them in the list and give "
                    "them a role."
                )
            )
        return email


class PersonAddForm(PersonFields):
    INVITE, TEMPORARY = "invite", "temporary"

    unit = None  # set in __init__ (unit_field)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("— no role yet —")), *Role.choices],
        required=False,
    )
    access_mode = forms.ChoiceField(
        label=_("First login"),
        choices=[
            (INVITE, _("Send an invitation e-mail (the person chooses a password)")),
            (TEMPORARY, _("Set a temporary password (to hand over; changed at first login)")),
        ],
        initial=INVITE,
        widget=forms.RadioSelect,
    )
    temporary_password = forms.CharField(
        label=_("Temporary password"),
        required=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "full_name",
        "position",
        "email",
        "phone",
        "unit",
        "role",
        "language",
        "access_mode",
        "temporary_password",
    ]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(user)
        self.order_fields(self.field_order)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("full_name", css_class="col-md-7"), Column("position", css_class="col-md-5")
            ),
            Row(Column("email", css_class="col-md-7"), Column("phone", css_class="col-md-5")),
            Row(Column("unit", css_class="col-md-7"), Column("role", css_class="col-md-5")),
            "language",
            "access_mode",
            "temporary_password",
        )
        self.helper.add_input(Submit("submit", _("Add the person"), css_class="btn-party"))

    def clean(self):
        data = super().clean()
        if data.get("access_mode") == self.TEMPORARY:
            password = data.get("temporary_password") or ""
            if not password:
                self.add_error("temporary_password", _("Write the temporary password."))
            else:
                try:
                    password_validation.validate_password(password)
                except forms.ValidationError as error:
                    self.add_error("temporary_password", error)
        return data


class PersonEditForm(PersonFields):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("full_name", css_class="col-md-7"), Column("position", css_class="col-md-5")
            ),
            Row(Column("email", css_class="col-md-7"), Column("phone", css_class="col-md-5")),
            "language",
        )
        self.helper.add_input(Submit("submit", _("Save"), css_class="btn-party"))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.REPORTER)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(user)
        self.order_fields(["unit", "role"])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("unit", css_class="col-md-7"), Column("role", css_class="col-md-5"))
        )


class TemporaryPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Temporary password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Hand it over in person; it must be changed at the first login."),
    )

    def __init__(self, *args, person=None, **kwargs) -> None:
        self.person = person
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.person)
        return password


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, widget=forms.SearchInput)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(user, required=False)
        self.order_fields(["q", "unit", "role"])
        self.fields["q"].widget.attrs.update(
            type="search", **{"class": "form-control form-control-sm"}
        )
        for name in ("unit", "role"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("List of people (XLSX or CSV)"),
        help_text=_(
            "Columns: full name, position, e-mail, unit code, role. Nothing is saved if any row "
            "has an error; you see every row before confirming."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Check the file"), css_class="btn-party"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > PEOPLE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(PEOPLE_IMPORT_MAX_BYTES),
                }
            )
        return upload
