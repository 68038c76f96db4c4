"""Database tables of the catalogue: organisations, offers and their eligibility lists.

No `from __future__ import annotations` here: SQLModel reads the relationship annotations.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    delete,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlmodel import Field, Relationship, SQLModel

from services_catalog import search_index

# The list-valued fields of an offer, each stored as rows of `offer_criterion` so that
# filters run as indexed lookups in the database rather than scans of a JSON blob.
LIST_FIELDS: dict[str, str] = {
    "categories": "category",
    "sectors": "sector",
    "countries": "country",
    "residence_countries": "residence_country",
    "stages": "stage",
    "applicant_types": "applicant_type",
    "target_groups": "target_group",
}


# Eligibility restrictions (every list field but categories). An offer that restricts
# nothing on one of them stores a single row with OPEN_TO_ALL as its code, so that a
# filter is one index range scan (`code IN (…, '*')`) and facet counts get the number
# of unrestricted offers from the same GROUP BY as the others.
RESTRICTION_FIELDS = frozenset(LIST_FIELDS.values()) - {"category"}
OPEN_TO_ALL = "*"

# Longest short title or summary in one language (contract section 2): a summary is shown
# whole on cards and in match results, so one or two sentences.
BILINGUAL_MAX = 400


def utcnow() -> datetime:
    return datetime.now(UTC)


# An offer's version: 1 when created, one more with every UPDATE of its row. The ORM adds
# `WHERE version = <the version read>` to each UPDATE, so that of two writers who read the
# same version the second changes nothing and is told (StaleDataError): no lost update.
OFFER_VERSION = Column("version", Integer, nullable=False, server_default="1")


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite forgets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, _dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def timestamp_column() -> Column:
    """A non-null, timezone-aware timestamp column that defaults to now."""
    return Column(UTCDateTime(), nullable=False, default=utcnow)


def actor_column() -> Column:
    """The id of the account that did something, or None (an import, a script).

    Accounts are the platform's: the catalogue keeps the id without knowing its table, so
    that it creates and uses its tables alone. The platform, which owns both sides, ties
    these columns to its accounts (see `passerelle.accounts.models`).
    """
    return Column(Integer, nullable=True)


class Organization(SQLModel, table=True):
    """A provider of support services or financing offers."""

    __tablename__ = "organization"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # Folded name (see taxonomy.fold): imports find "ADIE" and "Adie" to be one provider.
    name_key: str = Field(max_length=200, unique=True)
    description: str = Field(default="", sa_type=Text)
    website: str | None = Field(default=None, max_length=500)
    email: str | None = Field(default=None, max_length=320)
    type: str = Field(default="other", max_length=40)
    countries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    verified: bool = False
    # A verified organisation's new name, shown only once staff approve it.
    pending_name: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())

    offers: list["Offer"] = Relationship(back_populates="organization")


class OfferCriterion(SQLModel, table=True):
    """One code of one list field of an offer (a category, a sector, a country…)."""

    __tablename__ = "offer_criterion"
    __table_args__ = (Index("ix_offer_criterion_field_code", "field", "code", "offer_id"),)

    offer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True)
    )
    field: str = Field(sa_column=Column(String(20), primary_key=True))
    code: str = Field(sa_column=Column(String(40), primary_key=True))
    position: int = 0

    offer: "Offer" = Relationship(
        back_populates="criteria", sa_relationship_kwargs={"viewonly": True}
    )


class Offer(SQLModel, table=True):
    """A support service or financing offer with its structured eligibility."""

    __tablename__ = "offer"
    # Providers' and staff's offer lists show the latest changes first.
    __table_args__ = (Index("ix_offer_updated_at", "updated_at"),)
    __mapper_args__ = {"version_id_col": OFFER_VERSION}

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=OFFER_VERSION)
    external_id: str | None = Field(default=None, max_length=200, unique=True)
    title: str = Field(max_length=300)
    description: str = Field(sa_type=Text)
    lang: str = Field(default="fr", max_length=2)
    # A short title and summary in each language, for cards and results in the visitor's
    # language; empty ones fall back (see services_catalog.bilingual).
    title_fr: str | None = Field(default=None, max_length=BILINGUAL_MAX)
    title_en: str | None = Field(default=None, max_length=BILINGUAL_MAX)
    summary_fr: str | None = Field(default=None, max_length=BILINGUAL_MAX)
    summary_en: str | None = Field(default=None, max_length=BILINGUAL_MAX)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    url: str | None = Field(default=None, max_length=1000)
    kind: str = Field(max_length=20, index=True)
    min_project_eur: int | None = Field(default=None, sa_type=BigInteger)
    max_project_eur: int | None = Field(default=None, sa_type=BigInteger)
    ticket_min_eur: int | None = Field(default=None, sa_type=BigInteger)
    ticket_max_eur: int | None = Field(default=None, sa_type=BigInteger)
    # The amounts above as written in another currency, by field: {"quantity": "5000000",
    # "currency": "XOF", "eur": 7622}. "eur" is the euro value it was read as, so that an
    # amount changed since (in euros, or without a currency) is never shown as written.
    written_amounts: dict = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    opens: date | None = None
    deadline: date | None = Field(default=None, index=True)
    status: str = Field(default="draft", max_length=20, index=True)
    # Why an offer waits in the review queue beyond the ordinary (e.g. imported unclassified).
    review_flag: str | None = Field(default=None, max_length=300)
    # Staff's reason when they last rejected this offer or a change to it; the provider sees it.
    review_note: str | None = Field(default=None, sa_type=Text)
    last_verified_on: date | None = None
    created_by_id: int | None = Field(default=None, sa_column=actor_column())
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())

    organization: Organization = Relationship(
        back_populates="offers", sa_relationship_kwargs={"lazy": "joined"}
    )
    criteria: list["OfferCriterion"] = Relationship(
        back_populates="offer",
        # Written in bulk by service.save_lists; the database cascades deletions.
        sa_relationship_kwargs={
            "viewonly": True,
            "lazy": "selectin",
            "order_by": "OfferCriterion.position",
        },
    )

    def codes(self, list_field: str) -> list[str]:
        """The codes of one list field (e.g. "sectors"), in their stored order."""
        field = LIST_FIELDS[list_field]
        return [c.code for c in self.criteria if c.field == field and c.code != OPEN_TO_ALL]

    def lists(self) -> dict[str, list[str]]:
        """Every list field's codes, by exchange-format name."""
        return lists_of((criterion.field, criterion.code) for criterion in self.criteria)


