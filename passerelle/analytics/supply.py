"""Supply against demand, by project country and sector, and where the catalogue falls short.

Supply is the number of published offers, not yet closed, whose country and sector
restrictions admit a pair (an offer restricting neither counts for every pair). Demand
is the entrepreneurs' saved projects plus the recent match requests of the search log;
for each project the recommender's eligibility (every criterion, not only country and
sector) says how many offers it really gets. Both are computed on the recommender's
arrays of the published catalogue, for all pairs and all projects at once.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from passerelle.accounts.models import Project
from passerelle.accounts.projects import project_profile
from passerelle.analytics.models import SearchEvent
from passerelle.analytics.service import MATCH
from passerelle.recommender import Recommender

# Fewer eligible offers than this, where there is demand, is a gap.
GAP_THRESHOLD = 3

Pair = tuple[str, str]  # (project country, sector)


@dataclass(frozen=True)
class DemandRow:
    """One project country and sector: what is offered, what is asked, what projects get."""

    country: str
    sector: str
    supply: int
    projects: int
    match_requests: int
    # Eligible offers per project, by the recommender's full eligibility.
    median_eligible: float | None
    underserved_projects: int

    @property
    def demand(self) -> int:
        return self.projects + self.match_requests

    @property
    def gap(self) -> bool:
        return self.demand > 0 and self.supply < GAP_THRESHOLD


def supply_and_demand(
    session: Session, recommender: Recommender, *, today: date, since: datetime
) -> list[DemandRow]:
    """Every pair with demand, gaps first, then the most asked for."""
    eligible_by_pair = _projects_eligible(session, recommender, today)
    requests = _match_requests(session, since)
    pairs = set(eligible_by_pair) | set(requests)
    ordered = sorted(pairs)
    supply = dict(zip(ordered, recommender.supply_counts(ordered, as_of=today), strict=True))
    rows = []
    for pair in ordered:
        eligible = eligible_by_pair.get(pair, [])
        rows.append(
            DemandRow(
                country=pair[0],
                sector=pair[1],
                supply=supply.get(pair, 0),
                projects=len(eligible),
                match_requests=requests.get(pair, 0),
                median_eligible=statistics.median(eligible) if eligible else None,
                underserved_projects=sum(1 for n in eligible if n < GAP_THRESHOLD),
            )
        )
    return sorted(rows, key=lambda r: (not r.gap, -r.demand, r.supply, r.country, r.sector))


def _projects_eligible(
    session: Session, recommender: Recommender, today: date
) -> dict[Pair, list[int]]:
    """Per pair, the number of offers each saved project is eligible for."""
    projects = list(session.scalars(select(Project).order_by(Project.id)))
    counts = recommender.eligible_counts([project_profile(p) for p in projects], as_of=today)
    by_pair: dict[Pair, list[int]] = defaultdict(list)
    for project, count in zip(projects, counts, strict=True):
        by_pair[(project.target_country, project.sector)].append(count)
    return by_pair


def _match_requests(session: Session, since: datetime) -> Counter[Pair]:
    query = (
        select(SearchEvent.country, SearchEvent.sector, func.count())
        .where(
            SearchEvent.kind == MATCH,
            SearchEvent.at >= since,
            SearchEvent.country.is_not(None),
            SearchEvent.sector.is_not(None),
        )
        .group_by(SearchEvent.country, SearchEvent.sector)
    )
    return Counter({(country, sector): n for country, sector, n in session.execute(query)})
