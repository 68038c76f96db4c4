"""Helpers of the templates: the remembered route lookup agrees with Starlette's, and
the cached select options escape and format as the template would."""

from __future__ import annotations

import pytest
from starlette.routing import NoMatchFound

from passerelle.web.facets import Option
from passerelle.web.templating import route_path, template_environment


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


@pytest.mark.parametrize(("locale", "count"), [("fr", "12\u202f345"), ("en", "12,345")])
def test_choice_options_are_escaped_and_counted_in_the_language(locale, count):
    options = [Option("CI", "Côte d'Ivoire", 12_345, False), Option("X<", "A & B", 0, False)]
    html = template_environment().from_string("{{ more|choice_options }}")
    rendered = html.render(more=options, locale=locale)
    assert rendered == (
        f'<option value="CI">Côte d&#39;Ivoire ({count})</option>'
        '<option value="X&lt;">A &amp; B (0)</option>'
    )
    assert html.render(more=options, locale=locale) == rendered  # the kept copy
