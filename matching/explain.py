"""Sentences explaining why an offer is recommended, what to check, or what a near miss lacks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from matching.amounts import AmountRead
from matching.eligibility import (
    APPLICANT_TYPE,
    PROJECT_SIZE,
    PUBLISHED,
    RESIDENCE_COUNTRY,
    SECTOR,
    STAGE,
    TARGET_COUNTRY,
    TARGET_GROUP,
    WINDOW,
    Failure,
    as_amount,
)
from matching.labels import Labels, safe_label
from matching.messages import (
    GROUP_PHRASES,
    french_in,
    join_alternatives,
    long_date,
    money,
    money_as_written,
    render,
)
from matching.records import OfferRecord, Profile
from matching.scoring import TEXT_SATURATION

# A description at least this close (cosine) to an offer is worth saying so.
TEXT_REASON_COSINE = 0.15


def group_phrase(code: str, labels: Labels, lang: str) -> str:
    """A target group as a phrase: "the diaspora", "les femmes entrepreneures"."""
    phrase = GROUP_PHRASES.get(code)
    return phrase[lang] if phrase else safe_label(labels.group, code, lang)


def _country_sentence(message: str, code: str, labels: Labels, lang: str) -> str:
    name = safe_label(labels.country, code, lang)
    return render(message, lang, country=name, in_country=french_in(name))


def _amount_sentence(prefix: str, low: int | None, high: int | None, lang: str, **extra) -> str:
    if low is not None and high is not None:
        key = "range"
    elif low is not None:
        key = "from"
    else:
        key = "up_to"
    return render(f"{prefix}.{key}", lang, low=money(low, lang), high=money(high, lang), **extra)


def _restriction_reasons(
    offer: OfferRecord, profile: Profile, labels: Labels, lang: str
) -> Iterator[str]:
    if offer.countries:
        yield _country_sentence("reason.country", profile.target_country, labels, lang)
    groups = set(profile.groups or ())
    shared = [g for g in offer.target_groups if g in groups]
    if shared:
        yield render("reason.group", lang, group=group_phrase(shared[0], labels, lang))
    if offer.sectors:
        yield render("reason.sector", lang, sector=safe_label(labels.sector, profile.sector, lang))
    if offer.residence_countries:
        yield _country_sentence("reason.residence", profile.residence_country, labels, lang)
    if offer.stages:
        yield render("reason.stage", lang, stage=safe_label(labels.stage, profile.stage, lang))
    if offer.applicant_types:
        name = safe_label(labels.applicant_type, profile.applicant_type, lang)
        yield render("reason.applicant_type", lang, applicant_type=name)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an offer fits, what may not fit, and when to apply."""

    reasons: list[str]
    cautions: list[str]
    timing: str


def written_amount(read: AmountRead, lang: str) -> str:
    """An amount read from text as written, with euros: "5 000 000 FCFA, soit environ 7 622 €"."""
    if read.currency != "EUR":
        return money_as_written(read.quantity, read.currency, read.eur, lang)
    return money(read.eur, lang)


def amount_sought(profile: Profile, read: AmountRead | None, lang: str) -> str:
    """The amount sought as the person gave it, in the text or in the form."""
    return money(profile.funding_need_eur, lang) if read is None else written_amount(read, lang)


def _within_ticket(offer: OfferRecord, need: float) -> bool:
    low, high = offer.ticket_min_eur, offer.ticket_max_eur
    return (low is None or need >= low) and (high is None or need <= high)


def explain(
    offer: OfferRecord,
    profile: Profile,
    *,
    needs: Sequence[str],
    components: Mapping[str, float],
    labels: Labels,
    lang: str,
    sought: str,
) -> Explanation:
    """Why `offer` suits `profile`, most telling first, with mismatches kept apart.

    `sought` is the amount sought as `amount_sought` writes it.
    """
    sentences, cautions = [], []
    met = [c for c in dict.fromkeys(offer.categories) if c in set(needs)]
    if met:
        names = ", ".join(safe_label(labels.category, c, lang) for c in met)
        key = "reason.needs.one" if len(met) == 1 else "reason.needs.many"
        sentences.append(render(key, lang, categories=names))
    elif needs:
        names = join_alternatives([safe_label(labels.category, c, lang) for c in needs], lang)
        cautions.append(render("caution.needs", lang, categories=names))
    sentences.extend(_restriction_reasons(offer, profile, labels, lang))
    bounded = offer.ticket_min_eur is not None or offer.ticket_max_eur is not None
    if "funding" in components and bounded:
        low, high = offer.ticket_min_eur, offer.ticket_max_eur
        sentence = _amount_sentence("reason.funding", low, high, lang, need=sought)
        fits = _within_ticket(offer, as_amount(profile.funding_need_eur))
        (sentences if fits else cautions).append(sentence)
    if components.get("text", 0.0) >= TEXT_REASON_COSINE / TEXT_SATURATION:
        sentences.append(render("reason.text", lang))
    if offer.deadline is not None:
        timing = render("timing.deadline", lang, date=long_date(offer.deadline, lang))
    else:
        timing = render("timing.rolling", lang)
    return Explanation(sentences, cautions, timing)


def _codes_sentence(failure: Failure, labels: Labels, lang: str) -> str:
    lookup = {
        SECTOR: labels.sector,
        STAGE: labels.stage,
        APPLICANT_TYPE: labels.applicant_type,
    }[failure.criterion]
    names = [safe_label(lookup, code, lang) for code in failure.codes]
    count = "one" if len(names) == 1 else "many"
    return render(
        f"missing.{failure.criterion}.{count}", lang, items=join_alternatives(names, lang)
    )


def _country_failure(failure: Failure, labels: Labels, lang: str) -> str:
    if len(failure.codes) == 1:
        return _country_sentence(f"missing.{failure.criterion}.one", failure.codes[0], labels, lang)
    names = [safe_label(labels.country, code, lang) for code in failure.codes]
    message = f"missing.{failure.criterion}.many"
    return render(message, lang, countries=join_alternatives(names, lang))


def _window_failure(failure: Failure, as_of: date, lang: str) -> str:
    if failure.opens is not None and failure.opens > as_of:
        return render("missing.window.opens", lang, date=long_date(failure.opens, lang))
    closed = failure.deadline if failure.deadline is not None else as_of
    return render("missing.window.closed", lang, date=long_date(closed, lang))


def missing(failure: Failure, profile: Profile, *, as_of: date, labels: Labels, lang: str) -> str:
    """What `profile` lacks for one failed criterion, as one sentence."""
    criterion = failure.criterion
    if criterion in (TARGET_COUNTRY, RESIDENCE_COUNTRY):
        return _country_failure(failure, labels, lang)
    if criterion in (SECTOR, STAGE, APPLICANT_TYPE):
        return _codes_sentence(failure, labels, lang)
    if criterion == TARGET_GROUP:
        phrases = [group_phrase(code, labels, lang) for code in failure.codes]
        return render("missing.target_group", lang, groups=join_alternatives(phrases, lang))
    if criterion == PROJECT_SIZE:
        project = money(profile.project_eur, lang)
        low, high = failure.minimum, failure.maximum
        return _amount_sentence("missing.project_size", low, high, lang, project=project)
    if criterion == WINDOW:
        return _window_failure(failure, as_of, lang)
    if criterion == PUBLISHED:
        return render("missing.published", lang)
    return criterion
