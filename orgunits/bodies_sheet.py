"""The issuing bodies as the second sheet of the tree's workbook.

One row per body: the unit's code, then the body as its page shows it. On
import a row updates the body of that unit with the same name in running
text, or adds one; bodies missing from the sheet are kept (deleting is done
on the unit's page, where a body that issued documents is refused).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .access import User, can
from .models import IssuingBody, IssuingBodyKind, OrgUnit, SigningAuthority
from .tables import TableError, is_xlsx, read_table, sheet_count
from .text import search_key

SHEET_TITLE = gettext_lazy("Issuing bodies")
COLUMNS = [
    ("unit_code", gettext_lazy("Unit code")),
    ("kind", gettext_lazy("Kind")),
    ("name", gettext_lazy("Name in the header")),
    ("phrase", gettext_lazy("Name in running text")),
    ("symbol", gettext_lazy("Symbol")),
    ("authority", gettext_lazy("Signing authority")),
    ("sign_for", gettext_lazy("Signs for")),
    ("signer_position", gettext_lazy("Signer's position")),
    ("signer_name", gettext_lazy("Signer's name")),
    ("is_default", gettext_lazy("Default")),
]
REQUIRED = ["unit_code", "phrase"]
FIELDS = [key for key, _label in COLUMNS if key != "unit_code"]
YES = {"x", "1", "yes", "co", "true", "mac dinh", "default"}


def sheet_title() -> str:
    return str(SHEET_TITLE)


def header() -> list[str]:
    return [str(label) for _key, label in COLUMNS]


def rows(units: QuerySet[OrgUnit]) -> list[list[str]]:
    """The bodies of ``units``, by unit path, the default first."""
    bodies = (
        IssuingBody.objects.filter(unit__in=units)
        .select_related("unit")
        .order_by("unit__path", "-is_default", "position", "id")
    )
    return [
        [
            body.unit.code,
            body.get_kind_display(),
            body.name,
            body.phrase,
            body.symbol,
            body.authority,
            body.sign_for,
            body.signer_position,
            body.signer_name,
            "x" if body.is_default else "",
        ]
        for body in bodies
    ]


@dataclass
class BodyRow:
    number: int
    unit_code: str
    values: dict


def _aliases(pairs) -> dict[str, str]:
    aliases = {}
    for key, label in pairs:
        aliases[search_key(key)] = key
        aliases[search_key(key.replace("_", " "))] = key
        for language in ("vi", "en"):
            with translation.override(language):
                aliases[search_key(str(label))] = key
    return aliases


def parse(
    data: bytes,
    codes_in_file: set[str],
    existing: dict[str, OrgUnit],
    by: User | None,
    result,
) -> list[BodyRow]:
    """The body rows of the workbook's second sheet, checked; errors go to ``result``."""
    from .services import RowError

    if not is_xlsx(data) or sheet_count(data) < 2:
        return []
    title = sheet_title()
    column_aliases = _aliases(COLUMNS)
    try:
        table = read_table(
            data,
            sheet=1,
            header_hint=lambda cells: (
                "unit_code" in {column_aliases.get(search_key(c)) for c in cells}
            ),
        )
    except TableError:
        return []  # an empty second sheet: no bodies to import
    positions: dict[str, int] = {}
    for index, cell in enumerate(table.header):
        key = column_aliases.get(search_key(cell))
        if key and key not in positions:
            positions[key] = index

    def error(number: int, message: str) -> None:
        result.errors.append(RowError(number, message, sheet=title))

    missing = [str(label) for key, label in COLUMNS if key in REQUIRED and key not in positions]
    if missing:
        error(1, _("missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        return []
    kinds = _aliases(IssuingBodyKind.choices)
    authorities = {search_key(value): value for value in SigningAuthority.values if value}
    for value in list(authorities.values()):
        authorities[search_key(value.replace("/", ""))] = value
    limits = {name: IssuingBody._meta.get_field(name).max_length for name in FIELDS[:-1]}

    def may(unit: OrgUnit) -> bool:
        return by is None or can(by, "orgunits.manage_unit", unit)

    parsed: list[BodyRow] = []
    defaults: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            index = positions.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        before = len(result.errors)
        code = cell("unit_code")
        if not code:
            error(number, _("the unit code is empty."))
        elif code not in codes_in_file and code not in existing:
            error(number, _("no unit has the code “%(code)s”.") % {"code": code})
        elif code in existing and code not in codes_in_file and not may(existing[code]):
            error(
                number,
                _("code “%(code)s” belongs to a unit outside your part of the tree.")
                % {"code": code},
            )
        values = {key: cell(key) for key in FIELDS}
        if not values["phrase"]:
            error(number, _("“%(column)s” is empty.") % {"column": dict(COLUMNS)["phrase"]})
        for key, limit in limits.items():
            if limit and len(values[key]) > limit:
                error(
                    number,
                    _("“%(column)s” is longer than %(limit)s characters.")
                    % {"column": dict(COLUMNS)[key], "limit": limit},
                )
        kind_text = values["kind"]
        values["kind"] = (
            kinds.get(search_key(kind_text)) if kind_text else IssuingBodyKind.STANDING_COMMITTEE
        )
        if values["kind"] is None:
            error(
                number,
                _("unknown kind of body “%(kind)s” (known: %(known)s).")
                % {
                    "kind": kind_text,
                    "known": ", ".join(str(label) for _v, label in IssuingBodyKind.choices),
                },
            )
        authority_text = values["authority"]
        values["authority"] = authorities.get(search_key(authority_text), None)
        if authority_text and values["authority"] is None:
            error(
                number,
                _("unknown signing authority “%(authority)s” (known: T/M, K/T, T/L, TUQ, Q.).")
                % {"authority": authority_text},
            )
        values["authority"] = values["authority"] or ""
        values["signer_position"] = values["signer_position"] or "BÍ THƯ"
        values["is_default"] = search_key(values["is_default"]) in YES
        key = (code, search_key(values["phrase"]))
        if code and values["phrase"]:
            if key in seen:
                error(
                    number,
                    _("the body “%(phrase)s” of %(code)s is repeated (first on row %(row)s).")
                    % {"phrase": values["phrase"], "code": code, "row": seen[key]},
                )
            seen.setdefault(key, number)
        if values["is_default"] and code:
            if code in defaults:
                error(
                    number,
                    _("%(code)s has two default bodies (rows %(first)s and %(row)s).")
                    % {"code": code, "first": defaults[code], "row": number},
                )
            defaults.setdefault(code, number)
        if len(result.errors) == before:
            parsed.append(BodyRow(number, code, values))
    return parsed


def apply(body_rows: list[BodyRow], result) -> None:
    """Save the checked rows: update a unit's body of the same phrase, or add one."""
    if not body_rows:
        return
    units = OrgUnit.objects.in_bulk({row.unit_code for row in body_rows}, field_name="code")
    to_step_down: set[int] = set()
    stored: dict[tuple[int, str], IssuingBody] = {
        (body.unit_id, search_key(body.phrase)): body
        for body in IssuingBody.objects.filter(unit__in=units.values())
    }
    # Units whose default the sheet moves to another body: their old default steps down.
    wanted = {
        units[row.unit_code].pk: search_key(row.values["phrase"])
        for row in body_rows
        if row.values["is_default"]
    }
    new_default = {
        unit_id
        for unit_id, phrase in wanted.items()
        if not (stored.get((unit_id, phrase)) and stored[(unit_id, phrase)].is_default)
    }
    if new_default:
        IssuingBody.objects.filter(unit_id__in=new_default, is_default=True).update(
            is_default=False
        )
        for body in stored.values():
            if body.unit_id in new_default and body.is_default:
                body.is_default = False
                to_step_down.add(body.pk)
    to_create, to_update = [], []
    for position, row in enumerate(body_rows, start=1):
        unit = units[row.unit_code]
        body = stored.get((unit.pk, search_key(row.values["phrase"])))
        if body is None:
            values = dict(row.values)
            if values["is_default"] is False and not _has_default(unit, stored, to_create):
                values["is_default"] = True  # a unit always has a default body
            body = IssuingBody(unit=unit, position=position, **values)
            to_create.append(body)
            continue
        changed = [name for name, value in row.values.items() if getattr(body, name) != value]
        if changed:
            for name, value in row.values.items():
                setattr(body, name, value)
            to_update.append(body)
    if to_update:
        bulk_update_with_history(to_update, IssuingBody, FIELDS, batch_size=500)
    if to_create:
        bulk_create_with_history(to_create, IssuingBody, batch_size=500)
    result.bodies_created, result.bodies_updated = len(to_create), len(to_update)


def _has_default(unit: OrgUnit, stored: dict, to_create: list[IssuingBody]) -> bool:
    return any(b.unit_id == unit.pk and b.is_default for b in stored.values()) or any(
        b.unit_id == unit.pk and b.is_default for b in to_create
    )
