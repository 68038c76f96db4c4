"""Catalogue use cases over a database session. Services flush; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, func, insert, select, text, true
from sqlalchemy.orm import Session, lazyload

from services_catalog import search_index
from services_catalog.errors import NotFoundError
from services_catalog.models import (
    LIST_FIELDS,
    OPEN_TO_ALL,
    RESTRICTION_FIELDS,
    SEARCH_TEXT_COLUMNS,
    CatalogueVersion,
    Offer,
    OfferCriterion,
    Organization,
    lists_of,
    note_catalogue_change,
    search_entry,
    utcnow,
)
from services_catalog.schemas import OfferRecord
from services_catalog.taxonomy import fold

# Scalar fields copied as they are between an exchange record and an offer row.
SCALAR_FIELDS = (
    "title",
    "description",
    "lang",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "url",
    "kind",
    "min_project_eur",
    "max_project_eur",
    "ticket_min_eur",
    "ticket_max_eur",
    "opens",
    "deadline",
)


def organizations_by_key(session: Session) -> dict[str, Organization]:
    """Every organisation, keyed by its folded name."""
    return {org.name_key: org for org in session.scalars(select(Organization))}


def get_or_create_organization(
    session: Session, name: str, known: dict[str, Organization]
) -> Organization:
    """The organisation called `name` (ignoring case and accents), created if new."""
    key = fold(name)
    organization = known.get(key)
    if organization is None:
        organization = Organization(name=name.strip(), name_key=key)
        session.add(organization)
        known[key] = organization
    return organization


def offer_to_record(offer: Offer) -> OfferRecord:
    """The exchange-format view of an offer; its id is the external id, or a stable one."""
    return OfferRecord.model_construct(
        id=offer.external_id or f"passerelle-{offer.id}",
        organization=offer.organization.name,
        **{name: getattr(offer, name) for name in SCALAR_FIELDS},
        **offer.lists(),
    )


def apply_scalars(offer: Offer, record: OfferRecord, organization: Organization) -> bool:
    """Copy a record's single-valued fields onto an offer row; tell whether any changed."""
    changed = offer.organization_id is None or offer.organization is not organization
    if changed:
        offer.organization = organization
    if record.id is not None and offer.external_id != record.id:
        offer.external_id = record.id
        changed = True
    for name in SCALAR_FIELDS:
        value = getattr(record, name)
        if getattr(offer, name) != value:
            setattr(offer, name, value)
            changed = True
    return changed


def save_lists(session: Session, changes: list[tuple[Offer, dict[str, list[str]]]]) -> None:
    """Replace the list fields of these offers (given as pairs) with a few bulk statements."""
    if not changes:
        return
    _reserve_ids(session, [offer for offer, _ in changes if offer.id is None])
    session.flush()  # new offers get their ids
    ids = [offer.id for offer, _ in changes]
    note_catalogue_change(session, ids)
    for chunk in chunks(ids):
        session.execute(delete(OfferCriterion).where(OfferCriterion.offer_id.in_(chunk)))
    _insert_lists(session, [(offer.id, lists) for offer, lists in changes])
    for offer, _ in changes:
        session.expire(offer, ["criteria"])


def insert_new_offers(session: Session, offers: list[tuple[dict, dict[str, list[str]]]]) -> None:
    """Insert new offers given as (row of the offer table, list fields), with their criteria
    and search entries, in a few executemany statements: building an ORM object for each
    row of a large import took most of its time. Organisations must be flushed first."""
    if not offers:
        return
    table = Offer.__table__
    rows = [row for row, _ in offers]
    if _on_postgresql(session):
        query = "SELECT nextval(pg_get_serial_sequence('offer', 'id')) FROM generate_series(1, :n)"
        ids = session.scalars(text(query), {"n": len(rows)}).all()
        session.execute(insert(table), [row | {"id": i} for row, i in zip(rows, ids, strict=True)])
    else:
        returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        ids = session.scalars(returning, rows).all()
    note_catalogue_change(session, ids)
    _insert_lists(session, [(i, lists) for i, (_, lists) in zip(ids, offers, strict=True)])
    names = dict(
        session.execute(
            select(Organization.id, Organization.name).where(
                Organization.id.in_({row["organization_id"] for row in rows})
            )
        ).all()
    )
    search_index.upsert_many(
        session.connection(),
        [
            search_entry(
                i,
                (row.get(name) for name in SEARCH_TEXT_COLUMNS),
                names[row["organization_id"]],
            )
            for i, row in zip(ids, rows, strict=True)
        ],
    )


