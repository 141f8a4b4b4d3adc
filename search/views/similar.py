"""More like this: the articles that share an article's most distinctive terms.

The index stores no term vectors, so the article's stored title and body are
analysed again (the same analysis that indexed them); its stem terms are
weighted by tf-idf over the body field and the strongest few become one ranked
OR query.  On the ANT archive that is a few milliseconds per article.
"""
import math
from dataclasses import replace
from collections import Counter

import numpy as np

from indexer.analysis import index_terms
from indexer.store import query as iq
from indexer.store.scoring import top_matches

from search.engine.collector import Collector
from search.engine.table import preferred
from search.snippets import Matcher

TERMS = 25
TITLE_BOOST = 2.0
# An article's distinctive terms are read from this much of its text, so a very
# long one costs its page no more than the part the page shows.
CHARS_READ = 200_000
SIMILAR_SHOWN = 5           # neighbours listed under an article


def distinctive_terms(reader, title, body, lang, k=TERMS):
    """[(stem, weight)] of the ``k`` stems of an article with the highest tf-idf."""
    counts = Counter(index_terms(body[:CHARS_READ], lang)[1])
    for stem in index_terms(title[:CHARS_READ], lang)[1]:
        counts[stem] += TITLE_BOOST
    n = max(reader.doc_count(), 1)
    weighted = []
    for stem, tf in counts.items():
        df = reader.doc_frequency("body", stem)
        if df <= 1 and not reader.doc_frequency("title", stem):
            continue          # shared with no other article: cannot find a neighbour
        idf = math.log(1 + n / (1 + df))
        weighted.append((stem, (1 + math.log(tf)) * idf))
    weighted.sort(key=lambda sw: (-sw[1], sw[0]))
    return weighted[:k]


def similar_query(reader, fields):
    """The ranked OR query of an article's most distinctive stems (None when it has none).

    ``fields`` are the article's stored fields; ``reader`` gives the
    frequencies (the whole archive's, for a shard of a sharded index).
    """
    terms = distinctive_terms(reader, fields.get("title_text") or "", fields.get("body_text") or "",
                              fields.get("lang"))
    if not terms:
        return None
    clauses = []
    for stem, weight in terms:
        clauses.append(iq.Term("body", stem, boost=weight))
        clauses.append(iq.Term("title", stem, boost=weight))
    return iq.Or(clauses)


def best_matches(searcher, table, q, skip, limit):
    """[(docnum, score)] of the ``limit`` best articles ``q`` finds, copies collapsed, ``skip`` left out."""
    top = top_matches(searcher, q, limit + len(skip) + 10)
    if not top:
        return []
    scores = {d: score for score, d in top}
    ids = np.array([d for _, d in top], dtype=np.int64)
    # Ties in the tie order every view uses, and each article shown by its preferred copy
    # (search.engine.table), so one index and its shards list the same neighbours.
    ranked = ids[np.lexsort((ids, table.order[ids], -np.array([s for s, _ in top])))]
    found = (np.sort(ids), np.array([scores[d] for d in np.sort(ids).tolist()]))
    kept = [preferred(table, found, d, scores[d]) for d in table.collapse(ranked) if d not in skip]
    return [(d, scores[d]) for d in kept[:limit]]


class FindArticle(Collector):
    """The search.engine.shard.FoundArticle of ``article_id`` from the shard holding it, the words
    of Matcher ``marks`` marked; merged: (the first found or None, missing)."""

    def __init__(self, article_id, marks=None):
        self.article_id, self.marks = article_id, marks

    def collect(self, shard):
        return shard.find(self.article_id, self.marks)

    def merge(self, parts, missing):
        return next((found for _, found in parts if found is not None), None), missing


class Neighbours(Collector):
    """Each shard's best matches of similar-articles query ``q`` (the article's copies left out),
    merged into the ``limit`` best of the archive."""

    def __init__(self, q, stats, dupkey, limit):
        self.q, self.stats, self.dupkey, self.limit = q, stats, dupkey, limit

    def collect(self, shard):
        s, table = shard.scoring(self.stats), shard.table()
        skip = set()
        if self.dupkey:
            skip = {d for d in (s.document_number(dupkey=self.dupkey),) if d is not None}
            skip.update(d for first in list(skip) for d in table.others(first))
        matcher = Matcher((), ())
        return [(score, int(table.order[d]), shard.hit(s, table, d, score, matcher))
                for d, score in best_matches(s, table, self.q, skip, self.limit)]

    def merge(self, parts, missing):
        scored = sorted(((-score, order, i, n, hit) for i, part in parts
                         for n, (score, order, hit) in enumerate(part)), key=lambda t: t[:4])
        return [t[4] for t in scored[:self.limit]]


def neighbours(engine, found, limit):
    """The ``limit`` articles of the archive closest to FoundArticle ``found``."""
    if limit <= 0:
        return []
    q = similar_query(engine.archive.reader(), found.fields)
    if q is None:
        return []
    return engine.collect(Neighbours(q, engine.archive.stats_for([q]), found.dupkey, limit))


def similar(engine, article_id, limit=10):
    """The articles closest to one article, best first; None if no article has that id."""
    found, _ = engine.collect(FindArticle(article_id))
    return None if found is None else neighbours(engine, found, limit)


def article(engine, article_id, q="", similar=SIMILAR_SHOWN):
    """The search.results.ArticlePage of one article with the words of query ``q`` marked and its
    ``similar`` closest neighbours; None if no article has that id.  A query that cannot be read
    marks nothing rather than failing the page."""
    found, _ = engine.collect(FindArticle(article_id, engine.archive.marks(q)))
    if found is None:
        return None
    return replace(found.page, similar=neighbours(engine, found, similar))
