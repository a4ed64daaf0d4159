"""How the knowledge bank's search reads a word, in Python, for both databases.

Every word of a text and of a query becomes a *term* the same way, here, so that PostgreSQL
and SQLite store and look up the same terms and give the same answers:

1. English irregular plurals become their singular (``women`` → ``woman``): a short table,
   since no stemmer knows them.
2. Accents are folded (``café`` → ``cafe``, ``ü`` → ``u``), except the Swedish letters å, ä
   and ö, which are letters of their own (``æ`` and ``ø`` become ``ä`` and ``ö``).
3. A few spelling rules make the variants of a loanword one word: ``c`` sounding as k becomes
   ``k`` (before a, o, u, a consonant other than h, or at the end: ``cafe`` → ``kafe``,
   ``project`` → ``projekt``), ``ck`` → ``k``, ``ph`` → ``f``.
4. The Snowball stemmer of the language takes the inflections off (``cyklarna`` → ``cykl``).

What Snowball leaves (Swedish ``socialt`` beside ``sociala``, compounds such as
``integrationsguider``) and typos are handled when a query is read, against the bank's
vocabulary (soin.knowledge.search): a query term finds the terms that begin or end with it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from soin.core.text import stem

DATA = Path(__file__).parent / "data"
WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Longer words are not words a search looks for (and PostgreSQL would drop them).
MAX_WORD = 100

# English plurals that do not end in -s, to their singular. Only nouns: a verb form such as
# "found" or "left" is also a word of its own.
IRREGULAR_EN = {
    "women": "woman",
    "men": "man",
    "children": "child",
    "people": "person",
    "feet": "foot",
    "teeth": "tooth",
    "geese": "goose",
    "mice": "mouse",
    "oxen": "ox",
    "wives": "wife",
    "knives": "knife",
    "halves": "half",
    "selves": "self",
    "shelves": "shelf",
    "wolves": "wolf",
    "thieves": "thief",
    "crises": "crisis",
    "theses": "thesis",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "curricula": "curriculum",
    "indices": "index",
}

# Letters folded to another letter rather than to their base letter.
LETTERS = {"æ": "ä", "ø": "ö", "ß": "ss", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ł": "l"}
KEPT = frozenset("åäö")
# c sounding as k: before a, o, u, a consonant other than h, or at the end of the word.
HARD_C = re.compile(r"c(?=[aoukgjlmnpqrstvxzbdfw]|$)")

# Swedish endings that Snowball leaves on: the neuter -t and -et of adjectives and nouns
# ("socialt", "företaget"), the definite plural -na. A query term is also read without them.
SWEDISH_ENDINGS = ("et", "t", "na", "n")
# The shortest stem left once an ending is taken off, and the shortest term expanded to the
# longer words that begin or end with it.
MIN_STEM = 4
# The compounds that end with a query word (Swedish): the word at least this long, and what
# goes before it too (``kooperativ`` in ``matkooperativ``, never ``ring`` in ``förändring``).
MIN_HEAD, MIN_MODIFIER = 5, 3


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    name = "english.stop" if language == "en" else "swedish.stop"
    return frozenset(w.strip() for w in (DATA / name).read_text("utf-8").splitlines() if w)


def words(text: str) -> list[str]:
    """Return the words of ``text``, lower-cased: letters and digits, nothing else."""
    return WORD.findall(text.lower())


def terms(text: str, language: str) -> list[str]:
    """Return the terms of the words of ``text`` that count in a search, in order."""
    stop = stop_words(language)
    found = (term(w, language) for w in words(text) if w not in stop)
    return [t for t in found if t and len(t) <= MAX_WORD]


def fold(word: str) -> str:
    """Return the lower-case ``word`` with accents folded (å, ä and ö kept) and the spelling
    rules applied."""
    out = []
    for ch in word:
        if ch in KEPT:
            out.append(ch)
        elif ch in LETTERS:
            out.append(LETTERS[ch])
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", ch) if c.isalnum()))
    text = "".join(out).replace("ck", "k").replace("ph", "f")
    return HARD_C.sub("k", text)


# A Swedish word ending in -el after a consonant drops the e before an ending ("cykel",
# "cyklar"; "cirkel", "cirklar"): its term is written without it.
SWEDISH_EL = re.compile(r"(?<=[^aeiouyåäöé])el$")
SWEDISH_L = re.compile(r"(?<=[^aeiouyåäöél])l$")


@functools.lru_cache(maxsize=50_000)
def term(word: str, language: str) -> str:
    """Return the term the search stores and looks up for the lower-case ``word``."""
    if language == "en":
        word = IRREGULAR_EN.get(word, word)
    folded = fold(word)
    if not folded:
        return ""
    stemmed = stem(folded, language)
    if language == "sv" and len(stemmed) >= MIN_STEM + 1:
        stemmed = SWEDISH_EL.sub("l", stemmed)
    return stemmed


def bases(query_term: str, language: str) -> list[str]:
    """Return ``query_term`` and, in Swedish, the term without an ending Snowball leaves on
    (``socialt`` → ``social``), if what is left is long enough to say something, and a term
    written without the e of -el with it (``cykl`` → ``cykel``, which begins compounds such
    as ``cykelverkstad``)."""
    found = [query_term]
    if language == "sv":
        for ending in SWEDISH_ENDINGS:
            rest = query_term[: -len(ending)]
            if query_term.endswith(ending) and len(rest) >= MIN_STEM and rest not in found:
                found.append(rest)
                break
        if len(query_term) >= MIN_STEM and SWEDISH_L.search(query_term):
            found.insert(1, query_term[:-1] + "el")
    return found


def distance(a: str, b: str, limit: int) -> list[int]:
    """Return the edit distance (insertions, deletions, substitutions, swaps of neighbours)
    from ``a`` to every prefix of ``b``: the last row of the table, from the empty prefix on.
    Rows stop early once every cell exceeds ``limit`` (the rest then count as above it)."""
    previous: list[int] = list(range(len(b) + 1))
    before: list[int] = []
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > limit:
            return [limit + 1] * (len(b) + 1)
        before, previous = previous, row
    return previous

