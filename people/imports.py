"""Importing people from a spreadsheet (XLSX or CSV): check, preview, confirm.

Columns: họ và tên, chức vụ, email, mã đơn vị, vai trò. The file is read by
``orgunits.tables`` (the reader of the unit-tree import). All or nothing:
every row is checked first and each problem reported with its row number
("Dòng 7: …"); only a file without any error is saved, in one transaction.
A row whose e-mail belongs to someone already registered gives that person
the role; a new e-mail makes a new person, invited by e-mail once the import
commits. Every unit must lie in the importer's subtrees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgunits import access
from orgunits.models import Membership, OrgUnit, Role
from orgunits.services import RowError
from orgunits.tables import TableError, read_table, write_csv, write_xlsx
from orgunits.text import search_key

from . import services
from .models import Profile
from .names import FULL_NAME_MAX_LENGTH, normalised
from .rules import COORDINATOR

User = get_user_model()

COLUMNS = [
    ("full_name", gettext_lazy("Full name")),
    ("position", gettext_lazy("Position")),
    ("email", gettext_lazy("E-mail")),
    ("unit_code", gettext_lazy("Unit code")),
    ("role", gettext_lazy("Role")),
]
REQUIRED = ["full_name", "email", "unit_code"]
EXTRA_ALIASES = {"email": ["email", "e-mail", "thu dien tu"], "unit_code": ["ma don vi", "ma"]}


@dataclass
class Row:
    number: int
    full_name: str
    position: str
    email: str
    unit: OrgUnit | None
    role: str
    person: User | None = None  # the registered person with this e-mail
    new_role: bool = True  # False: they already hold it

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""


@dataclass
class ImportCheck:
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    roles_added: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def new_people(self) -> int:
        return len({row.email.casefold() for row in self.rows if row.person is None})

    @property
    def existing_people(self) -> int:
        return len({row.person.pk for row in self.rows if row.person is not None})


def _labels(choices) -> dict[str, str]:
    """Every spelling accepted for each value: itself, its label in both
    languages, and the label's first part ("Điều phối" of "Điều phối (cơ quan…)")."""
    aliases: dict[str, str] = {}
    for value, label in choices:
        aliases[search_key(value)] = value
        for language in ("vi", "en"):
            with translation.override(language):
                text = str(label)
            aliases[search_key(text)] = value
            aliases.setdefault(search_key(text.split("(")[0].split(",")[0]), value)
    return aliases


def _header_aliases() -> dict[str, str]:
    aliases = _labels(COLUMNS)
    aliases[search_key("họ tên")] = "full_name"
    for key, spellings in EXTRA_ALIASES.items():
        for spelling in spellings:
            aliases[search_key(spelling)] = key
    return aliases


def role_spellings() -> str:
    """The valid roles as a file may give them: "Điều phối (cơ quan tham mưu) (coordinator), …"."""
    return ", ".join(f"{label} ({value})" for value, label in Role.choices)


def template(file_format: str = "xlsx") -> bytes:
    """An empty file with the header and one example row."""
    header = [str(label) for _key, label in COLUMNS]
    example = [
        ["Hoàng Văn Chính", _("Specialist"), "hoang.chinh@example.vn", "", str(Role.REPORTER.label)]
    ]
    if file_format == "csv":
        return write_csv(header, example)
    return write_xlsx(header, example, title=_("People"))


