"""Offers put into words for the pages: eligibility, amounts and windows, in the page's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from passerelle.i18n import N_, format_day, format_eur, get_translations, join_and, join_or
from services_catalog.bilingual import summary_in, title_in
from services_catalog.countries import country_name
from services_catalog.freshness import stale_since
from services_catalog.models import Offer
from services_catalog.service import ListedOffer
from services_catalog.taxonomy import label

# Said where the offer's full description is in another language than the page's.
DESCRIPTION_LANGUAGES = {
    "fr": N_("Full description in French"),
    "en": N_("Full description in English"),
}
CARD_COUNTRIES = 4  # names shown on a result card before "+ N more"


@dataclass(frozen=True)
class Window:
    """Where an offer's application window stands on a given day."""

    state: str  # "open", "upcoming", "closed" or "rolling"
    text: str
    short: str  # for result cards


@dataclass(frozen=True)
class OfferCard:
    """What a result card shows of an offer."""

    id: int
    title: str  # in the page's language when the offer has it (see services_catalog.bilingual)
    title_lang: str
    lang: str  # of the full description
    provider: str
    provider_id: int
    kind: str
    kind_label: str
    category_label: str | None
    countries: str
    amounts: str | None
    window: Window
    description_language: str | None  # None when the page's language
    summary: str
    summary_lang: str
    stale_note: str | None = None  # "Not verified since …", 12 months after the last check


def country_names(codes: list[str], locale: str) -> list[str]:
    """Country names in `locale`, a code no longer known shown as stored."""
    names = []
    for code in codes:
        try:
            names.append(country_name(code, locale))
        except ValueError:  # a code the country list no longer has: show it as stored
            names.append(code)
    return names


def _labels(vocabulary: str, codes: list[str], locale: str) -> list[str]:
    return [label(vocabulary, code, locale) for code in codes]


def amount_range(low: int | None, high: int | None, locale: str) -> str | None:
    """`From €1,000 to €5,000`, `Up to €5,000`, `From €1,000`, or None without bounds."""
    _ = get_translations(locale).gettext
    if low and high and low != high:
        return _("From %(low)s to %(high)s") % {
            "low": format_eur(low, locale),
            "high": format_eur(high, locale),
        }
    if high:
        return (
            format_eur(high, locale)
            if low == high
            else _("Up to %(high)s") % {"high": format_eur(high, locale)}
        )
    if low:
        return _("From %(low)s") % {"low": format_eur(low, locale)}
    return None


def project_size(offer: Offer, locale: str) -> str:
    """The project sizes an offer admits, in a sentence."""
    _ = get_translations(locale).gettext
    low, high = offer.min_project_eur, offer.max_project_eur
    if low and high:
        return _("Projects from %(low)s to %(high)s") % {
            "low": format_eur(low, locale),
            "high": format_eur(high, locale),
        }
    if high:
        return _("Projects up to %(high)s") % {"high": format_eur(high, locale)}
    if low:
        return _("Projects of at least %(low)s") % {"low": format_eur(low, locale)}
    return _("Any project size")


def eligibility(offer: Offer, locale: str) -> list[str]:
    """Who an offer is for, one plain sentence per criterion."""
    _ = get_translations(locale).gettext
    countries = country_names(offer.codes("countries"), locale)
    residences = country_names(offer.codes("residence_countries"), locale)
    sectors = _labels("sector", offer.codes("sectors"), locale)
    stages = _labels("stage", offer.codes("stages"), locale)
    applicants = _labels("applicant_type", offer.codes("applicant_types"), locale)
    groups = _labels("target_group", offer.codes("target_groups"), locale)
    return [
        _("Projects in %(countries)s") % {"countries": join_or(countries, locale)}
        if countries
        else _("Projects in any country"),
        _("For people living in %(countries)s") % {"countries": join_or(residences, locale)}
        if residences
        else _("Wherever you live"),
        _("Sectors: %(sectors)s") % {"sectors": join_or(sectors, locale)}
        if sectors
        else _("Open to all sectors"),
        _("Stages: %(stages)s") % {"stages": join_or(stages, locale)}
        if stages
        else _("Projects at any stage"),
        _("Applicants: %(types)s") % {"types": join_or(applicants, locale)}
        if applicants
        else _("Individuals, companies and associations"),
        _("Reserved for: %(groups)s") % {"groups": join_or(groups, locale)}
        if groups
        else _("Open to everyone"),
        project_size(offer, locale),
    ]


def application_window(offer: Offer | ListedOffer, locale: str, today: date) -> Window:
    """The state of the offer's application window on `today`, in words."""
    _ = get_translations(locale).gettext
    opens, deadline = offer.opens, offer.deadline
    if opens and opens > today:
        text = _("Opens on %(date)s") % {"date": format_day(opens, locale)}
        if deadline:
            text = _("Opens on %(opens)s, closes on %(deadline)s") % {
                "opens": format_day(opens, locale),
                "deadline": format_day(deadline, locale),
            }
        return Window(
            "upcoming", text, _("Opens on %(date)s") % {"date": format_day(opens, locale)}
        )
    if deadline is None:
        return Window("rolling", _("Rolling: apply at any time"), _("Rolling"))
    day = format_day(deadline, locale)
    if deadline < today:
        closed = _("Closed on %(date)s") % {"date": day}
        return Window("closed", closed, closed)
    return Window(
        "open", _("Open until %(date)s") % {"date": day}, _("Deadline: %(date)s") % {"date": day}
    )


def country_summary(codes: list[str], locale: str) -> str:
    """A few country names for a card, or "All countries"."""
    translations = get_translations(locale)
    if not codes:
        return translations.gettext("All countries")
    names = country_names(codes, locale)
    if len(names) <= CARD_COUNTRIES:
        return join_and(names, locale)
    rest = len(names) - CARD_COUNTRIES
    more = translations.ngettext("%(count)d more", "%(count)d more", rest) % {"count": rest}
    return ", ".join(names[:CARD_COUNTRIES]) + " + " + more


def offer_card(offer: Offer | ListedOffer, locale: str, today: date) -> OfferCard:
    """An offer as a result card in `locale`."""
    categories = offer.codes("categories")
    amounts = amount_range(offer.ticket_min_eur, offer.ticket_max_eur, locale)
    title, summary = title_in(offer, locale), summary_in(offer, locale)
    return OfferCard(
        id=offer.id,
        title=title.text,
        title_lang=title.lang,
        lang=offer.lang,
        provider=offer.organization.name,
        provider_id=offer.organization_id,
        kind=offer.kind,
        kind_label=label("kind", offer.kind, locale),
        category_label=label("category", categories[0], locale) if categories else None,
        countries=country_summary(offer.codes("countries"), locale),
        amounts=amounts,
        window=application_window(offer, locale, today),
        description_language=description_language(offer.lang, locale),
        summary=summary.text,
        summary_lang=summary.lang,
        stale_note=stale_note(offer.last_verified_on, locale, today),
    )


def description_language(lang: str, locale: str) -> str | None:
    """`Full description in French`, `Description complète en anglais`…, or None when the
    description is in the page's language."""
    if lang == locale:
        return None
    said = DESCRIPTION_LANGUAGES.get(lang)
    return get_translations(locale).gettext(said) if said else lang.upper()


def stale_note(last_verified_on: date | None, locale: str, today: date) -> str | None:
    """`Not verified since 2 March 2025` once the last check is 12 months old, else None."""
    since = stale_since(last_verified_on, today)
    if since is None:
        return None
    text = get_translations(locale).gettext("Not verified since %(date)s")
    return text % {"date": format_day(since, locale)}
