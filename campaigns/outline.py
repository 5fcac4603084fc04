"""Editing a plan's outline: paste as text, add, move, indent, renumber, snapshot.

Positions are global to the plan (document order), so the whole outline is
read in one query and rewritten in one bulk update after a structural change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from . import outline_parser
from .models import AnswerType, OutlineItem, Plan, outline_changed
from .selectors import OutlineRow, outline_rows

HINT_TO_ANSWER = {
    outline_parser.PER_YEAR_NUMBER: AnswerType.INTEGER_PER_YEAR,
    outline_parser.NUMBER: AnswerType.INTEGER,
    outline_parser.LIST: AnswerType.POINTS,
    outline_parser.TEXT: AnswerType.TEXT,
}


# What an item says, as opposed to where it sits: copied by a cascade, updated
# by adopting the parent plan's revision.
ITEM_FIELDS = [
    "numbering",
    "title",
    "guidance",
    "is_heading",
    "answer_type",
    "choices",
    "figure_source",
    "required",
]


class OutlineError(Exception):
    """An edit that the outline's rules forbid; the message is for the user."""


def _save_order(rows: list[OutlineRow]) -> None:
    """Write document order back as positions, one bulk update."""
    changed = []
    for position, row in enumerate(rows):
        if row.item.position != position:
            row.item.position = position
            changed.append(row.item)
    OutlineItem.objects.bulk_update(changed, ["position"], batch_size=500)
    for plan_id in {row.item.plan_id for row in rows}:
        outline_changed(plan_id)  # bulk updates send no signal


@dataclass
class ImportResult:
    parsed: outline_parser.ParseResult
    # Items inherited from the parent plan that the text repeated: kept once,
    # with the pasted sub-items of the unit put under them.
    kept_inherited: int = 0

    @property
    def errors(self) -> list[outline_parser.OutlineError]:
        return self.parsed.errors


def _index(rows: list[OutlineRow], row: OutlineRow) -> int:
    return next(i for i, other in enumerate(rows) if other is row)


def _insert(
    rows: list[OutlineRow],
    row: OutlineRow,
    parent: OutlineRow | None,
    after: OutlineRow | None,
    *,
    first: bool,
) -> None:
    """Put ``row`` among the children of ``parent`` (None: the top level):
    right after ``after``, a sibling, and its sub-items; else first or last."""
    if after is not None:
        index = _subtree_end(rows, _index(rows, after))
    elif parent is not None:
        at = _index(rows, parent)
        index = at + 1 if first else _subtree_end(rows, at)
    else:
        index = 0 if first else len(rows)
    rows.insert(index, row)


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold().rstrip(".:;")


def _drop_own_items(plan: Plan) -> None:
    """Delete the plan's own items, keeping those inherited from the parent
    plan (an inherited item under an own one moves to the top level first,
    or the deletion would take it along)."""
    items = plan.outline_items
    items.filter(inherited_from__isnull=False, parent__inherited_from__isnull=True).exclude(
        parent=None
    ).update(parent=None)
    items.filter(inherited_from__isnull=True).delete()


@transaction.atomic
def import_text(*, plan: Plan, text: str, replace: bool) -> ImportResult:
    """Build outline items from pasted numbered text.

    With errors nothing is saved, so the user can correct the text and paste
    again. ``replace`` drops the current items first, except those inherited
    from a parent plan, which an implementing plan must keep: a pasted item
    with the title of an inherited one is that item, not a second copy, and
    the items pasted under it go under it.
    """
    result = ImportResult(outline_parser.parse_outline(text))
    if result.errors:
        return result
    if replace:
        _drop_own_items(plan)
    rows = outline_rows(plan)
    inherited: dict[str, list[OutlineRow]] = {}
    for row in rows:
        if row.item.inherited_from_id is not None:
            inherited.setdefault(_title_key(row.item.title), []).append(row)

    def same_item(title: str, parent: OutlineRow | None) -> OutlineRow | None:
        candidates = inherited.get(_title_key(title))
        if not candidates:
            return None
        parent_id = parent.item.pk if parent else None
        match = next((r for r in candidates if r.item.parent_id == parent_id), candidates[0])
        candidates.remove(match)
        return match

    created: list[tuple[OutlineItem, OutlineItem | None]] = []  # (item, its parent)
    stack: list[OutlineRow] = []
    last_child: dict[int, OutlineRow] = {}  # the row placed last under each parent row
    for depth, node in outline_parser.flatten(result.parsed.nodes):
        del stack[depth:]
        parent = stack[-1] if stack else None
        row = same_item(node.title, parent)
        if row is not None:
            result.kept_inherited += 1
        else:
            is_heading = node.kind_hint == outline_parser.HEADING
            item = OutlineItem(
                plan=plan,
                numbering=node.numbering,
                title=node.title,
                guidance=node.guidance,
                is_heading=is_heading,
                answer_type=HINT_TO_ANSWER.get(node.answer_hint, AnswerType.TEXT),
                figure_source=""
                if is_heading
                else outline_parser.figure_hint(node.title, node.answer_hint),
                required=not is_heading,
            )
            created.append((item, parent.item if parent else None))
            row = OutlineRow(item, parent.depth + 1 if parent else 0)
            _insert(rows, row, parent, last_child.get(id(parent)), first=replace)
        last_child[id(parent)] = row
        stack.append(row)
    for position, row in enumerate(rows):
        if row.item.pk is None:
            row.item.position = position
    OutlineItem.objects.bulk_create([item for item, _parent in created])
    # Parents are known only once the rows have ids.
    for item, parent_item in created:
        item.parent = parent_item
    nested = [item for item, parent_item in created if parent_item is not None]
    OutlineItem.objects.bulk_update(nested, ["parent"], batch_size=500)
    _save_order(rows)
    return result


