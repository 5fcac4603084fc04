"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model

from orgunits.models import Level, Membership, OrgUnit, Role


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"level-{n}")
    name = factory.LazyAttribute(lambda o: o.code.title())
    rank = factory.Sequence(lambda n: n + 10)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Nguyễn Văn"
    last_name = factory.Sequence(lambda n: f"An {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password("secret-pass-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.REPORTER


def add_unit(parent: OrgUnit | None, code: str, level: Level, **fields) -> OrgUnit:
    """A unit under ``parent`` (a root when None), through treebeard's own API."""
    fields.setdefault("name", f"Đơn vị {code}")
    unit = OrgUnit(code=code, level=level, **fields)
    if parent is None:
        return OrgUnit.objects.add_root(instance=unit)
    parent.refresh_from_db()
    return OrgUnit.objects.add_child(parent, instance=unit)
