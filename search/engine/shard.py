"""One shard of an index, opened where it is kept, answering the collectors' questions.

A single index is the one shard of itself.  A ``Shard`` matches and scores
queries prepared by the engine (search.query.prepared): parsed, expanded
and, over several shards, given the archive's BM25F statistics, so that a
document scores exactly as in one index of every shard.  It runs wherever
the transport keeps it (this process, a local process, a Dask worker), and
the collectors of search.views read what they need through it: the matches
of a query, per-article facts, stored articles as hits.

Safe to share between threads, which search side by side: each thread
reads through a Whoosh searcher of its own (Whoosh reads some postings
through a shared file position), while the per-index tables (arrays of
article facts, the term cache, the known words) are built once per index
generation and shared, so memory does not grow with the threads.
"""
import threading
from dataclasses import dataclass
from typing import Optional

from indexer.build import open_index
from indexer.shards import folder_bytes
from indexer.store import terms
from indexer.store.scoring import open_searcher

from search.engine.matchset import NOTHING, MatchSets, PartialMatch
from search.engine.resultset import ResultSet
from search.engine.table import ArticleTable
from search.query.lexicon import DocCounts
from search.query.options import DEFAULT_TIME_LIMIT
from search.query.ranking import WEIGHTS, CollectionStats, ranking_model
from search.query.suggest import KnownWords
from search.results import ArticlePage, Copy, Hit, StoredArticle
from search.snippets import highlight, snippet

# Matches kept for the hits of the page being merged (see ``keep``).
KEPT_MATCHES = 8
# The article page shows this much of an article's text and says how much more
# there is; a title is read for marking only this far.
MAX_ARTICLE_CHARS = 200_000
MAX_TITLE_CHARS = 1_000


@dataclass
class Generation:
    """One index generation's searcher (this thread's) and the tables built for it."""
    searcher: object                 # the Whoosh searcher
    table: ArticleTable
    matchsets: MatchSets
    words: KnownWords
    counts: DocCounts


@dataclass
class FoundArticle:
    """An article as the shard holding it shows it, before the archive adds its neighbours."""
    page: ArticlePage                # without neighbours
    fields: dict                     # the stored fields a similar-articles query is made of
    dupkey: Optional[str]


