"""`MatchIndex`: a catalogue compiled once into arrays, matched against profiles fast."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

import numpy as np

from matching import batch, digest, explain, near
from matching.amounts import AmountRead, AmountReader
from matching.arrays import CatalogueArrays, Splice
from matching.eligibility import (
    APPLICANT_TYPE,
    CRITERIA,
    PROJECT_SIZE,
    PUBLISHED,
    RESIDENCE_COUNTRY,
    SECTOR,
    STAGE,
    TARGET_COUNTRY,
    TARGET_GROUP,
    WINDOW,
    as_amount,
    check_eligibility,
)
from matching.labels import Labels, normalise_lang
from matching.lexicon import Lexicon, default_lexicon
from matching.messages import Voice
from matching.needs import NeedsModel
from matching.records import MatchResult, NearMiss, OfferRecord, Profile, Recommendation
from matching.scoring import Scores, score
from matching.text import OfferText

DEFAULT_NEAR_MISSES = 5


class MatchIndex:
    """Eligibility, scoring and explanation of a fixed catalogue for any profile."""

    def __init__(
        self,
        offers: tuple[OfferRecord, ...],
        arrays: CatalogueArrays,
        text: OfferText,
        needs_model: NeedsModel | None,
        lexicon: Lexicon,
        amounts: AmountReader,
    ):
        self._offers = offers
        self._arrays = arrays
        self._text = text
        self._needs_model = needs_model
        self._lexicon = lexicon
        self._amounts = amounts

    @classmethod
    def build(
        cls,
        offers: Sequence[OfferRecord],
        needs_model: NeedsModel | None = None,
        *,
        currency_rates: Mapping[str, float | Decimal] | None = None,
        lexicon: Lexicon | None = None,
    ) -> MatchIndex:
        """Compile `offers` once.

        With `needs_model`, needs are read from descriptions (the lexicon's words and the
        model's guesses); `currency_rates` (units per euro) convert amounts read in text.
        """
        ordered = tuple(sorted(offers, key=lambda o: o.offer_id))
        ids = [o.offer_id for o in ordered]
        if len(set(ids)) != len(ids):
            raise ValueError("offer_id values must be unique")
        texts = [f"{o.title}\n{o.description}" for o in ordered]
        lexicon = lexicon or default_lexicon()
        amounts = AmountReader(lexicon, currency_rates or {})
        arrays = CatalogueArrays.build(ordered)
        return cls(ordered, arrays, OfferText.build(texts), needs_model, lexicon, amounts)

    def patched(self, replaced: Iterable[int], offers: Sequence[OfferRecord]) -> MatchIndex:
        """A new index where the offers `replaced` (ids) give way to `offers`.

        An id replaced and absent from `offers` leaves the index (deleted, unpublished).
        Only the new offers are compiled; this index is left as it is for its readers.
        """
        added = tuple(sorted(offers, key=lambda o: o.offer_id))
        added_ids = np.asarray([o.offer_id for o in added], dtype=np.int64)
        gone = np.union1d(np.fromiter(replaced, dtype=np.int64), added_ids)
        kept = ~np.isin(self.offer_ids, gone)
        if len(set(added_ids.tolist())) != added_ids.size:
            raise ValueError("offer_id values must be unique")
        placed = Splice.of(self.offer_ids, kept, added_ids)
        arrays = self._arrays.spliced(placed, CatalogueArrays.build(added))
        text = self._text.spliced(
            kept, [f"{o.title}\n{o.description}" for o in added], placed.order
        )
        joined = [o for o, keep in zip(self._offers, kept, strict=True) if keep] + list(added)
        ordered = tuple(joined[i] for i in placed.order)
        return MatchIndex(ordered, arrays, text, self._needs_model, self._lexicon, self._amounts)

    def __len__(self) -> int:
        return len(self._offers)

    @property
    def offer_ids(self) -> np.ndarray:
        """Offer ids in index order (ascending)."""
        return self._arrays.offer_ids

    def failures(self, profile: Profile, as_of: date) -> dict[str, np.ndarray]:
        """Per criterion, a boolean array over offers: True where the profile fails it."""
        a = self._arrays
        project = as_amount(profile.project_eur)
        if np.isnan(project):
            # An unusable project size fails every offer that bounds it.
            size_fails = (a.min_project > -np.inf) | (a.max_project < np.inf)
        else:
            size_fails = (a.min_project > project) | (a.max_project < project)
        day = as_of.toordinal()
        return {
            TARGET_COUNTRY: ~a.countries.admits([profile.target_country]),
            RESIDENCE_COUNTRY: ~a.residence_countries.admits([profile.residence_country]),
            SECTOR: ~a.sectors.admits([profile.sector]),
            STAGE: ~a.stages.admits([profile.stage]),
            APPLICANT_TYPE: ~a.applicant_types.admits([profile.applicant_type]),
            TARGET_GROUP: ~a.target_groups.admits(profile.groups or ()),
            PROJECT_SIZE: size_fails,
            PUBLISHED: ~a.published,
            WINDOW: (a.opens > day) | (a.deadline < day),
        }

    def failure_counts(self, profile: Profile, as_of: date) -> np.ndarray:
        """How many criteria each offer fails for `profile` on `as_of`."""
        return self._count(self.failures(profile, as_of))

    def eligible_mask(self, profile: Profile, as_of: date) -> np.ndarray:
        """Boolean array over offers (index order): True where the offer is eligible."""
        return self.failure_counts(profile, as_of) == 0

    def eligible_ids(self, profile: Profile, as_of: date) -> list[int]:
        """Ids of every eligible offer, ascending."""
        return self.offer_ids[self.eligible_mask(profile, as_of)].tolist()

    def eligible_counts(self, profiles: Sequence[Profile], as_of: date) -> np.ndarray:
        """How many offers each profile is eligible for, computed for all at once."""
        return batch.eligible_counts(self._arrays, profiles, as_of)

    def pair_counts(self, pairs: Sequence[tuple[str, str]], as_of: date) -> np.ndarray:
        """Per (project country, sector), the open offers admitting both of them."""
        return batch.pair_counts(self._arrays, pairs, as_of)

    def _count(self, failures: dict[str, np.ndarray]) -> np.ndarray:
        counts = np.zeros(len(self._offers), dtype=np.uint8)
        for criterion in CRITERIA:
            counts += failures[criterion]
        return counts

    def amount_read(self, profile: Profile) -> AmountRead | None:
        """The amount sought read from the description when the profile gives none."""
        if profile.funding_need_eur is not None or not isinstance(profile.description, str):
            return None
        return self._amounts.amount_sought(profile.description, profile.target_country)

    def infer_needs(self, profile: Profile) -> tuple[str, ...] | None:
        """Needs read from the description when none are given and a model is set.

        The lexicon's words come first, then the model's guesses; an amount sought (given
        or written) is itself a need for money.
        """
        if profile.needs or self._needs_model is None:
            return None
        text = profile.description if isinstance(profile.description, str) else ""
        needs = self._lexicon.read_needs(text)
        if profile.funding_need_eur is not None or self.amount_read(profile) is not None:
            needs = self._lexicon.with_money_need(needs)
        if text.strip():
            needs = tuple(dict.fromkeys([*needs, *self._needs_model.predict(text)]))
        return needs if needs or text.strip() else None

    def match(
        self,
        profile: Profile,
        *,
        as_of: date,
        top: int = 10,
        lang: str = "en",
        labels: Labels,
        near_misses: int = DEFAULT_NEAR_MISSES,
        funding_as_typed: AmountRead | None = None,
    ) -> MatchResult:
        """The `top` best eligible offers, explained, the best near misses, and suggestions.

        `funding_as_typed` is the profile's `funding_need_eur` as the person typed it in
        another currency, so that sentences show it as typed.
        """
        voice = Voice(normalise_lang(lang), labels)
        amount = self.amount_read(profile)
        if amount is not None:
            profile = replace(profile, funding_need_eur=amount.eur)
        inferred = self.infer_needs(profile)
        needs = tuple(profile.needs or ()) if inferred is None else inferred
        failures = self.failures(profile, as_of)
        counts = self._count(failures)
        eligible = np.flatnonzero(counts == 0)
        nearby = near.near_rows(
            self._arrays, failures, np.flatnonzero((counts == 1) & ~failures[PUBLISHED]), as_of
        )
        rows = np.concatenate([eligible, nearby.rows])
        query = self._text.query(profile.description)
        scores = score(
            self._arrays,
            rows,
            needs=needs,
            funding_need=profile.funding_need_eur,
            as_of=as_of,
            failures=failures,
            cosine=None if query is None else self._text.cosine(rows, query),
        )
        split = eligible.size
        keys = scores.rank_key
        best = self._ranked(scores.rows, keys, 0, split, top)
        near_keys = np.concatenate([keys[:split], nearby.rank_key(keys[split:])])
        best_near = self._ranked(scores.rows, near_keys, split, rows.size, near_misses)
        sought = explain.amount_sought(profile, amount or funding_as_typed, voice)
        suggested = near.suggestions(
            self._offers,
            nearby,
            scores.meets_need[split:],
            profile,
            needs_known=bool(needs),
            voice=voice,
        )
        return MatchResult(
            results=[self._recommend(scores, i, profile, needs, voice, sought) for i in best],
            near_misses=[self._near_miss(rows[i], profile, as_of, voice) for i in best_near],
            inferred_needs=inferred,
            eligible_count=int(eligible.size),
            suggestions=suggested,
            amount_read=amount,
        )

    def best_among(
        self,
        profiles: Sequence[Profile],
        offer_ids: Sequence[int],
        *,
        as_of: date,
        top: int,
        lang: str = "en",
        labels: Labels,
        within: Collection[int] | None = None,
    ) -> list[list[Recommendation]]:
        """Per profile, the `top` best eligible offers among `offer_ids`, explained as
        `match` explains them; scored for all profiles at once (matching.digest).

        With `within`, only the chosen offers whose id is in it are kept (and explained).
        """
        voice = Voice(normalise_lang(lang), labels)
        wanted = np.unique(np.asarray(list(offer_ids), dtype=np.int64))
        positions = np.searchsorted(self.offer_ids, wanted)
        inside = positions < self.offer_ids.size
        inside[inside] = self.offer_ids[positions[inside]] == wanted[inside]
        rows = positions[inside]
        if rows.size == 0 or not profiles:
            return [[] for _ in profiles]
        offers = [self._offers[row] for row in rows]
        prepared = [self._prepare(profile, voice) for profile in profiles]
        picks = digest.best_picks(
            CatalogueArrays.build(offers),
            lambda columns, queries: self._text.pair_cosines(rows[columns], queries),
            prepared,
            as_of=as_of,
            top=top,
        )
        return [
            [
                self._explained(
                    offers[pick.column],
                    item.profile,
                    item.needs,
                    pick.components,
                    pick.score,
                    voice,
                    item.sought,
                )
                for pick in chosen
                if within is None or offers[pick.column].offer_id in within
            ]
            for item, chosen in zip(prepared, picks, strict=True)
        ]

    def _prepare(self, profile: Profile, voice: Voice) -> digest.Prepared:
        amount = self.amount_read(profile)
        if amount is not None:
            profile = replace(profile, funding_need_eur=amount.eur)
        inferred = self.infer_needs(profile)
        needs = tuple(profile.needs or ()) if inferred is None else inferred
        query = self._text.query(profile.description)
        sought = explain.amount_sought(profile, amount, voice)
        return digest.Prepared(profile, needs, query, sought)

    def _ranked(
        self, rows: np.ndarray, keys: np.ndarray, start: int, stop: int, limit: int
    ) -> np.ndarray:
        # Highest key first, ties broken by ascending offer_id for a stable answer.
        if limit <= 0 or stop <= start:
            return np.empty(0, dtype=np.int64)
        positions = np.arange(start, stop)
        totals = keys[positions]
        if positions.size > limit:
            # Only offers keyed at least the limit-th best can make it; ties stay in.
            kth_best = -np.partition(-totals, limit - 1)[limit - 1]
            keep = totals >= kth_best
            positions, totals = positions[keep], totals[keep]
        ids = self._arrays.offer_ids[rows[positions]]
        order = np.lexsort((ids, -totals))
        return positions[order[:limit]]

    def _recommend(
        self,
        scores: Scores,
        i: int,
        profile: Profile,
        needs: Sequence[str],
        voice: Voice,
        sought: str,
    ) -> Recommendation:
        offer = self._offers[scores.rows[i]]
        return self._explained(
            offer, profile, needs, scores.components_at(i), float(scores.total[i]), voice, sought
        )

    @staticmethod
    def _explained(
        offer: OfferRecord,
        profile: Profile,
        needs: Sequence[str],
        components: dict[str, float],
        score: float,
        voice: Voice,
        sought: str,
    ) -> Recommendation:
        """An offer chosen for `profile`, with its reasons, cautions and timing."""
        explanation = explain.explain(
            offer, profile, needs=needs, components=components, voice=voice, sought=sought
        )
        return Recommendation(
            offer_id=offer.offer_id,
            external_id=offer.external_id,
            title=offer.title,
            organization=offer.organization,
            score=score,
            reasons=explanation.reasons,
            components=components,
            cautions=explanation.cautions,
            timing=explanation.timing,
        )

    def _near_miss(self, row: int, profile: Profile, as_of: date, voice: Voice) -> NearMiss:
        offer = self._offers[row]
        (failure,) = check_eligibility(offer, profile, as_of)
        return NearMiss(
            offer_id=offer.offer_id,
            external_id=offer.external_id,
            title=offer.title,
            organization=offer.organization,
            missing=explain.missing(failure, profile, as_of=as_of, voice=voice),
            criterion=failure.criterion,
        )
