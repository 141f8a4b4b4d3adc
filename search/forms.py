"""The forms of a word the archive holds, and which of them a query meets.

The exact-form lexicons (``title_exact``, ``body_exact``) hold every word of
the archive once, normalised.  A form belongs to a word when the two share a
stem, which is how a plain query matches; an exact ``=word`` query keeps only
the form equal to the word's own normalisation.

The lexicons are never scanned whole: an Arabic light stem is what is left of
a word after one of a few known prefixes and some suffixes, so every form of a
stem starts with one of those prefixes followed by the stem, and the index's
sorted term dictionary lists those forms directly (one prefix lookup each).
A Snowball stem (English, French, Russian) shares the word's first letters,
which are looked up the same way.
"""
import time

from indexer.analysis import normalize_word, query_stems
from indexer.analysis.arabic import PREFIXES
from indexer.analysis.language import script_of

from .searcher import DEFAULT_TIME_LIMIT
from .sharded import over_shards

FIELDS = ("title_exact", "body_exact")
DEFAULT_LIMIT = 200
_CHECK_EVERY = 256


def _starts(stem, word):
    """The beginnings every form of ``stem`` has (``word``: the normalised word typed)."""
    if script_of(stem) == "arabic":
        return {p + stem for p in ("",) + PREFIXES}
    n = 0
    while n < min(len(stem), len(word)) and stem[n] == word[n]:
        n += 1
    return {stem[:max(n, 3)]}


def _text(term):
    return term.decode("utf-8") if isinstance(term, bytes) else term


def forms_of(searcher, word, limit=DEFAULT_LIMIT, time_limit=None):
    """``forms`` over a Searcher or a sharded index: each shard counts the articles of the forms in
    its own term dictionary (an article's copies share its shard) and the counts are added up."""
    seconds = searcher.time_limit if time_limit is None else time_limit
    parts, missing = over_shards(searcher, shard_forms, word, seconds, wait=seconds)
    return merged_forms(word, [part for _, part in parts], limit, missing)


def shard_forms(searcher, word, time_limit):
    return form_counts(searcher.searcher(), searcher.table(), word, time_limit)


def forms(searcher, table, word, limit=DEFAULT_LIMIT, time_limit=DEFAULT_TIME_LIMIT):
    """The ``forms --json`` shape for ``word``: its forms with article counts, commonest first."""
    return merged_forms(word, [form_counts(searcher, table, word, time_limit)], limit)


def form_counts(searcher, table, word, time_limit=DEFAULT_TIME_LIMIT):
    """{normalized, stems, found: {form: distinct articles}, partial} of ``word`` in one index (or shard)."""
    deadline = time.perf_counter() + time_limit
    reader = searcher.reader()
    n = normalize_word(word.strip())
    stems = set(query_stems(n)) if n else set()
    out = {"normalized": n, "stems": sorted(stems), "found": {}, "partial": False}
    if not stems:
        return out
    candidates = {n}
    for stem in stems:
        for start in _starts(stem, n):
            for field in FIELDS:
                for i, term in enumerate(reader.expand_prefix(field, start)):
                    if i % _CHECK_EVERY == 0 and time.perf_counter() > deadline:
                        out["partial"] = True
                        break
                    candidates.add(_text(term))
    for i, form in enumerate(sorted(candidates)):
        if i % _CHECK_EVERY == 0 and time.perf_counter() > deadline:
            out["partial"] = True
            break
        if form == n or not stems.isdisjoint(query_stems(form)):
            docs = set()
            for field in FIELDS:
                if reader.doc_frequency(field, form):
                    docs.update(reader.postings(field, form).all_ids())
            out["found"][form] = len(table.distinct(docs))
    return out


def merged_forms(word, parts, limit=DEFAULT_LIMIT, missing=()):
    """The ``forms --json`` shape from the form_counts of every shard (or of the one index)."""
    first = parts[0]
    found = {}
    for part in parts:
        for form, articles in part["found"].items():
            found[form] = found.get(form, 0) + articles
    ranked = sorted(found.items(), key=lambda fa: (-fa[1], fa[0]))
    out = {"word": word, "normalized": first["normalized"], "stems": first["stems"],
           "forms": [{"form": f, "articles": a, "exact": f == first["normalized"]} for f, a in ranked[:limit] if a],
           "partial": any(p["partial"] for p in parts) or bool(missing), "missing": list(missing)}
    if first["stems"]:
        out["total_forms"] = len(found)
    return out
