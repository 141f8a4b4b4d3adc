"""The whole set of articles a query matches, for the views that need all of it.

A results page shows the best few hits; a timeline counts every match by
date, a concordance reads every match, an export writes every match.  They
all start from ``Searcher.result_set``, which matches exactly as
``Searcher.search`` does (same query language, filters, duplicates collapsed
and time limit), and hand back this object instead of a page.

Document numbers come out as numpy arrays, so ordering and counting a large
set costs array operations, not a Python object per article.
"""
from dataclasses import dataclass, field
from typing import Optional

import numpy as np


@dataclass
class ResultSet:
    query: str
    interpretation: str
    partial: bool
    searcher: object = None          # the Whoosh searcher of the index generation matched
    table: object = None             # its search.engine.table.ArticleTable
    scores: Optional[object] = None  # search.engine.matchset.Scored of every match, copies included
    articles: object = ()            # distinct articles (one document per article)
    matcher: object = None           # search.snippets.Matcher of the query's words
    tree: object = None              # the parsed query (search.query.syntax)
    vocabulary: object = None        # search.query.suggest.KnownWords of the same generation
    hit_maker: object = field(default=None, repr=False)
    expansions: list = field(default_factory=list)   # name variants used (see Searcher.search)

    @property
    def total(self):
        return len(self.articles)

    def docnums(self):
        """The distinct articles as a sorted int64 array."""
        return _as_array(self.articles)

    def ranked(self, sort="relevance"):
        """The distinct articles in the order ``sort`` asks for, as an int64 array.

        Relevance: best score first, ties to the lower document number (as the
        results page ranks); newest/oldest: by date, undated last either way.
        """
        docs = self.docnums()
        if not len(docs):
            return docs
        if sort == "relevance":
            scores = self.score_array(docs)
            return docs[np.lexsort((docs, self.table.order[docs], -scores))]
        return _as_array(self.table.by_date(docs.tolist(), newest=(sort == "newest")), keep_order=True)

    def score_array(self, docs):
        """Scores of ``docs`` (an int array) as float64."""
        ids, scores = self.scores
        at = np.minimum(np.searchsorted(ids, docs), max(len(ids) - 1, 0))
        if not len(ids):
            return np.zeros(len(docs))
        return np.where(ids[at] == docs, scores[at], 0.0)

    def hit(self, docnum):
        """One article as a search.results.Hit, exactly as ``Searcher.search`` shows it."""
        docnum = int(docnum)
        score = self.score_array(np.array([docnum]))[0] if self.scores is not None else 0.0
        return self.hit_maker(docnum, float(score))


def _as_array(docnums, keep_order=False):
    if isinstance(docnums, np.ndarray):
        arr = docnums.astype(np.int64, copy=False)
    else:
        arr = np.fromiter(docnums, dtype=np.int64, count=len(docnums))
    return arr if keep_order else np.sort(arr)
