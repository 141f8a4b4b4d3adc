"""One shard of a sharded index, searched with the whole archive's statistics.

A ``ShardSearcher`` is a ``search.searcher.Searcher`` over one shard that
scores, expands and suggests as one index of all the shards would: BM25F's
document frequencies, document count and average field lengths come from
every shard's segments read together (``indexer.shards.collection_reader``),
and so do prefix and fuzzy expansions, source names and "did you mean".  It
runs where the shard is kept open (a local worker process, or a Dask worker)
and answers with plain data the caller merges (search.sharded).

Only the term dictionaries and statistics of the other shards are read here,
never their postings or stored articles.
"""
import os
import threading
from dataclasses import dataclass, field
from math import log
from typing import List, Optional

from whoosh import searching

from indexer.build import open_index
from indexer.shards import collection_reader, folder_bytes

from .ranking import ranking_model
from .searcher import SUGGEST_BELOW, Searcher, _best
from .similar import best_matches, similar_query
from .snippets import Matcher
from .suggest import Vocabulary, suggest


class Collection:
    """Every shard of the index opened for its statistics; follows their commits."""

    def __init__(self, dirs):
        self.dirs = list(dirs)
        self._lock = threading.Lock()
        self._ixs = [open_index(d) for d in self.dirs]
        self._readers = [ix.reader() for ix in self._ixs]
        self._reader = collection_reader(self._readers)
        self._vocabulary = None

    def reader(self):
        return self._reader

    def vocabulary(self):
        with self._lock:
            if self._vocabulary is None:
                self._vocabulary = Vocabulary(self._reader)
            return self._vocabulary

    def refresh(self):
        """Reopen after any shard committed; True when something changed."""
        with self._lock:
            stale = [i for i, (ix, r) in enumerate(zip(self._ixs, self._readers))
                     if ix.latest_generation() != r.generation()]
            if not stale:
                return False
            for i in stale:
                self._readers[i] = self._ixs[i].reader()
            self._reader = collection_reader(self._readers)
            self._vocabulary = None
            return True


class _ArchiveScoredSearcher(searching.Searcher):
    """A Whoosh searcher over one shard whose idf and average field lengths are the archive's.

    BM25F reads both from the top searcher (``BM25FScorer``); the formulas
    are Whoosh's own (``WeightingModel.idf``, ``Searcher.avg_field_length``)
    over the whole archive's counts, so a document scores exactly as in one index.
    """
    collection = None

    def refresh(self):
        new = super().refresh()
        new.collection = self.collection
        return new

    def idf(self, fieldname, text):
        r = self.collection.reader()
        return log(r.doc_count_all() / (r.doc_frequency(fieldname, text) + 1)) + 1

    def avg_field_length(self, fieldname, default=None):
        if not self.schema[fieldname].scorable:
            return default
        r = self.collection.reader()
        return r.field_length(fieldname) / (r.doc_count_all() or 1)


@dataclass
class ShardPage:
    """A shard's part of one results page: its best hits with their sort keys, counts and facets."""
    shard: int
    total: int
    hits: list                         # [(sort key, search.results.Hit)], best first
    facets: dict = field(default_factory=dict)
    interpretation: str = ""
    partial: bool = False
    searched: bool = True              # False when there was nothing to search for
    expansions: list = field(default_factory=list)   # name variants, by this shard's statistics


@dataclass
class ShardArticle:
    page: object                       # search.results.ArticlePage without neighbours
    query: Optional[object]            # the similar-articles query of the article
    dupkey: Optional[str]


