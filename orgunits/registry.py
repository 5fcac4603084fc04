"""What higher apps do when units merge (``orgunits.mergers.merge_units``).

An app registers ``on_merger(merger)`` in its ``AppConfig.ready``; it runs in
the merger's transaction (reports keep the names their units had).
"""

from __future__ import annotations

from collections.abc import Callable

_on_merger: list[Callable] = []


def register_merger(function: Callable) -> None:
    if function not in _on_merger:
        _on_merger.append(function)


def merged(merger) -> None:
    for function in _on_merger:
        function(merger)
