"""Table answers: the columns a plan defines for an outline item, and its quotas.

A table item (``AnswerType.TABLE``) keeps its definition in the item's
``choices`` (a dict, where a choice item keeps a list), so it travels with the
outline wherever ``choices`` does: snapshots, revisions, cascades. The
default is a commendation list (danh sách đề nghị khen thưởng): the columns
after STT (numbered when printed), and the forms of commendation (hình thức)
the last column picks from. A plan may cap, per level, how many rows of each
form one unit proposes (e.g. a district: 2 Bằng khen).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The words of the printed list: Vietnamese whatever the interface language.
DEFAULT_COLUMNS = ["Tên tập thể / họ tên cá nhân", "Chức vụ / đơn vị", "Thành tích chủ yếu"]
DEFAULT_FORM_LABEL = "Hình thức đề nghị"
DEFAULT_FORMS = ["Bằng khen", "Giấy khen"]
MAX_COLUMNS = 12
MAX_FORMS = 20


@dataclass
class Quota:
    level: str  # Level.code
    form: str
    count: int


@dataclass
class TableSpec:
    columns: list[str] = field(default_factory=lambda: list(DEFAULT_COLUMNS))
    forms: list[str] = field(default_factory=lambda: list(DEFAULT_FORMS))
    form_label: str = DEFAULT_FORM_LABEL
    quotas: list[Quota] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        """The columns a unit fills, the form last (when the plan gives forms)."""
        return [*self.columns, self.form_label] if self.forms else list(self.columns)

    def quota_for(self, level_code: str) -> dict[str, int]:
        """Form → the most rows of that form one unit of the level proposes."""
        return {q.form: q.count for q in self.quotas if q.level == level_code}

    def canonical_form(self, value: str) -> str | None:
        """The plan's spelling of ``value`` (case and spaces aside), or None."""
        key = _key(value)
        return next((form for form in self.forms if _key(form) == key), None)

    def as_data(self) -> dict:
        return {
            "columns": self.columns,
            "forms": self.forms,
            "form_label": self.form_label,
            "quotas": [{"level": q.level, "form": q.form, "count": q.count} for q in self.quotas],
        }


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def table_spec(choices: object) -> TableSpec:
    """The definition kept in a table item's ``choices``; the default list
    when it holds none (a malformed part is left at its default)."""
    if not isinstance(choices, dict):
        return TableSpec()
    spec = TableSpec()
    columns = [str(c).strip() for c in choices.get("columns") or [] if str(c).strip()]
    if columns:
        spec.columns = columns[:MAX_COLUMNS]
    if isinstance(choices.get("forms"), list):
        spec.forms = [str(f).strip() for f in choices["forms"] if str(f).strip()][:MAX_FORMS]
    if str(choices.get("form_label") or "").strip():
        spec.form_label = str(choices["form_label"]).strip()
    for quota in choices.get("quotas") or []:
        try:
            spec.quotas.append(Quota(str(quota["level"]), str(quota["form"]), int(quota["count"])))
        except (KeyError, TypeError, ValueError):
            continue
    return spec
