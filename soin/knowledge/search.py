"""Full-text search of the knowledge bank, one interface over two databases.

Every word is read here, in Python (soin.core.normalise): accents folded, spelling
variants made one, inflections stemmed. The terms are stored per language in an index each
database searches: PostgreSQL a stored vector per language on each entry (the ``simple``
configuration, which keeps the terms as given; GIN indexes), ranked with ``ts_rank``; SQLite
the FTS5 tables ``knowledge_fts_sv`` and ``knowledge_fts_en``, ranked with ``bm25``. Title
counts most, then the summary, the story, and last the entry's categories and places.

A query's words are read the same way, then widened against the bank's vocabulary (the
``SearchWord`` table, kept by ``index``): each finds the terms that begin with it (the
inflections Snowball leaves, ``social`` → ``socialt``, and compounds, ``integration`` →
``integrationsguider``) and, in Swedish, the compounds that end with it (``kooperativ`` →
``matkooperativ``). A word the vocabulary does not know is corrected to its nearest word
(``inegration`` → ``integration``), and a query that finds nothing with every word finds
the entries with some of them. Both databases are asked for the same terms, so they find the
same entries.

With the embedding model usable (``soin.meaning``), a search reads meaning too (hybrid
ranking): the query is embedded (its vector kept in the cache under the model's name and the
query's words, so a repeated query costs no model time) and compared with every entry's stored
vector (``soin.meaning.selectors.entries_near_query``: the centred cosine, at least 0.10 and at
least 0.4 of the best one's). The ``NEAR`` nearest of the bank searched match beside the word
matches, so that "isolerade pensionärer" finds an entry about "ensamma äldre" and an English
query finds a Swedish entry: they are counted, faceted and paged with them. The best match
first is then by reciprocal rank fusion of the two orders: an entry scores
1 / (``RRF_K`` + its place among the word matches) + ``NEAR_WEIGHT`` / (``RRF_K`` + its place
by meaning), over the best ``LEXICAL_POOL`` word matches and the nearest by meaning (the word
matches further down follow, by their rank). Fusion reads places, not scores, because the
two scores are of different kinds (``ts_rank`` or ``bm25`` against a cosine) and neither is
comparable from one query to the next; an entry near the top of both comes first. With the
model off (``SOIN_EMBEDDINGS=0``, or a file that does not load) the search is by words alone,
as above, and asks the database nothing more.

Facets count the entries that match the text and every other facet's choices, so that choosing
a value in one facet never hides the other values of that facet; on PostgreSQL the count and
every facet come from one reading of the matches, which at national size are tens of
thousands of entries. Highlighting is done here too, with the same terms, so that both
databases mark the same words.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext_lazy

from soin.core import aggregates, normalise
from soin.core.normalise import (
    MAX_WORD,
    MIN_HEAD,
    MIN_MODIFIER,
    WORD,
    stop_words,
    terms,
    words,
)
from soin.ideas.models import Challenge, Idea
from soin.knowledge.models import Entry, SearchWord
from soin.regions.models import Municipality, Region

LANGUAGES = ("sv", "en")
# The terms are made in Python: PostgreSQL keeps them as they are.
CONFIG = "simple"
PER_PAGE = 20
MAX_QUERY_WORDS = 12
# Column weights: title, summary, story, categories and places.
WEIGHTS = ("A", "B", "C", "D")
BM25_WEIGHTS = "10.0, 4.0, 2.0, 1.0"
# The highest character: ``term < prefix + LAST`` ends the range of terms beginning with it.
LAST = "\U0010ffff"
# A query word is widened to at most this many terms, the shortest first.
MAX_WIDENED = 64
# Hybrid ranking: at most NEAR entries found by meaning join a query's matches; the best
# LEXICAL_POOL of the word matches and they are ranked together by reciprocal rank fusion.
NEAR = 30
LEXICAL_POOL = 100
RRF_K = 60
NEAR_WEIGHT = 1.0


def sort_key(title: str) -> str:
    """Return a key that sorts titles in Swedish order under a binary collation: case and
    accents ignored, but å, ä and ö after z."""
    out = []
    for ch in title.lower().strip():
        if ch in "åäö":
            out.append({"å": "{", "ä": "|", "ö": "}"}[ch])
        elif ch in "æø":
            out.append({"æ": "|", "ø": "}"}[ch])
        else:
            out.append(unicodedata.normalize("NFKD", ch)[0])
    return "".join(out)[:200]


def _text(entry: Entry, name: str, language: str) -> str:
    other = "en" if language == "sv" else "sv"
    return getattr(entry, f"{name}_{language}") or getattr(entry, f"{name}_{other}")


def document(entry: Entry, language: str) -> tuple[str, str, str, str]:
    """Return the four parts of the entry that are searched in ``language``: title, summary,
    story, and its categories and places. A text missing in one language is searched in the
    other's words."""
    challenges = " ".join(getattr(c, f"name_{language}") for c in entry.challenges.all())
    labels = []
    if entry.solution_type:
        labels.append(_label(Idea.SolutionType, entry.solution_type, language))
    if entry.municipality_id:
        labels.append(entry.municipality.name)  # type: ignore[union-attr]
    labels.extend(o.name for o in entry.organisations.all())
    labels.extend(entry.other_organisation_names())
    return (
        _text(entry, "title", language),
        _text(entry, "summary", language),
        _text(entry, "story", language),
        f"{challenges} {' '.join(labels)}",
    )


