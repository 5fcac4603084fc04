"""Files chosen on the page that records a report received outside the app,
kept across a refused submission.

A browser cannot refill a file input: when the form comes back with an error
(a date in the future, a figure mistyped), the files already checked are held
in storage under a random name and named in the form by a signed token, so
the coordinator does not choose them again. Tokens are bound to the form's
object (``owner``: "report:12") and the user and expire after a day; a held
file is never served. Other forms with files use it too (registers).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from .attachments import attachment_names

SALT = "reports.received.held"
MAX_AGE = 24 * 60 * 60  # seconds


@dataclass
class HeldFile:
    token: str
    name: str  # as the user named it
    path: str  # in storage
    size: int

    def content(self) -> ContentFile:
        with default_storage.open(self.path, "rb") as file:
            return ContentFile(file.read(), name=self.name)


def hold(upload: UploadedFile, extension: str, *, owner: str, user) -> HeldFile:
    """Keep a checked upload (its ``extension`` from ``check_upload``) for the next try."""
    shown, _stored = attachment_names(upload.name, extension)
    upload.seek(0)
    path = default_storage.save(f"reports/held/{uuid.uuid4().hex}.{extension}", upload)
    token = signing.dumps(
        {"path": path, "name": shown, "size": upload.size, "owner": owner, "user": user.pk},
        salt=SALT,
    )
    return HeldFile(token, shown, path, upload.size)


def held_files(tokens: list[str], *, owner: str, user) -> list[HeldFile]:
    """The files the tokens name, for this owner and user, still in storage."""
    files = []
    for token in dict.fromkeys(tokens):
        try:
            data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            continue
        if data.get("owner") != owner or data.get("user") != user.pk:
            continue
        if not default_storage.exists(data["path"]):
            continue
        files.append(HeldFile(token, data["name"], data["path"], data["size"]))
    return files


def release(files: list[HeldFile]) -> None:
    for file in files:
        default_storage.delete(file.path)
