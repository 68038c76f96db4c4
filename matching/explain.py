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
from matching.labels import Labels, normalise_lang, safe_label
from matching.messages import (
    CAUTION_NEEDS,
    GROUP_PHRASES,
    MISSING_CLOSED,
    MISSING_CODES,
    MISSING_COUNTRY,
    MISSING_GROUP,
    MISSING_OPENS,
    MISSING_PROJECT_SIZE,
    MISSING_PUBLISHED,
    REASON_APPLICANT_TYPE,
    REASON_COUNTRY,
    REASON_FUNDING,
    REASON_GROUP,
    REASON_NEEDS_MANY,
    REASON_NEEDS_ONE,
    REASON_RESIDENCE,
    REASON_SECTOR,
    REASON_STAGE,
    REASON_TEXT,
    TIMING_DEADLINE,
    TIMING_ROLLING,
    Voice,
    in_country,
    join_alternatives,
    long_date,
    money,
    money_as_written,
)
from matching.records import OfferRecord, Profile
from matching.scoring import TEXT_SATURATION

# A description at least this close (cosine) to an offer is worth saying so.
TEXT_REASON_COSINE = 0.15


def group_phrase(code: str, voice: Voice) -> str:
    """A target group as a phrase: "the diaspora", "les femmes entrepreneures"."""
    phrase = GROUP_PHRASES.get(code)
    return voice.say(phrase) if phrase else safe_label(voice.labels.group, code, voice.lang)


def _label(lookup, code: str, voice: Voice) -> str:
    return safe_label(lookup, code, voice.lang)


def _country_sentence(message: str, code: str, voice: Voice) -> str:
    name = _label(voice.labels.country, code, voice)
    return voice.say(message, in_country=in_country(name, voice.lang))


def _amount_sentence(
    messages: Mapping[str, str], low: int | None, high: int | None, voice: Voice, **extra
) -> str:
    if low is not None and high is not None:
        key = "range"
    elif low is not None:
        key = "from"
    else:
        key = "up_to"
    return voice.say(messages[key], low=money(low, voice), high=money(high, voice), **extra)