def _label(choices: Any, value: str, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return str(choices(value).label)


# --- The two databases -------------------------------------------------------------------


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def index(entry: Entry) -> None:
    """Bring the entry's search index up to date with its text (call after every change, in
    the same transaction); a published entry's words join the vocabulary."""
    docs = {lang: document(entry, lang) for lang in LANGUAGES}
    stored = {lang: [" ".join(terms(p, lang)) for p in parts] for lang, parts in docs.items()}
    if entry.state == Entry.State.PUBLISHED:
        _learn(docs)
    if _postgres():
        vectors: dict[str, Any] = {}
        for lang, parts in stored.items():
            vector: Any = None
            for weight, part in zip(WEIGHTS, parts, strict=True):
                piece = SearchVector(Value(part), config=CONFIG, weight=weight)
                vector = piece if vector is None else vector + piece
            vectors[f"search_{lang}"] = vector
        Entry.objects.filter(pk=entry.pk).update(
            **vectors, sort_key=sort_key(entry.title_sv or entry.title_en)
        )
        return
    Entry.objects.filter(pk=entry.pk).update(sort_key=sort_key(entry.title_sv or entry.title_en))
    with connection.cursor() as cursor:
        for lang, parts in stored.items():
            table = f"knowledge_fts_{lang}"
            cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [entry.pk])
            cursor.execute(
                f"INSERT INTO {table} (rowid, title, summary, story, extra) "
                "VALUES (%s, %s, %s, %s, %s)",
                [entry.pk, *parts],
            )


def learn(entry: Entry) -> None:
    """Add the words of ``entry`` (being published) to the vocabulary."""
    _learn({lang: document(entry, lang) for lang in LANGUAGES})


