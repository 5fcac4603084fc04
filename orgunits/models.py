"""The party hierarchy: levels as data, units as a materialized-path tree."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from documents.dates import WindowDateField

from .issuers import header_lines, organisation_line
from .text import search_key


class Level(models.Model):
    """A rung of the hierarchy (Trung ương, Tỉnh, Huyện/Khối, Cơ sở, Chi bộ…).

    Levels are data because the number of rungs changes: the 2025 reform
    removed the district level, and some campaigns go down to chi bộ.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(
        _("rank"), unique=True, help_text=_("0 for the highest level; larger numbers are lower.")
    )

    class Meta:
        ordering = ["rank"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self) -> str:
        return self.name


class OrgUnitKind(models.TextChoices):
    CENTRAL = "central", _("Central committee")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    BLOC_COMMITTEE = "bloc_committee", _("Bloc party committee")
    PARTY_DELEGATION = "party_delegation", _("Party delegation")
    CADRE_COMMITTEE = "cadre_committee", _("Party cadre committee")
    MASS_ORGANISATION = "mass_organisation", _("Mass organisation")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    PARTY_CELL = "party_cell", _("Party cell")
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    COMMISSION = "commission", _("Commission")
    OTHER = "other", _("Other")


class OrgUnitQuerySet(MP_NodeQuerySet):
    def active_on(self, day: datetime.date | None = None) -> OrgUnitQuerySet:
        """Units that existed on ``day`` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def active(self) -> OrgUnitQuerySet:
        return self.filter(is_active=True).active_on()

    def within(self, paths: list[str]) -> OrgUnitQuerySet:
        """Units in the subtrees rooted at ``paths``: one indexed prefix scan each."""
        from .access import subtree_q  # access reads the models: imported when asked

        if not paths:
            return self.none()
        return self.filter(subtree_q(paths, field=""))

    def search(self, text: str) -> OrgUnitQuerySet:
        """Match code or names, ignoring case and Vietnamese diacritics."""
        return self.filter(search_text__contains=search_key(text))


class OrgUnitManager(MP_NodeManager.from_queryset(OrgUnitQuerySet)):
    def get_queryset(self) -> OrgUnitQuerySet:
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")


# A unit's code appears in URLs and file paths: letters, digits, ".", "-",
# "_", starting with a letter or digit (so never "." or "..").
UNIT_CODE_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z"
unit_code_validator = RegexValidator(
    UNIT_CODE_RE,
    _(
        "A code has only letters without accents, digits, “.”, “-” and “_”, and starts with a "
        "letter or a digit."
    ),
)


class OrgUnit(MP_Node):
    """A party organisation: Tỉnh ủy, Huyện ủy, Đảng ủy xã, chi bộ…"""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[unit_code_validator])
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    level = models.ForeignKey(Level, models.PROTECT, related_name="units", verbose_name=_("level"))
    kind = models.CharField(
        _("kind"), max_length=32, choices=OrgUnitKind.choices, default=OrgUnitKind.PARTY_COMMITTEE
    )
    symbol = models.CharField(
        _("symbol"),
        max_length=30,
        blank=True,
        help_text=_('Used in document numbers, e.g. "TU" in 279-KH/TU.'),
    )
    place_name = models.CharField(
        _("place name"),
        max_length=100,
        blank=True,
        help_text=_('Used before dates, e.g. "Gia Lai".'),
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    party_organisation = models.CharField(
        _("party organisation"),
        max_length=255,
        blank=True,
        help_text=_(
            "The organisation this committee leads, printed above its units' names in their "
            "documents, e.g. “Đảng bộ tỉnh Gia Lai”. Leave empty to derive it from the name "
            "(Tỉnh ủy X → Đảng bộ tỉnh X, Đảng ủy X → Đảng bộ X)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    valid_from = WindowDateField(_("valid from"), null=True, blank=True)
    valid_to = WindowDateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )
    search_text = models.CharField(max_length=600, editable=False, db_index=False, default="")

    history = HistoricalRecords(excluded_fields=["numchild", "search_text"])

    objects = OrgUnitManager()

    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        # A new top of the tree (a province's root): given to the group
        # "Quản trị hệ thống" (migration 0007), checked as orgunits.add_top_unit.
        permissions = [("add_root_unit", _("Can add a top-level unit (a province)"))]
        # Subtree queries are `path LIKE 'prefix%'`: served by the unique index
        # on path, to which PostgreSQL adds a varchar_pattern_ops twin (*_like).
        # Pickers match `search_text LIKE '%word%'`: on PostgreSQL a trigram GIN
        # index serves it (migration 0006, PostgreSQL only); this plain one
        # serves SQLite's scans of the column and exact lookups.
        indexes = [
            models.Index(fields=["level", "path"], name="orgunit_level_path"),
            models.Index(fields=["search_text"], name="orgunit_search_text"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        return search_key(" ".join(filter(None, [self.code, self.name, self.short_name])))

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def parent_path(self) -> str:
        return self.path[: -self.steplen]

    def ancestor_paths(self) -> list[str]:
        return [self.path[:end] for end in range(self.steplen, len(self.path), self.steplen)]

    @property
    def organisation_line(self) -> str:
        """What this unit's subordinates print above their own name: "ĐẢNG BỘ TỈNH GIA LAI"."""
        return organisation_line(self.name, self.kind, self.party_organisation)

    def parent_organisation_line(self) -> str:
        """The line above this unit's name in its own committee's documents ("" at the top)."""
        if self.depth <= 1:
            return ""
        parent = getattr(self, "_parent_unit", None)
        if parent is None:
            parent = OrgUnit.objects.filter(path=self.parent_path()).first()
            self._parent_unit = parent
        return parent.organisation_line if parent else ""

    def is_within(self, other: OrgUnit) -> bool:
        return self.path.startswith(other.path)

    def retire(self, *, on: datetime.date, successor: OrgUnit | None = None) -> None:
        """Close the unit on ``on`` (e.g. a 2025 merger) and keep it for history."""
        self.valid_to = on
        self.is_active = False
        self.successor = successor
        self.save(update_fields=["valid_to", "is_active", "successor", "search_text"])


