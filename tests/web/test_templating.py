"""Links written by the templates: the remembered route lookup agrees with Starlette's."""

from __future__ import annotations

import pytest
from starlette.routing import NoMatchFound

from passerelle.web.templating import route_path


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("home", {}),
        ("browse", {}),
        ("offer", {"offer_id": 12}),
        ("offer", {"offer_id": 7}),  # the same route asked again with another id
        ("organization", {"organization_id": 3}),
        ("set_language", {"code": "fr"}),
        ("static", {"path": "css/passerelle.css"}),
        ("me", {}),
    ],
)
def test_route_path_matches_starlette(client, name, params):
    app = client.app
    assert route_path(app, name, **params) == str(app.url_path_for(name, **params))
    assert route_path(app, name, **params) == str(app.url_path_for(name, **params))


def test_an_unknown_route_or_missing_parameter_is_refused(client):
    with pytest.raises(NoMatchFound):
        route_path(client.app, "no-such-page")
    route_path(client.app, "offer", offer_id=1)
    with pytest.raises(NoMatchFound):
        route_path(client.app, "offer")