def _learn(docs: Mapping[str, Sequence[str]]) -> None:
    """Add the words of ``docs`` (language → texts) to the vocabulary, in one query."""
    rows: dict[tuple[str, str], str] = {}
    for lang, parts in docs.items():
        stop = stop_words(lang)
        for word in words(" ".join(parts)):
            if word in stop or len(word) > MAX_WORD or (lang, word) in rows:
                continue
            found = normalise.term(word, lang)
            if found:
                rows[(lang, word)] = found
    SearchWord.objects.bulk_create(
        [
            SearchWord(
                language=lang,
                word=word,
                term=t,
                reversed_term=normalise.bases(t, lang)[-1][::-1],
            )
            for (lang, word), t in rows.items()
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


@dataclass
class Reading:
    """A query as the search reads it: for each word that counts, the terms that find it."""

    groups: list[list[str]]
    # The query with its unknown words corrected, when some were ("" when none was).
    corrected: str = ""

    @property
    def terms(self) -> list[str]:
        """Every term of the query once, in order."""
        return list(dict.fromkeys(t for group in self.groups for t in group))


def _range(field_name: str, prefix: str) -> Q:
    # A range rather than LIKE: the same index answers on both databases, whatever the
    # collation, and "%" or "_" in a word mean nothing.
    return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": prefix + LAST})


def _widened(query_words: Sequence[str], lang: str) -> list[list[str]]:
    """For each of ``query_words``, its term and the vocabulary's terms that begin with it
    (or, in Swedish, that end with it, compounds) or that it begins with, one letter
    shorter, in one query: empty for a word that finds nothing in the vocabulary."""
    wanted = [normalise.bases(normalise.term(w, lang), lang) for w in query_words]
    # A term of the bank one letter shorter than the query's is one the stemmer cut
    # differently ("caféer" → "kafe", "café" → "kaf"); two would be another word ("samtal",
    # "samt").
    shorter = [{b[:-1] for b in bases if len(b) > 3} for bases in wanted]
    condition = Q()
    for bases, cut in zip(wanted, shorter, strict=True):
        if cut:
            condition |= Q(term__in=sorted(cut))
        for base in bases:
            if len(base) < normalise.MIN_STEM:
                condition |= Q(term=base)
                continue
            condition |= _range("term", base)
            if lang == "sv" and len(base) >= MIN_HEAD:
                condition |= _range("reversed_term", base[::-1])
    if not condition:
        return [[] for _ in query_words]
    # Each term with what it ends with once the endings Snowball leaves on are off (the
    # compounds "matkooperativet" and "matkooperativ" both end with "kooperativ").
    known = dict(
        sorted(
            (term, backwards[::-1])
            for term, backwards in SearchWord.objects.filter(condition, language=lang)
            .order_by()
            .values_list("term", "reversed_term")
            .distinct()
        )
    )
    ordered = sorted(known, key=lambda t: (len(t), t))
    groups = []
    for bases, cut in zip(wanted, shorter, strict=True):
        group = [
            t
            for t in ordered
            if t in cut
            or any(
                t == base
                or (len(base) >= normalise.MIN_STEM and t.startswith(base))
                or (
                    lang == "sv"
                    and len(base) >= MIN_HEAD
                    and known[t].endswith(base)
                    and len(known[t]) - len(base) >= MIN_MODIFIER
                )
                for base in bases
            )
        ]
        groups.append(group[:MAX_WIDENED])
    return groups


# The letters a word typed without Swedish (or accented) letters may mean.
FIRST_LETTERS = {"a": "aåä", "o": "oö", "e": "eé", "u": "uü"}


def _corrections(unknown: Sequence[str], lang: str) -> dict[str, str]:
    """The nearest word of the vocabulary (or the first part of a compound) to each of
    ``unknown``, within one edit for a short word and two for a long one (an edit also swaps
    two neighbouring letters), in one query: the candidates begin with the word's first or
    second letter (or its Swedish or accented form). A whole word wins over the first part
    of a compound at the same distance."""
    limits = {w: (1 if len(w) <= 6 else 2) for w in unknown if len(w) >= normalise.MIN_STEM}
    if not limits:
        return {}
    starts = {c for w in limits for letter in w[:2] for c in FIRST_LETTERS.get(letter, letter)}
    condition = Q()
    for letter in sorted(starts):
        condition |= _range("word", letter)
    candidates = list(
        SearchWord.objects.filter(condition, language=lang)
        .order_by()
        .values_list("word", flat=True)
        .distinct()
    )
    found = {}
    for word, limit in limits.items():
        firsts = {c for letter in word[:2] for c in FIRST_LETTERS.get(letter, letter)}
        best: tuple[int, bool, int, str] | None = None
        for candidate in candidates:
            if candidate[0] not in firsts:
                continue
            beginning = candidate[: len(word) + limit]
            # Each edit brings at most one of the word's letters the candidate lacks.
            if len(set(word) - set(beginning)) > limit:
                continue
            row = normalise.distance(word, beginning, limit)
            for length in range(max(1, len(word) - limit), len(beginning) + 1):
                if row[length] > limit:
                    continue
                # What follows is an ending (the whole word is meant) or another word (the
                # first part of a compound is).
                part = len(candidate) - length >= MIN_MODIFIER
                shown = candidate[:length] if part else candidate
                key = (row[length], part, abs(length - len(word)), shown)
                if best is None or key < best:
                    best = key
        if best is not None:
            found[word] = best[3]
    return found


def read(query: str, lang: str, every_word: bool = True, correct: bool = True) -> Reading:
    """Read ``query`` in ``lang``: its words that count (stop words left out, at most
    ``MAX_QUERY_WORDS``; without ``every_word`` the longest, most telling, ones), each
    widened against the vocabulary and, with ``correct``, corrected if it is unknown."""
    stop = stop_words(lang)
    # A longer word is no word of the bank: kept short, it finds nothing.
    raw = [w[:MAX_WORD] for w in words(query) if w not in stop]
    if every_word:
        raw = list(dict.fromkeys(raw))[:MAX_QUERY_WORDS]
    else:
        raw = sorted(set(raw), key=lambda w: (-len(w), w))[:MAX_QUERY_WORDS]
    raw = [w for w in raw if normalise.term(w, lang)]
    if not raw:
        return Reading([])
    groups = _widened(raw, lang)
    unknown = [w for w, group in zip(raw, groups, strict=True) if not group]
    fixed = _corrections(unknown, lang) if correct and unknown else {}
    if fixed:
        again = _widened([fixed[w] for w in fixed], lang)
        widened = {w: group for w, group in zip(fixed, again, strict=True) if group}
        # Only a correction that finds something is made (and said).
        fixed = {w: c for w, c in fixed.items() if w in widened}
        groups = [widened.get(w) or group for w, group in zip(raw, groups, strict=True)]
    # A word that finds nothing is looked up as it is: with every word wanted, nothing matches.
    groups = [group or [normalise.term(w, lang)] for w, group in zip(raw, groups, strict=True)]
    corrected = ""
    if fixed:
        corrected = " ".join(fixed.get(w, w) for w in (w[:MAX_WORD] for w in words(query)))
    return Reading(groups, corrected)


def _condition(groups: list[list[str]], lang: str, every_word: bool = True) -> tuple[Q, Any]:
    """Return the condition of the entries that contain a term of every group (or, without
    ``every_word``, of any group), and the expression of their ``rank``."""
    if _postgres():
        either = ["(" + " | ".join(f"'{t}'" for t in group) + ")" for group in groups]
        query = SearchQuery(
            (" & " if every_word else " | ").join(either), config=CONFIG, search_type="raw"
        )
        return Q(**{f"search_{lang}": query}), SearchRank(F(f"search_{lang}"), query)
    table = f"knowledge_fts_{lang}"
    either = ["(" + " OR ".join(f'"{t}"' for t in group) + ")" for group in groups]
    match = (" AND " if every_word else " OR ").join(either)
    condition = Q(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match]))
    rank = RawSQL(
        f"(SELECT -bm25({table}, {BM25_WEIGHTS}) FROM {table} "
        f'WHERE {table} MATCH %s AND {table}.rowid = "knowledge_entry"."id")',
        [match],
        output_field=FloatField(),
    )
    return condition, rank


