"""Which units a unit picker offers, and the search behind it.

Every unit picker of the application (a plan's pilots and exclusions, the
unit of a dialogue plan, the agency of a petition, the admin's unit fields)
offers the units of one *purpose*, always within what the user reaches
(``access.within_q``), optionally strictly under one unit (``under``: the
issuing unit's subtree for pilots and exclusions). The form field
(``orgunits.fields``) validates with :func:`pickable`, the search endpoint
(``orgunits.views.pick``) answers from the same queryset: what a picker
proposes and what its form accepts cannot drift apart.

The search is one query at any tree size: ``search_text`` (lower case, no
diacritics, code and names) is matched with ``LIKE '%word%'``, served on
PostgreSQL by a trigram GIN index (migration 0006); each result carries its
parent's name from a correlated subquery on the unique path index.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone

from .access import User, within_q
from .models import IssuingBody, OrgUnit, OrgUnitQuerySet, Role
from .text import search_key

RESULT_LIMIT = 20

# purpose -> the units it offers to ``user`` (a Q on OrgUnit). Another app may
# add one in its AppConfig.ready (a lower app never names a higher one's forms).
PURPOSES: dict[str, Callable[[User], Q]] = {
    # Units the user sees: agencies of petitions, filters, the admin.
    "visible": lambda user: within_q(user, ""),
    # Units the user coordinates, and below: dialogue plans and their hosts.
    "coordinated": lambda user: within_q(user, "", roles=[Role.COORDINATOR]),
    # The same, still active: the issuers of new plans.
    "issuer": lambda user: within_q(user, "", roles=[Role.COORDINATOR]) & _active(),
}


def _active() -> Q:
    """``OrgUnitQuerySet.active()`` as a Q: active, and existing today."""
    today = timezone.localdate()
    return (
        Q(is_active=True)
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    )


def register(purpose: str, condition: Callable[[User], Q]) -> None:
    PURPOSES[purpose] = condition


def pickable(user: User, purpose: str = "visible", under: OrgUnit | None = None) -> OrgUnitQuerySet:
    """The units a picker of ``purpose`` offers ``user`` (strictly below ``under``)."""
    units = OrgUnit.objects.filter(PURPOSES[purpose](user))
    if under is not None:
        units = units.filter(path__startswith=under.path, depth__gt=under.depth)
    return units


def parent_name(path_field: str = "path") -> Subquery:
    """The name of the parent of the unit whose path is the outer ``path_field``."""
    parent_path = Substr(OuterRef(path_field), 1, Length(OuterRef(path_field)) - OrgUnit.steplen)
    return Subquery(OrgUnit.objects.order_by().filter(path=parent_path).values("name")[:1])


def with_parent_name(units: OrgUnitQuerySet) -> OrgUnitQuerySet:
    """``units`` with ``parent_name`` and the level read in the same query."""
    return units.select_related("level").annotate(parent_name=parent_name())


def search(units: OrgUnitQuerySet, text: str, *, limit: int = RESULT_LIMIT) -> list[OrgUnit]:
    """The first ``limit`` of ``units`` whose code or names hold every word of
    ``text`` (case and diacritics ignored), highest first, then by name."""
    for word in search_key(text).split()[:8]:
        units = units.filter(search_text__contains=word)
    return list(with_parent_name(units).order_by("depth", "name", "path")[:limit])


def label(unit: OrgUnit) -> str:
    """ "Đảng bộ Sở Tài chính — Tỉnh ủy Gia Lai · GL.STC": two units of one
    name are told apart by their parent and their code."""
    parent = getattr(unit, "parent_name", None)
    name = f"{unit.name} — {parent}" if parent else unit.name
    return f"{name} · {unit.code}"


def as_json(unit: OrgUnit) -> dict:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "parent_name": getattr(unit, "parent_name", None) or "",
        "level": unit.level.name,
        "label": label(unit),
    }


# --- Issuing bodies ------------------------------------------------------------------
# A plan is issued by a body of a unit (its standing committee, a commission):
# the same search finds the units, and offers their bodies.


def pickable_bodies(
    user: User, purpose: str = "issuer", under: OrgUnit | None = None
) -> QuerySet[IssuingBody]:
    """The bodies of the units a picker of ``purpose`` offers ``user``."""
    return IssuingBody.objects.filter(unit__in=pickable(user, purpose, under))


def with_unit_names(bodies: QuerySet[IssuingBody]) -> QuerySet[IssuingBody]:
    """``bodies`` with their unit, its level and its parent's name in the same query."""
    return bodies.select_related("unit__level").annotate(parent_name=parent_name("unit__path"))


def search_bodies(
    bodies: QuerySet[IssuingBody], text: str, *, limit: int = RESULT_LIMIT
) -> list[IssuingBody]:
    """The first ``limit`` of ``bodies`` whose unit's code or names (case and
    diacritics ignored), or whose own phrase, hold every word of ``text``."""
    for raw, word in list(zip(text.split(), search_key(text).split(), strict=False))[:8]:
        bodies = bodies.filter(Q(unit__search_text__contains=word) | Q(phrase__icontains=raw))
    ordered = with_unit_names(bodies).order_by(
        "unit__depth", "unit__name", "unit__path", "-is_default", "position", "id"
    )
    return list(ordered[:limit])


def body_token(body: IssuingBody) -> str:
    """What a body is typed as: its unit's code for the unit's default body
    ("GL"), else the code and the body's number ("GL/12")."""
    return body.unit.code if body.is_default else f"{body.unit.code}/{body.pk}"


def body_label(body: IssuingBody) -> str:
    """ "Ban Dân vận Tỉnh ủy Gia Lai — Tỉnh ủy Gia Lai · GL/12"."""
    unit = body.unit
    parent = getattr(body, "parent_name", None)
    where = f"{unit.name} ({parent})" if parent else unit.name
    return f"{body.phrase} — {where} · {body_token(body)}"


def body_as_json(body: IssuingBody) -> dict:
    parent = getattr(body, "parent_name", None) or ""
    return {
        "id": body.pk,
        "code": body_token(body),
        "name": body.phrase,
        "parent_name": f"{body.unit.name} ({parent})" if parent else body.unit.name,
        "level": body.unit.level.name,
        "label": body_label(body),
    }
