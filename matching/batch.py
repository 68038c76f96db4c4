"""Eligibility of many profiles at once, as profile-by-offer boolean matrices.

`MatchIndex.failures` answers for one profile; staff analytics need the eligible count
of every project, so the same criteria are computed here for a block of profiles with
one sparse product per list criterion instead of one pass per profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
from scipy import sparse

from matching.arrays import CatalogueArrays, Membership
from matching.eligibility import as_amount
from matching.records import Profile

# Profiles per block: bounds the dense matrices to BLOCK by offers booleans.
BLOCK = 256


def eligible_counts(
    arrays: CatalogueArrays, profiles: Sequence[Profile], as_of: date
) -> np.ndarray:
    """How many offers of `arrays` each profile is eligible for on `as_of`."""
    counts = np.zeros(len(profiles), dtype=np.int64)
    for start in range(0, len(profiles), BLOCK):
        block = profiles[start : start + BLOCK]
        counts[start : start + len(block)] = eligible_matrix(arrays, block, as_of).sum(axis=1)
    return counts


def eligible_matrix(
    arrays: CatalogueArrays, profiles: Sequence[Profile], as_of: date
) -> np.ndarray:
    """Profile-by-offer booleans: True where the offer admits the profile on `as_of`."""
    a = arrays
    day = as_of.toordinal()
    eligible = np.broadcast_to(
        a.published & (a.opens <= day) & (a.deadline >= day), (len(profiles), a.offer_ids.size)
    ).copy()
    eligible &= admitted(a.countries, [[p.target_country] for p in profiles])
    eligible &= admitted(a.residence_countries, [[p.residence_country] for p in profiles])
    eligible &= admitted(a.sectors, [[p.sector] for p in profiles])
    eligible &= admitted(a.stages, [[p.stage] for p in profiles])
    eligible &= admitted(a.applicant_types, [[p.applicant_type] for p in profiles])
    eligible &= admitted(a.target_groups, [p.groups or () for p in profiles])
    eligible &= size_admitted(a, profiles)
    return eligible


def admitted(membership: Membership, codes: Sequence[Iterable[object]]) -> np.ndarray:
    """Profile-by-offer booleans: the offer is unrestricted or lists one of the codes."""
    profile_of, row_of = [], []
    for position, wanted in enumerate(codes):
        for code in wanted:
            row = membership.rows.get(code) if isinstance(code, str) else None
            if row is not None:
                profile_of.append(position)
                row_of.append(row)
    indicator = sparse.csr_array(
        (np.ones(len(row_of), dtype=np.int32), (profile_of, row_of)),
        shape=(len(codes), len(membership.rows)),
    )
    listed = (indicator @ membership.matrix.astype(np.int32)).toarray() > 0
    return listed | membership.unrestricted[np.newaxis, :]


def size_admitted(arrays: CatalogueArrays, profiles: Sequence[Profile]) -> np.ndarray:
    """Profile-by-offer booleans: the project size lies within the offer's bounds."""
    project = np.asarray([as_amount(p.project_eur) for p in profiles], dtype=np.float64)
    low, high = arrays.min_project[np.newaxis, :], arrays.max_project[np.newaxis, :]
    inside = (low <= project[:, np.newaxis]) & (project[:, np.newaxis] <= high)
    # An unusable size fails every bounded offer, as in MatchIndex.failures.
    unbounded = (low == -np.inf) & (high == np.inf)
    return np.where(np.isnan(project)[:, np.newaxis], unbounded, inside)


def pair_counts(
    arrays: CatalogueArrays, pairs: Sequence[tuple[str, str]], as_of: date
) -> np.ndarray:
    """For each (project country, sector): published offers not closed on `as_of` whose
    country and sector restrictions both admit it (an unrestricted side admits all)."""
    countries = sorted({country for country, _ in pairs})
    sectors = sorted({sector for _, sector in pairs})
    still_open = arrays.published & (arrays.deadline >= as_of.toordinal())
    by_country = admitted(arrays.countries, [[c] for c in countries]) & still_open
    by_sector = admitted(arrays.sectors, [[s] for s in sectors])
    # One product counts every country-sector combination; float32 is exact here.
    table = by_country.astype(np.float32) @ by_sector.T.astype(np.float32)
    row = {code: i for i, code in enumerate(countries)}
    column = {code: i for i, code in enumerate(sectors)}
    counts = [table[row[country], column[sector]] for country, sector in pairs]
    return np.asarray(counts, dtype=np.int64)