class Shard:
    """Shard ``number`` of an index (the whole of a single index), kept open in ``index_dir``."""

    def __init__(self, index_dir, number=0, time_limit=DEFAULT_TIME_LIMIT):
        self.index_dir = index_dir
        self.number = number
        self.time_limit = time_limit
        self.ix = open_index(index_dir)
        self._local = threading.local()
        self._opened = []             # every thread's Whoosh searcher, to close
        self._tables = {}             # index generation -> Generation's shared tables
        self._archive = None          # the state of the archive the cached term scores belong to
        self._kept = {}               # keep -> (searcher, table, matcher) of a recent page's match
        self._lock = threading.Lock()
        self.searcher()               # an index that cannot be read fails here, not later

    def close(self):
        with self._lock:
            for s in self._opened:
                s.close()
            self._opened.clear()
            self._tables.clear()
            self._kept.clear()
        self._local = threading.local()

    # ------------------------------------------------------------ readers and tables

    def searcher(self):
        """This thread's Whoosh searcher, refreshed if a build committed since it was opened."""
        s = getattr(self._local, "searcher", None)
        if s is not None and s.up_to_date():
            return s
        with self._lock:
            if s is not None:
                fresh = s.refresh()
            else:
                fresh = open_searcher(self.ix, ranking_model())
            if s is not None and s in self._opened:
                self._opened.remove(s)
            self._opened.append(fresh)
        self._local.searcher = fresh
        return fresh

    def forget_tables(self):
        """Build the per-index tables again on next use (their statistics changed)."""
        with self._lock:
            self._tables.clear()

    def generation(self):
        """The Generation of this thread's searcher: document numbers and tables always agree,
        even if a build commits in between."""
        s = self.searcher()
        generation = s.reader().generation()
        with self._lock:
            tables = self._tables.get(generation)
            if tables is None:
                # Document frequencies of exact forms come from arrays read once
                # here (search.query.lexicon): variants and suggestions ask for many.
                counts = DocCounts(s.reader())
                words = KnownWords(s.reader(), counts)
                words.hashes()
                tables = (ArticleTable(s.reader()), MatchSets(s, CollectionStats(counts.over(s.reader()))),
                          words, counts)
                # Threads still on the previous generation finish with its tables.
                for old in sorted(self._tables)[:-1]:
                    del self._tables[old]
                self._tables[generation] = tables
        table, matchsets, words, counts = tables
        stats = CollectionStats(counts.over(s.reader()))
        return Generation(s, table, matchsets.for_searcher(s, stats), words, counts)

    def table(self):
        """Per-article facts of the current index generation (search.engine.table)."""
        return self.generation().table

    def warm(self):
        """Build the per-index tables now rather than on the first query that needs them."""
        g = self.generation()
        for field in WEIGHTS:
            g.matchsets.field_lengths(field)
        return g

    # ------------------------------------------------------------ matching

    def match(self, prepared, deadline):
        """The ResultSet of a PreparedQuery: every distinct article it matches, scored.

        Scores use ``prepared.stats`` (the archive's figures, over several
        shards) or else this shard's own statistics.
        """
        if prepared.stats is not None:
            self._scoring_with(prepared.stats)
        g = self.generation()
        s, table, matchsets = g.searcher, g.table, g.matchsets
        if prepared.stats is not None:
            matchsets = matchsets.for_searcher(s, prepared.stats)
        matcher = prepared.matcher()
        matched = ResultSet(query=prepared.text, interpretation=prepared.interpretation, partial=False,
                            searcher=s, table=table, matcher=matcher, tree=prepared.tree, vocabulary=g.words,
                            hit_maker=lambda d, score: self.hit(s, table, d, score, matcher),
                            expansions=prepared.expansions)
        if prepared.query is None:
            return matched
        try:
            if prepared.unsure:
                # A NOT whose expansion was cut would let through what it should exclude.
                raise PartialMatch(NOTHING)
            matched.scores = matchsets.scores(prepared.query, deadline)
        except PartialMatch as p:
            matched.scores, matched.partial = p.found, True
        matched.partial = matched.partial or prepared.cut
        matched.articles = table.distinct(matched.scores.ids)
        return matched

    def _scoring_with(self, stats):
        """This thread's searcher, scoring with ``stats`` (a search.query.prepared.QueryStats).

        Cached term scores are the archive's of one state of the shards: they
        are dropped when a query comes prepared against another.
        """
        if stats.generation != self._archive:
            if self._archive is not None:
                self.forget_tables()
            self._archive = stats.generation
        s = self.searcher()
        s.stats = stats
        return s

    def scoring(self, stats):
        """This thread's Whoosh searcher, scoring with the archive's QueryStats ``stats`` (or, given
        None, with this shard's own statistics)."""
        return self._scoring_with(stats) if stats is not None else self.searcher()

    def keep(self, key, matched):
        """Keep a match as ``key`` for a later call that makes the hits of a merged page."""
        with self._lock:
            self._kept[key] = (matched.searcher, matched.table, matched.matcher)
            while len(self._kept) > KEPT_MATCHES:
                self._kept.pop(next(iter(self._kept)))

    def kept(self, key):
        """(searcher, table, matcher) kept as ``key``, or None when it is no longer kept."""
        with self._lock:
            return self._kept.get(key)

    # ------------------------------------------------------------ articles

    def hit(self, s, table, docnum, score, matcher):
        """Document ``docnum`` of searcher ``s`` as a search.results.Hit, its words marked by ``matcher``."""
        a = StoredArticle.from_stored(s.stored_fields(docnum))
        return Hit(
            id=a.id, title=a.title, date=a.date, source=", ".join(a.sources), sources=a.sources,
            lang=a.lang, score=round(float(score or 0.0), 4), snippet=snippet(a.body, matcher),
            marked_title=highlight(a.title[:MAX_TITLE_CHARS], matcher), path=a.path or "", url=a.url,
            also=self.copies(s, table, docnum),
        )

    @staticmethod
    def copies(s, table, docnum):
        """The other places the article of ``docnum`` was filed."""
        return [Copy.of(StoredArticle.from_stored(s.stored_fields(d))) for d in table.others(docnum)]

    def find(self, article_id, marks=None):
        """The FoundArticle of ``article_id`` with the words of Matcher ``marks`` marked,
        or None when this shard does not hold it."""
        g = self.generation()
        s, table = g.searcher, g.table
        docnum = s.document_number(id=article_id)
        if docnum is None:
            return None
        fields = s.stored_fields(docnum)
        a = StoredArticle.from_stored(fields)
        body = _cut(a.body or "", MAX_ARTICLE_CHARS)
        page = ArticlePage(
            article=a, title=highlight((a.title or a.id)[:MAX_TITLE_CHARS], marks),
            abstract=highlight(_cut(a.abstract, MAX_ARTICLE_CHARS), marks) if a.abstract else None,
            paragraphs=[highlight(p, marks) for p in paragraphs(body)],
            copies=self.copies(s, table, docnum), similar=[],
            omitted=len(a.body or "") - len(body),
        )
        return FoundArticle(page, {k: fields.get(k) for k in ("title_text", "body_text", "lang")},
                            fields.get("dupkey"))

    def counts(self):
        """Article counts of this shard: overall, by language and by source, with its folder and size."""
        r = self.searcher().reader()
        langs, sources = terms.word_counts(r, "lang"), terms.word_counts(r, "source")
        return {"articles": r.doc_count(), "languages": langs, "sources": sources,
                "shard": self.number, "path": self.index_dir, "bytes": folder_bytes(self.index_dir)}


def open_shard(dirs, time_limit, number):
    """Shard ``number`` of the index whose shards are in ``dirs`` (a transport's opener)."""
    return Shard(dirs[number], number, time_limit)


def _cut(text, n):
    """``text`` up to ``n`` characters, ending at a space when one is near."""
    if len(text) <= n:
        return text
    space = text.rfind(" ", n - 200, n)
    return text[:space if space > 0 else n]


def paragraphs(text):
    """Paragraphs split at blank lines, or at line ends when an archive has no blank lines."""
    text = (text or "").replace("\r\n", "\n").strip()
    paras = [p.strip() for p in text.split("\n\n")]
    if len(paras) == 1:
        paras = [p.strip() for p in text.split("\n")]
    return [p for p in paras if p]


def where(shard):
    """Where ``shard`` is kept: {host, pid} (for placement reports and tests)."""
    import os
    import socket
    return {"host": socket.gethostname(), "pid": os.getpid(), "shard": shard.number}
