"""Writes about people: creating, editing, deactivating, roles, invitations.

Every write checks the same rule as the page (``people/rules.py``) before
touching anything and raises ``PermissionDenied`` otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from orgunits import access
from orgunits.models import Membership, OrgUnit
from orgunits.text import search_key

from . import invitations
from .models import Profile, profile_of
from .names import normalised

User = get_user_model()
USERNAME_MAX_LENGTH = 150


class PersonError(ValueError):
    """A write refused for a reason the user can fix (shown as it is)."""


def _require(user, action: str, obj=None) -> None:
    if not access.can(user, action, obj):
        raise PermissionDenied


def email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    people = User.objects.filter(email__iexact=email.strip())
    if exclude_pk is not None:
        people = people.exclude(pk=exclude_pk)
    return people.exists()


def username_base(email: str) -> str:
    """ "Hoàng.Chính+x@gialai.dcs.vn" → "hoang.chinh.x": the e-mail's local part,
    folded to what a username allows (letters, digits and @/./+/-/_)."""
    local = search_key(email.split("@", 1)[0]).replace(" ", ".")
    local = re.sub(r"[^a-z0-9.@+_-]", ".", local)
    local = re.sub(r"\.{2,}", ".", local).strip(".") or "nguoidung"
    return local[: USERNAME_MAX_LENGTH - 6]


def unique_username(email: str, taken: set[str] | None = None) -> str:
    """A username from ``email`` that nobody has (nor anyone in ``taken``, which
    it joins): "chinh", else "chinh2", "chinh3"…"""
    base = username_base(email)
    if taken is None:
        taken = set(
            User.objects.filter(username__startswith=base).values_list("username", flat=True)
        )
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


@dataclass
class NewPerson:
    full_name: str
    email: str
    position: str = ""
    phone: str = ""
    language: str = "vi"


def create_person(
    *,
    by,
    person: NewPerson,
    unit: OrgUnit,
    role: str = "",
    temporary_password: str = "",
) -> User:
    """A new person under ``unit`` (with ``role`` on it, if given). Without a
    temporary password they get an invitation e-mail once the transaction
    commits; with one, they must change it at their first login."""
    _require(by, "people.assign_on_unit", unit)
    if email_taken(person.email):
        raise PersonError(_("A person with this e-mail already exists."))
    user = User(
        username=unique_username(person.email),
        first_name=normalised(person.full_name),
        last_name="",
        email=person.email.strip(),
    )
    if temporary_password:
        user.set_password(temporary_password)
    else:
        user.set_unusable_password()
    user.save()
    Profile.objects.create(
        user=user,
        position=person.position.strip(),
        phone=person.phone.strip(),
        home_unit=unit,
        language=person.language,
        must_change_password=bool(temporary_password),
    )
    if role:
        Membership.objects.create(user=user, unit=unit, role=role)
    if not temporary_password:
        invite(by=by, person=user, check=False)
    return user


def update_person(
    *, by, person: User, full_name: str, email: str, position: str, phone: str, language: str
) -> None:
    _require(by, "people.manage_person", person)
    if email_taken(email, exclude_pk=person.pk):
        raise PersonError(_("A person with this e-mail already exists."))
    person.first_name, person.last_name = normalised(full_name), ""
    person.email = email.strip()
    person.save(update_fields=["first_name", "last_name", "email"])
    profile = profile_of(person)
    profile.position, profile.phone, profile.language = position.strip(), phone.strip(), language
    profile.save(update_fields=["position", "phone", "language"])


def set_active(*, by, person: User, active: bool) -> None:
    """Deactivate (nobody logs in as them; their work and history stay) or reactivate."""
    _require(by, "people.manage_person", person)
    if person.pk == by.pk:
        raise PersonError(_("You cannot deactivate your own account."))
    person.is_active = active
    person.save(update_fields=["is_active"])


def set_temporary_password(*, by, person: User, password: str) -> None:
    _require(by, "people.manage_person", person)
    person.set_password(password)
    person.save(update_fields=["password"])
    profile = profile_of(person)
    profile.must_change_password = True
    profile.save(update_fields=["must_change_password"])


def give_role(*, by, person: User, unit: OrgUnit, role: str) -> bool:
    """Give ``person`` ``role`` on ``unit``; False if they already hold it."""
    _require(by, "people.view_person", person)
    _require(by, "people.assign_on_unit", unit)
    _membership, created = Membership.objects.get_or_create(user=person, unit=unit, role=role)
    return created


def take_role(*, by, membership: Membership) -> None:
    _require(by, "people.assign_on_unit", membership.unit)
    profile = profile_of(membership.user)
    if profile.home_unit_id is None:
        # Without a role and without a home unit the person would leave every
        # coordinator's scope: they stay under the unit they lose their role on.
        profile.home_unit = membership.unit
        profile.save(update_fields=["home_unit"])
    membership.delete()


def take_roles_in_scope(*, by, person: User) -> int:
    """Remove every role of ``person`` on the units ``by`` coordinates; how many."""
    _require(by, "people.view_person", person)
    count = 0
    for membership in Membership.objects.filter(user=person).select_related("unit", "user"):
        if access.can(by, "people.assign_on_unit", membership.unit):
            take_role(by=by, membership=membership)
            count += 1
    return count


def invite(*, by, person: User, check: bool = True) -> None:
    """Send ``person`` the invitation e-mail (a link to choose their password)
    once the transaction commits; the profile records when."""
    if check:
        _require(by, "people.manage_person", person)
    if not person.email:
        raise PersonError(_("This person has no e-mail address."))
    profile = profile_of(person)
    profile.invited_at = timezone.now()
    profile.save(update_fields=["invited_at"])
    inviter = by.get_full_name() or by.get_username() if by is not None else ""
    invitations.queue_invitation(person, inviter)


def invite_many(*, people: list[User], inviter: str) -> None:
    """Invitations for people just created in bulk (the import), sent on commit."""
    now = timezone.now()
    Profile.objects.filter(user__in=people).update(invited_at=now)
    # Profiles and roles read once for all, not twice per person.
    people = (
        User.objects.filter(pk__in=[person.pk for person in people])
        .select_related("profile")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("unit").order_by("unit__path", "role"),
            )
        )
    )
    for person in people:
        invitations.queue_invitation(person, inviter)


def add_memberships(rows: list[Membership]) -> None:
    bulk_create_with_history(rows, Membership, batch_size=500)
