"""Full-text index of offers: SQLite FTS5 or PostgreSQL tsvector, kept in step by ORM events.

Text is folded in Python (lowercase, no accents) before indexing and searching, so that
"prêt", "PRET" and "pret" meet on both databases without the `unaccent` extension.
Every search term is a prefix ("financ" finds "financement" and "financing").
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import Connection, Float, Integer, Subquery, bindparam, text

_WORD = re.compile(r"[a-z0-9]+")


def fold_words(value: str) -> list[str]:
    """Lowercase accent-free words of a text, the unit of indexing and search."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return _WORD.findall("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def create_table(connection: Connection) -> None:
    """Create the empty index: a weighted tsvector with GIN on PostgreSQL, FTS5 on SQLite."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "CREATE TABLE offer_search ("
                " offer_id INTEGER PRIMARY KEY REFERENCES offer(id) ON DELETE CASCADE,"
                " document TSVECTOR NOT NULL)"
            )
        )
        connection.execute(
            text("CREATE INDEX ix_offer_search_document ON offer_search USING GIN (document)")
        )
    else:
        connection.execute(
            text("CREATE VIRTUAL TABLE offer_search USING fts5(title, body, tokenize='unicode61')")
        )


def upsert_many(connection: Connection, offers: list[tuple[int, str, str]]) -> None:
    """Index (or re-index) offers given as (id, title, body)."""
    if not offers:
        return
    values = [
        {"id": offer_id, "title": " ".join(fold_words(title)), "body": " ".join(fold_words(body))}
        for offer_id, title, body in offers
    ]
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "INSERT INTO offer_search (offer_id, document) VALUES (:id, "
                "setweight(to_tsvector('simple', :title), 'A') || "
                "setweight(to_tsvector('simple', :body), 'B')) "
                "ON CONFLICT (offer_id) DO UPDATE SET document = EXCLUDED.document"
            ),
            values,
        )
    else:
        delete_many(connection, [value["id"] for value in values])
        connection.execute(
            text("INSERT INTO offer_search (rowid, title, body) VALUES (:id, :title, :body)"),
            values,
        )


def delete_many(connection: Connection, offer_ids: list[int]) -> None:
    if not offer_ids:
        return
    column = "offer_id" if connection.dialect.name == "postgresql" else "rowid"
    connection.execute(
        text(f"DELETE FROM offer_search WHERE {column} = :id"), [{"id": i} for i in offer_ids]
    )


def query_terms(q: str) -> list[str]:
    """The folded words of a search box entry."""
    return fold_words(q)[:12]  # a pasted paragraph should not build a huge query


def matching_offers(dialect: str, terms: list[str]) -> Subquery:
    """A subquery of (offer id, rank) for offers containing every term as a prefix.

    The rank grows with relevance; title words weigh more than the description's.
    """
    if dialect == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        return (
            text(
                "SELECT offer_id, ts_rank(document, to_tsquery('simple', :tsq)) AS rank FROM"
                " offer_search WHERE document @@ to_tsquery('simple', :tsq)"
            )
            .bindparams(bindparam("tsq", tsquery))
            .columns(offer_id=Integer, rank=Float)
            .subquery()
        )
    match = " ".join(f'"{term}"*' for term in terms)
    return (
        text(
            "SELECT rowid AS offer_id, -bm25(offer_search, 3.0, 1.0) AS rank "
            "FROM offer_search WHERE offer_search MATCH :match"
        )
        .bindparams(bindparam("match", match))
        .columns(offer_id=Integer, rank=Float)
        .subquery()
    )