def _matching(
    queryset: QuerySet[Entry],
    groups: list[list[str]],
    lang: str,
    every_word: bool = True,
) -> QuerySet[Entry]:
    """Return ``queryset`` narrowed to the entries that contain a term of every group (or,
    without ``every_word``, of any group), with ``rank``."""
    condition, rank = _condition(groups, lang, every_word)
    return queryset.filter(condition).annotate(rank=rank)


def _ranked(results: QuerySet[Entry], condition: Q, rank: Any) -> list[int]:
    """The best ``LEXICAL_POOL`` word matches of ``results``, best first."""
    return list(
        results.filter(condition)
        .annotate(rank=rank)
        .order_by(F("rank").desc(), F("published_at").desc(nulls_last=True), "-pk")
        .values_list("pk", flat=True)[:LEXICAL_POOL]
    )


# --- Meaning -----------------------------------------------------------------------------


def _near(
    base: QuerySet[Entry], query: str, lang: str, partnerships: Sequence[int] | None = None
) -> list[int]:
    """The entries of ``base`` (of ``partnerships``, when given: a partnership's bank) nearest
    in meaning to ``query``, at most ``NEAR``, closest first (see
    ``soin.meaning.selectors.entries_near_query``): empty when the model is off."""
    from soin.meaning import selectors as meaning

    found = meaning.entries_near_query(query=query, language=lang, partnerships=partnerships)
    if not found:
        return []
    # The nearest of every bank, narrowed to this one in one query.
    inside = set(base.filter(pk__in=[pk for pk, _ in found]).values_list("pk", flat=True))
    return [pk for pk, _ in found if pk in inside][:NEAR]


