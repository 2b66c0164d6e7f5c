"""Similar petitions by their words: TF-IDF over character trigrams, cosine similarity.

A pure engine (no database): ``similar(query, documents)`` ranks documents by how much of the
query's wording they share. Character trigrams of each word (``#fietspad#`` → ``#fi``, ``fie``,
…) match inflections and compounds that whole words miss (``fietspaden``, ``fietspad``), and
inverse document frequency weighs down what every petition says (``gemeente``, ``graag``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

_WORD = re.compile(r"\w+")
# Words too common in any Dutch or English petition to say what it is about.
STOP_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "in",
        "op",
        "te",
        "voor",
        "met",
        "aan",
        "dat",
        "die",
        "is",
        "om",
        "niet",
        "er",
        "ook",
        "wij",
        "we",
        "ze",
        "zij",
        "u",
        "gemeente",
        "petitie",
        "graag",
        "willen",
        "wil",
        "meer",
        "moet",
        "worden",
        "wordt",
        "the",
        "a",
        "an",
        "and",
        "of",
        "to",
        "for",
        "in",
        "on",
        "is",
        "be",
        "we",
        "our",
        "please",
        "petition",
        "council",
    ]
)
THRESHOLD = 0.2


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def features(text: str) -> Counter[str]:
    """The trigram counts of a text's words (stop words and one-letter words left out)."""
    grams: Counter[str] = Counter()
    for word in _WORD.findall(_fold(text)):
        if len(word) < 2 or word in STOP_WORDS:
            continue
        padded = f"#{word}#"
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


@dataclass(frozen=True)
class Match(Generic[K]):
    """A document like the query, and how alike (cosine similarity, 0 to 1)."""

    key: K
    score: float


def _weights(grams: Counter[str], idf: Mapping[str, float]) -> dict[str, float]:
    vector = {g: (1 + math.log(n)) * idf.get(g, 0.0) for g, n in grams.items()}
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {g: w / norm for g, w in vector.items()} if norm else {}


def similar(
    query: str,
    documents: Sequence[tuple[K, str]],
    *,
    limit: int = 5,
    threshold: float = THRESHOLD,
) -> list[Match[K]]:
    """The documents most like ``query`` (at least ``threshold`` alike), most alike first."""
    corpus = [(key, features(text)) for key, text in documents]
    query_grams = features(query)
    if not query_grams or not corpus:
        return []
    frequency: Counter[str] = Counter()
    for _key, grams in corpus:
        frequency.update(grams.keys())
    frequency.update(query_grams.keys())
    total = len(corpus) + 1
    idf = {g: math.log((1 + total) / (1 + n)) + 1 for g, n in frequency.items()}
    query_vector = _weights(query_grams, idf)
    matches = []
    for key, grams in corpus:
        vector = _weights(grams, idf)
        score = sum(w * vector.get(g, 0.0) for g, w in query_vector.items())
        if score >= threshold:
            matches.append(Match(key, round(score, 4)))
    matches.sort(key=lambda m: -m.score)
    return matches[:limit]
