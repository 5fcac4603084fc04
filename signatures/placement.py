"""Where the visible signature goes: the space of the signature block.

The block is the right column after the body (DOCUMENT_FORMAT.md: "T/M BAN
THƯỜNG VỤ", the position, ~25 mm of space for the signature and the seal, the
signer's name); annexes may follow it on pages of their own. The pages' text
is read with its positions (pypdf), from the last page back: on the last
page where the signer's name stands in the signature column, the box is the
space between the position line and the name, centred in the column. When
the name is not found (none printed, a layout that changed), a fixed box is
used where the block usually is: the signature column of the last page,
25 mm above its bottom edge.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader

MM = 72 / 25.4
BOX_WIDTH = 60 * MM
BOX_HEIGHT = 20 * MM
# static/css/document.css: the page's left and right margins, and the
# signature column's share of the text width (.doc-signature, 47 %).
MARGIN_LEFT, MARGIN_RIGHT = 30 * MM, 15 * MM
SIGNATURE_COLUMN = 0.47


@dataclass(frozen=True)
class Box:
    """A rectangle on a page in PDF points, (x1, y1) its lower left corner."""

    page: int  # 0-based
    x1: float
    y1: float
    x2: float
    y2: float
    found: bool  # placed on the block's lines, not the fixed fallback

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _lines(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of the page's text runs, in the order they are drawn."""
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            # The run's position on the page: the text matrix under the CTM.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text, x, y))

    page.extract_text(visitor_text=visit)
    return runs


def _block_box(index: int, page, name_key: str, position_key: str) -> Box | None:
    """The box between the position line and the signer's name on ``page``,
    if the name stands there in the signature column."""
    left, _bottom, right, top = (float(v) for v in page.mediabox)
    runs = _lines(page)
    text_left, text_right = left + MARGIN_LEFT, right - MARGIN_RIGHT
    column_left = text_right - SIGNATURE_COLUMN * (text_right - text_left)
    name = next(
        (
            run
            for run in reversed(runs)
            if _key(run[0]) == name_key and run[1] >= column_left - 5 * MM
        ),
        None,
    )
    if name is None:
        return None
    position = next(
        (
            run
            for run in reversed(runs)
            if position_key and _key(run[0]) == position_key and run[2] > name[2]
        ),
        None,
    )
    middle = (column_left + text_right) / 2
    y1 = name[2] + 14  # above the name's baseline and its ascent
    y2 = position[2] - 4 if position is not None else y1 + BOX_HEIGHT
    if y2 - y1 < 12 * MM:
        y2 = y1 + BOX_HEIGHT
    return Box(index, middle - BOX_WIDTH / 2, y1, middle + BOX_WIDTH / 2, min(y2, top), True)


def signature_box(pdf: bytes, *, signer_name: str, signer_position: str) -> Box:
    """The box for the visible signature: in the signature block, on the last
    page that has it (annexes follow it in a consolidated report), else the
    fixed box on the last page."""
    reader = PdfReader(io.BytesIO(pdf))
    name_key, position_key = _key(signer_name), _key(signer_position)
    if name_key:
        for index in range(len(reader.pages) - 1, -1, -1):
            box = _block_box(index, reader.pages[index], name_key, position_key)
            if box is not None:
                return box
    index = len(reader.pages) - 1
    left, bottom, right, _top = (float(v) for v in reader.pages[index].mediabox)
    text_left, text_right = left + MARGIN_LEFT, right - MARGIN_RIGHT
    middle = text_right - SIGNATURE_COLUMN * (text_right - text_left) / 2
    y1 = bottom + 25 * MM
    x1, x2 = middle - BOX_WIDTH / 2, middle + BOX_WIDTH / 2
    return Box(index, x1, y1, x2, y1 + BOX_HEIGHT, found=False)