def lists_of(criteria: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Every list field's codes, by exchange-format name, from (stored field, code) pairs
    in their stored order."""
    by_field: dict[str, list[str]] = {field: [] for field in LIST_FIELDS.values()}
    for field, code in criteria:
        if code != OPEN_TO_ALL:
            by_field[field].append(code)
    return {name: by_field[field] for name, field in LIST_FIELDS.items()}


class OfferRevision(SQLModel, table=True):
    """A change to a published offer awaiting review; the published version stays visible.

    At most one per offer: a further edit replaces it. `record` is the offer as proposed,
    in the exchange format (`OfferRecord` as JSON). The organisation it names is kept by
    id, so that a rename while the change waits does not move the offer; none when the
    change names an organisation not on Passerelle yet (created on approval).
    """

    __tablename__ = "offer_revision"

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("offer.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    record: dict = Field(sa_column=Column(JSON, nullable=False))
    # The proposed amounts as written in another currency (as Offer.written_amounts): the
    # exchange format has no place for them, and approval must not lose them.
    written_amounts: dict = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )
    organization_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("organization.id", ondelete="SET NULL")),
    )
    submitted_by_id: int | None = Field(default=None, sa_column=actor_column())
    submitted_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class AuditEntry(SQLModel, table=True):
    """One change to the catalogue: who made it, when, and the values before and after."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        Index("ix_audit_entry_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    actor_id: int | None = Field(default=None, sa_column=actor_column())
    entity: str = Field(max_length=20)  # "offer", "organization" or "import"
    entity_id: int | None = None
    action: str = Field(max_length=30)
    # Only the fields that changed, each side as the exchange format writes it.
    before: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    note: str | None = Field(default=None, sa_type=Text)


class CatalogueVersion(SQLModel, table=True):
    """One row whose number grows with every committed change to offers or organisations.

    The in-memory browse and match indexes compare it to the number they were built at,
    which costs one primary-key read per request. It is advanced as the last statement
    before commit, so that every commit that changes the catalogue gives a new number and
    the row's lock is held only for the commit itself (timestamps could not do this: a
    transaction may commit after another that wrote a later time).
    """

    __tablename__ = "catalogue_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_type=BigInteger)


class CatalogueChange(SQLModel, table=True):
    """Which offers a catalogue version changed, so that indexes reload only those.

    Every version lists its offers here, or NO_OFFER when it changed none the indexes
    hold (an organisation without offers); a version with no row at all (too many
    offers, a bulk statement, a log pruned since) tells readers to rebuild everything.
    """

    __tablename__ = "catalogue_change"

    version: int = Field(primary_key=True, sa_type=BigInteger)
    offer_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


# The columns that hold an account id (see actor_column).
ACTOR_COLUMNS = (
    Offer.__table__.c.created_by_id,
    OfferRevision.__table__.c.submitted_by_id,
    AuditEntry.__table__.c.actor_id,
)
CATALOGUE_TABLES = (
    Organization.__table__,
    Offer.__table__,
    OfferCriterion.__table__,
    OfferRevision.__table__,
    AuditEntry.__table__,
    CatalogueVersion.__table__,
    CatalogueChange.__table__,
)


def create_tables(connection: Connection) -> None:
    """Create the catalogue's tables and search index in a database of its own (tools and
    tests of the catalogue alone); the platform migrates its database instead."""
    SQLModel.metadata.create_all(connection, tables=CATALOGUE_TABLES)
    search_index.create_table(connection)
    connection.execute(insert(CatalogueVersion).values(id=1, version=0))


_CATALOGUE_ROWS = (Offer, OfferCriterion, Organization)
_CATALOGUE_CHANGED = "passerelle.catalogue_changed"  # a key of Session.info
# The ids of the offers this transaction changed, or None once it changed some it could
# not name (a key of Session.info).
_CHANGED_OFFERS = "passerelle.changed_offers"
# Set once this transaction has advanced the catalogue version, then once it has
# committed (keys of Session.info).
_ADVANCED = "passerelle.catalogue_advanced"
_COMMITTED = "passerelle.catalogue_committed"
NO_OFFER = 0  # the change log's row for a version that changed no offer (ids start at 1)
LOGGED_OFFERS_MAX = 5_000  # past this, a commit logs nothing and readers rebuild all
LOG_KEPT_VERSIONS = 1_000  # readers further behind rebuild everything
_PRUNE_EVERY = 100  # versions
# Called with the engine after each commit that changed the catalogue, once the session
# has given its connection back, before the commit returns (see following.catch_up).
catalogue_commit_listeners: list[Callable[[Engine], None]] = []


def note_catalogue_change(session: Session, offer_ids: Iterable[int] | None = None) -> None:
    """Tell the session that this transaction wrote catalogue rows by itself (with core
    statements or COPY), naming the offers changed when it can; changes made through ORM
    objects are noted on flush."""
    session.info[_CATALOGUE_CHANGED] = True
    changed = session.info.get(_CHANGED_OFFERS, set())
    if changed is not None and offer_ids is not None:
        session.info[_CHANGED_OFFERS] = changed | set(offer_ids)
    else:
        session.info[_CHANGED_OFFERS] = None


def changes_catalogue(session: Session) -> bool:
    """Whether this session's transaction has changed the catalogue (not committed yet)."""
    return session.info.get(_CATALOGUE_CHANGED, False)


def changed_offer_ids(session: Session) -> frozenset[int] | None:
    """The offers this session's transaction changed so far, None if it cannot tell."""
    changed = session.info.get(_CHANGED_OFFERS, set())
    return None if changed is None else frozenset(changed)


def engine_of(session: Session) -> Engine:
    """The engine of the database `session` reads."""
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, _context) -> None:
    changed = [*session.new, *session.deleted] + [
        o for o in session.dirty if session.is_modified(o, include_collections=False)
    ]
    if not any(isinstance(o, _CATALOGUE_ROWS) for o in changed):
        return
    offer_ids = {o.id for o in changed if isinstance(o, Offer)}
    offer_ids |= {o.offer_id for o in changed if isinstance(o, OfferCriterion)}
    # The match index holds each offer's organisation name: a renamed one changes them all.
    renamed = [
        o.id
        for o in changed
        if isinstance(o, Organization) and inspect(o).attrs.name.history.has_changes()
    ]
    if renamed:
        offer_ids |= set(
            session.connection().scalars(select(Offer.id).where(Offer.organization_id.in_(renamed)))
        )
    note_catalogue_change(session, offer_ids)


