"""Signed versions of the documents the apps issue.

The apps that make a document final (a consolidated build finished, a plan
published) sit below the app that signs it (``signatures``), so they cannot
call it. They call this registry instead, which ``signatures`` fills in its
``AppConfig.ready``:

- ``document_final(obj)``: ``obj`` (a ``DocumentBuild``, a ``Plan``) is final;
  the signer queues its signing (on commit), or does nothing when the body
  has no signing certificate.
- ``signed_file(obj)``: the signed PDF to serve instead of ``obj``'s own, or
  None. The download views of builds and plans ask it.

Without a registered signer both do nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models.fields.files import FieldFile

_final: dict[str, Callable[[object], None]] = {}
_signed: dict[str, Callable[[object], FieldFile | None]] = {}


def register(
    name: str,
    *,
    final: Callable[[object], None] | None = None,
    signed: Callable[[object], FieldFile | None] | None = None,
) -> None:
    """Registering a name again replaces its functions."""
    if final is not None:
        _final[name] = final
    if signed is not None:
        _signed[name] = signed


def document_final(obj: object) -> None:
    for participant in _final.values():
        participant(obj)


def signed_file(obj: object) -> FieldFile | None:
    for lookup in _signed.values():
        if (found := lookup(obj)) is not None:
            return found
    return None
