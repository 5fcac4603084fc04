"""Writes and reads of issuing bodies: every unit has a default one.

The default body is created with the unit (import, demo, factories); a unit
made some other way (the admin, treebeard's API) gets it the first time a
document asks for it (:func:`default_body`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .issuers import default_body_values
from .models import IssuingBody, OrgUnit


class BodyError(Exception):
    """A change of bodies that would break a rule; the message is for the user."""


def new_default_body(unit: OrgUnit) -> IssuingBody:
    """The unit's default body by its kind, unsaved."""
    return IssuingBody(
        unit=unit, **default_body_values(name=unit.name, kind=unit.kind, symbol=unit.symbol)
    )


def default_body(unit: OrgUnit) -> IssuingBody:
    """The unit's default body, created (by its kind) when the unit has none."""
    body = IssuingBody.objects.filter(unit=unit, is_default=True).first()
    if body is not None:
        return body
    body = new_default_body(unit)
    try:
        with transaction.atomic():
            body.save()
    except IntegrityError:  # created meanwhile by another request
        return IssuingBody.objects.get(unit=unit, is_default=True)
    return body


def default_bodies(units: Iterable[OrgUnit]) -> dict[int, IssuingBody]:
    """The stored default body of each of ``units`` that has one, by unit id: one query."""
    ids = [unit.pk for unit in units]
    return {
        body.unit_id: body for body in IssuingBody.objects.filter(unit_id__in=ids, is_default=True)
    }


def create_default_bodies(units: Iterable[OrgUnit]) -> int:
    """A default body for each of ``units`` without one, in bulk."""
    units = list(units)
    have = set(
        IssuingBody.objects.filter(unit__in=units, is_default=True).values_list(
            "unit_id", flat=True
        )
    )
    bodies = [new_default_body(unit) for unit in units if unit.pk not in have]
    if bodies:
        bulk_create_with_history(bodies, IssuingBody, batch_size=500)
    return len(bodies)


@transaction.atomic
def save_body(*, body: IssuingBody) -> IssuingBody:
    """Save ``body``; made the default, it takes the place of the unit's former default."""
    if body.is_default:
        IssuingBody.objects.filter(unit=body.unit_id, is_default=True).exclude(pk=body.pk).update(
            is_default=False
        )
    elif (
        not IssuingBody.objects.filter(unit=body.unit_id, is_default=True)
        .exclude(pk=body.pk)
        .exists()
    ):
        body.is_default = True  # a unit always has a default body
    body.save()
    return body


@transaction.atomic
def delete_body(*, body: IssuingBody) -> None:
    """Delete ``body``; refused while documents use it, or while it is the default."""
    if body.is_default:
        raise BodyError(_("This is the unit's default body: make another body the default first."))
    try:
        body.delete()
    except ProtectedError as error:
        raise BodyError(
            _("%(body)s issued documents (%(count)s): it cannot be deleted.")
            % {"body": body.phrase, "count": len(error.protected_objects)}
        ) from error


def bodies_of_units(units: Iterable[OrgUnit]) -> list[IssuingBody]:
    """The bodies of ``units``, by unit path, the default first: one query."""
    return list(
        IssuingBody.objects.filter(unit__in=list(units))
        .select_related("unit")
        .order_by("unit__path", "-is_default", "position", "id")
    )
