"""One shard of a sharded index, searched with the whole archive's statistics.

A ``ShardSearcher`` is a ``search.searcher.Searcher`` over one shard that
matches and scores queries prepared by its caller (search.query.prepared,
search.engine.archive): parsed, expanded and given the archive's BM25F
statistics once there, so that a document scores exactly as in one index
of all the shards.  It runs where the shard is kept open (a local worker
process, or a Dask worker) and answers with plain data the caller merges
(search.engine.engine).  The other shards are not opened here.
"""
import os
from dataclasses import dataclass, field
from typing import List, Optional

from whoosh import searching

from indexer.shards import folder_bytes

from search.query.deadline import deadline_in
from search.query.ranking import ranking_model
from search.searcher import Searcher, _best
from search.views.similar import best_matches
from search.snippets import Matcher

# Matches kept for the hits of the page being merged (a shard answers one call at a time).
KEPT_MATCHES = 8


class _ArchiveScoredSearcher(searching.Searcher):
    """A Whoosh searcher over one shard whose idf and average field lengths are the archive's.

    BM25F reads both from the top searcher (``BM25FScorer``); ``stats`` (a
    search.query.prepared.QueryStats sent with each query) holds the archive's
    counts for the query's terms, and the formulas are Whoosh's own, so a
    document scores exactly as in one index.  Until a query brings them it
    scores with the shard's own figures, as a ``Searcher`` would.
    """
    stats = None

    def refresh(self):
        new = super().refresh()
        new.stats = self.stats
        return new

    def idf(self, fieldname, text):
        if self.stats is None:
            return super().idf(fieldname, text)
        if isinstance(text, str):
            text = self.schema[fieldname].to_bytes(text)
        return self.stats.idf(fieldname, text)

    def avg_field_length(self, fieldname, default=None):
        if self.stats is None or not self.schema[fieldname].scorable:
            return super().avg_field_length(fieldname, default)
        return self.stats.field_length(fieldname) / (self.stats.doc_count() or 1)


@dataclass
class ShardPage:
    """A shard's part of one results page: its best hits with their sort keys, counts and facets."""
    shard: int
    total: int
    hits: list                         # [(merge key, document number, score)], best first
    facets: dict = field(default_factory=dict)
    partial: bool = False


@dataclass
class ShardArticle:
    page: object                       # search.results.ArticlePage without neighbours
    fields: dict                       # the stored fields the similar-articles query is made of
    dupkey: Optional[str]


class ShardSearcher(Searcher):
    """A Searcher over shard ``number`` of the index whose shards are ``dirs``.

    It answers prepared queries (search.query.prepared) and scores with the
    statistics they carry; the other shards are never opened here.  Its
    cached term scores are the archive's of one state of the shards, and are
    dropped when a query arrives prepared against another.
    """

    def __init__(self, dirs, number, time_limit=None):
        kwargs = {} if time_limit is None else {"time_limit": time_limit}
        self.number = number
        self._archive = None           # the state of the shards the cached scores belong to
        self._kept = {}                # keep -> (searcher, table, matcher) of a recent page's match
        super().__init__(dirs[number], **kwargs)

    def _open_searcher(self):
        return _ArchiveScoredSearcher(self.ix.reader(), fromindex=self.ix, weighting=ranking_model())

    def _scoring_with(self, stats):
        """This thread's searcher, scoring with ``stats`` (a search.query.prepared.QueryStats)."""
        if stats.generation != self._archive:
            if self._archive is not None:
                self.forget_tables()
            self._archive = stats.generation
        s = self.searcher()
        s.stats = stats
        return s

    def match(self, prepared, deadline):
        if prepared.stats is not None:
            self._scoring_with(prepared.stats)
        return super().match(prepared, deadline)

    def page(self, prepared, wanted, sort="relevance", time_limit=None, facets=True, keep=None):
        """The best ``wanted`` distinct articles of this shard for a PreparedQuery, in ``sort`` order,
        as (merge key, document number, score); ``time_limit`` is the seconds left for matching.

        Hits (stored fields, snippets) are made afterwards by ``hits`` for the
        few the merged page shows; ``keep`` names this match for that call.
        """
        matched = self.match(prepared, deadline_in(self.time_limit if time_limit is None else time_limit))
        if matched.scores is None:
            return ShardPage(self.number, 0, [])
        table = matched.table
        if sort == "relevance":
            ranked = _best(matched.scores, table, wanted)
            found = [((-score,), d, score) for d, score in ranked]
        else:
            docs = matched.ranked(sort)[:wanted]
            found = [(_date_key(table, d, sort), int(d), float(score))
                     for d, score in zip(docs, matched.score_array(docs))]
        if keep is not None:
            self._kept[keep] = (matched.searcher, table, matched.matcher)
            while len(self._kept) > KEPT_MATCHES:
                self._kept.pop(next(iter(self._kept)))
        return ShardPage(self.number, matched.total, found,
                         facets=table.facets(matched.articles) if facets else {},
                         partial=matched.partial)

    def hits(self, keep, chosen):
        """The search.results.Hit of each (document number, score) in ``chosen``, from the match
        ``page`` kept as ``keep`` (the same index generation); None when it is no longer kept."""
        kept = self._kept.get(keep)
        if kept is None:
            return None
        s, table, matcher = kept
        return [self._hit(s, table, d, score, matcher) for d, score in chosen]

    def find(self, article_id, marks=None):
        """This shard's ShardArticle of ``article_id`` with the words of Matcher ``marks`` marked,
        or None when another shard holds it."""
        s = self.searcher()
        docnum = s.document_number(id=article_id)
        if docnum is None:
            return None
        fields = s.stored_fields(docnum)
        return ShardArticle(self.article(article_id, similar=0, marks=marks),
                            {k: fields.get(k) for k in ("title_text", "body_text", "lang")}, fields.get("dupkey"))

    def neighbours(self, q, stats, dupkey, limit):
        """[(score, Hit)] of this shard's best matches of similar-query ``q``, the article's copies left out."""
        self._scoring_with(stats)
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
        """``function(self, *args, **kwargs)``: a research view's part over this shard (search.engine.engine.over_shards).

        Its queries come prepared by the caller (``ShardedSearcher.read_query``),
        so they match and score as over one index of every shard.
        """
        return function(self, *args, **kwargs)

    def ping(self):
        return os.getpid()


def _date_key(table, docnum, sort):
    """Merge key of a document in a date sort: dated ones first, by date; undated last either way."""
    if not table.dated[docnum]:
        return (1, 0)
    date = int(table.date[docnum])
    return (0, -date if sort == "newest" else date)


def merge_facets(parts: List[dict]):
    """Facet counts of several shards added up, ordered as one index orders them."""
    out = {}
    for part in parts:
        for name, counts in part.items():
            total = out.setdefault(name, {})
            for k, v in counts.items():
                total[k] = total.get(k, 0) + v
    return {name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for name, c in out.items()}
