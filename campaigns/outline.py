"""Editing a plan's outline: paste as text, add, move, indent, renumber, snapshot.

Positions are global to the plan (document order), so the whole outline is
read in one query and rewritten in one bulk update after a structural change.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from . import outline_parser
from .models import AnswerType, OutlineItem, Plan
from .selectors import OutlineRow, outline_rows

HINT_TO_ANSWER = {
    outline_parser.PER_YEAR_NUMBER: AnswerType.INTEGER_PER_YEAR,
    outline_parser.NUMBER: AnswerType.INTEGER,
    outline_parser.LIST: AnswerType.POINTS,
    outline_parser.TEXT: AnswerType.TEXT,
}


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


@transaction.atomic
def import_text(*, plan: Plan, text: str, replace: bool) -> outline_parser.ParseResult:
    """Build outline items from pasted numbered text.

    With errors nothing is saved, so the user can correct the text and paste
    again. ``replace`` drops the current items first (not those inherited
    from a parent plan, which an implementing plan must keep).
    """
    result = outline_parser.parse_outline(text)
    if result.errors:
        return result
    if replace:
        plan.outline_items.filter(inherited_from__isnull=True).delete()
    # Deletions leave gaps in positions: append after the last one, not at count().
    last = plan.outline_items.aggregate(last=Max("position"))["last"]
    start = 0 if last is None else last + 1
    created: list[tuple[OutlineItem, outline_parser.OutlineNode, int]] = []
    parents: dict[int, OutlineItem] = {}
    for offset, (depth, node) in enumerate(outline_parser.flatten(result.nodes)):
        is_heading = node.kind_hint == outline_parser.HEADING
        item = OutlineItem(
            plan=plan,
            position=start + offset,
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
        created.append((item, node, depth))
    OutlineItem.objects.bulk_create([item for item, _node, _depth in created])
    # Parents are known only once the rows have ids.
    with_parent = []
    for item, _node, depth in created:
        parents[depth] = item
        if depth > 0:
            item.parent = parents[depth - 1]
            with_parent.append(item)
    OutlineItem.objects.bulk_update(with_parent, ["parent"], batch_size=500)
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

    With ``inherit`` each copy remembers its original, so an implementing plan
    can add items but not drop the required ones it was given.
    """
    rows = outline_rows(source)
    copies = {}
    for row in rows:
        original = row.item
        copies[original.pk] = OutlineItem(
            plan=target,
            position=original.position,
            numbering=original.numbering,
            title=original.title,
            guidance=original.guidance,
            is_heading=original.is_heading,
            answer_type=original.answer_type,
            choices=original.choices,
            figure_source=original.figure_source,
            required=original.required,
            inherited_from=original if inherit else None,
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
