"""`MatchIndex`: a catalogue compiled once into arrays, matched against profiles fast."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from matching import batch, explain
from matching.arrays import CatalogueArrays
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
    ):
        self._offers = offers
        self._arrays = arrays
        self._text = text
        self._needs_model = needs_model

    @classmethod
    def build(
        cls, offers: Sequence[OfferRecord], needs_model: NeedsModel | None = None
    ) -> MatchIndex:
        """Compile `offers` once; `needs_model` infers needs from descriptions if given."""
        ordered = tuple(sorted(offers, key=lambda o: o.offer_id))
        ids = [o.offer_id for o in ordered]
        if len(set(ids)) != len(ids):
            raise ValueError("offer_id values must be unique")
        texts = [f"{o.title}\n{o.description}" for o in ordered]
        return cls(ordered, CatalogueArrays.build(ordered), OfferText.build(texts), needs_model)

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

    def infer_needs(self, profile: Profile) -> tuple[str, ...] | None:
        """Needs read from the description when none are given and a model is set."""
        if profile.needs or self._needs_model is None:
            return None
        if not isinstance(profile.description, str) or not profile.description.strip():
            return None
        return self._needs_model.predict(profile.description)

    def match(
        self,
        profile: Profile,
        *,
        as_of: date,
        top: int = 10,
        lang: str = "en",
        labels: Labels,
        near_misses: int = DEFAULT_NEAR_MISSES,
    ) -> MatchResult:
        """The `top` best eligible offers, explained, and the best near misses."""
        lang = normalise_lang(lang)
        inferred = self.infer_needs(profile)
        needs = tuple(profile.needs or ()) if inferred is None else inferred
        failures = self.failures(profile, as_of)
        counts = self._count(failures)
        eligible = np.flatnonzero(counts == 0)
        near = np.flatnonzero((counts == 1) & ~failures[PUBLISHED])
        rows = np.concatenate([eligible, near])
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
        best = self._ranked(scores, 0, split, top)
        best_near = self._ranked(scores, split, rows.size, near_misses)
        return MatchResult(
            results=[self._recommend(scores, i, profile, needs, labels, lang) for i in best],
            near_misses=[self._near_miss(rows[i], profile, as_of, labels, lang) for i in best_near],
            inferred_needs=inferred,
            eligible_count=int(eligible.size),
        )

    def _ranked(self, scores: Scores, start: int, stop: int, limit: int) -> np.ndarray:
        # Highest score first, ties broken by ascending offer_id for a stable answer.
        if limit <= 0 or stop <= start:
            return np.empty(0, dtype=np.int64)
        positions = np.arange(start, stop)
        totals = scores.total[positions]
        if positions.size > limit:
            # Only offers scoring at least the limit-th best can make it; ties stay in.
            kth_best = -np.partition(-totals, limit - 1)[limit - 1]
            keep = totals >= kth_best
            positions, totals = positions[keep], totals[keep]
        ids = self._arrays.offer_ids[scores.rows[positions]]
        order = np.lexsort((ids, -totals))
        return positions[order[:limit]]

    def _recommend(
        self,
        scores: Scores,
        i: int,
        profile: Profile,
        needs: Sequence[str],
        labels: Labels,
        lang: str,
    ) -> Recommendation:
        offer = self._offers[scores.rows[i]]
        components = scores.components_at(i)
        sentences = explain.reasons(
            offer, profile, needs=needs, components=components, labels=labels, lang=lang
        )
        return Recommendation(
            offer_id=offer.offer_id,
            external_id=offer.external_id,
            title=offer.title,
            organization=offer.organization,
            score=float(scores.total[i]),
            reasons=sentences,
            components=components,
        )

    def _near_miss(
        self, row: int, profile: Profile, as_of: date, labels: Labels, lang: str
    ) -> NearMiss:
        offer = self._offers[row]
        (failure,) = check_eligibility(offer, profile, as_of)
        return NearMiss(
            offer_id=offer.offer_id,
            external_id=offer.external_id,
            title=offer.title,
            organization=offer.organization,
            missing=explain.missing(failure, profile, as_of=as_of, labels=labels, lang=lang),
            criterion=failure.criterion,
        )
