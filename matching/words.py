"""The stop words and accent folding of matching's texts, apart from the vectors of
`matching.text`: the catalogue's search index uses them without loading numpy and scipy.
"""

from __future__ import annotations

import unicodedata

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
