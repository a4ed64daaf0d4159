"""How a search reads a word, in Python, for both databases: the knowledge bank's search
(soin.knowledge.search) and the back office's lists that search text (``stored_terms`` and
``matching``, below).

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

The back office's lists (ideas, partners, the bank of financial proxies) keep on each row the
terms of its text in a field (``stored_terms``), read in both languages, since a list holds
texts in either; a query word finds the rows with a term that begins with it or, in Swedish,
ends with it (``matching``), as in the bank, but matched against the row's own terms rather
than a vocabulary. There å, ä and ö are also read as a, a and o, for whoever types without a
Swedish keyboard (``hallefors`` finds ``Hällefors``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

from django.db.models import Q

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


# --- The back office's lists ---------------------------------------------------------------

LANGUAGES = ("sv", "en")
# A list is searched for at most this many words of a query.
MAX_QUERY_WORDS = 12
PLAIN = str.maketrans("åäö", "aao")


def plain(text: str) -> str:
    """Return ``text`` with å, ä and ö as a, a and o."""
    return text.translate(PLAIN)


def stored_terms(*texts: str) -> str:
    """Return the form a list's row keeps of ``texts`` to be searched (``matching``): the terms
    of their words read in both languages (in Swedish also without an ending Snowball leaves
    on, as the compound ``matkooperativet`` ends with ``kooperativ``), å, ä and ö as a, a and
    o, once each, sorted, space-delimited on both sides so that a term can be matched whole."""
    found = set()
    for language in LANGUAGES:
        for found_term in terms(" ".join(texts), language):
            found.add(plain(found_term))
            if language == "sv":
                found.add(plain(bases(found_term, language)[-1]))
    return f" {' '.join(sorted(found))} " if found else ""


def terms_of(row: Any, **values: str) -> str:
    """Return ``stored_terms`` of the fields of ``row`` its model names in ``SEARCHED``, each
    as in ``values`` if it is there."""
    return stored_terms(*(str(values.get(f, getattr(row, f)) or "") for f in row.SEARCHED))


def terms_filler(label: str, fields: tuple[str, ...]) -> Any:
    """Return a data migration's function that fills ``search_terms`` of every row of the model
    ``label`` ("app.Model") from its ``fields``, as ``stored_terms`` reads them, in batches."""

    def fill(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(label)
        rows = []
        for row in model.objects.only("pk", *fields).order_by("pk").iterator(chunk_size=2000):
            row.search_terms = stored_terms(*(str(getattr(row, f) or "") for f in fields))
            rows.append(row)
            if len(rows) == 2000:
                model.objects.bulk_update(rows, ["search_terms"])
                rows = []
        model.objects.bulk_update(rows, ["search_terms"])

    return fill


def query_words(query: str) -> list[str]:
    """Return the words of ``query`` a list is searched for: a stop word of either language
    says nothing and is left out; at most ``MAX_QUERY_WORDS``."""
    stop = stop_words("sv") | stop_words("en")
    found = [w[:MAX_WORD] for w in words(query) if w not in stop]
    return [w for w in dict.fromkeys(found) if any(term(w, lang) for lang in LANGUAGES)][
        :MAX_QUERY_WORDS
    ]


def _word_matching(field: str, word: str) -> Q:
    """The rows whose ``field`` (``stored_terms``) has a term ``word`` finds, read in either
    language: as the bank widens a word against its vocabulary, a term that begins with the
    word's term (or the term without an ending Snowball leaves on), one that is that term one
    letter shorter (the stemmer cut it differently: "caféer", "café") and, in Swedish, a
    compound that ends with it."""
    condition = Q()
    for language in LANGUAGES:
        query_bases = [plain(b) for b in bases(term(word, language), language)]
        for base in query_bases:
            if len(base) < MIN_STEM:
                condition |= Q(**{f"{field}__contains": f" {base} "})
            else:
                condition |= Q(**{f"{field}__contains": f" {base}"})
            if len(base) > 3:
                condition |= Q(**{f"{field}__contains": f" {base[:-1]} "})
            if language == "sv" and len(base) >= MIN_HEAD:
                # The cheap test first: the regular expression only where the term ends so.
                # The terms are letters and digits: nothing in one needs escaping.
                condition |= Q(**{f"{field}__contains": f"{base} "}) & Q(
                    **{f"{field}__regex": f"[^ ]{{{MIN_MODIFIER}}}{base} "}
                )
    return condition


def matching(field: str, query: str) -> Q | None:
    """Return the condition on ``field`` (a row's ``stored_terms``) of the rows that every word
    of ``query`` finds; None when no word of it counts (stop words alone)."""
    found = query_words(query)
    if not found:
        return None
    condition = Q()
    for word in found:
        condition &= _word_matching(field, word)
    return condition