class ShardSearcher(Searcher):
    """A Searcher over shard ``number`` of the index whose shards are ``dirs``."""

    def __init__(self, dirs, number, time_limit=None):
        kwargs = {} if time_limit is None else {"time_limit": time_limit}
        self.number = number
        self.collection = Collection(dirs)
        super().__init__(dirs[number], **kwargs)

    def _open_searcher(self):
        s = _ArchiveScoredSearcher(self.ix.reader(), fromindex=self.ix, weighting=ranking_model())
        s.collection = self.collection
        return s

    def lexicon(self, s):
        return self.collection.reader()

    def _follow(self):
        """Drop the tables scored with the archive's old statistics when any shard has changed."""
        if self.collection.refresh():
            self.forget_tables()
            self.searcher()._idf_cache.clear()

    def page(self, text, wanted, sort="relevance", lang=None, source=None, date_from=None, date_to=None,
             time_limit=None, facets=True, variants=True, drop_variants=()):
        """The best ``wanted`` distinct articles of this shard, in ``sort`` order, with their keys."""
        self._follow()
        matched = self.result_set(text, lang=lang, source=source, date_from=date_from, date_to=date_to,
                                  time_limit=time_limit, variants=variants, drop_variants=drop_variants)
        if matched.scores is None:
            return ShardPage(self.number, 0, [], interpretation=matched.interpretation, searched=False,
                             expansions=matched.expansions)
        if sort == "relevance":
            ranked = _best(matched.scores, matched.table, wanted)
            keyed = [((-score,), d, score) for d, score in ranked]
        else:
            docs = matched.ranked(sort)[:wanted]
            keyed = [(None, int(d), float(score)) for d, score in zip(docs, matched.score_array(docs))]
        hits = []
        for key, d, score in keyed:
            hit = self._hit(matched.searcher, matched.table, d, score, matched.matcher)
            hits.append((key if key is not None else _date_key(hit.date, sort), hit))
        return ShardPage(self.number, matched.total, hits,
                         facets=matched.table.facets(matched.articles) if facets else {},
                         interpretation=matched.interpretation, partial=matched.partial,
                         expansions=matched.expansions)

    def suggestion(self, text, found):
        """Did-you-mean over the whole archive (any shard can answer it)."""
        self._follow()
        return suggest(text, self.collection.reader(), found=found, few=SUGGEST_BELOW,
                       vocabulary=self.collection.vocabulary())

    def find(self, article_id, q=""):
        """This shard's ShardArticle of ``article_id``, or None when another shard holds it."""
        self._follow()
        s, table = self._generation()[:2]
        docnum = s.document_number(id=article_id)
        if docnum is None:
            return None
        fields = s.stored_fields(docnum)
        return ShardArticle(self.article(article_id, q, similar=0),
                            similar_query(self.collection.reader(), fields), fields.get("dupkey"))

    def neighbours(self, q, dupkey, limit):
        """[(score, Hit)] of this shard's best matches of similar-query ``q``, the article's copies left out."""
        self._follow()
        s, table = self._generation()[:2]
        skip = set()
        if dupkey:
            skip = {d for d in (s.document_number(dupkey=dupkey),) if d is not None}
            skip.update(d for first in list(skip) for d in table.others(first))
        matcher = Matcher((), ())
        return [(score, self._hit(s, table, d, score, matcher))
                for d, score in best_matches(s, table, q, skip, limit)]

    def shard_stats(self):
        """Search.Searcher.stats of this shard, with its folder and size."""
        data = self.stats()
        data.update(shard=self.number, path=self.index_dir, bytes=folder_bytes(self.index_dir))
        return data

    def run(self, function, args, kwargs):
        """``function(self, *args, **kwargs)``: a research view's part over this shard (search.sharded.over_shards)."""
        self._follow()
        return function(self, *args, **kwargs)

    def ping(self):
        return os.getpid()


def _date_key(date, sort):
    """Merge key of a hit in a date sort: dated ones first, by date; undated last either way."""
    if not date:
        return (1, "")
    return (0, _Reversed(date)) if sort == "newest" else (0, date)


class _Reversed(str):
    """A string that sorts in reverse (newest first) inside a tuple key."""

    def __lt__(self, other):
        return str.__gt__(self, other)

    def __gt__(self, other):
        return str.__lt__(self, other)


def merge_facets(parts: List[dict]):
    """Facet counts of several shards added up, ordered as one index orders them."""
    out = {}
    for part in parts:
        for name, counts in part.items():
            total = out.setdefault(name, {})
            for k, v in counts.items():
                total[k] = total.get(k, 0) + v
    return {name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for name, c in out.items()}
