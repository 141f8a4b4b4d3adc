"""The spellings of a word the archive holds, and which of them a query meets.

The exact-form lexicons (``title_exact``, ``body_exact``) hold every word of
the archive once, normalised.  A form belongs to a word when the two share a
stem, which is how a plain query matches.  The ``written`` field then tells
how the articles spelled each form (``indexer.analysis.marks``): hamza seats,
teh marbuta, harakat and tatweel kept, so ``الإنتخابات`` and ``الانتخابات``
are two lines with their own article counts.  An exact ``=word`` query keeps
the spellings of the word's own normalised form that carry the harakat typed
with it (``search.query.compile``), and each spelling says whether it is one.

The lexicons are never scanned whole: an Arabic light stem is what is left of
a word after one of a few known prefixes and some suffixes, so every form of a
stem starts with one of those prefixes followed by the stem, and the index's
sorted term dictionary lists those forms directly (one prefix lookup each).
A Snowball stem (English, French, Russian) shares the word's first letters,
which are looked up the same way.  A form's spellings are one more prefix
lookup (``form=``) in the ``written`` field, and articles are counted on
arrays of document numbers.
"""
import time

import numpy as np

from indexer.analysis import normalize_word, query_stems
from indexer.analysis.arabic import PREFIXES
from indexer.analysis.language import script_of
from indexer.analysis.marks import SEPARATOR, carries, has_marks, marked_form
from indexer.store import arrays, terms

from search.engine.collector import Collector
from search.query.options import DEFAULT_TIME_LIMIT

FIELDS = ("title_exact", "body_exact")
WRITTEN = "written"
DEFAULT_LIMIT = 200
_CHECK_EVERY = 256
_NONE = np.zeros(0, dtype=np.int64)


def _starts(stem, word):
    """The beginnings every form of ``stem`` has (``word``: the normalised word typed)."""
    if script_of(stem) == "arabic":
        return {p + stem for p in ("",) + PREFIXES}
    n = 0
    while n < min(len(stem), len(word)) and stem[n] == word[n]:
        n += 1
    return {stem[:max(n, 3)]}


def forms(engine, word, limit=DEFAULT_LIMIT, time_limit=None):
    """The ``forms --json`` shape for ``word``: its spellings with article counts, commonest first.

    Each shard counts the articles of the forms in its own term dictionary
    (an article's copies share its shard) and the counts are added up.
    """
    seconds = engine.time_limit if time_limit is None else time_limit
    return engine.collect(FormCounts(word, limit, seconds), wait=seconds)


class FormCounts(Collector):
    """A shard's spellings of ``word`` with their article counts; merged by adding them up."""

    def __init__(self, word, limit, time_limit):
        self.word, self.limit, self.time_limit = word, limit, time_limit

    def collect(self, shard):
        return form_counts(shard.searcher(), shard.table(), self.word, self.time_limit)

    def merge(self, parts, missing):
        return merged_forms(self.word, [part for _, part in parts], self.limit, missing)


def _docs(segments, field, term):
    """Ascending document numbers of the live documents holding ``term`` in ``field``."""
    btext = term.encode("utf-8")
    parts = []
    for seg, offset in segments:
        ids = arrays.term_postings(seg, field, btext)[0]
        if len(ids):
            parts.append(ids.astype(np.int64) + offset)
    return np.concatenate(parts) if parts else _NONE


def spellings(reader, segments, form):
    """{spelling as written (lower case): ascending document numbers} of normalised ``form``.

    An article holding the form but no ``written`` term of it writes it
    only as its normalised self; one holding both spellings carries the
    plain one as a ``written`` term too (``indexer.analysis.marks``).
    """
    docs = np.union1d(_docs(segments, FIELDS[0], form), _docs(segments, FIELDS[1], form))
    if not len(docs):
        return {}
    head = form + SEPARATOR
    written = {}
    for term in terms.words_starting(reader, WRITTEN, head):
        written[term[len(head):]] = _docs(segments, WRITTEN, term)
    if not written:
        return {form: docs}
    plain = np.setdiff1d(docs, np.concatenate(list(written.values())))
    written[form] = np.union1d(plain, written.get(form, _NONE))
    return written


def form_counts(searcher, table, word, time_limit=DEFAULT_TIME_LIMIT):
    """{normalized, stems, found: {spelling: distinct articles}, read_as: {spelling: its normalised form},
    partial} of ``word`` in one index (or shard)."""
    deadline = time.perf_counter() + time_limit
    reader = searcher.reader()
    segments = [(sub.reader(), offset) for sub, offset in arrays.segment_searchers(searcher)]
    n = normalize_word(word.strip())
    stems = set(query_stems(n)) if n else set()
    out = {"normalized": n, "stems": sorted(stems), "found": {}, "read_as": {}, "partial": False}
    if not stems:
        return out
    candidates = {n}
    for stem in stems:
        for start in _starts(stem, n):
            for field in FIELDS:
                for i, term in enumerate(terms.words_starting(reader, field, start)):
                    if i % _CHECK_EVERY == 0 and time.perf_counter() > deadline:
                        out["partial"] = True
                        break
                    candidates.add(term)
    for i, form in enumerate(sorted(candidates)):
        if i % _CHECK_EVERY == 0 and time.perf_counter() > deadline:
            out["partial"] = True
            break
        if form == n or not stems.isdisjoint(query_stems(form)):
            for spelling, docs in spellings(reader, segments, form).items():
                articles = len(table.distinct(docs))
                if articles:
                    out["found"][spelling] = articles
                    out["read_as"][spelling] = form
    return out


def kept_by_exact(word):
    """``kept(spelling, form)``: whether an exact ``=word`` query keeps the articles writing ``spelling``.

    As ``search.query.compile`` reads ``=word``: the same normalised form, and when
    harakat are typed, a spelling carrying each of them on the same letter.
    """
    n = normalize_word(word.strip())
    typed = marked_form(word.strip()) if has_marks(word) else None

    def kept(spelling, form):
        return form == n and (typed is None or carries(typed, marked_form(spelling)))
    return kept


def merged_forms(word, parts, limit=DEFAULT_LIMIT, missing=()):
    """The ``forms --json`` shape from the form_counts of every shard (or of the one index)."""
    first = parts[0]
    found, read_as = {}, {}
    for part in parts:
        for spelling, articles in part["found"].items():
            found[spelling] = found.get(spelling, 0) + articles
        read_as.update(part["read_as"])
    ranked = sorted(found.items(), key=lambda fa: (-fa[1], fa[0]))
    kept = kept_by_exact(word)
    out = {"word": word, "normalized": first["normalized"], "stems": first["stems"],
           "forms": [{"form": f, "normalized": read_as[f], "articles": a, "exact": kept(f, read_as[f])}
                     for f, a in ranked[:limit] if a],
           "partial": any(p["partial"] for p in parts) or bool(missing), "missing": list(missing)}
    if first["stems"]:
        out["total_forms"] = len(found)
    return out
