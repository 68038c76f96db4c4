"""Bilingual (fr/en) text relevance between a project description and offers.

Word unigrams, accents stripped, French and English stop words dropped, and every word
cut to its first five letters. The cut is a crude stemmer that also joins many fr/en
cognates (financement/financing → "finan", agricole/agriculture → "agric",
tracteur/tractor → "tract"). Character n-grams would catch a little more but hold ten
times as many non-zeros per offer, which matters at 100,000 offers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

STEM_LENGTH = 5

_WORD = re.compile(r"[a-z][a-z0-9]+")

# Short function words only: content words, even frequent ones, are left to the IDF.
# fmt: off
STOP_WORDS = frozenset((
    # English
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "for",
    "from", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my",
    "no", "not", "of", "on", "or", "our", "so", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "to", "us", "was", "we", "were", "what",
    "when", "which", "who", "will", "with", "would", "you", "your",
    # French, accents already stripped
    "au", "aux", "avec", "ce", "ces", "cette", "dans", "de", "des", "du", "elle", "en",
    "est", "et", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais",
    "mes", "mon", "ne", "nos", "notre", "nous", "ou", "par", "pas", "pour", "qu", "que",
    "qui", "sa", "se", "ses", "son", "sont", "sur", "ta", "te", "tes", "ton", "tu", "un",
    "une", "vos", "votre", "vous", "y", "ete", "etre", "avoir",
))
# fmt: on


def strip_accents(text: str) -> str:
    """Lower-case `text` and drop its diacritics (é → e, ç → c, œ → oe)."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    # Decomposed accents are non-ASCII marks: the ASCII codec drops them, all in C.
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def analyse(text: str) -> list[str]:
    """Stems of the content words of `text`, in order."""
    words = _WORD.findall(strip_accents(text or ""))
    return [w[:STEM_LENGTH] for w in words if w not in STOP_WORDS]


Terms = tuple[np.ndarray, np.ndarray]


def tfidf_terms(
    vectorizer: TfidfVectorizer, analyzer: Callable[[str], list[str]], text: str
) -> Terms | None:
    """`vectorizer.transform([text])` as (feature indices, weights), without its overhead.

    Valid for a fitted vectorizer with `sublinear_tf=True` and `norm="l2"`; a single short
    text is then a few microseconds of arithmetic instead of a millisecond of checks.
    """
    vocabulary = vectorizer.vocabulary_
    counts = Counter(vocabulary[t] for t in analyzer(text) if t in vocabulary)
    if not counts:
        return None
    indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    weights = (1.0 + np.log(tf)) * vectorizer.idf_[indices]
    return indices, weights / np.linalg.norm(weights)


class OfferText:
    """TF-IDF matrix of the offers' titles and descriptions, rows L2-normalised."""

    def __init__(self, vectorizer: TfidfVectorizer | None, matrix: sparse.csr_matrix | None):
        self._vectorizer = vectorizer
        self._matrix = matrix

    @classmethod
    def build(cls, texts: Sequence[str]) -> OfferText:
        """Fit the vocabulary and weights on the catalogue's own texts."""
        vectorizer = TfidfVectorizer(analyzer=analyse, sublinear_tf=True, dtype=np.float32)
        try:
            matrix = vectorizer.fit_transform(texts).tocsr()
        except ValueError:
            # Empty catalogue or only stop words: text relevance is then unavailable.
            return cls(None, None)
        return cls(vectorizer, matrix)

    def query(self, description: str) -> np.ndarray | None:
        """The description as a dense normalised TF-IDF vector, None if no word is known."""
        if self._vectorizer is None or not isinstance(description, str):
            return None
        terms = tfidf_terms(self._vectorizer, analyse, description)
        if terms is None:
            return None
        vector = np.zeros(self._matrix.shape[1], dtype=np.float32)
        vector[terms[0]] = terms[1]
        return vector

    def cosine(self, rows: np.ndarray, query: np.ndarray | None) -> np.ndarray:
        """Cosine similarity in [0, 1] between the offers at `rows` and `query`."""
        if query is None or self._matrix is None or rows.size == 0:
            return np.zeros(rows.size, dtype=np.float32)
        return np.clip(self._matrix[rows] @ query, 0.0, 1.0)

    def pair_cosines(self, rows: np.ndarray, queries: Sequence[np.ndarray]) -> np.ndarray:
        """Cosine in [0, 1] of each (offer at `rows[i]`, `queries[i]`) pair; pairs share
        queries (the same array object), so each distinct one is multiplied once."""
        if self._matrix is None or rows.size == 0:
            return np.zeros(rows.size, dtype=np.float32)
        distinct: dict[int, int] = {}
        which = np.asarray([distinct.setdefault(id(q), len(distinct)) for q in queries])
        stacked = np.vstack(list({id(q): q for q in queries}.values()))
        offer_rows, position = np.unique(rows, return_inverse=True)
        products = self._matrix[offer_rows] @ stacked.T
        return np.clip(np.asarray(products)[position, which], 0.0, 1.0)