class Term(models.Model):
    """A committee term (nhiệm kỳ), e.g. 2020–2025.

    Document numbers run per issuing body and document type over a term, not
    per year: "279-KH/TU" is the 279th plan of the term.
    """

    name = models.CharField(_("name"), max_length=50, unique=True)
    starts_on = WindowDateField(_("starts on"))
    ends_on = WindowDateField(_("ends on"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_valid_range"
            )
        ]

    def __str__(self) -> str:
        return _("Term %(name)s") % {"name": self.name}

    @classmethod
    def for_date(cls, day: datetime.date) -> Term:
        """The term covering ``day``; by convention (congresses every five years,
        terms starting in October of 2015, 2020, 2025…) when none is recorded."""
        term = cls.objects.filter(starts_on__lte=day, ends_on__gte=day).first()
        if term is not None:
            return term
        first_year = day.year - day.year % 5 - (5 if (day.year % 5, day.month) < (0, 10) else 0)
        term, _created = cls.objects.get_or_create(
            name=f"{first_year}–{first_year + 5}",
            defaults={
                "starts_on": datetime.date(first_year, 10, 1),
                "ends_on": datetime.date(first_year + 5, 9, 30),
            },
        )
        return term


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    REPORTER = "reporter", _("Reporter")
    APPROVER = "approver", _("Approver")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's role in a unit; the role reaches the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(
        OrgUnit, models.CASCADE, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class IssuingBodyKind(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", _("Standing committee")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee")
    COMMISSION = "commission", _("Commission")
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    OFFICE = "office", _("Office")
    OTHER = "other", _("Other")


# The unit's own committee: its documents print the unit's name as the issuer.
OWN_COMMITTEE_KINDS = {IssuingBodyKind.STANDING_COMMITTEE, IssuingBodyKind.EXECUTIVE_COMMITTEE}


class SigningAuthority(models.TextChoices):
    """The word before the body in a signature block (Hướng dẫn 36-HD/VPTW)."""

    ON_BEHALF = "T/M", "T/M"
    DEPUTY = "K/T", "K/T"
    BY_ORDER = "T/L", "T/L"
    AUTHORISED = "TUQ", "TUQ"
    ACTING = "Q.", "Q."
    IN_PERSON = "", _("(the head signs in person)")


