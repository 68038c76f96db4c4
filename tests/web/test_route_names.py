"""Route names: `url_for` finds a route by its name alone, so no two routes may share one."""

from __future__ import annotations

from collections import Counter

from fastapi.routing import iter_route_contexts

from passerelle.app import create_app


def test_every_route_name_is_unique(settings):
    routes = list(iter_route_contexts(create_app(settings).routes))
    counts = Counter(route.name for route in routes)
    shared = sorted(
        f"{route.name}: {sorted(route.methods or [])} {route.path}"
        for route in routes
        if counts[route.name] > 1
    )
    assert not shared, "route names used more than once:\n" + "\n".join(shared)
