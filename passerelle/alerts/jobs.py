"""The alert jobs the worker runs: immediate alerts, daily and weekly digests, deadline
reminders. Each runs in the caller's transaction; what it queues and the watermarks it
moves commit together, and every mail carries a dedupe key, so that runs repeated or
racing on several workers never send the same thing twice."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlmodel import Session
from starlette.datastructures import QueryParams

from matching import MatchIndex, NeedsModel, Recommendation
from passerelle.accounts.models import Project, UserAccount
from passerelle.accounts.projects import project_profile
from passerelle.alerts.mailing import offer_url, recipient_locale, send_alert_mail
from passerelle.alerts.models import Alert, SavedSearch
from passerelle.alerts.service import ensure_alerts
from passerelle.i18n import N_, get_translations
from passerelle.recommender import CatalogueLabels, Recommender
from passerelle.settings import Settings
from passerelle.web.browse import chips, read_filters
from services_catalog.models import Offer, Organization
from services_catalog.search import matching_ids

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
# A digest is due once its period has nearly passed, so that a job run a little early
# (the worker's clock, a slow previous run) does not skip a whole period.
DUE_SLACK = timedelta(hours=1)
# Immediate alerts look back this much before their watermark: an offer committed late by
# a slow transaction is still seen, and its dedupe key keeps it from being sent twice.
IMMEDIATE_OVERLAP = timedelta(minutes=10)
DIGEST_TOP = 5
IMMEDIATE_TOP = 20
# Alerts per UPDATE when watermarks move together (bound parameters stay few).
ADVANCE_CHUNK = 500

# A saved search's filter as its chip reads on the offers page.
CHIP = N_("%(title)s: %(value)s")

_recommenders: dict[str, Recommender] = {}


def match_index(session: Session) -> MatchIndex:
    """The published catalogue's match index, built once per process and database, then
    brought up to the catalogue's version at each call (a job matches every change
    committed before it, whichever process made it)."""
    engine = session.get_bind()
    key = str(engine.url)
    if key not in _recommenders:
        _recommenders[key] = Recommender(engine, NeedsModel.default())
    return _recommenders[key].catch_up()


@dataclass(frozen=True)
class Changed:
    """A published offer changed after some moment: its version and when."""

    offer_id: int
    version: int
    updated_at: datetime
    title: str
    organization: str
    deadline: date | None


def published_offers_where(session: Session, *conditions) -> dict[int, Changed]:
    """Published offers meeting `conditions`, by id, as the alert mails name them."""
    query = (
        select(
            Offer.id,
            Offer.version,
            Offer.updated_at,
            Offer.title,
            Organization.name,
            Offer.deadline,
        )
        .join(Organization, Organization.id == Offer.organization_id)
        .where(Offer.status == "published", *conditions)
    )
    return {row[0]: Changed(*row) for row in session.execute(query)}


def changed_offers(session: Session, since: datetime) -> dict[int, Changed]:
    return published_offers_where(session, Offer.updated_at > since)


def _due_alerts(session: Session, frequency: str, kind: str, now: datetime, target):
    query = (
        select(Alert, target, UserAccount)
        .join(UserAccount, UserAccount.id == Alert.owner_id)
        .where(Alert.frequency == frequency, Alert.kind == kind, UserAccount.is_active)
        .order_by(Alert.id)
    )
    query = query.join(
        target, target.id == (Alert.project_id if kind == "project" else Alert.saved_search_id)
    )
    if frequency in PERIODS:
        query = query.where(Alert.checked_until <= now - PERIODS[frequency] + DUE_SLACK)
    return session.execute(query).all()


def _advance(session: Session, alerts: list[Alert], now: datetime, sent: set[int]) -> set[int]:
    """Move the watermarks of `alerts` from where this run read them, a few statements for
    all; the ids of those it moved. Another run that read the same watermarks moves none:
    it waits for this one's rows and then finds them changed (or the reverse)."""
    groups: dict[tuple[datetime, bool], list[int]] = defaultdict(list)
    for alert in alerts:
        groups[(alert.checked_until, alert.id in sent)].append(alert.id)
    moved: set[int] = set()
    for (read, mailed), ids in groups.items():
        values = {"checked_until": now} | ({"last_sent_at": now} if mailed else {})
        for start in range(0, len(ids), ADVANCE_CHUNK):
            statement = (
                update(Alert)
                .where(Alert.id.in_(ids[start : start + ADVANCE_CHUNK]))
                .where(Alert.checked_until == read)
                .values(**values)
                .returning(Alert.id)
                .execution_options(synchronize_session=False)
            )
            moved.update(session.scalars(statement))
    return moved


def project_matches(
    session: Session, rows, candidates: Collection[int], top: int, today: date, within=None
) -> list[list[Recommendation]]:
    """Per (alert, project, user) row, the best eligible offers among `candidates`, explained
    in the person's language: one batch per language."""
    found: list[list[Recommendation]] = [[] for _ in rows]
    if not candidates or not rows:
        return found
    index, labels = match_index(session), CatalogueLabels()
    positions = sorted(range(len(rows)), key=lambda i: recipient_locale(rows[i][2]))
    for lang, group in itertools.groupby(positions, key=lambda i: recipient_locale(rows[i][2])):
        group = list(group)
        profiles = [project_profile(rows[i][1]) for i in group]
        best = index.best_among(
            profiles,
            list(candidates),
            as_of=today,
            top=top,
            lang=lang,
            labels=labels,
            within=within,
        )
        for i, picks in zip(group, best, strict=True):
            found[i] = picks
    return found