def _restriction_reasons(offer: OfferRecord, profile: Profile, voice: Voice) -> Iterator[str]:
    labels = voice.labels
    if offer.countries:
        yield _country_sentence(REASON_COUNTRY, profile.target_country, voice)
    groups = set(profile.groups or ())
    shared = [g for g in offer.target_groups if g in groups]
    if shared:
        yield voice.say(REASON_GROUP, group=group_phrase(shared[0], voice))
    if offer.sectors:
        yield voice.say(REASON_SECTOR, sector=_label(labels.sector, profile.sector, voice))
    if offer.residence_countries:
        yield _country_sentence(REASON_RESIDENCE, profile.residence_country, voice)
    if offer.stages:
        yield voice.say(REASON_STAGE, stage=_label(labels.stage, profile.stage, voice))
    if offer.applicant_types:
        name = _label(labels.applicant_type, profile.applicant_type, voice)
        yield voice.say(REASON_APPLICANT_TYPE, applicant_type=name)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an offer fits, what may not fit, and when to apply."""

    reasons: list[str]
    cautions: list[str]
    timing: str


def written_amount(read: AmountRead, lang: str, labels: Labels | None = None) -> str:
    """An amount read from text as written, with euros: "5 000 000 FCFA, soit environ 7 622 €"."""
    voice = Voice(normalise_lang(lang), labels)
    if read.currency != "EUR":
        return money_as_written(read.quantity, read.currency, read.eur, voice)
    return money(read.eur, voice)


def amount_sought(profile: Profile, read: AmountRead | None, voice: Voice) -> str:
    """The amount sought as the person gave it, in the text or in the form."""
    if read is None:
        return money(profile.funding_need_eur, voice)
    return written_amount(read, voice.lang, voice.labels)


def _within_ticket(offer: OfferRecord, need: float) -> bool:
    low, high = offer.ticket_min_eur, offer.ticket_max_eur
    return (low is None or need >= low) and (high is None or need <= high)


def explain(
    offer: OfferRecord,
    profile: Profile,
    *,
    needs: Sequence[str],
    components: Mapping[str, float],
    voice: Voice,
    sought: str,
) -> Explanation:
    """Why `offer` suits `profile`, most telling first, with mismatches kept apart.

    `sought` is the amount sought as `amount_sought` writes it.
    """
    sentences, cautions = [], []
    category = voice.labels.category
    met = [c for c in dict.fromkeys(offer.categories) if c in set(needs)]
    if met:
        names = ", ".join(_label(category, c, voice) for c in met)
        message = REASON_NEEDS_ONE if len(met) == 1 else REASON_NEEDS_MANY
        sentences.append(voice.say(message, categories=names))
    elif needs:
        names = join_alternatives([_label(category, c, voice) for c in needs], voice)
        cautions.append(voice.say(CAUTION_NEEDS, categories=names))
    sentences.extend(_restriction_reasons(offer, profile, voice))
    bounded = offer.ticket_min_eur is not None or offer.ticket_max_eur is not None
    if "funding" in components and bounded:
        low, high = offer.ticket_min_eur, offer.ticket_max_eur
        sentence = _amount_sentence(REASON_FUNDING, low, high, voice, need=sought)
        fits = _within_ticket(offer, as_amount(profile.funding_need_eur))
        (sentences if fits else cautions).append(sentence)
    if components.get("text", 0.0) >= TEXT_REASON_COSINE / TEXT_SATURATION:
        sentences.append(voice.say(REASON_TEXT))
    if offer.deadline is not None:
        timing = voice.say(TIMING_DEADLINE, date=long_date(offer.deadline, voice.lang))
    else:
        timing = voice.say(TIMING_ROLLING)
    return Explanation(sentences, cautions, timing)


def _codes_sentence(failure: Failure, voice: Voice) -> str:
    lookup = {
        SECTOR: voice.labels.sector,
        STAGE: voice.labels.stage,
        APPLICANT_TYPE: voice.labels.applicant_type,
    }[failure.criterion]
    names = [_label(lookup, code, voice) for code in failure.codes]
    count = "one" if len(names) == 1 else "many"
    message = MISSING_CODES[failure.criterion, count]
    return voice.say(message, items=join_alternatives(names, voice))


def _country_failure(failure: Failure, voice: Voice) -> str:
    if len(failure.codes) == 1:
        message = MISSING_COUNTRY[failure.criterion, "one"]
        return _country_sentence(message, failure.codes[0], voice)
    names = [_label(voice.labels.country, code, voice) for code in failure.codes]
    message = MISSING_COUNTRY[failure.criterion, "many"]
    return voice.say(message, countries=join_alternatives(names, voice))


def _window_failure(failure: Failure, as_of: date, voice: Voice) -> str:
    if failure.opens is not None and failure.opens > as_of:
        return voice.say(MISSING_OPENS, date=long_date(failure.opens, voice.lang))
    closed = failure.deadline if failure.deadline is not None else as_of
    return voice.say(MISSING_CLOSED, date=long_date(closed, voice.lang))


def missing(failure: Failure, profile: Profile, *, as_of: date, voice: Voice) -> str:
    """What `profile` lacks for one failed criterion, as one sentence."""
    criterion = failure.criterion
    if criterion in (TARGET_COUNTRY, RESIDENCE_COUNTRY):
        return _country_failure(failure, voice)
    if criterion in (SECTOR, STAGE, APPLICANT_TYPE):
        return _codes_sentence(failure, voice)
    if criterion == TARGET_GROUP:
        phrases = [group_phrase(code, voice) for code in failure.codes]
        return voice.say(MISSING_GROUP, groups=join_alternatives(phrases, voice))
    if criterion == PROJECT_SIZE:
        project = money(profile.project_eur, voice)
        low, high = failure.minimum, failure.maximum
        return _amount_sentence(MISSING_PROJECT_SIZE, low, high, voice, project=project)
    if criterion == WINDOW:
        return _window_failure(failure, as_of, voice)
    if criterion == PUBLISHED:
        return voice.say(MISSING_PUBLISHED)
    return criterion