def fused(lexical: Sequence[int], near: Sequence[int]) -> dict[int, float]:
    """Each entry of either ranking with its weighted reciprocal rank fusion score: the sum,
    over the rankings it is in, of weight / (``RRF_K`` + its place)."""
    scores: dict[int, float] = {}
    for weight, ranking in ((1.0, lexical), (NEAR_WEIGHT, near)):
        for place, pk in enumerate(ranking, start=1):
            scores[pk] = scores.get(pk, 0.0) + weight / (RRF_K + place)
    return scores


# --- Facets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacetSpec:
    name: str
    label: Any
    # The lookup that the facet's values are counted and filtered by.
    lookup: str


FACETS = (
    FacetSpec("challenge", pgettext_lazy("facet", "Societal challenge"), "challenges__key"),
    FacetSpec("solution", pgettext_lazy("facet", "Kind of solution"), "solution_type"),
    FacetSpec("region", pgettext_lazy("facet", "Region"), "partnership__region__code"),
    FacetSpec("municipality", pgettext_lazy("facet", "Municipality"), "municipality__code"),
    FacetSpec("novelty", pgettext_lazy("facet", "New for"), "new_for"),
    FacetSpec("evidence", pgettext_lazy("facet", "Evidence"), "evidence_level"),
)
FACET_NAMES = tuple(f.name for f in FACETS)

SORTS = {
    "relevance": pgettext_lazy("sort", "Best match"),
    "newest": pgettext_lazy("sort", "Newest first"),
    "title": pgettext_lazy("sort", "Title A–Ö"),
}


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: Any
    options: list[Option]
    # Options left out of a page's list (see ``shown_facets``).
    more: int = 0


# A page lists this many of a facet's options, the ones with most entries (and every chosen
# one): the national bank's 290 municipalities are a search of their own, not a list.
FACET_OPTIONS_SHOWN = 40


def shown_facets(facets: Sequence[Facet], limit: int = FACET_OPTIONS_SHOWN) -> list[Facet]:
    """``facets`` as a page lists them: at most ``limit`` options each, most entries first,
    with every chosen option kept and the number left out in ``more``."""
    shown = []
    for facet in facets:
        kept = [o for i, o in enumerate(facet.options) if i < limit or o.selected]
        shown.append(Facet(facet.name, facet.label, kept, len(facet.options) - len(kept)))
    return shown


@dataclass
class Results:
    query: str
    language: str
    sort: str
    page: int
    pages: int
    total: int
    entries: list[Entry]
    facets: list[Facet]
    filters: dict[str, list[str]]
    # The terms that found the entries: the query's, widened against the vocabulary.
    terms: list[str] = field(default_factory=list)
    # The order the reader chose ("" for the default: best match with words, else newest).
    chosen_sort: str = ""
    # The query with its unknown words corrected, when the results are those of the correction.
    corrected: str = ""
    # No entry had every word: the results are the entries with some of them.
    nearest: bool = False
    # The entries that matched by meaning (the words of some of them matched too).
    meaning: list[int] = field(default_factory=list)
    # The entries of this page found by meaning alone: none of their words matched.
    in_other_words: list[int] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _facet_filter(filters: Mapping[str, Sequence[str]], skip: str = "") -> Q:
    q = Q()
    for spec in FACETS:
        values = filters.get(spec.name) or []
        if values and spec.name != skip:
            q &= _chosen(spec, list(values))
    return q


def _chosen(spec: FacetSpec, values: list[str]) -> Q:
    """The entries with one of ``values`` in ``spec``; an entry of several of the chosen
    challenges once (a test of its challenges, not a join that repeats it)."""
    if spec.name == "challenge":
        return Q(
            Exists(
                Entry.challenges.through.objects.filter(
                    entry_id=OuterRef("pk"), challenge__key__in=values
                )
            )
        )
    return Q(**{f"{spec.lookup}__in": values})