def add_item(*, plan: Plan, after: OutlineItem | None = None, **fields) -> OutlineItem:
    """A new item right after ``after`` (as its sibling), or at the end."""
    rows = outline_rows(plan)
    item = OutlineItem(plan=plan, **fields)
    if after is None:
        item.position = max((row.item.position for row in rows), default=-1) + 1
        item.save()
        return item
    index = next(i for i, row in enumerate(rows) if row.item.pk == after.pk)
    subtree_end = _subtree_end(rows, index)
    item.parent_id = after.parent_id
    item.save()
    rows.insert(subtree_end, OutlineRow(item, rows[index].depth))
    _save_order(rows)
    return item


def _subtree_end(rows: list[OutlineRow], index: int) -> int:
    """Index just past the item at ``index`` and its descendants."""
    depth = rows[index].depth
    end = index + 1
    while end < len(rows) and rows[end].depth > depth:
        end += 1
    return end


def delete_item(*, item: OutlineItem) -> None:
    inherited = OutlineItem.objects.filter(
        pk__in=_subtree_ids(item), inherited_from__isnull=False, required=True
    )
    if inherited.exists():
        raise OutlineError(
            _(
                "“%(item)s” or an item under it is required by the parent plan and cannot be "
                "removed."
            )
            % {"item": item}
        )
    item.delete()  # children go with it (CASCADE)


def _subtree_ids(item: OutlineItem) -> list[int]:
    rows = outline_rows(item.plan)
    index = next(i for i, row in enumerate(rows) if row.item.pk == item.pk)
    return [row.item.pk for row in rows[index : _subtree_end(rows, index)]]


@transaction.atomic
def move(*, item: OutlineItem, direction: str) -> None:
    """Move an item with its sub-items: "up"/"down" among its siblings,
    "indent" under the sibling above, "outdent" to after its parent."""
    rows = outline_rows(item.plan)
    index = next(i for i, row in enumerate(rows) if row.item.pk == item.pk)
    end = _subtree_end(rows, index)
    block = rows[index:end]
    rest = rows[:index] + rows[end:]
    siblings_before = [
        i for i, row in enumerate(rest[:index]) if row.item.parent_id == item.parent_id
    ]

    if direction == "up":
        if not siblings_before:
            return
        insert_at = siblings_before[-1]
    elif direction == "down":
        later = [
            i for i, row in enumerate(rest) if i >= index and row.item.parent_id == item.parent_id
        ]
        if not later:
            return
        insert_at = _subtree_end(rest, later[0])
    elif direction == "indent":
        if not siblings_before:
            raise OutlineError(_("There is no item above at the same level to indent under."))
        new_parent = rest[siblings_before[-1]].item
        item.parent = new_parent
        item.save(update_fields=["parent"])
        insert_at = _subtree_end(rest, siblings_before[-1])
        for row in block:
            row.depth += 1
    elif direction == "outdent":
        if item.parent_id is None:
            raise OutlineError(_("The item is already at the top level."))
        parent_index = next(i for i, row in enumerate(rest) if row.item.pk == item.parent_id)
        item.parent_id = rest[parent_index].item.parent_id
        item.save(update_fields=["parent"])
        insert_at = _subtree_end(rest, parent_index)
        for row in block:
            row.depth -= 1
    else:
        raise ValueError(direction)
    _save_order(rest[:insert_at] + block + rest[insert_at:])


def renumber(*, plan: Plan) -> None:
    """Number the outline the way Party documents do: 1., 1.1., then - and +."""
    rows = outline_rows(plan)
    counters: list[int] = []
    changed = []
    for row in rows:
        counters = counters[: row.depth + 1]
        while len(counters) <= row.depth:
            counters.append(0)
        counters[row.depth] += 1
        if row.depth == 0:
            numbering = f"{counters[0]}."
        elif row.depth == 1:
            numbering = f"{counters[0]}.{counters[1]}."
        else:
            numbering = "-" if row.depth == 2 else "+"
        if row.item.numbering != numbering:
            row.item.numbering = numbering
            changed.append(row.item)
    OutlineItem.objects.bulk_update(changed, ["numbering"], batch_size=500)
    outline_changed(plan.pk)


