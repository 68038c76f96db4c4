"""The bridge between the catalogue and the matching library.

One `Recommender` per process keeps a `MatchIndex` of the published catalogue. Its
index follows the catalogue version: after this process's own commits at once, after
other processes' within a recheck interval and an update, in a background thread that
patches in the offers the change log names (or rebuilds when it cannot tell).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from matching import AmountRead, MatchIndex, MatchResult, NeedsModel, OfferRecord, Profile
from matching.messages import CONTEXT as MATCHING_CONTEXT
from passerelle.i18n import get_translations
from passerelle.monitoring import metrics
from services_catalog import service
from services_catalog.amounts import CFA_PARITY, EURO_RATES
from services_catalog.bilingual import BILINGUAL_FIELDS
from services_catalog.countries import country_name
from services_catalog.demo import demo_offers
from services_catalog.following import Follower
from services_catalog.models import LIST_FIELDS
from services_catalog.schemas import OfferRecord as ExchangeRecord
from services_catalog.service import SCALAR_FIELDS
from services_catalog.taxonomy import label

logger = logging.getLogger(__name__)


class CatalogueLabels:
    """Names of the catalogue's codes, and the matcher's sentences translated through the
    platform's gettext catalogues (matching.Labels)."""

    def sentence(self, message: str, lang: str) -> str:
        return get_translations(lang).pgettext(MATCHING_CONTEXT, message)

    def country(self, code: str, lang: str) -> str:
        return country_name(code, lang)

    def sector(self, code: str, lang: str) -> str:
        return label("sector", code, lang)

    def category(self, code: str, lang: str) -> str:
        return label("category", code, lang)

    def group(self, code: str, lang: str) -> str:
        return label("target_group", code, lang)

    def stage(self, code: str, lang: str) -> str:
        return label("stage", code, lang)

    def applicant_type(self, code: str, lang: str) -> str:
        return label("applicant_type", code, lang)


def currency_rates() -> dict[str, Decimal]:
    """Units per euro of each currency the catalogue converts, for amounts read in text."""
    return {"XOF": CFA_PARITY, "XAF": CFA_PARITY, "FCFA": CFA_PARITY, **EURO_RATES}


# The scalars the matcher reads: not the web address, nor the short titles and summaries
# (pages put those in the reader's language from the catalogue itself).
MATCHED_SCALARS = frozenset(SCALAR_FIELDS) - {"url", *BILINGUAL_FIELDS}


def offer_record(data: dict) -> OfferRecord:
    """A matching record from a catalogue offer's plain data."""
    return OfferRecord(
        offer_id=data["id"],
        external_id=data["external_id"],
        organization=data["organization"],
        **{name: data[name] for name in SCALAR_FIELDS if name in MATCHED_SCALARS},
        **{name: tuple(data[name]) for name in LIST_FIELDS},
        published=True,
    )


def demo_offer_records() -> list[OfferRecord]:
    """The shipped demo catalogue as matching records, numbered as `load_demo` numbers it
    (the evaluation set's judgments refer to those numbers), without a database."""
    records = []
    for position, raw in enumerate(demo_offers(), start=1):
        record = ExchangeRecord.model_validate(raw)
        data = record.model_dump() | {
            "id": position,
            "external_id": record.id,
            "organization": record.organization,
        }
        records.append(offer_record(data))
    return records


def _build(needs_model: NeedsModel, session: Session, _version: int) -> MatchIndex:
    """The index of every published offer."""
    offers = [offer_record(d) for d in service.published_offers_data(session)]
    return MatchIndex.build(offers, needs_model=needs_model, currency_rates=currency_rates())


def _patch(
    session: Session, index: MatchIndex, _version: int, changed: frozenset[int]
) -> MatchIndex:
    """`index` with the offers `changed` read again (gone if no longer published)."""
    data = service.published_offers_data(session, changed)
    return index.patched(changed, [offer_record(d) for d in data])


def _observe_match_index(version: int, seconds: float) -> None:
    metrics.observe_index_build("match", version, seconds)


class Recommender:
    """A match index of the published catalogue that follows the catalogue's changes.

    Every `recheck_seconds` at most, a match looks in a background thread whether the
    catalogue has moved on (changes from other processes; this process's own commits
    reach the index before they return, see services_catalog.following)."""

    def __init__(self, engine: Engine, needs_model: NeedsModel, *, recheck_seconds: float = 1.0):
        self._engine = engine  # the follower holds it weakly: the recommender keeps it
        self._recheck_seconds = recheck_seconds
        self._labels = CatalogueLabels()
        # Nothing of the recommender's own in the follower: a recommender no longer used
        # goes at once, and with it its follower, which commits would otherwise update.
        self._follower = Follower(
            engine, "match index", partial(_build, needs_model), _patch, _observe_match_index
        )
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._warming: threading.Thread | None = None

    def warm_up(self, *then: Callable[[], object]) -> None:
        """Build the index in a background thread, then call each of `then` there (the
        site's other indexes); requests meanwhile wait for what they need."""
        self._warming = threading.Thread(
            target=self._warm, args=then, name="index-warm-up", daemon=True
        )
        self._warming.start()

    def _warm(self, *then: Callable[[], object]) -> None:
        try:
            self.catch_up()
        except Exception:
            # The first match request will build it (or report the same failure) instead.
            logger.warning("the match index could not be built at start-up", exc_info=True)
            return
        with self._lock:
            # The catalogue may change before the first request: it checks again.
            self._checked_at = float("-inf")
        for build in then:
            try:
                build()
            except Exception:
                logger.warning("an index could not be built at start-up", exc_info=True)

    def wait_warm(self, timeout: float | None = None) -> bool:
        """Wait for the warm-up to end; True when an index is built."""
        if self._warming is not None:
            self._warming.join(timeout)
            if self._warming.is_alive():
                return False
        return self.ready

    @property
    def warming(self) -> bool:
        return self._warming is not None and self._warming.is_alive()

    @property
    def ready(self) -> bool:
        return self._follower.index is not None

    @property
    def version(self) -> int | None:
        """The catalogue version the current index shows, None before the first build."""
        return self._follower.version

    def index(self) -> MatchIndex:
        """The current index, without waiting for an update (only for the first build);
        when it is time to look again, a background update brings it up to date."""
        index = self._follower.index
        if index is None:
            return self._follower.update()
        with self._lock:
            due = time.monotonic() - self._checked_at >= self._recheck_seconds
            if due:
                self._checked_at = time.monotonic()
        if due:
            self._follower.update_in_background()
        return index

    def catch_up(self) -> MatchIndex:
        """The index brought up to the catalogue's version now (for batch jobs that must
        see every committed change, whichever process made it)."""
        return self._follower.update()

    def eligible_counts(self, profiles: list[Profile], *, as_of: date) -> list[int]:
        """How many published offers each profile is eligible for (all computed at once)."""
        return self.index().eligible_counts(profiles, as_of).tolist()

    def supply_counts(self, pairs: list[tuple[str, str]], *, as_of: date) -> list[int]:
        """Per (project country, sector), the published offers open to it, not yet closed."""
        return self.index().pair_counts(pairs, as_of).tolist()

    def recommend(
        self,
        profile: Profile,
        *,
        as_of: date,
        top: int = 10,
        lang: str = "en",
        funding_as_typed: AmountRead | None = None,
    ) -> MatchResult:
        return self.index().match(
            profile,
            as_of=as_of,
            top=top,
            lang=lang,
            labels=self._labels,
            funding_as_typed=funding_as_typed,
        )
