"""The forms of a word the archive holds, and which of them a query meets.

The exact-form lexicons (``title_exact``, ``body_exact``) hold every word of
the archive once, normalised.  A form belongs to a word when the two share a
stem, which is how a plain query matches; an exact ``=word`` query keeps only
the form equal to the word's own normalisation.

Scanning a lexicon of a few hundred thousand words through the stemmer would
cost seconds, so the lexicon is kept per index generation as one string and
searched by the C string search for the stem first: a light stem is a piece
of the word (a Snowball stem shares the word's first letters), so only the
forms that contain it are stemmed.
"""
import re
import time
import weakref

from indexer.analysis import normalize_word, query_stems
from indexer.schema import term_text

FIELDS = ("title_exact", "body_exact")
DEFAULT_LIMIT = 200

_lexicons = weakref.WeakKeyDictionary()


def lexicon(reader):
    """Every normalised form of the archive, one per line, as one string (cached per reader)."""
    try:
        return _lexicons[reader]
    except (KeyError, TypeError):
        pass
    words = set()
    for field in FIELDS:
        words.update(map(term_text, reader.lexicon(field)))
    text = "\n" + "\n".join(sorted(words)) + "\n"
    try:
        _lexicons[reader] = text
    except TypeError:
        pass
    return text


def _piece(stem, word):
    """The longest start the stem shares with the word (all of an Arabic light stem)."""
    if stem in word:
        return stem
    n = 0
    while n < min(len(stem), len(word)) and stem[n] == word[n]:
        n += 1
    return stem[:max(n, 3)]


def forms_of(searcher, word, limit=DEFAULT_LIMIT, time_limit=None):
    """``forms`` over the current generation of a search.searcher.Searcher."""
    return forms(searcher.searcher(), searcher.table(), word, limit=limit,
                 time_limit=searcher.time_limit if time_limit is None else time_limit)


def forms(searcher, table, word, limit=DEFAULT_LIMIT, time_limit=5.0):
    """The ``forms --json`` shape for ``word``: its forms with article counts, commonest first."""
    deadline = time.perf_counter() + time_limit
    reader = searcher.reader()
    n = normalize_word(word.strip())
    stems = set(query_stems(n)) if n else set()
    out = {"word": word, "normalized": n, "stems": sorted(stems), "forms": [], "partial": False}
    if not stems:
        return out
    text = lexicon(reader)
    candidates = set()
    for stem in stems:
        piece = re.escape(_piece(stem, n))
        candidates.update(m.group(1) for m in re.finditer(r"\n([^\n]*%s[^\n]*)(?=\n)" % piece, text))
    found = []
    for i, form in enumerate(sorted(candidates)):
        if i % 256 == 0 and time.perf_counter() > deadline:
            out["partial"] = True
            break
        if form == n or not stems.isdisjoint(query_stems(form)):
            docs = set()
            for field in FIELDS:
                if reader.doc_frequency(field, form):
                    docs.update(reader.postings(field, form).all_ids())
            found.append((form, len(table.distinct(docs))))
    found.sort(key=lambda fa: (-fa[1], fa[0]))
    out["forms"] = [{"form": f, "articles": a, "exact": f == n} for f, a in found[:limit] if a]
    out["total_forms"] = len(found)
    return out
