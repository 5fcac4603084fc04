"""Every URL pattern of the project, and the arguments that point it at the world."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

SKIPPED_PREFIXES = (
    "admin/",
)  # Django's admin checks staff itself (tested in tests/test_admin*.py)


def patterns() -> dict[str, str]:
    """{"namespace:name": route} of every named pattern the project serves, and
    the unnamed ones under their route (so they cannot hide from the table)."""
    found: dict[str, str] = {}

    def walk(items, prefix: str, namespace: str | None) -> None:
        for item in items:
            if isinstance(item, URLResolver):
                walk(item.url_patterns, prefix + str(item.pattern), item.namespace or namespace)
            elif isinstance(item, URLPattern):
                route = prefix + str(item.pattern)
                if route.startswith(SKIPPED_PREFIXES):
                    continue
                name = f"{namespace}:{item.name}" if namespace and item.name else item.name
                found[name or route] = route

    walk(get_resolver().url_patterns, "", None)
    return found
