"""Jinja2 pages: the environment, its translation callables and filters, and `render`.

Translations come from the locale in each page's context, so one environment serves
every request and every language (macros are imported `with context` for that reason).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.routing import BaseRoute, NoMatchFound

from passerelle import catalog_messages
from passerelle.i18n import (
    LANGUAGE_NAMES,
    LOCALES,
    elide,
    format_day,
    format_eur,
    format_number,
    get_translations,
)
from services_catalog.bilingual import InLanguage, summary_in, title_in
from services_catalog.countries import country_name
from services_catalog.errors import Message
from services_catalog.importing import Conversion
from services_catalog.taxonomy import label

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _site_dir(name: str) -> Path:
    """`templates` or `static`: inside the package when installed from a wheel (setup.py
    puts them there), else at the top of the source tree."""
    packaged = Path(__file__).resolve().parents[1] / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


TEMPLATES_DIR = _site_dir("templates")
STATIC_DIR = _site_dir("static")


def _locale(context: Context) -> str:
    return context.get("locale") or "en"


def _fill(context: Context, message: str, values: dict) -> str:
    """A translated message filled with its values (escaped in HTML), elided in French."""
    message = elide(message, values, _locale(context))
    return (Markup(message) if context.eval_ctx.autoescape else message) % values


@pass_context
def _gettext(context: Context, message: str, **values) -> str:
    return _fill(context, get_translations(_locale(context)).gettext(message), values)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, number: int, **values) -> str:
    translated = get_translations(_locale(context)).ngettext(singular, plural, number)
    return _fill(context, translated, {"num": number, **values})


@pass_context
def _eur(context: Context, amount: int) -> str:
    return format_eur(amount, _locale(context))


@pass_context
def _number(context: Context, number: int) -> str:
    return format_number(number, _locale(context))


@lru_cache(maxsize=8192)
def offer_count_html(number: int, locale: str) -> Markup:
    """A count of offers: the number shown, its meaning read out by screen readers.

    A browse page shows hundreds of counts, mostly the same few numbers: each is
    written once per language.
    """
    shown = format_number(number, locale)
    spoken = get_translations(locale).ngettext("%(num)s offer", "%(num)s offers", number)
    return Markup(
        '<span class="count" aria-hidden="true">{}</span><span class="visually-hidden">({})</span>'
    ).format(shown, spoken % {"num": shown})


@pass_context
def _offer_count(context: Context, number: int) -> Markup:
    return offer_count_html(number, _locale(context))


@lru_cache(maxsize=128)
def choice_options_html(options: tuple, locale: str) -> Markup:
    """`<option>` elements, each a value with its label and count, for the long selects
    of a browse page (the ~250 countries without a checkbox): the same few lists come
    back page after page, and each is written once per language."""
    option = Markup('<option value="{}">{} ({})</option>')
    return Markup("").join(
        option.format(o.code, o.label, format_number(o.count, locale)) for o in options
    )


@pass_context
def _choice_options(context: Context, options: list) -> Markup:
    return choice_options_html(tuple(options), _locale(context))


@pass_context
def _day(context: Context, day) -> str:
    return format_day(day, _locale(context))


@pass_context
def _label(context: Context, code: str, vocabulary: str) -> str:
    return label(vocabulary, code, _locale(context))


@pass_context
def _country(context: Context, code: str) -> str:
    try:
        return country_name(code, _locale(context))
    except ValueError:
        return code


@pass_context
def _title_in(context: Context, offer) -> InLanguage:
    return title_in(offer, _locale(context))


@pass_context
def _summary_in(context: Context, offer) -> InLanguage:
    return summary_in(offer, _locale(context))


@pass_context
def _message(context: Context, message: Message) -> str:
    return catalog_messages.translate(message, _locale(context))


@pass_context
def _conversion(context: Context, note: Conversion) -> str:
    return catalog_messages.conversion(note, _locale(context))


def route_path(app: Starlette, name: str, /, **path_params) -> str:
    """The path (not the absolute URL) of a named route: right behind any proxy.

    Starlette looks for the name through every route, on each call; a page links to
    dozens of routes. The route table is fixed once the app is built, so the route that
    answers a name is found once and then asked directly.
    """
    known: dict[str, BaseRoute] | None = getattr(app.state, "routes_by_name", None)
    if known is None:
        known = app.state.routes_by_name = {}
    route = known.get(name)
    if route is not None:
        try:
            return str(route.url_path_for(name, **path_params))
        except NoMatchFound:  # the name exists with other parameters elsewhere
            pass
    for candidate in _leaf_routes(app.router.routes):
        try:
            path = candidate.url_path_for(name, **path_params)
        except NoMatchFound:
            continue
        known[name] = candidate
        return str(path)
    raise NoMatchFound(name, path_params)


def _leaf_routes(routes: Iterable[BaseRoute]) -> Iterator:
    """The routes themselves, inside the routers FastAPI includes: an included router asked
    for a path walks every route it holds again, a fifth of a results page's rendering."""
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
        else:
            yield route


@pass_context
def _url_for(context: Context, name: str, /, **path_params) -> str:
    return route_path(context["request"].app, name, **path_params)


@pass_context
def _static_url(context: Context, path: str) -> str:
    return route_path(context["request"].app, "static", path=path)


@pass_context
def _language_switch_url(context: Context, code: str) -> str:
    """The link that switches to `code` and comes back to the page being shown."""
    request: Request = context["request"]
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    path = route_path(request.app, "set_language", code=code)
    return f"{path}?{urlencode({'next': here})}"


@cache
def template_environment() -> Environment:
    """The one Jinja2 environment of the site, built on first use."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    # New-style gettext: `{% trans %}` hands its values to the callables, which fill them
    # in themselves so that French can elide before a value (“Offres d'Initiative”).
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext=_gettext, ngettext=_ngettext)
    env.filters.update(
        eur=_eur,
        number=_number,
        offer_count=_offer_count,
        choice_options=_choice_options,
        day=_day,
        label=_label,
        country=_country,
        title_in=_title_in,
        summary_in=_summary_in,
        message=_message,
        conversion=_conversion,
        written_value=catalog_messages.written_value,
    )
    env.globals.update(
        url_for=_url_for,
        static_url=_static_url,
        language_switch_url=_language_switch_url,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        LOCALES=LOCALES,
    )
    return env


def render(
    request: Request, template: str, context: dict, *, locale: str, status_code: int = 200
) -> HTMLResponse:
    """A page in `locale`; the answer varies with the language cookie and header."""
    page = template_environment().get_template(template)
    html = page.render({**context, "request": request, "locale": locale})
    return page_response(html, locale=locale, status_code=status_code)


def page_response(html: str | bytes, *, locale: str, status_code: int = 200) -> HTMLResponse:
    """A rendered page as an answer, which varies with the language cookie and header."""
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Language"] = locale
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response