def snapshot(plan: Plan) -> list[dict]:
    """The outline as plain data: what a revision freezes and a report answers."""
    rows = outline_rows(plan)
    keys = {row.item.pk: str(row.item.key) for row in rows}
    return [
        {
            "key": str(row.item.key),
            "parent": keys.get(row.item.parent_id),
            "depth": row.depth,
            "numbering": row.item.numbering,
            "title": row.item.title,
            "guidance": row.item.guidance,
            "is_heading": row.item.is_heading,
            "answer_type": row.item.answer_type,
            "choices": row.item.choices,
            "figure_source": row.item.figure_source,
            "required": row.item.required,
            "levels": row.level_ids,
        }
        for row in rows
    ]


def copy_items(*, source: Plan, target: Plan, inherit: bool) -> None:
    """Copy ``source``'s outline into ``target`` (empty), keeping the tree.

    With ``inherit`` each copy remembers its original, and keeps its key, so
    an implementing plan can add items but not drop the required ones it was
    given, and later revisions of the parent can be matched against it.
    """
    rows = outline_rows(source)
    copies = {}
    for row in rows:
        original = row.item
        copies[original.pk] = OutlineItem(
            plan=target,
            position=original.position,
            inherited_from=original if inherit else None,
            **({"key": original.key} if inherit else {}),
            **{name: getattr(original, name) for name in ITEM_FIELDS},
        )
    OutlineItem.objects.bulk_create(copies.values())
    for row in rows:
        if row.item.parent_id:
            copies[row.item.pk].parent = copies[row.item.parent_id]
    OutlineItem.objects.bulk_update(
        [c for c in copies.values() if c.parent is not None], ["parent"], batch_size=500
    )
    through = OutlineItem.levels.through
    through.objects.bulk_create(
        [
            through(outlineitem_id=copies[row.item.pk].pk, level_id=level_id)
            for row in rows
            for level_id in row.level_ids
        ]
    )
    outline_changed(target.pk)


@dataclass
class Adopted:
    """What adopting a parent plan's revision did to an implementing plan's outline."""

    added: list[OutlineItem]
    changed: list[OutlineItem]
    # Items the parent dropped: kept as the plan's own items (answers may
    # hang on them), for the coordinators to delete if they no longer want them.
    kept: list[OutlineItem]


@transaction.atomic
def adopt(*, plan: Plan, parent: Plan, changes: dict, snapshot: list[dict]) -> Adopted:
    """Merge a parent plan's revision into ``plan``'s outline.

    ``changes`` compares the parent revision ``plan`` followed with the new
    one, whose outline is ``snapshot``. Items are matched by key (an
    inherited copy keeps its original's key), so adopting twice changes
    nothing more. A new item becomes an inherited copy under the copy of its
    parent, after the copy of its previous sibling; a changed item takes the
    parent's new values for what the parent changed.
    """
    rows = outline_rows(plan)
    by_key = {str(row.item.key): row for row in rows}
    added_keys = {item["key"] for item in changes.get("added", [])}
    originals = dict(
        parent.outline_items.filter(
            key__in=added_keys | {c["new"]["key"] for c in changes.get("changed", [])}
        ).values_list("key", "pk")
    )
    originals = {str(key): pk for key, pk in originals.items()}
    result = Adopted(added=[], changed=[], kept=[])
    levels: dict[OutlineItem, list[int]] = {}

    siblings_seen: dict[str | None, list[str]] = {}  # parent key → earlier sibling keys
    for entry in snapshot:
        key, parent_key = entry["key"], entry["parent"]
        earlier = siblings_seen.setdefault(parent_key, [])
        if key in added_keys and key not in by_key:
            parent_row = by_key.get(parent_key)
            parent_id = parent_row.item.pk if parent_row else None
            after = next(
                (
                    by_key[k]
                    for k in reversed(earlier)
                    if k in by_key and by_key[k].item.parent_id == parent_id
                ),
                None,
            )
            item = OutlineItem(
                plan=plan,
                parent_id=parent_id,
                key=key,
                inherited_from_id=originals.get(key),
                **{name: entry[name] for name in ITEM_FIELDS},
            )
            item.save()
            row = OutlineRow(item, parent_row.depth + 1 if parent_row else 0, entry["levels"])
            _insert(rows, row, parent_row, after, first=not earlier)
            by_key[key] = row
            levels[item] = entry["levels"]
            result.added.append(item)
        earlier.append(key)

    for change in changes.get("changed", []):
        row = by_key.get(change["new"]["key"])
        if row is None:
            continue  # the plan dropped an item the parent does not require
        for name in change["fields"]:
            if name == "levels":
                levels[row.item] = change["new"]["levels"]
            else:
                setattr(row.item, name, change["new"][name])
        row.item.inherited_from_id = row.item.inherited_from_id or originals.get(str(row.item.key))
        result.changed.append(row.item)
    OutlineItem.objects.bulk_update(
        result.changed, [*ITEM_FIELDS, "inherited_from"], batch_size=500
    )
    through = OutlineItem.levels.through
    through.objects.filter(outlineitem_id__in=[item.pk for item in levels]).delete()
    through.objects.bulk_create(
        [
            through(outlineitem_id=item.pk, level_id=level_id)
            for item, level_ids in levels.items()
            for level_id in level_ids
        ]
    )
    result.kept = [
        by_key[item["key"]].item for item in changes.get("removed", []) if item["key"] in by_key
    ]
    _save_order(rows)
    return result
