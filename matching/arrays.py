"""Column-wise numeric form of a catalogue: membership matrices, bounds and dates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse

from matching.records import OfferRecord

# Dates are day ordinals; these sentinels stand for "no bound".
NO_OPENING = np.iinfo(np.int32).min
NO_DEADLINE = np.iinfo(np.int32).max


@dataclass(frozen=True, slots=True)
class Membership:
    """Code-by-offer boolean matrix for one list criterion, plus who is unrestricted."""

    rows: dict[str, int]
    matrix: sparse.csr_array
    unrestricted: np.ndarray
    inverse_sqrt_count: np.ndarray

    @classmethod
    def build(cls, lists: Sequence[Sequence[str]]) -> Membership:
        """Index the code lists of every offer, in offer order."""
        rows: dict[str, int] = {}
        row_of, col_of = [], []
        for col, codes in enumerate(lists):
            for code in dict.fromkeys(codes):
                row_of.append(rows.setdefault(code, len(rows)))
                col_of.append(col)
        n_offers = len(lists)
        data = np.ones(len(row_of), dtype=bool)
        coords = (np.asarray(row_of, dtype=np.int64), np.asarray(col_of, dtype=np.int64))
        matrix = sparse.csr_array((data, coords), shape=(len(rows), n_offers))
        counts = np.asarray([len(set(codes)) for codes in lists], dtype=np.float32)
        with np.errstate(divide="ignore"):
            inverse = np.where(counts > 0, 1.0 / np.sqrt(counts), 0.0).astype(np.float32)
        return cls(rows, matrix, counts == 0, inverse)

    def spliced(self, placed: Splice, added: Membership) -> Membership:
        """The offers `placed.kept` of this membership and those of `added`, in place order.

        Codes no offer lists any more keep their (empty) rows: a lookup finds nobody there,
        as it would find no row in a membership built anew."""
        rows = dict(self.rows)
        renumber = np.asarray(
            [rows.setdefault(code, len(rows)) for code in added.rows], dtype=np.int64
        )
        old, new = self.matrix.tocoo(), added.matrix.tocoo()
        still = placed.kept[old.col]
        row_of = np.concatenate([old.row[still], renumber[new.row]])
        col_of = np.concatenate(
            [placed.old_positions[old.col[still]], placed.new_positions[new.col]]
        )
        matrix = sparse.csr_array(
            (np.ones(row_of.size, dtype=bool), (row_of, col_of)), shape=(len(rows), placed.size)
        )
        return Membership(
            rows,
            matrix,
            placed.join(self.unrestricted, added.unrestricted),
            placed.join(self.inverse_sqrt_count, added.inverse_sqrt_count),
        )

    def renumbered(self, added: Membership) -> np.ndarray:
        """For each row of `added`, its row in this membership (that lists its codes)."""
        return np.asarray([self.rows[code] for code in added.rows], dtype=np.int64)

    @property
    def size(self) -> int:
        return self.unrestricted.shape[0]

    def listed(self, codes: Iterable[object]) -> np.ndarray:
        """Offers that explicitly list at least one of `codes`."""
        mask = np.zeros(self.size, dtype=bool)
        for code in codes:
            row = self.rows.get(code) if isinstance(code, str) else None
            if row is not None:
                start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
                mask[self.matrix.indices[start:end]] = True
        return mask

    def admits(self, codes: Iterable[object]) -> np.ndarray:
        """Offers with no restriction or listing at least one of `codes`."""
        return self.unrestricted | self.listed(codes)


@dataclass(frozen=True, slots=True)
class Splice:
    """Where the offers kept from an index and the offers added go in the new one."""

    kept: np.ndarray  # mask over the old offers
    order: np.ndarray  # the new index's offers, as positions in (kept old + added)
    old_positions: np.ndarray  # per old offer, its new position (meaningless if not kept)
    new_positions: np.ndarray  # per added offer, its new position

    @classmethod
    def of(cls, old_ids: np.ndarray, kept: np.ndarray, added_ids: np.ndarray) -> Splice:
        """Kept old offers and added ones, together in ascending id order."""
        ids = np.concatenate([old_ids[kept], added_ids])
        order = np.argsort(ids, kind="stable")
        position = np.empty_like(order)
        position[order] = np.arange(order.size)
        old_positions = np.zeros(old_ids.size, dtype=np.int64)
        old_positions[kept] = position[: int(kept.sum())]
        return cls(kept, order, old_positions, position[int(kept.sum()) :])

    @property
    def size(self) -> int:
        return self.order.size

    def join(self, old: np.ndarray, added: np.ndarray) -> np.ndarray:
        """A per-offer array of the new index from the old one's and the added offers'."""
        return np.concatenate([old[self.kept], added])[self.order]


def _bounds(values: Iterable[int | None], missing: float) -> np.ndarray:
    return np.asarray([missing if v is None else float(v) for v in values], dtype=np.float64)


def _ordinals(values: Iterable[date | None], missing: int) -> np.ndarray:
    return np.asarray([missing if d is None else d.toordinal() for d in values], dtype=np.int32)


@dataclass(frozen=True, slots=True)
class CatalogueArrays:
    """Everything eligibility and scoring read, one entry per offer in index order."""

    offer_ids: np.ndarray
    countries: Membership
    residence_countries: Membership
    sectors: Membership
    stages: Membership
    applicant_types: Membership
    target_groups: Membership
    categories: Membership
    primary_category: np.ndarray
    min_project: np.ndarray
    max_project: np.ndarray
    ticket_min: np.ndarray
    ticket_max: np.ndarray
    opens: np.ndarray
    deadline: np.ndarray
    published: np.ndarray
    financing: np.ndarray

    @classmethod
    def build(cls, offers: Sequence[OfferRecord]) -> CatalogueArrays:
        """Column-wise arrays of `offers`, kept in the given order."""
        categories = Membership.build([o.categories for o in offers])
        primary = [categories.rows[o.categories[0]] if o.categories else -1 for o in offers]
        return cls(
            offer_ids=np.asarray([o.offer_id for o in offers], dtype=np.int64),
            countries=Membership.build([o.countries for o in offers]),
            residence_countries=Membership.build([o.residence_countries for o in offers]),
            sectors=Membership.build([o.sectors for o in offers]),
            stages=Membership.build([o.stages for o in offers]),
            applicant_types=Membership.build([o.applicant_types for o in offers]),
            target_groups=Membership.build([o.target_groups for o in offers]),
            categories=categories,
            primary_category=np.asarray(primary, dtype=np.int32),
            min_project=_bounds((o.min_project_eur for o in offers), -np.inf),
            max_project=_bounds((o.max_project_eur for o in offers), np.inf),
            ticket_min=_bounds((o.ticket_min_eur for o in offers), np.nan),
            ticket_max=_bounds((o.ticket_max_eur for o in offers), np.nan),
            opens=_ordinals((o.opens for o in offers), NO_OPENING),
            deadline=_ordinals((o.deadline for o in offers), NO_DEADLINE),
            published=np.asarray([bool(o.published) for o in offers], dtype=bool),
            financing=np.asarray([o.kind == "financing" for o in offers], dtype=bool),
        )

    def spliced(self, placed: Splice, added: CatalogueArrays) -> CatalogueArrays:
        """The kept offers of these arrays and those of `added`, as `placed` orders them."""
        parts = {}
        for name in self.__dataclass_fields__:
            old, new = getattr(self, name), getattr(added, name)
            if isinstance(old, Membership):
                parts[name] = old.spliced(placed, new)
            elif name != "primary_category":
                parts[name] = placed.join(old, new)
        # The added offers' category rows are numbered in their own membership.
        renumber = np.append(parts["categories"].renumbered(added.categories), -1)
        primary = renumber[added.primary_category].astype(np.int32)
        parts["primary_category"] = placed.join(self.primary_category, primary)
        return CatalogueArrays(**parts)