def _labels(spec: FacetSpec, values: list[str], lang: str) -> dict[str, str]:
    if spec.name == "challenge":
        names: dict[str, str] = {}
        rows = (
            Challenge.objects.filter(key__in=values)
            .order_by("partnership_id")
            .values_list("key", f"name_{lang}", "name_sv")
        )
        for key, name, name_sv in rows:
            names.setdefault(key, name or name_sv)
        return names
    if spec.name == "region":
        return {r.code: getattr(r, f"name_{lang}") for r in Region.objects.filter(code__in=values)}
    if spec.name == "municipality":
        return dict(Municipality.objects.filter(code__in=values).values_list("code", "name"))
    choices = {"solution": Idea.SolutionType, "novelty": Idea.Novelty, "evidence": Idea.Evidence}
    return {v: _label(choices[spec.name], v, lang) for v in values if v in choices[spec.name]}


def _facet_counts(
    base: QuerySet[Entry], filters: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, int]]:
    """Each facet's count of entries per value: a query per facet, over ``base`` narrowed by
    every other facet's choices."""
    counts = {}
    for spec in FACETS:
        rows = (
            base.filter(_facet_filter(filters, skip=spec.name))
            .exclude(**{f"{spec.lookup}__isnull": True})
            .exclude(**{spec.lookup: ""})
            .order_by()
            .values(spec.lookup)
            .annotate(n=Count("pk", distinct=True))
        )
        counts[spec.name] = {row[spec.lookup]: row["n"] for row in rows}
    return counts


# The facets whose values' names the one reading of the matches brings along, in ``lang``.
LABELLED = {"region": "partnership__region__name_{lang}", "municipality": "municipality__name"}