def _insert_lists(session: Session, lists_by_id: list[tuple[int, dict[str, list[str]]]]) -> None:
    rows = [
        (offer_id, field, code, position)
        for offer_id, lists in lists_by_id
        for name, codes in lists.items()
        for field in [LIST_FIELDS[name]]
        for position, code in enumerate(_stored_codes(field, codes))
    ]
    if rows:
        _insert_criteria(session, rows)


def _on_postgresql(session: Session) -> bool:
    return session.connection().dialect.name == "postgresql"


def refresh_statistics(session: Session) -> None:
    """After a bulk write on PostgreSQL, bring the planner's statistics up to date.

    Until autovacuum comes by (a minute or more), the planner takes the tables for
    nearly empty and scans them whole, which made the next import's lookups by external
    id several times slower. ANALYZE runs inside the transaction and counts its rows.
    """
    if _on_postgresql(session):
        session.execute(text(f"ANALYZE {Offer.__tablename__}, {OfferCriterion.__tablename__}"))


def _reserve_ids(session: Session, offers: list[Offer]) -> None:
    """On PostgreSQL, give new offers their ids from the sequence in one query, so that
    the flush inserts them in a pipeline of one short statement instead of multi-row
    INSERT … RETURNING statements that psycopg must parse again each time."""
    if not offers or not _on_postgresql(session):
        return
    query = "SELECT nextval(pg_get_serial_sequence('offer', 'id')) FROM generate_series(1, :n)"
    with session.no_autoflush:
        ids = session.scalars(text(query), {"n": len(offers)}).all()
    for offer, offer_id in zip(offers, ids, strict=True):
        offer.id = offer_id


def _insert_criteria(session: Session, rows: list[tuple[int, str, str, int]]) -> None:
    """Insert criterion rows given as (offer id, field, code, position), the most rows of a
    large import: on PostgreSQL with COPY, several times faster than a batched INSERT; on
    SQLite with the driver's executemany, as Core's spent longer on the rows than SQLite."""
    columns = ", ".join(("offer_id", "field", "code", "position"))
    if not _on_postgresql(session):
        insert_sql = f"INSERT INTO {OfferCriterion.__tablename__} ({columns}) VALUES (?, ?, ?, ?)"
        session.connection().exec_driver_sql(insert_sql, rows)
        return
    copy_sql = f"COPY {OfferCriterion.__tablename__} ({columns}) FROM STDIN"
    driver = session.connection().connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)


def _stored_codes(field: str, codes: list[str]) -> list[str]:
    return codes or ([OPEN_TO_ALL] if field in RESTRICTION_FIELDS else [])


def chunks(values: list) -> Iterator[list]:
    """`values` in slices that stay under the databases' bound-parameter limits."""
    for start in range(0, len(values), 500):
        yield values[start : start + 500]


def offers_by_external_id(session: Session, external_ids: Iterable[str]) -> dict[str, Offer]:
    """Existing offers whose external id is among `external_ids` (criteria loaded when
    first read: an import compares `stored_lists` instead)."""
    found: dict[str, Offer] = {}
    for chunk in chunks(sorted(set(external_ids))):
        query = select(Offer).where(Offer.external_id.in_(chunk)).options(lazyload(Offer.criteria))
        found.update({offer.external_id: offer for offer in session.scalars(query)})
    return found


def offers_by_id(session: Session, offer_ids: Iterable[int]) -> dict[int, Offer]:
    """These offers by id (criteria loaded when first read, as `offers_by_external_id`)."""
    found: dict[int, Offer] = {}
    for chunk in chunks(sorted(set(offer_ids))):
        query = select(Offer).where(Offer.id.in_(chunk)).options(lazyload(Offer.criteria))
        found.update({offer.id: offer for offer in session.scalars(query)})
    return found


