"""The offers' full-text terms, stored in an SQLite FTS5 table or a PostgreSQL tsvector and
kept in step by ORM events; searches are answered from them in memory (text_index).

Texts are cut into terms in Python (analysis: folded words, French and English stems), so
that both databases store the same terms with their plain tokenizers.
A search word finds its own stems as prefixes ("financ" finds "financement" and
"financing") and, through the thesaurus, the stems of its synonyms exactly; a thesaurus
phrase in a text is indexed under its group's term too, which a search naming any phrase
of the group looks for.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text

from services_catalog.analysis import fold_words, is_content_word, stems
from services_catalog.thesaurus import document_terms, phrases_in, synonyms

MAX_QUERY_WORDS = 12  # a pasted paragraph should not build a huge query


def create_table(connection: Connection) -> None:
    """Create the empty table: a weighted tsvector on PostgreSQL, FTS5 on SQLite."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "CREATE TABLE offer_search ("
                " offer_id INTEGER PRIMARY KEY REFERENCES offer(id) ON DELETE CASCADE,"
                " document TSVECTOR NOT NULL)"
            )
        )
    else:
        connection.execute(
            text("CREATE VIRTUAL TABLE offer_search USING fts5(title, body, tokenize='unicode61')")
        )


def upsert_many(
    connection: Connection,
    offers: list[tuple[int, str, str]],
    terms: Callable[[str], list[str]] = document_terms,
) -> None:
    """Index (or re-index) offers given as (id, title, body)."""
    if not offers:
        return
    values = [
        {"id": offer_id, "title": " ".join(terms(title)), "body": " ".join(terms(body))}
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


QueryTerm = tuple[tuple[str, ...], tuple[str, ...]]  # (prefixes, exact terms) for one word


def query_terms(q: str) -> tuple[QueryTerm, ...]:
    """Per content word of a search box entry, the index terms that may stand for it; a
    thesaurus phrase ("business plan") stands as one, for its group's term."""
    words = fold_words(q)
    phrases = {first: (last, term) for first, last, term in phrases_in(words)}
    found: list[QueryTerm] = []
    position = 0
    while position < len(words) and len(found) < MAX_QUERY_WORDS:
        word = words[position]
        if position in phrases:
            last, term = phrases[position]
            found.append(((), (term,)))
            position = last + 1
            continue
        if is_content_word(word):
            own = stems(word)
            found.append((own, tuple(sorted(synonyms(word) - set(own)))))
        position += 1
    return tuple(dict.fromkeys(found))
