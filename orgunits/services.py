"""Writes to the hierarchy: importing and exporting the tree.

An import is all-or-nothing. Every row is checked first and every problem is
reported with its row number; only a file without a single error is saved,
in one transaction, with paths computed here and written in bulk (adding
10,000 units one treebeard call at a time would take minutes).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Length, Substr
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import bodies_sheet
from .access import User, can
from .bodies import create_default_bodies
from .models import UNIT_CODE_RE, Level, OrgUnit, OrgUnitKind
from .rules import ROOT_ADMINISTRATORS
from .tables import Table, TableError, read_table, write_csv, write_xlsx_sheets
from .text import search_key

# (field, header label). The label is shown in the user's language; on import
# the field name and the label in every language are accepted.
COLUMNS = [
    ("code", gettext_lazy("Code")),
    ("name", gettext_lazy("Name")),
    ("short_name", gettext_lazy("Short name")),
    ("parent_code", gettext_lazy("Parent code")),
    ("level", gettext_lazy("Level")),
    ("kind", gettext_lazy("Kind")),
    ("symbol", gettext_lazy("Symbol")),
    ("email", gettext_lazy("E-mail")),
    ("place_name", gettext_lazy("Place name")),
    ("party_organisation", gettext_lazy("Party organisation")),
]
REQUIRED_COLUMNS = ["code", "name", "parent_code", "level"]
UPDATABLE_FIELDS = [
    "name",
    "short_name",
    "level",
    "kind",
    "symbol",
    "email",
    "place_name",
    "party_organisation",
]


@dataclass
class RowError:
    row: int
    message: str
    sheet: str = ""  # the workbook's second sheet (issuing bodies); "" for the units

    def __str__(self) -> str:
        if self.sheet:
            return _("Sheet “%(sheet)s”, row %(row)s: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    moved: int = 0
    unchanged: int = 0
    bodies_created: int = 0
    bodies_updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    code: str
    name: str
    short_name: str
    parent_code: str
    level: Level | None
    kind: str
    symbol: str
    email: str
    place_name: str
    party_organisation: str = ""


def _header_aliases() -> dict[str, str]:
    aliases = {}
    for key, label in COLUMNS:
        aliases[search_key(key)] = key
        aliases[search_key(key.replace("_", " "))] = key
        for language in ("vi", "en"):
            with translation.override(language):
                aliases[search_key(str(label))] = key
    return aliases


def _kind_aliases() -> dict[str, str]:
    aliases = {}
    for value, label in OrgUnitKind.choices:
        aliases[search_key(value)] = value
        for language in ("vi", "en"):
            with translation.override(language):
                aliases[search_key(str(label))] = value
    return aliases


def import_orgunits(*, data: bytes, by: User | None = None) -> ImportResult:
    """Create or update units from a CSV/XLSX file; nothing is saved on any error.

    Only units ``by`` may manage (``orgunits.manage_unit``: a coordinator's
    subtrees) are touched, and only an administrator adds a top-level unit;
    without ``by`` (the command line) everything may be.
    Rows whose code exists update that unit (and move it if its parent changed).
    """
    result = ImportResult()
    aliases = _header_aliases()
    try:
        table = read_table(
            data, header_hint=lambda cells: {"code", "name"} <= _column_keys(cells, aliases)
        )
    except TableError as error:
        result.errors.append(RowError(1, str(error)))
        return result
    rows = _parse_rows(table, result)
    if not rows:
        return result

    existing = {
        unit.code: unit
        for unit in OrgUnit.objects.only(
            "id", "code", "path", "depth", "numchild", *UPDATABLE_FIELDS
        ).select_related("level")
    }
    by_path = {unit.path: unit for unit in existing.values()}
    _check_references(rows, existing, by_path, by, result)
    body_rows = bodies_sheet.parse(data, {row.code for row in rows}, existing, by, result)
    if result.errors:
        result.errors.sort(key=lambda error: (bool(error.sheet), error.row))
        return result

    with transaction.atomic():
        _apply(rows, existing, by_path, result)
        bodies_sheet.apply(body_rows, result)
    return result


def _column_keys(cells: list[str], aliases: dict[str, str]) -> set[str]:
    return {aliases[key] for key in map(search_key, cells) if key in aliases}


def _parse_rows(table: Table, result: ImportResult) -> list[_Row]:
    aliases = _header_aliases()
    positions: dict[str, int] = {}
    for index, title in enumerate(table.header):
        key = aliases.get(search_key(title))
        if key and key not in positions:
            positions[key] = index
    missing = [
        str(label) for key, label in COLUMNS if key in REQUIRED_COLUMNS and key not in positions
    ]
    if missing:
        result.errors.append(
            RowError(1, _("missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return []
    if not table.rows:
        result.errors.append(RowError(1, _("the file has a header but no unit.")))
        return []

    levels: dict[str, Level] = {}
    for level in Level.objects.all():
        levels[search_key(level.code)] = level
        levels[search_key(level.name)] = level
    known_levels = ", ".join(_level_labels(list(dict.fromkeys(levels.values()))))
    kinds = _kind_aliases()
    known_kinds = ", ".join(str(label) for _value, label in OrgUnitKind.choices)
    max_lengths = {
        name: OrgUnit._meta.get_field(name).max_length
        for name in ("code", "name", "short_name", "symbol", "email", "place_name")
    }
    max_lengths["party_organisation"] = OrgUnit._meta.get_field("party_organisation").max_length

    seen: dict[str, int] = {}
    rows: list[_Row] = []
    for number, cells in table.rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            index = positions.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        def error(message: str, number: int = number) -> None:
            result.errors.append(RowError(number, message))

        code, name = cell("code"), cell("name")
        if not code:
            error(_("the code is empty."))
        elif not re.match(UNIT_CODE_RE, code):
            error(
                _(
                    "code “%(code)s” may only have letters without accents, digits, “.”, “-” and "
                    "“_”, starting with a letter or a digit."
                )
                % {"code": code}
            )
        elif code in seen:
            error(
                _("code “%(code)s” is repeated (first used on row %(row)s).")
                % {"code": code, "row": seen[code]}
            )
        else:
            seen[code] = number
        if not name:
            error(_("the name is empty."))
        for key, limit in max_lengths.items():
            if len(cell(key)) > limit:
                error(
                    _("“%(column)s” is longer than %(limit)s characters.")
                    % {"column": dict(COLUMNS)[key], "limit": limit}
                )
        level_text = cell("level")
        level = levels.get(search_key(level_text))
        if level is None:
            error(
                _("unknown level “%(level)s” (known: %(known)s).")
                % {"level": level_text, "known": known_levels}
            )
        kind_text = cell("kind")
        kind = kinds.get(search_key(kind_text)) if kind_text else OrgUnitKind.PARTY_COMMITTEE
        if kind is None:
            error(
                _("unknown kind “%(kind)s” (known: %(known)s).")
                % {"kind": kind_text, "known": known_kinds}
            )
        email = cell("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
        parent_code = cell("parent_code")
        if parent_code and parent_code == code:
            error(_("a unit cannot be its own parent."))
        rows.append(
            _Row(
                number,
                code,
                name,
                cell("short_name"),
                parent_code,
                level,
                kind or "",
                cell("symbol"),
                email,
                cell("place_name"),
                cell("party_organisation"),
            )
        )
    return rows


def _check_references(
    rows: list[_Row],
    existing: dict[str, OrgUnit],
    by_path: dict[str, OrgUnit],
    by: User | None,
    result: ImportResult,
) -> None:
    in_file = {row.code: row for row in rows}

    def may(action: str, unit: OrgUnit | None = None) -> bool:
        return by is None or can(by, action, unit)

    def current_parent_code(unit: OrgUnit) -> str:
        parent = by_path.get(unit.path[: -OrgUnit.steplen])
        return parent.code if parent else ""

    def final_parent_code(code: str) -> str:
        if code in in_file:
            return in_file[code].parent_code
        return current_parent_code(existing[code])

    def final_level(code: str) -> Level | None:
        return in_file[code].level if code in in_file else existing[code].level

    for row in rows:

        def error(message: str, number: int = row.number) -> None:
            result.errors.append(RowError(number, message))

        if not row.code:
            continue
        unit = existing.get(row.code)
        if unit is not None and not may("orgunits.manage_unit", unit):
            error(
                _("code “%(code)s” belongs to a unit outside your part of the tree.")
                % {"code": row.code}
            )
            continue
        if not row.parent_code:
            if not may("orgunits.add_top_unit") and not (unit is not None and unit.depth == 1):
                error(
                    _(
                        "the parent code is empty: “%(code)s” would be a new top of the tree (a "
                        "province), which only a system administrator (the group “%(group)s”) "
                        "may add. Give the code of its parent unit."
                    )
                    % {"code": row.code, "group": ROOT_ADMINISTRATORS}
                )
            continue
        if row.parent_code not in in_file and row.parent_code not in existing:
            error(_("no unit has the parent code “%(code)s”.") % {"code": row.parent_code})
            continue
        parent = existing.get(row.parent_code)
        moved = unit is None or current_parent_code(unit) != row.parent_code
        if (
            moved
            and parent is not None
            and row.parent_code not in in_file
            and not may("orgunits.manage_unit", parent)
        ):
            error(
                _("the parent unit “%(code)s” is outside your part of the tree.")
                % {"code": row.parent_code}
            )
            continue
        # Walk up the final tree: coming back to this row's code is a cycle.
        chain, code = [row.code], row.parent_code
        while code and code not in chain:
            chain.append(code)
            if code in in_file:
                code = in_file[code].parent_code
            elif code in existing:
                code = current_parent_code(existing[code])
            else:
                code = ""
        if code == row.code:
            error(
                _("the parents form a cycle: %(chain)s.")
                % {"chain": " → ".join([*chain, row.code])}
            )
            continue
        parent_level = final_level(row.parent_code)
        if row.level and parent_level and row.level.rank <= parent_level.rank:
            error(
                _("level “%(level)s” must be lower than the parent's level “%(parent)s”.")
                % {"level": row.level, "parent": parent_level}
            )
            continue


def _apply(
    rows: list[_Row],
    existing: dict[str, OrgUnit],
    by_path: dict[str, OrgUnit],
    result: ImportResult,
) -> None:
    new_rows = [row for row in rows if row.code not in existing]
    to_update: list[OrgUnit] = []
    moves: list[tuple[OrgUnit, str]] = []
    for row in rows:
        unit = existing.get(row.code)
        if unit is None:
            continue
        values = {name: getattr(row, name) for name in UPDATABLE_FIELDS}
        changed = [name for name, value in values.items() if getattr(unit, name) != value]
        parent = by_path.get(unit.path[: -OrgUnit.steplen])
        moved = (parent.code if parent else "") != row.parent_code
        if moved:
            moves.append((unit, row.parent_code))
        if changed:
            for name, value in values.items():
                setattr(unit, name, value)
            unit.search_text = unit.build_search_text()
            to_update.append(unit)
        elif not moved:
            result.unchanged += 1
    if to_update:
        bulk_update_with_history(
            to_update, OrgUnit, [*UPDATABLE_FIELDS, "search_text"], batch_size=500
        )
    result.updated = len(to_update)

    _create_units(new_rows, existing)
    result.created = len(new_rows)

    for unit, parent_code in moves:
        unit.refresh_from_db()
        target = OrgUnit.objects.get(code=parent_code)
        OrgUnit.objects.move(unit, target, pos="last-child")
    result.moved = len(moves)


def _create_units(rows: list[_Row], existing: dict[str, OrgUnit]) -> None:
    """Insert new units parents-first, with materialized paths computed here."""
    if not rows:
        return
    children: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        children[row.parent_code].append(row)

    # Last used child position under every parent that receives new children:
    # one query, grouping stored children by their parent's path.
    attach_points = [code for code in children if not code or code in existing]
    parent_paths = {existing[code].path if code else "" for code in attach_points}
    steplen = OrgUnit.steplen
    last_position: dict[str, int] = defaultdict(int)
    stored = (
        OrgUnit.objects.order_by()
        .annotate(parent_path=Substr("path", 1, Length("path") - steplen))
        .filter(parent_path__in=parent_paths)
        .values("parent_path")
        .annotate(last=Max("path"))
    )
    for item in stored:
        last_position[item["parent_path"]] = OrgUnit._str2int(item["last"][-steplen:])

    units: list[OrgUnit] = []
    child_counts: dict[str, int] = defaultdict(int)
    queue = [(existing[code].path if code else "", code) for code in attach_points]
    while queue:
        parent_path, parent_code = queue.pop()
        for row in children.get(parent_code, []):
            last_position[parent_path] += 1
            path = OrgUnit._get_path(
                parent_path, len(parent_path) // steplen + 1, last_position[parent_path]
            )
            unit = OrgUnit(
                path=path,
                depth=len(path) // steplen,
                numchild=len(children.get(row.code, [])),
                code=row.code,
                name=row.name,
                short_name=row.short_name,
                level=row.level,
                kind=row.kind,
                symbol=row.symbol,
                email=row.email,
                place_name=row.place_name,
                party_organisation=row.party_organisation,
            )
            unit.search_text = unit.build_search_text()
            units.append(unit)
            child_counts[parent_path] += 1
            queue.append((path, row.code))
    bulk_create_with_history(units, OrgUnit, batch_size=500)
    # Every unit has its default issuing body (paths are unique: read the ids back).
    create_default_bodies(OrgUnit.objects.filter(path__in=[unit.path for unit in units]))

    parents = [unit for unit in existing.values() if child_counts.get(unit.path)]
    for parent in parents:
        parent.numchild += child_counts[parent.path]
    if parents:
        OrgUnit.objects.bulk_update(parents, ["numchild"], batch_size=500)


def _level_labels(levels: list[Level]) -> list[str]:
    """ "Cấp tỉnh (tinh)": what an import accepts for each level, highest first."""
    return [f"{level.name} ({level.code})" for level in sorted(levels, key=lambda lv: lv.rank)]


def level_label(level: Level, names: dict[str, int]) -> str:
    """What the export writes for ``level``: its name, or its code where two
    levels share the name (``names``: how many levels have each name)."""
    return level.name if names.get(search_key(level.name), 0) == 1 else level.code


def export_rows(units) -> list[list[str]]:
    """Rows in import format for ``units`` (a queryset ordered by path): kind
    and level as their labels in the user's language ("Đảng bộ cơ sở", "Cấp
    cơ sở"), which the import reads back like the codes."""
    names: dict[str, int] = defaultdict(int)
    for name in Level.objects.values_list("name", flat=True):
        names[search_key(name)] += 1
    kind_labels = dict(OrgUnitKind.choices)
    units = list(units.select_related("level"))
    parent_codes = {unit.path: unit.code for unit in units}
    missing = {unit.parent_path() for unit in units if unit.depth > 1} - parent_codes.keys()
    parent_codes.update(OrgUnit.objects.filter(path__in=missing).values_list("path", "code"))
    return [
        [
            unit.code,
            unit.name,
            unit.short_name,
            parent_codes.get(unit.parent_path(), ""),
            level_label(unit.level, names),
            str(kind_labels.get(unit.kind, unit.kind)),
            unit.symbol,
            unit.email,
            unit.place_name,
            unit.party_organisation,
        ]
        for unit in units
    ]


def export_orgunits(units, *, file_format: str) -> bytes:
    """The units in import format; a workbook has the issuing bodies on a second sheet."""
    header = [str(label) for _key, label in COLUMNS]
    rows = export_rows(units)
    if file_format == "xlsx":
        return write_xlsx_sheets(
            [
                (_("Units"), header, rows),
                (bodies_sheet.sheet_title(), bodies_sheet.header(), bodies_sheet.rows(units)),
            ]
        )
    return write_csv(header, rows)