def _counted_at_once(
    base: QuerySet[Entry], filters: Mapping[str, Sequence[str]], lang: str
) -> tuple[int, dict[str, dict[str, int]], dict[str, dict[str, str]]]:
    """The entries of ``base`` that every choice lets through, and each facet's counts as
    ``_facet_counts`` gives them, in one query on PostgreSQL: ``base`` (the text match, the
    costly part with many matches) is read once, each entry with its facets' values and,
    for each facet with choices, whether it is among them; each facet then counts the
    entries that every other facet lets through. Also the names of the values counted of
    the facets in ``LABELLED``."""
    through = Entry.challenges.through
    flags: dict[str, Any] = {}
    for spec in FACETS:
        values = list(filters.get(spec.name) or [])
        if not values:
            continue
        flags[spec.name] = ExpressionWrapper(_chosen(spec, values), output_field=BooleanField())
    inner = (
        base.order_by()
        .values(entry=F("pk"))
        .annotate(
            **{f"v_{s.name}": F(s.lookup) for s in FACETS if s.name != "challenge"},
            **{f"ok_{name}": flag for name, flag in flags.items()},
            **{f"l_{name}": F(lookup.format(lang=lang)) for name, lookup in LABELLED.items()},
        )
    )
    sql, params = inner.query.sql_with_params()

    def let_through(skip: str = "") -> str:
        return " AND ".join(f'm."ok_{name}"' for name in flags if name != skip) or "TRUE"

    entry_column = Entry._meta.get_field("challenges").m2m_column_name()  # type: ignore[union-attr]
    challenge_column = Entry._meta.get_field("challenges").m2m_reverse_name()  # type: ignore[union-attr]
    parts = []
    for spec in FACETS:
        counted = f"COUNT(DISTINCT m.entry) FILTER (WHERE {let_through(spec.name)})"
        if spec.name == "challenge":
            value = "c.key"
            source = (
                f"m JOIN {through._meta.db_table} t ON t.{entry_column} = m.entry "
                f"JOIN {Challenge._meta.db_table} c ON c.id = t.{challenge_column}"
            )
        else:
            value, source = f'm."v_{spec.name}"', "m"
        label = f'MAX(m."l_{spec.name}")' if spec.name in LABELLED else "NULL"
        parts.append(
            f"SELECT '{spec.name}' AS facet, {value} AS value, {counted} AS n, {label} AS label "
            f"FROM {source} WHERE {value} IS NOT NULL AND {value} <> '' GROUP BY {value} "
            f"HAVING {counted} > 0"
        )
    parts.append(f"SELECT '', NULL, COUNT(*) FILTER (WHERE {let_through()}), NULL FROM m")
    counts: dict[str, dict[str, int]] = {spec.name: {} for spec in FACETS}
    labels: dict[str, dict[str, str]] = {name: {} for name in LABELLED}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(f"WITH m AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts), params)
        for facet, value, n, label in cursor.fetchall():
            if not facet:
                total = n
                continue
            counts[facet][value] = n
            if facet in labels:
                labels[facet][value] = label
    return total, counts, labels


def _facets(
    counts: Mapping[str, Mapping[str, int]],
    filters: Mapping[str, Sequence[str]],
    lang: str,
    known: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Facet]:
    """The facets with their options, named: the names in ``known`` (facet → value → name)
    as they are, the others looked up."""
    facets = []
    for spec in FACETS:
        counted = counts.get(spec.name, {})
        selected = set(filters.get(spec.name) or [])
        labels = dict((known or {}).get(spec.name, {}))
        missing = [v for v in dict(counted) | dict.fromkeys(selected, 0) if v not in labels]
        if missing:
            labels |= _labels(spec, missing, lang)
        options = [
            Option(value, labels.get(value, value), counted.get(value, 0), value in selected)
            for value in set(counted) | selected
        ]
        # Most entries first; the same order on every database.
        options.sort(key=lambda o: (-o.count, sort_key(o.label), o.value))
        facets.append(Facet(spec.name, spec.label, options))
    return facets


def search(
    *,
    base: QuerySet[Entry],
    query: str = "",
    language: str = "sv",
    filters: Mapping[str, Sequence[str]] | None = None,
    sort: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
    with_facets: bool = True,
    every_word: bool = True,
    detail: Callable[[QuerySet[Entry]], QuerySet[Entry]] | None = None,
    cache_as: tuple[Hashable, Sequence[int] | None] | None = None,
    correct: bool = True,
    by_meaning: bool = True,
) -> Results:
    """Search ``base`` (the entries the reader may see) for ``query`` in ``language``, narrowed
    by ``filters`` (facet name → values, any of a facet's values, every facet), and return one
    page of results in ``sort`` order with the facets' counts. Without ``every_word`` an entry
    matches with any of the words (the most telling, longest ones), best match first.
    ``detail`` adds what the page's entries are shown with (related rows fetched up front).
    With ``correct``, an unknown word is corrected (see ``read``), and a query of several words
    that no entry has every one of finds the entries with some of them (``nearest``).
    With ``cache_as`` (a name for ``base`` and the partnerships whose entries it holds, None
    for every one), a browse without words keeps its count and facets in the cache until an
    entry of those partnerships changes (soin.core.aggregates): they count the whole bank.
    With ``by_meaning`` and the model usable, the entries nearest in meaning to the query
    match too, and the best match comes first by both (see the module's docstring)."""
    lang = language if language in LANGUAGES else "sv"
    # PostgreSQL refuses NUL in text; no key or code holds one, so such a value matches nothing.
    chosen: dict[str, list[str]] = {
        k: [str(v).replace("\x00", "\ufffd") for v in vs]
        for k, vs in (filters or {}).items()
        if k in FACET_NAMES
    }
    reading = read(query, lang, every_word, correct) if query else Reading([])
    groups = reading.groups
    nearest = False
    near = (
        _near(base, query, lang, cache_as[1] if cache_as is not None else None)
        if by_meaning and groups
        else []
    )
    scores: dict[int, float] = {}
    matched: QuerySet[Entry]
    if near:
        condition, rank = _condition(groups, lang, every_word)
        ranked = _ranked(base.filter(_facet_filter(chosen)), condition, rank)
        if not ranked and correct and every_word and len(groups) > 1:
            # No entry has every word: those with some of them, beside those found by meaning
            # (said only when there are such entries).
            condition, rank = _condition(groups, lang, every_word=False)
            ranked = _ranked(base.filter(_facet_filter(chosen)), condition, rank)
            nearest = bool(ranked)
        near_ranked = near
        if chosen:
            kept = set(base.filter(_facet_filter(chosen), pk__in=near).values_list("pk", flat=True))
            near_ranked = [pk for pk in near if pk in kept]
        scores = fused(ranked, near_ranked)
        matched = base.filter(condition | Q(pk__in=near)).annotate(rank=rank)
    else:
        matched = _matching(base, groups, lang, every_word) if groups else base
    if sort not in SORTS or (sort == "relevance" and not groups):
        sort = "relevance" if groups else "newest"
        chosen_sort = ""
    else:
        chosen_sort = sort
    results = matched.filter(_facet_filter(chosen))
    # The facets count over the text match alone (a subquery of ids), not over the ranking.
    facet_base = base.filter(pk__in=matched.values("pk")) if groups else base

    def counted() -> tuple[int, list[Facet]]:
        if not with_facets:
            return results.count(), []
        if _postgres():
            # The entries the choices let through are those of the results: counted with
            # the facets, the text matched once.
            total, counts, labels = _counted_at_once(facet_base, chosen, lang)
            return total, _facets(counts, chosen, lang, labels)
        return results.count(), _facets(_facet_counts(facet_base, chosen), chosen, lang)

    if cache_as is not None and not groups:
        name, partnerships = cache_as
        total, facets = aggregates.cached(
            source="knowledge",
            key=("bank", name, lang, with_facets, sorted(chosen.items())),
            compute=counted,
            partnerships=partnerships,
        )
    else:
        total, facets = counted()
    if not total and not near and correct and every_word and len(groups) > 1:
        # No entry has every word: the entries with some of them, the best first (said only
        # when there are such entries).
        matched = _matching(base, groups, lang, every_word=False)
        results = matched.filter(_facet_filter(chosen))
        facet_base = base.filter(pk__in=matched.values("pk"))
        total, facets = counted()
        nearest = bool(total)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    start, end = (page - 1) * per_page, page * per_page
    # A page within the fused ranking is read by its entries' keys (below); beyond it, the
    # fused order first and the word matches beyond the pool after, by their rank.
    within_fused = sort == "relevance" and bool(scores) and end <= len(scores)
    if sort == "relevance" and scores and not within_fused:
        order: list[Any] = [
            Case(
                *(When(pk=pk, then=Value(score)) for pk, score in scores.items()),
                default=Value(0.0),
                output_field=FloatField(),
            ).desc(),
            F("rank").desc(nulls_last=True),
            F("published_at").desc(nulls_last=True),
            "-pk",
        ]
    elif sort == "relevance":
        order = [F("rank").desc(), F("published_at").desc(nulls_last=True), "-pk"]
    elif sort == "title":
        key = Collate("sort_key", "C") if _postgres() else F("sort_key")
        order = [key, "pk"]
    else:
        # A bank holds published entries, which always have a date: the order of its index.
        order = ["-published_at", "-pk"]
    shown = results.select_related("partnership__region", "municipality").prefetch_related(
        "challenges"
    )
    if detail is not None:
        shown = detail(shown)
    else:
        # A page of results shows titles and summaries: the stories and the search vectors
        # (never read in Python) stay in the database.
        shown = shown.defer("story_sv", "story_en", "search_sv", "search_en")
    if near:
        # Whether the words matched too, read with the page (nothing to mark when they did not).
        shown = shown.annotate(worded=ExpressionWrapper(condition, output_field=BooleanField()))
    if within_fused:
        # A page within the fused ranking: its entries are known by their keys, read in
        # one query without ranking every match in SQL.
        place = {pk: n for n, pk in enumerate(ranked)}
        fused_order = sorted(scores, key=lambda pk: (-scores[pk], place.get(pk, len(place)), -pk))
        wanted = fused_order[start:end]
        found = {e.pk: e for e in shown.filter(pk__in=wanted)}
        entries = [found[pk] for pk in wanted if pk in found]
    else:
        entries = list(shown.order_by(*order)[start:end])
    in_other_words = [e.pk for e in entries if near and not getattr(e, "worded", True)]
    return Results(
        query=query,
        language=lang,
        sort=sort,
        page=page,
        pages=pages,
        total=total,
        entries=entries,
        facets=facets,
        filters=chosen,
        terms=reading.terms,
        chosen_sort=chosen_sort,
        corrected=reading.corrected,
        nearest=nearest,
        meaning=near,
        in_other_words=in_other_words,
    )


def highlight(text: str, query_terms: Sequence[str], language: str) -> SafeString:
    """Return ``text`` escaped, with the words whose term is one of ``query_terms`` (the
    terms that found it: inflections and compounds included) marked."""
    if not query_terms:
        return mark_safe(escape(text))  # escaped just now
    wanted = set(query_terms)
    language = language if language in LANGUAGES else "sv"
    out: list[str] = []
    last = 0
    for match in WORD.finditer(text):
        word = match.group(0)
        if normalise.term(word.lower(), language) in wanted:
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(word)}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # every piece escaped above