@event.listens_for(Session, "before_commit")
def _advance_catalogue_version(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction's commit advances it
    session.flush()
    if not session.info.pop(_CATALOGUE_CHANGED, False):
        return
    offer_ids = session.info.pop(_CHANGED_OFFERS, None)
    # The row lock taken here orders the commits: versions and their log rows commit in
    # the order of their numbers.
    version = session.execute(
        update(CatalogueVersion)
        .values(version=CatalogueVersion.version + 1)
        .returning(CatalogueVersion.version)
    ).scalar_one()
    if offer_ids is not None and len(offer_ids) <= LOGGED_OFFERS_MAX:
        session.execute(
            insert(CatalogueChange),
            [{"version": version, "offer_id": i} for i in sorted(offer_ids or {NO_OFFER})],
        )
    if version % _PRUNE_EVERY == 0:
        session.execute(
            delete(CatalogueChange).where(CatalogueChange.version <= version - LOG_KEPT_VERSIONS)
        )
    session.info[_ADVANCED] = True


@event.listens_for(Session, "after_commit")
def _note_committed_change(session: Session) -> None:
    if session.info.pop(_ADVANCED, False):
        session.info[_COMMITTED] = True


@event.listens_for(Session, "after_transaction_end")
def _tell_committed_change(session: Session, transaction) -> None:
    # Not in after_commit: the session cannot read there, and its connection is still
    # taken, where a listener reading through a session of its own needs one more.
    if transaction.parent is None and session.info.pop(_COMMITTED, False):
        engine = engine_of(session)
        for listener in catalogue_commit_listeners:
            listener(engine)


@event.listens_for(Session, "after_rollback")
def _forget_catalogue_change(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's rollback may leave other changes
        session.info.pop(_CATALOGUE_CHANGED, None)
        session.info.pop(_CHANGED_OFFERS, None)
        session.info.pop(_ADVANCED, None)


# The offer's texts the full-text index holds: its titles weigh as titles, its summaries
# and description as the body, so that a search finds an offer in either language.
_TITLE_COLUMNS = ("title", "title_fr", "title_en")
_BODY_COLUMNS = ("description", "summary_fr", "summary_en")
SEARCH_TEXT_COLUMNS = (*_TITLE_COLUMNS, *_BODY_COLUMNS)


def _text_changed(offer: Offer) -> bool:
    attributes = inspect(offer).attrs
    return any(
        attributes[name].history.has_changes()
        for name in (*_TITLE_COLUMNS, *_BODY_COLUMNS, "organization_id", "organization")
    )


def search_entry(offer_id: int, texts: Iterable[str | None], organization: str) -> tuple:
    """(id, title, body) for the search index, from the offer's texts in
    SEARCH_TEXT_COLUMNS order."""
    texts = [text or "" for text in texts]
    titles, bodies = texts[: len(_TITLE_COLUMNS)], texts[len(_TITLE_COLUMNS) :]
    return offer_id, " ".join(titles), " ".join([*bodies, organization])


@event.listens_for(Session, "after_flush")
def _follow_in_search_index(session: Session, _context) -> None:
    """Keep the full-text index in step with every flush, in one batch."""
    connection = session.connection()
    written = [o for o in session.new if isinstance(o, Offer)] + [
        o for o in session.dirty if isinstance(o, Offer) and _text_changed(o)
    ]
    search_index.upsert_many(
        connection,
        [
            search_entry(
                o.id, (getattr(o, name) for name in SEARCH_TEXT_COLUMNS), o.organization.name
            )
            for o in written
        ],
    )
    removed = [o.id for o in session.deleted if isinstance(o, Offer)]
    search_index.delete_many(connection, removed)
    renamed = [
        o.id
        for o in session.dirty
        if isinstance(o, Organization) and inspect(o).attrs.name.history.has_changes()
    ]
    if renamed:
        rows = connection.execute(
            select(
                Offer.id, *(getattr(Offer, name) for name in SEARCH_TEXT_COLUMNS), Organization.name
            )
            .join(Organization)
            .where(Offer.organization_id.in_(renamed))
        )
        search_index.upsert_many(
            connection, [search_entry(row[0], row[1:-1], row[-1]) for row in rows]
        )