def _search_matches(session: Session, search: SavedSearch, candidates: Iterable[int]) -> set[int]:
    return matching_ids(session, read_filters(QueryParams(search.query))) & set(candidates)


def _search_reasons(search: SavedSearch, locale: str) -> list[str]:
    """Why a saved search's result is sent: the search's filters, as the page shows them."""
    pattern = get_translations(locale).gettext(CHIP)
    return [
        pattern % {"title": chip.title, "value": chip.value}
        for chip in chips("", read_filters(QueryParams(search.query)), locale)
    ]


def entry(settings: Settings, changed: Changed, reasons: list[str], timing: str = "") -> dict:
    return {
        "title": changed.title,
        "organization": changed.organization,
        "url": offer_url(settings, changed.offer_id),
        "reasons": reasons,
        "timing": timing,
        "deadline": changed.deadline,
    }


def run_digests(session: Session, settings: Settings, now: datetime, frequency: str) -> int:
    """One digest per due alert of `frequency`: what changed since its watermark and now
    matches. Returns the number of mails queued."""
    ensure_alerts(session)
    queued = 0
    for kind, target in (("project", Project), ("search", SavedSearch)):
        rows = _due_alerts(session, frequency, kind, now, target)
        # Alerts watching since the same hour share one batch (all of them, on a steady run).
        by_hour = itertools.groupby(
            rows, key=lambda row: row[0].checked_until.replace(minute=0, second=0, microsecond=0)
        )
        for since, group in sorted(((s, list(g)) for s, g in by_hour), key=lambda x: x[0]):
            candidates = changed_offers(session, since)
            queued += _send_digests(session, settings, now, kind, group, candidates)
    return queued


def _send_digests(session, settings, now, kind, rows, candidates) -> int:
    if kind == "project":
        matches = project_matches(session, rows, candidates, DIGEST_TOP, now.date())
    digests = []
    for position, (alert, target, user) in enumerate(rows):

        def fresh(offer_id: int, alert=alert) -> bool:
            # Alerts share candidates from the hour they watch since; each its own minute.
            return candidates[offer_id].updated_at > alert.checked_until

        if kind == "project":
            entries = [
                entry(settings, candidates[r.offer_id], r.reasons, r.timing)
                for r in matches[position]
                if fresh(r.offer_id)
            ]
        else:
            reasons = _search_reasons(target, recipient_locale(user))
            found = sorted(filter(fresh, _search_matches(session, target, candidates)))
            entries = [entry(settings, candidates[i], reasons) for i in found[:DIGEST_TOP]]
        digests.append((alert, target, user, entries, alert.checked_until))
    won = _advance(session, [row[0] for row in rows], now, {d[0].id for d in digests if d[3]})
    queued = 0
    for alert, target, user, entries, read in digests:
        if alert.id not in won or not entries:
            continue
        context = {"name": target.name, "kind": kind, "entries": entries}
        key = f"alert:{alert.id}:{alert.frequency}:{read.isoformat()}"
        queued += send_alert_mail(
            session, settings, user, alert, "alert_digest", context, dedupe_key=key
        )
    return queued


def run_daily(session: Session, settings: Settings, now: datetime) -> int:
    return run_digests(session, settings, now, "daily")


def run_weekly(session: Session, settings: Settings, now: datetime) -> int:
    return run_digests(session, settings, now, "weekly")


def run_immediate(session: Session, settings: Settings, now: datetime) -> int:
    """One mail per offer version newly matching an immediate alert."""
    ensure_alerts(session)
    queued = 0
    for kind, target in (("project", Project), ("search", SavedSearch)):
        rows = _due_alerts(session, "immediate", kind, now, target)
        if not rows:
            continue
        since = min(alert.checked_until for alert, _, _ in rows) - IMMEDIATE_OVERLAP
        candidates = changed_offers(session, since)
        if kind == "project":
            matches = project_matches(session, rows, candidates, IMMEDIATE_TOP, now.date())
        for position, (alert, target_row, user) in enumerate(rows):
            # Nothing from before the alert existed: the overlap is for late commits only.
            window = max(alert.checked_until - IMMEDIATE_OVERLAP, alert.created_at)
            if kind == "project":
                found = [(r.offer_id, r.reasons, r.timing) for r in matches[position]]
            else:
                reasons = _search_reasons(target_row, recipient_locale(user))
                matched = _search_matches(session, target_row, candidates)
                found = [(i, reasons, "") for i in sorted(matched)]
            for offer_id, reasons, timing in found:
                changed = candidates[offer_id]
                if changed.updated_at <= window:
                    continue
                context = {
                    "name": target_row.name,
                    "kind": kind,
                    "entry": entry(settings, changed, reasons, timing),
                }
                key = f"alert:{alert.id}:offer:{offer_id}:v{changed.version}"
                queued += send_alert_mail(
                    session, settings, user, alert, "alert_offer", context, dedupe_key=key
                )
            alert.checked_until = now
            session.add(alert)
    session.flush()
    return queued