def offer_ids_by_external_id(
    session: Session, external_ids: Iterable[str] | None = None
) -> dict[str, int]:
    """Ids of the offers with an external id (of those of `external_ids`, if given), keyed
    by it, read as plain rows."""
    query = select(Offer.external_id, Offer.id).where(Offer.external_id.is_not(None))
    if external_ids is None:
        return dict(session.execute(query).all())
    found: dict[str, int] = {}
    for chunk in chunks(sorted(set(external_ids))):
        found.update(session.execute(query.where(Offer.external_id.in_(chunk))).all())
    return found


def offer_ids_by_title(
    session: Session, name_keys: Iterable[str] | None = None
) -> dict[tuple[str, str], int]:
    """Ids of the offers without an external id (of the organisations of `name_keys`, if
    given), keyed by (organisation name key, folded title), read as plain rows."""
    query = (
        select(Organization.name_key, Offer.title, Offer.id)
        .join(Organization)
        .where(Offer.external_id.is_(None))
    )
    queries = (
        [query]
        if name_keys is None
        else [
            query.where(Organization.name_key.in_(chunk))
            for chunk in chunks(sorted(set(name_keys)))
        ]
    )
    return {
        (key, fold(title)): offer_id
        for statement in queries
        for key, title, offer_id in session.execute(statement)
    }


def stored_lists(session: Session, offer_ids: Iterable[int]) -> dict[int, dict[str, list[str]]]:
    """The list fields of these offers as stored, read as plain rows: building ORM objects
    for the ~12 criteria of each of 10,000 offers took most of a re-import."""
    ids = sorted(set(offer_ids))
    pairs: dict[int, list[tuple[str, str]]] = {offer_id: [] for offer_id in ids}
    columns = (OfferCriterion.offer_id, OfferCriterion.field, OfferCriterion.code)
    for chunk in chunks(ids):
        query = (
            select(*columns)
            .where(OfferCriterion.offer_id.in_(chunk))
            .order_by(OfferCriterion.offer_id, OfferCriterion.position)
        )
        for offer_id, field, code in session.execute(query):
            pairs[offer_id].append((field, code))
    return {offer_id: lists_of(found) for offer_id, found in pairs.items()}


def mark_changed(offer: Offer, *, verified_on: date | None = None) -> None:
    offer.updated_at = utcnow()
    if verified_on is not None:
        offer.last_verified_on = verified_on


def count_offers(session: Session, *, status: str = "published") -> int:
    """How many offers have this status."""
    query = select(func.count()).select_from(Offer).where(Offer.status == status)
    return session.scalar(query) or 0


def get_offer(session: Session, offer_id: int, *, statuses=("published",)) -> Offer:
    """The offer with this id and one of these statuses, or NotFoundError."""
    offer = session.get(Offer, offer_id)
    if offer is None or offer.status not in statuses:
        raise NotFoundError(f"offer {offer_id} not found")
    return offer


def published_offers(session: Session, offer_ids: list[int]) -> tuple[list[Offer], list[int]]:
    """The published offers among `offer_ids`, in that order, and the ids that are not
    (unknown, withdrawn or waiting for review)."""
    found = {
        offer.id: offer
        for offer in session.scalars(
            select(Offer).where(Offer.id.in_(offer_ids), Offer.status == "published")
        )
    }
    missing = [offer_id for offer_id in offer_ids if offer_id not in found]
    return [found[offer_id] for offer_id in offer_ids if offer_id in found], missing


@dataclass(frozen=True)
class OrganizationRef:
    id: int
    name: str


@dataclass(frozen=True)
class ListedOffer:
    """An offer as result lists show it, read as plain rows: the same attributes and
    list accessors as `Offer`, without building ORM objects for its ~12 criteria (that
    was a fifth of a browse page's time)."""

    id: int
    external_id: str | None
    organization: OrganizationRef
    status: str
    last_verified_on: date | None
    updated_at: datetime
    title: str
    description: str
    lang: str
    title_fr: str | None
    title_en: str | None
    summary_fr: str | None
    summary_en: str | None
    url: str | None
    kind: str
    min_project_eur: int | None
    max_project_eur: int | None
    ticket_min_eur: int | None
    ticket_max_eur: int | None
    opens: date | None
    deadline: date | None
    list_fields: dict[str, list[str]]  # by exchange-format name, as `Offer.lists()`

    @property
    def organization_id(self) -> int:
        return self.organization.id

    def codes(self, list_field: str) -> list[str]:
        return list(self.list_fields[list_field])

    def lists(self) -> dict[str, list[str]]:
        return {name: list(codes) for name, codes in self.list_fields.items()}