def check(*, data: bytes, by) -> ImportCheck:
    """Read and check every row; nothing is written."""
    result = ImportCheck()
    if not access.can(by, "people.manage_people"):
        raise PermissionDenied
    aliases = _header_aliases()
    try:
        table = read_table(
            data,
            header_hint=lambda cells: (
                {"full_name", "email"} <= {aliases.get(search_key(c)) for c in cells}
            ),
        )
    except TableError as error:
        result.errors.append(RowError(1, str(error)))
        return result
    positions: dict[str, int] = {}
    for index, title in enumerate(table.header):
        key = aliases.get(search_key(title))
        if key and key not in positions:
            positions[key] = index
    missing = [str(label) for key, label in COLUMNS if key in REQUIRED and key not in positions]
    if missing:
        result.errors.append(
            RowError(1, _("missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return result
    if not table.rows:
        result.errors.append(RowError(1, _("the file has a header but no person.")))
        return result

    cells_of = []
    for number, cells in table.rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            index = positions.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        cells_of.append((number, {key: cell(key) for key, _label in COLUMNS}))

    codes = {values["unit_code"] for _n, values in cells_of if values["unit_code"]}
    units = {
        unit.code: unit
        for unit in OrgUnit.objects.filter(code__in=codes)
        .filter(access.within_q(by, "", roles=COORDINATOR))
        .select_related("level")
    }
    emails = {values["email"].casefold() for _n, values in cells_of if values["email"]}
    registered: dict[str, list[User]] = {}
    for person in User.objects.filter(email__iregex=_any_of(emails)) if emails else []:
        registered.setdefault(person.email.casefold(), []).append(person)
    held = set(
        Membership.objects.filter(
            user__in=[p for found in registered.values() for p in found]
        ).values_list("user_id", "unit_id", "role")
    )
    roles = _labels(Role.choices)
    first_row: dict[str, tuple[int, str]] = {}
    seen: set[tuple[str, int, str]] = set()

    for number, values in cells_of:

        def error(message: str, number: int = number) -> None:
            result.errors.append(RowError(number, message))

        name = normalised(values["full_name"])
        if not name:
            error(_("the full name is empty."))
        elif len(name) > FULL_NAME_MAX_LENGTH:
            error(
                _("the full name is longer than %(limit)s characters.")
                % {"limit": FULL_NAME_MAX_LENGTH}
            )
        position = values["position"]
        if len(position) > Profile._meta.get_field("position").max_length:
            error(_("the position is longer than %(limit)s characters.") % {"limit": 150})
        email = values["email"]
        person = None
        if not email:
            error(_("the e-mail is empty."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                error(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
            else:
                found = registered.get(email.casefold(), [])
                if len(found) > 1:
                    error(
                        _(
                            "several accounts have the e-mail “%(email)s”; give the role on "
                            "the person's page."
                        )
                        % {"email": email}
                    )
                elif found:
                    person = found[0]
                key = email.casefold()
                if key in first_row and first_row[key][1] != name:
                    error(
                        _("the e-mail “%(email)s” is on row %(row)s with another name (%(name)s).")
                        % {"email": email, "row": first_row[key][0], "name": first_row[key][1]}
                    )
                first_row.setdefault(key, (number, name))
        code = values["unit_code"]
        unit = units.get(code)
        if not code:
            error(_("the unit code is empty."))
        elif unit is None:
            error(_("no unit of your part of the tree has the code “%(code)s”.") % {"code": code})
        role_text = values["role"]
        role = roles.get(search_key(role_text)) if role_text else ""
        if role is None:
            error(
                _("unknown role “%(role)s”; the roles are: %(roles)s.")
                % {"role": role_text, "roles": role_spellings()}
            )
            role = ""
        row = Row(number, name, position, email, unit, role, person)
        if unit is not None and email:
            key = (email.casefold(), unit.pk, role)
            if key in seen:
                error(_("the same person, unit and role are on an earlier row."))
            seen.add(key)
            if person is not None and role:
                row.new_role = (person.pk, unit.pk, role) not in held
        result.rows.append(row)
    result.errors.sort(key=lambda e: e.row)
    return result


def _any_of(emails: set[str]) -> str:
    import re

    return "^(" + "|".join(re.escape(e) for e in sorted(emails)) + ")$"


def apply(*, data: bytes, by) -> ImportCheck:
    """Check the file again (the database may have changed since the preview)
    and, without any error, save it all; the new people are invited on commit."""
    result = check(data=data, by=by)
    if not result.ok:
        return result
    with transaction.atomic():
        taken = set(User.objects.values_list("username", flat=True))
        created: dict[str, User] = {}
        memberships: list[Membership] = []
        for row in result.rows:
            person = row.person or created.get(row.email.casefold())
            if person is None:
                person = User(
                    username=services.unique_username(row.email, taken),
                    first_name=row.full_name,
                    last_name="",
                    email=row.email,
                )
                person.set_unusable_password()
                person.save()
                Profile.objects.create(user=person, position=row.position, home_unit=row.unit)
                created[row.email.casefold()] = person
            if row.role and row.new_role:
                memberships.append(Membership(user=person, unit=row.unit, role=row.role))
        services.add_memberships(memberships)
        services.invite_many(
            people=list(created.values()), inviter=by.get_full_name() or by.get_username()
        )
    result.created = len(created)
    result.roles_added = len(memberships)
    return result
