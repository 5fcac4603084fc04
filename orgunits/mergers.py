"""Merging units (the 2025 mergers of communes): the rule, in one place.

``merge_units(units, into=… | name=…, on=…, by=…)`` records a
:class:`UnitMerger`. The merged units are kept: closed on the date
(``valid_to``, inactive) with the resulting unit as their ``successor``,
never deleted. What that means for a campaign under way (the reports stay
with the units that wrote them):

- a merged unit's report stays its own, printed under the name the unit had
  (``Report.unit_name``, taken at the merger and at each submission), and
  counts once, as itself, in every roll-up: the tree of a campaign is the
  tree of its reports, and the merged units keep their place in it;
- the resulting unit gets no report of its own in a campaign where one of
  the units merged into it has one (a later revision of the plan does not
  open one), so nothing is counted twice; when it is an existing unit with
  its own report, that report keeps covering what that unit covered;
- a report of a merged unit not yet submitted is taken over by the resulting
  unit: its reporters and approvers write and submit it (``reports.rules``),
  still as the merged unit's report, under its name;
- the board shows a merged unit with "đã hợp nhất vào …".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from documents.formatting import short_date

from . import registry
from .access import can
from .bodies import default_body
from .models import OrgUnit, UnitMerger
from .text import search_key


class MergerError(Exception):
    """A merger the units forbid; the message is for the user."""


def _code_for(parent: OrgUnit, name: str) -> str:
    words = search_key(name).replace("'", "").split()
    base = f"{parent.code}.{''.join(w.upper() for w in words[-2:]) or 'MOI'}"
    code, suffix = base, 1
    while OrgUnit.objects.filter(code=code).exists():
        suffix += 1
        code = f"{base}{suffix}"
    return code


@transaction.atomic
def merge_units(
    *,
    units: Iterable[OrgUnit],
    on: datetime.date,
    by: AbstractBaseUser | None,
    into: OrgUnit | None = None,
    name: str = "",
    code: str = "",
    short_name: str = "",
    place_name: str = "",
) -> UnitMerger:
    """Merge ``units`` into ``into`` (an existing unit, which may be one of
    them and then stays) or into a new unit ``name`` created beside them.
    ``by`` must manage the units' parent (None: a command or a migration)."""
    units = list(units)
    if (into is None) == (not name.strip()):
        raise MergerError(_("Merge into an existing unit or give the new unit's name."))
    merged = [unit for unit in units if into is None or unit.pk != into.pk]
    if not merged or len(units) + (into is not None and into not in units) < 2:
        raise MergerError(_("A merger takes at least two units."))
    parents = {unit.parent_path() for unit in units} | (
        {into.parent_path()} if into is not None else set()
    )
    if len(parents) != 1:
        raise MergerError(_("Only units under the same committee can be merged."))
    closed = [unit for unit in merged if not unit.is_active or unit.successor_id]
    if closed:
        raise MergerError(
            _("%(unit)s is no longer active: it cannot be merged again.") % {"unit": closed[0]}
        )
    parent = OrgUnit.objects.get(path=parents.pop())
    if by is not None and not can(by, "orgunits.manage_unit", parent):
        raise PermissionDenied
    if into is None:
        first = merged[0]
        into = OrgUnit(
            code=code or _code_for(parent, name),
            name=name.strip(),
            short_name=short_name,
            level=first.level,
            kind=first.kind,
            symbol=first.symbol,
            place_name=place_name or first.place_name,
            valid_from=on,
        )
        parent.refresh_from_db()
        into = OrgUnit.objects.add_child(parent, instance=into)
        default_body(into)
    merger = UnitMerger.objects.create(resulting_unit=into, merged_on=on, created_by=by)
    merger.merged_units.set(merged)
    for unit in merged:
        unit.retire(on=on, successor=into)
    registry.merged(merger)
    return merger


def merged_note(unit: OrgUnit) -> str:
    """ "đã hợp nhất vào Đảng ủy xã Ia Hrú (01/7/2025)", "" for a unit not merged;
    reads ``unit.successor`` (select it along)."""
    if unit.successor_id is None:
        return ""
    return merged_text(unit.successor.name, unit.valid_to)


def merged_text(successor_name: str | None, valid_to: datetime.date | None) -> str:
    """:func:`merged_note` of a unit read as values (its successor's name, or None)."""
    if successor_name is None:
        return ""
    text = _("merged into %(unit)s") % {"unit": successor_name}
    return f"{text} ({short_date(valid_to)})" if valid_to else text
