"""A minimal writer of OLE2 compound files, for tests (olefile only reads them).

Enough for what the attachment checks look at: a root storage with streams and
storages inside. Version 3 (512-byte sectors); every stream is padded to the
mini-stream cutoff so that it lives in ordinary sectors, and the directory is
a chain of right siblings (a valid, if unbalanced, tree).
"""

from __future__ import annotations

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR = 512
MINI_CUTOFF = 4096
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\x00" * (-len(data) % size)


def build_ole(tree: dict) -> bytes:
    """``tree`` maps names to bytes (a stream) or to a dict (a storage)."""
    entries: list[dict] = [{"name": "Root Entry", "type": ROOT, "children": tree}]
    # Number the entries depth first; each storage's children chained as right siblings.
    pending = [0]
    while pending:
        index = pending.pop()
        children = entries[index].get("children") or {}
        previous = None
        for name, value in children.items():
            entry = {"name": name, "right": NO_STREAM, "child": NO_STREAM}
            if isinstance(value, dict):
                entry.update(type=STORAGE, children=value)
            else:
                entry.update(type=STREAM, data=_pad(value, 1).ljust(MINI_CUTOFF, b"\x00"))
            entries.append(entry)
            number = len(entries) - 1
            if previous is None:
                entries[index]["child"] = number
            else:
                entries[previous]["right"] = number
            previous = number
            if isinstance(value, dict):
                pending.append(number)

    directory_sectors = -(-len(entries) * 128 // SECTOR)
    fat = [FAT_SECTOR]  # sector 0 is the FAT itself
    first_directory = len(fat)
    fat += [first_directory + i + 1 for i in range(directory_sectors - 1)] + [END]
    body = b""
    for entry in entries:
        data = entry.get("data")
        if data is None:
            entry.setdefault("start", END if entry["type"] == ROOT else 0)
            entry["size"] = 0
            continue
        sectors = -(-len(data) // SECTOR)
        entry["start"], entry["size"] = len(fat), len(data)
        fat += [len(fat) + i + 1 for i in range(sectors - 1)] + [END]
        body += _pad(data, SECTOR)
    assert len(fat) <= SECTOR // 4, "one FAT sector is enough for a test file"
    fat_sector = b"".join(struct.pack("<I", n) for n in fat).ljust(SECTOR, b"\xff")

    directory = b""
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\x00\x00"
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            entry["type"],
            1,  # black
            NO_STREAM,
            entry.get("right", NO_STREAM),
            entry.get("child", NO_STREAM),
            b"\x00" * 16,
            0,
            0,
            0,
            entry["start"],
            entry["size"],
        )
    directory = directory.ljust(directory_sectors * SECTOR, b"\x00")
    # Unused directory slots must read as empty entries with no siblings.
    directory = bytearray(directory)
    for slot in range(len(entries), directory_sectors * SECTOR // 128):
        offset = slot * 128
        directory[offset + 68 : offset + 80] = struct.pack("<III", NO_STREAM, NO_STREAM, NO_STREAM)

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        MAGIC,
        b"\x00" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,  # directory sectors (0 in version 3)
        1,  # FAT sectors
        first_directory,
        0,
        MINI_CUTOFF,
        END,  # no mini FAT
        0,
        END,  # no DIFAT sectors
        0,
    )
    header += struct.pack("<I", 0) + b"\xff" * (4 * 108)  # DIFAT: the FAT is sector 0
    assert len(header) == SECTOR
    return header + fat_sector + bytes(directory) + body


# A BIFF8 workbook that only begins and ends: enough to be told from others.
BIFF_BOF = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0)
BIFF_EOF = struct.pack("<HH", 0x000A, 0)


def xls_bytes(**extra) -> bytes:
    return build_ole({"Workbook": BIFF_BOF + BIFF_EOF, **extra})


def doc_bytes(**extra) -> bytes:
    # A Word FIB starts with wIdent 0xA5EC.
    return build_ole({"WordDocument": b"\xec\xa5" + b"\x00" * 30, "1Table": b"\x00" * 16, **extra})