_LISTED_COLUMNS = ("id", "external_id", "status", "last_verified_on", "updated_at", *SCALAR_FIELDS)


def listed_offers(
    session: Session, offer_ids: Sequence[int], *, statuses: tuple[str, ...] | None = None
) -> list[ListedOffer]:
    """These offers in the order given, leaving out ids not found (or, when `statuses` is
    given, with another status)."""
    if not offer_ids:
        return []
    query = (
        select(
            *(getattr(Offer, name) for name in _LISTED_COLUMNS), Organization.id, Organization.name
        )
        .join(Organization)
        .where(Offer.id.in_(offer_ids))
    )
    if statuses is not None:
        query = query.where(Offer.status.in_(statuses))
    rows = {row[0]: row for row in session.execute(query)}
    lists = stored_lists(session, rows)
    width = len(_LISTED_COLUMNS)
    return [
        ListedOffer(
            **dict(zip(_LISTED_COLUMNS, row[:width], strict=True)),
            organization=OrganizationRef(*row[width:]),
            list_fields=lists[offer_id],
        )
        for offer_id in offer_ids
        if (row := rows.get(offer_id)) is not None
    ]


def get_organization(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFoundError(f"organisation {organization_id} not found")
    return organization


def organization_offers(
    session: Session, organization_id: int, *, statuses=("published",)
) -> list[Offer]:
    """An organisation's offers with these statuses, by title."""
    query = (
        select(Offer)
        .where(Offer.organization_id == organization_id, Offer.status.in_(statuses))
        .order_by(Offer.title)
    )
    return list(session.scalars(query))


def list_organizations(session: Session) -> list[tuple[Organization, int]]:
    """Every organisation with its count of published offers, by name."""
    published = (
        select(Offer.organization_id, func.count().label("offers"))
        .where(Offer.status == "published")
        .group_by(Offer.organization_id)
        .subquery()
    )
    query = (
        select(Organization, func.coalesce(published.c.offers, 0))
        .outerjoin(published, published.c.organization_id == Organization.id)
        .order_by(Organization.name_key)
    )
    return [(organization, count) for organization, count in session.execute(query)]


def published_offers_data(session: Session, offer_ids: Iterable[int] | None = None) -> list[dict]:
    """Every published offer (or those of `offer_ids` that are published) as a plain dict
    with its lists, read in two queries (per chunk of ids)."""
    if offer_ids is not None:
        return [
            data
            for chunk in chunks(sorted(offer_ids))
            for data in _published_data(session, Offer.id.in_(chunk))
        ]
    return _published_data(session, true())


def _published_data(session: Session, which: ColumnElement[bool]) -> list[dict]:
    offers = session.execute(
        select(
            Offer.id,
            Offer.external_id,
            Organization.name.label("organization"),
            *(getattr(Offer, name) for name in SCALAR_FIELDS),
        )
        .join(Organization)
        .where(Offer.status == "published", which)
        .order_by(Offer.id)
    ).mappings()
    by_id = {row["id"]: {**row, **{name: [] for name in LIST_FIELDS}} for row in offers}
    list_name = {field: name for name, field in LIST_FIELDS.items()}
    criteria = session.execute(
        select(OfferCriterion.offer_id, OfferCriterion.field, OfferCriterion.code)
        .join(Offer)
        .where(Offer.status == "published", which, OfferCriterion.code != OPEN_TO_ALL)
        .order_by(OfferCriterion.offer_id, OfferCriterion.field, OfferCriterion.position)
    )
    for offer_id, field, code in criteria:
        by_id[offer_id][list_name[field]].append(code)
    return list(by_id.values())


def catalogue_version(session: Session) -> int:
    """A number that changes with every committed change to offers or organisations."""
    return session.scalar(select(CatalogueVersion.version).where(CatalogueVersion.id == 1))
