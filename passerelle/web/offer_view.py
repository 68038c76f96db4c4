"""Offers put into words for the pages: eligibility, amounts and windows, in the page's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from passerelle.i18n import (
    N_,
    format_day,
    format_eur,
    format_number,
    get_translations,
    join_and,
    join_or,
)
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
# The CFA francs as their users write them, rather than their ISO codes.
CURRENCY_SHOWN = {"XOF": "FCFA", "XAF": "FCFA"}
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


def format_amount(eur: int, locale: str, written: dict | None = None) -> str:
    """`€7,622`, or as written in another currency: `5,000,000 FCFA (about €7,622)`.
    `written` (`Amount.as_written`) counts only while the euros are still those it was
    read as: an amount changed since is shown in euros alone."""
    if not written or written.get("eur") != eur:
        return format_eur(eur, locale)
    currency = written["currency"]
    quantity = format_number(Decimal(written["quantity"]), locale)
    as_written = f"{quantity} {CURRENCY_SHOWN.get(currency, currency)}"
    text = get_translations(locale).gettext("%(written)s (about %(eur)s)")
    return text % {"written": as_written, "eur": format_eur(eur, locale)}


def amount_range(
    low: int | None, high: int | None, locale: str, written: tuple[dict, dict] = ({}, {})
) -> str | None:
    """`From €1,000 to €5,000`, `Up to €5,000`, `From €1,000`, or None without bounds;
    `written`, each bound as written in another currency (see `format_amount`)."""
    _ = get_translations(locale).gettext
    if low and high and low != high:
        return _("From %(low)s to %(high)s") % {
            "low": format_amount(low, locale, written[0]),
            "high": format_amount(high, locale, written[1]),
        }
    if high:
        shown = format_amount(high, locale, written[1])
        return shown if low == high else _("Up to %(high)s") % {"high": shown}
    if low:
        return _("From %(low)s") % {"low": format_amount(low, locale, written[0])}
    return None


def _written(offer: Offer, *names: str) -> tuple:
    return tuple(offer.written_amounts.get(name, {}) for name in names)


def offer_ticket(offer: Offer, locale: str) -> str | None:
    """The amount an offer provides, each bound also as written when it was in another
    currency: the offer page, the comparison and the review queue all say it so."""
    written = _written(offer, "ticket_min_eur", "ticket_max_eur")
    return amount_range(offer.ticket_min_eur, offer.ticket_max_eur, locale, written)


def project_size(offer: Offer, locale: str) -> str:
    """The project sizes an offer admits, in a sentence."""
    _ = get_translations(locale).gettext
    low, high = offer.min_project_eur, offer.max_project_eur
    written_low, written_high = _written(offer, "min_project_eur", "max_project_eur")
    if low and high:
        return _("Projects from %(low)s to %(high)s") % {
            "low": format_amount(low, locale, written_low),
            "high": format_amount(high, locale, written_high),
        }
    if high:
        return _("Projects up to %(high)s") % {"high": format_amount(high, locale, written_high)}
    if low:
        return _("Projects of at least %(low)s") % {"low": format_amount(low, locale, written_low)}
    return _("Any project size")


# Each criterion of eligibility as the comparison's row headers name it, in the order
# `eligibility_rows` gives them.
ELIGIBILITY_CRITERIA = (
    N_("Project countries"),
    N_("Where applicants live"),
    N_("Sectors"),
    N_("Stages"),
    N_("Applicants"),
    N_("Target groups"),
    N_("Project size"),
)


@dataclass(frozen=True)
class Criterion:
    """One criterion of eligibility: its name, its sentence for a list, and what it
    admits said alone for a table whose row header already names it."""

    name: str
    sentence: str
    admits: str


def eligibility_rows(offer: Offer, locale: str) -> list[Criterion]:
    """Who an offer is for, criterion by criterion, in plain words."""
    _ = get_translations(locale).gettext
    # What each criterion admits, its sentence (the offer page's) and that sentence's key.
    restricted = [
        (
            country_names(offer.codes("countries"), locale),
            _("Projects in %(countries)s"),
            "countries",
        ),
        (
            country_names(offer.codes("residence_countries"), locale),
            _("For people living in %(countries)s"),
            "countries",
        ),
        (_labels("sector", offer.codes("sectors"), locale), _("Sectors: %(sectors)s"), "sectors"),
        (_labels("stage", offer.codes("stages"), locale), _("Stages: %(stages)s"), "stages"),
        (
            _labels("applicant_type", offer.codes("applicant_types"), locale),
            _("Applicants: %(types)s"),
            "types",
        ),
        (
            _labels("target_group", offer.codes("target_groups"), locale),
            _("Reserved for: %(groups)s"),
            "groups",
        ),
    ]
    unrestricted = (
        _("Projects in any country"),
        _("Wherever you live"),
        _("Open to all sectors"),
        _("Projects at any stage"),
        _("Individuals, companies and associations"),
        _("Open to everyone"),
    )
    rows = []
    for name, (values, sentence, key), anything in zip(
        ELIGIBILITY_CRITERIA, restricted, unrestricted, strict=False
    ):
        admits = join_or(values, locale) if values else anything
        said = sentence % {key: admits} if values else anything
        rows.append(Criterion(_(name), said, admits))
    size = project_size(offer, locale)
    return [*rows, Criterion(_(ELIGIBILITY_CRITERIA[-1]), size, size)]


def eligibility(offer: Offer, locale: str) -> list[str]:
    """Who an offer is for, one plain sentence per criterion."""
    return [criterion.sentence for criterion in eligibility_rows(offer, locale)]


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


@dataclass(frozen=True)
class ShareLinks:
    """Ways to pass an offer on: its public address, an e-mail and a WhatsApp message."""

    url: str
    mail: str
    whatsapp: str


def share_links(title: str, url: str, locale: str) -> ShareLinks:
    """Links that hand the offer's title and public address to the visitor's own mail or
    WhatsApp; nothing is fetched from elsewhere, the visitor's app does the sending."""
    text = f"{title}\n{url}"
    subject = get_translations(locale).gettext("An offer on Passerelle: %(title)s") % {
        "title": title
    }
    return ShareLinks(
        url=url,
        mail=f"mailto:?subject={quote(subject)}&body={quote(text)}",
        whatsapp=f"https://wa.me/?text={quote(text)}",
    )