class IssuingBody(models.Model):
    """A body that issues documents in a unit's name: its standing committee,
    a commission (Ban Dân vận), a steering committee (Ban Chỉ đạo), the office.

    It gives a document its header, its symbol ("KH/BDVTU"), its number
    register, the phrase that names it in running text and the signature block.
    """

    unit = models.ForeignKey(
        OrgUnit, models.CASCADE, related_name="issuing_bodies", verbose_name=_("unit")
    )
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=IssuingBodyKind.choices,
        default=IssuingBodyKind.STANDING_COMMITTEE,
    )
    name = models.CharField(
        _("name in the header"),
        max_length=200,
        blank=True,
        help_text=_(
            "The issuer line of the header, e.g. “BAN DÂN VẬN”. Empty for the unit's own "
            "committee, which prints the unit's name."
        ),
    )
    phrase = models.CharField(
        _("name in running text"),
        max_length=255,
        help_text=_("e.g. “Ban Dân vận Tỉnh ủy Gia Lai”, “Ban Thường vụ Tỉnh ủy Gia Lai”."),
    )
    symbol = models.CharField(
        _("symbol"), max_length=30, blank=True, help_text=_("e.g. “BDVTU” in 12-KH/BDVTU.")
    )
    authority = models.CharField(
        _("signing authority"),
        max_length=5,
        choices=SigningAuthority.choices,
        default=SigningAuthority.ON_BEHALF,
        blank=True,
    )
    sign_for = models.CharField(
        _("signs for"),
        max_length=100,
        blank=True,
        help_text=_("After the authority: “BAN THƯỜNG VỤ” in T/M BAN THƯỜNG VỤ."),
    )
    signer_position = models.CharField(_("signer's position"), max_length=100, default="BÍ THƯ")
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_default = models.BooleanField(
        _("default"),
        default=False,
        help_text=_("Issues the unit's reports unless another is chosen."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__path", "-is_default", "position", "id"]
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(is_default=True), name="issuing_body_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.phrase

    @property
    def label(self) -> str:
        """ "Tỉnh ủy Gia Lai — Ban Dân vận Tỉnh ủy Gia Lai", for pickers."""
        return f"{self.unit.name} — {self.phrase}"

    @property
    def is_own_committee(self) -> bool:
        return self.kind in OWN_COMMITTEE_KINDS

    @property
    def sign_on_behalf(self) -> str:
        """ "T/M BAN THƯỜNG VỤ", "K/T TRƯỞNG BAN"; empty when the head signs in person."""
        if not self.authority:
            return ""
        return f"{self.authority} {self.sign_for}".strip().upper()

    def header_lines(self) -> tuple[str, str]:
        """(superior line, issuer line) of the first-page header, never twice the same.

        The unit's own committee prints the unit's name under the party
        organisation it belongs to ("ĐẢNG BỘ TỈNH GIA LAI" / "HUYỆN ỦY CHƯ SÊ");
        any other body prints the unit's name above its own ("TỈNH ỦY GIA LAI" /
        "BAN DÂN VẬN").
        """
        if self.is_own_committee or not self.name.strip():
            superior = self.unit.parent_organisation_line()
            issuer = self.unit.name
        else:
            superior, issuer = self.unit.name, self.name
        return header_lines(superior, issuer)


class UnitMerger(models.Model):
    """Units merged into one on a date (the communes merged in 2025).

    The merged units are kept, closed on the date with the resulting unit as
    their ``successor``: their reports stay theirs, under the names they had
    (see ``orgunits.mergers``).
    """

    merged_units = models.ManyToManyField(
        OrgUnit, related_name="mergers_from", verbose_name=_("merged units")
    )
    resulting_unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="mergers_into", verbose_name=_("resulting unit")
    )
    merged_on = WindowDateField(_("merged on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_on", "-pk"]
        verbose_name = _("merger of units")
        verbose_name_plural = _("mergers of units")

    def __str__(self) -> str:
        return f"→ {self.resulting_unit} ({self.merged_on.isoformat()})"
