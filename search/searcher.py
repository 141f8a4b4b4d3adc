"""Ranked search over an akhbar index: query text in, ``SearchResults`` out.

The command line and the web page both call ``Searcher.search``; a batch run
for evaluation calls it too, so every face ranks identically.

Every matching document is scored (search.engine.matchset): the exact total, the
facets and the date sorts need the whole result set, and the page is its
best-scored part.
"""
import threading
import time

import numpy as np

from indexer.build import open_index
from indexer.schema import term_text

from search.engine.table import ArticleTable
from search.query.lexicon import DocCounts
from search.query.deadline import deadline_in, past
from search.engine.matchset import NOTHING, MatchSets, PartialMatch
from search.query.compile import QueryBuilder
from search.query.prepared import PreparedQuery, prepare
from search.query.syntax import QueryError, parse
from search.query.ranking import WEIGHTS, CollectionStats, ranking_model
from search.results import ArticlePage, Copy, Hit, SearchResults, StoredArticle
from search.engine.resultset import ResultSet
from search.snippets import Matcher, highlight, snippet
from search.query.suggest import Vocabulary, suggest
from search.query.variants import NameVariants

SORTS = ("relevance", "newest", "oldest")
DEFAULT_TIME_LIMIT = 5.0
MAX_PAGE = 1000
MAX_LIMIT = 1000
# Below this many distinct articles a query is worth a "did you mean".
SUGGEST_BELOW = 3
# The article page shows this much of an article's text and says how much more
# there is; a title is read for marking only this far.
MAX_ARTICLE_CHARS = 200_000
MAX_TITLE_CHARS = 1_000
SIMILAR_SHOWN = 5           # neighbours listed under an article


class Searcher:
    """An open index, ready to answer queries; cheap to keep, reopens on change.

    Safe to share between threads, which search side by side: each thread
    reads through a Whoosh searcher of its own (Whoosh reads some postings
    through a shared file position), while the per-index tables (arrays of
    article facts, the term cache, the vocabulary) are built once per index
    generation and shared, so memory does not grow with the threads.
    """

    def __init__(self, index_dir, time_limit=DEFAULT_TIME_LIMIT):
        self.index_dir = index_dir
        self.ix = open_index(index_dir)
        self.time_limit = time_limit
        self._local = threading.local()
        self._opened = []             # every thread's Whoosh searcher, to close
        self._tables = {}             # index generation -> (ArticleTable, MatchSets, Vocabulary)
        self._variant_caches = {}     # index generation -> what name variants learnt of it
        self._lock = threading.Lock()
        self.searcher()               # an index that cannot be read fails here, not later

    def close(self):
        with self._lock:
            for s in self._opened:
                s.close()
            self._opened.clear()
            self._tables.clear()
            self._variant_caches = {}
        self._local = threading.local()

    def lexicon(self, s):
        """The reader whose words and statistics stand for the whole archive.

        ``s.reader()`` here; a shard of a sharded index answers with all its
        shards' (search.engine.shard), so expansions and suggestions are the archive's.
        """
        return s.reader()

    def searcher(self):
        """This thread's Whoosh searcher, refreshed if a build committed since it was opened."""
        s = getattr(self._local, "searcher", None)
        if s is not None and s.up_to_date():
            return s
        with self._lock:
            fresh = s.refresh() if s is not None else self._open_searcher()
            if s is not None and s in self._opened:
                self._opened.remove(s)
            self._opened.append(fresh)
        self._local.searcher = fresh
        return fresh

    def _open_searcher(self):
        """A new Whoosh searcher over the index, for one thread."""
        return self.ix.searcher(weighting=ranking_model())

    def forget_tables(self):
        """Build the per-index tables again on next use (their statistics changed)."""
        with self._lock:
            self._tables.clear()
            self._variant_caches = {}

    def table(self):
        """Per-article facts of the current index generation (see search.engine.table)."""
        return self._generation()[1]

    def warm(self):
        """Build the per-index tables now rather than on the first search that needs them."""
        s, _, matchsets, vocabulary = self._generation()
        vocabulary.hashes()
        for field in WEIGHTS:
            matchsets.field_lengths(field)
        self.name_variants(s, vocabulary).prepare_later()     # beside the first requests

    def _generation(self):
        """(searcher, ArticleTable, MatchSets, Vocabulary) of one index generation.

        Callers take the searcher from here too, so document numbers and the
        tables always belong to the same generation even if a build commits
        in between.
        """
        s = self.searcher()
        generation = s.reader().generation()
        with self._lock:
            tables = self._tables.get(generation)
            if tables is None:
                # Document frequencies of exact forms come from arrays read once
                # here (search.query.lexicon): variants and suggestions ask for many.
                counts = DocCounts(s.reader())
                lexicon = self.lexicon(s)
                vocabulary = Vocabulary(s.reader(), counts)
                vocabulary.hashes()
                lexicon_counts = counts if lexicon is s.reader() else DocCounts(lexicon)
                tables = (ArticleTable(s.reader()), MatchSets(s, CollectionStats(lexicon_counts.over(lexicon))),
                          vocabulary, lexicon_counts)
                # Threads still on the previous generation finish with its tables.
                for old in sorted(self._tables)[:-1]:
                    del self._tables[old]
                self._tables[generation] = tables
        table, matchsets, vocabulary, lexicon_counts = tables
        stats = CollectionStats(lexicon_counts.over(self.lexicon(s)))
        return s, table, matchsets.for_searcher(s, stats), vocabulary

    def counted_lexicon(self, s):
        """``self.lexicon(s)`` answering document frequencies of exact forms from arrays."""
        tables = self._tables.get(s.reader().generation())
        return self.lexicon(s) if tables is None else tables[3].over(self.lexicon(s))

    def counted_reader(self, s, vocabulary):
        """``s.reader()`` answering document frequencies of exact forms from ``vocabulary``'s arrays."""
        return vocabulary.counts.over(s.reader()) if vocabulary.counts is not None else s.reader()

    def name_variants(self, s, vocabulary):
        """NameVariants over this thread's searcher ``s``, sharing what its generation has learnt."""
        generation = s.reader().generation()
        with self._lock:
            shared = self._variant_caches.get(generation)
            if shared is None:
                shared = self._variant_caches = {generation: {}}
                shared = shared[generation]

        def text_of(docnum):
            a = StoredArticle.from_stored(s.stored_fields(docnum))
            return (a.title or "") + "\n" + (a.body or "")
        return NameVariants(self.counted_reader(s, vocabulary), vocabulary.known, text_of, shared)

    def search(self, text, page=1, limit=10, lang=None, source=None, date_from=None, date_to=None,
               sort="relevance", facets=True, suggestions=True, time_limit=None, variants=True,
               drop_variants=()):
        """Run a query as typed; raises QueryError for what cannot be read.

        ``variants`` turns name variants on (``search.query.variants``); the forms in
        ``drop_variants`` are left out.

        ``time_limit`` (seconds, default the Searcher's) bounds the matching;
        when it runs out the results so far are returned with ``partial`` set.
        """
        started = time.perf_counter()
        if sort not in SORTS:
            raise QueryError("sort must be one of %s" % ", ".join(SORTS))
        page = max(1, min(int(page), MAX_PAGE))
        limit = max(1, min(int(limit), MAX_LIMIT))
        self._generation()      # loaded outside the limit, as in result_set
        deadline = deadline_in(self.time_limit if time_limit is None else time_limit)
        matched = self.result_set(text, lang=lang, source=source, date_from=date_from, date_to=date_to,
                                  deadline=deadline, variants=variants,
                                  drop_variants=drop_variants)
        s, table, tree, interpretation = matched.searcher, matched.table, matched.tree, matched.interpretation
        if matched.scores is None:
            return SearchResults(query=text, total=0, page=page, limit=limit, hits=[],
                                 interpretation=interpretation, expansions=matched.expansions,
                                 seconds=time.perf_counter() - started)
        scores, articles, partial, matcher = matched.scores, matched.articles, matched.partial, matched.matcher
        wanted = page * limit
        if sort == "relevance":
            ranked = _best(scores, table, wanted)
        else:
            chosen = table.by_date(articles, newest=(sort == "newest"))[:wanted]
            ranked = list(zip(chosen, scores.scores[np.searchsorted(scores.ids, chosen)].tolist()))
        hits = [self._hit(s, table, d, score, matcher) for d, score in ranked[(page - 1) * limit: wanted]]
        suggestion = None
        if suggestions and tree is not None and not past(deadline):
            suggestion = suggest(text, self.counted_reader(s, matched.vocabulary), found=len(articles),
                                 few=SUGGEST_BELOW,
                                 vocabulary=matched.vocabulary, deadline=deadline)
        return SearchResults(
            query=text, total=len(articles), page=page, limit=limit, hits=hits,
            facets=table.facets(articles) if facets else {},
            interpretation=interpretation, suggestion=suggestion, expansions=matched.expansions,
            partial=partial, seconds=time.perf_counter() - started,
        )

    def result_set(self, text, lang=None, source=None, date_from=None, date_to=None, time_limit=None,
                   deadline=None, variants=True, drop_variants=()):
        """Every distinct article ``text`` matches (a search.engine.resultset.ResultSet), unranked.

        Matching, filters, duplicate collapsing and the time limit are those of
        ``search``; raises QueryError for what cannot be read.  ``deadline``
        (a time.perf_counter() instant) overrides ``time_limit``.  ``scores`` is
        None when there was nothing to search for.  ``text`` may be a
        PreparedQuery (``read_query``), which carries its own filters.
        """
        # The limit bounds the matching, not the one-off loading of a newly
        # opened index's tables: a first search must not come back empty
        # because the index was large.
        self._generation()
        if deadline is None:
            deadline = deadline_in(self.time_limit if time_limit is None else time_limit)
        if isinstance(text, PreparedQuery):
            return self.match(text, deadline)
        prepared = self.prepare(text, deadline, lang=lang, source=source, date_from=date_from,
                                date_to=date_to, variants=variants, drop_variants=drop_variants)
        return self.match(prepared, deadline)

    def read_query(self, text, time_limit=None, deadline=None, variants=True, drop_variants=(), **filters):
        """``text`` and the filters prepared once (search.query.prepared.PreparedQuery) for ``result_set``.

        The research views prepare a query where they are asked and match it
        next to each shard's articles (search.engine.engine.over_shards); here, over
        one index, that is this index.
        """
        if deadline is None:
            deadline = deadline_in(self.time_limit if time_limit is None else time_limit)
        return self.prepare(text, deadline, variants=variants, drop_variants=drop_variants, **filters)

    def prepare(self, text, deadline, variants=True, drop_variants=(), **filters):
        """search.query.prepared.PreparedQuery of ``text`` read against this index's lexicon."""
        s, _, _, vocabulary = self._generation()
        return prepare(text, self.counted_lexicon(s), deadline,
                       self.name_variants(s, vocabulary) if variants else None, drop_variants, **filters)

    def match(self, prepared, deadline):
        """The ResultSet of a PreparedQuery: every distinct article it matches, scored.

        Scores use ``prepared.stats`` (the archive's figures, for a shard of a
        sharded index) or else this index's own statistics.
        """
        s, table, matchsets, vocabulary = self._generation()
        if prepared.stats is not None:
            matchsets = matchsets.for_searcher(s, prepared.stats)
        matcher = prepared.matcher()
        matched = ResultSet(query=prepared.text, interpretation=prepared.interpretation, partial=False,
                            searcher=s, table=table, matcher=matcher, tree=prepared.tree, vocabulary=vocabulary,
                            hit_maker=lambda d, score: self._hit(s, table, d, score, matcher),
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

    def _hit(self, s, table, docnum, score, matcher):
        a = StoredArticle.from_stored(s.stored_fields(docnum))
        return Hit(
            id=a.id, title=a.title, date=a.date, source=", ".join(a.sources), sources=a.sources,
            lang=a.lang, score=round(float(score or 0.0), 4), snippet=snippet(a.body, matcher),
            marked_title=highlight(a.title[:MAX_TITLE_CHARS], matcher), path=a.path or "", url=a.url,
            also=self._copies(s, table, docnum),
        )

    @staticmethod
    def _copies(s, table, docnum):
        """The other places the article of ``docnum`` was filed."""
        return [Copy.of(StoredArticle.from_stored(s.stored_fields(d))) for d in table.others(docnum)]

    def article(self, article_id, q="", similar=SIMILAR_SHOWN, marks=None):
        """The ArticlePage of one article with the words of query ``q`` marked; None if no such id.

        A query that cannot be read marks nothing rather than failing the page.
        ``marks``, a search.snippets.Matcher, is marked instead of ``q``'s words.
        """
        s, table = self._generation()[:2]
        docnum = s.document_number(id=article_id)
        if docnum is None:
            return None
        a = StoredArticle.from_stored(s.stored_fields(docnum))
        matcher = marks if marks is not None else _query_matcher(s.reader(), q)
        body = _cut(a.body or "", MAX_ARTICLE_CHARS)
        return ArticlePage(
            article=a, title=highlight((a.title or a.id)[:MAX_TITLE_CHARS], matcher),
            abstract=highlight(_cut(a.abstract, MAX_ARTICLE_CHARS), matcher) if a.abstract else None,
            paragraphs=[highlight(p, matcher) for p in paragraphs(body)],
            copies=self._copies(s, table, docnum),
            similar=self._similar(s, table, docnum, similar),
            omitted=len(a.body or "") - len(body),
        )

    def similar(self, article_id, limit=10):
        """The articles closest to one article (see search.views.similar); None if no such id."""
        s, table = self._generation()[:2]
        docnum = s.document_number(id=article_id)
        if docnum is None:
            return None
        return self._similar(s, table, docnum, limit)

    def _similar(self, s, table, docnum, limit):
        if limit <= 0:
            return []
        from search.views.similar import similar_articles
        matcher = Matcher((), ())
        return [self._hit(s, table, d, score, matcher)
                for d, score in similar_articles(s, table, docnum, limit, lexicon=self.lexicon(s))]

    def stats(self):
        """Article counts overall, by language and by source."""
        s = self.searcher()
        r = s.reader()
        langs = {}
        for term, info in r.iter_field("lang"):
            langs[term_text(term)] = info.doc_frequency()
        sources = {}
        for term, info in r.iter_field("source"):
            sources[term_text(term)] = info.doc_frequency()
        return {"articles": r.doc_count(), "languages": langs,
                "sources": dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0])))}


def _query_matcher(reader, q):
    """The Matcher of a query's words, or None when there is none to mark."""
    if not (q or "").strip():
        return None
    try:
        tree, _ = parse(q)
        builder = QueryBuilder(reader)
        builder.build(tree)
    except QueryError:
        return None
    return Matcher(builder.exact_terms, builder.stem_terms) or None


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


def _best(found, table, wanted):
    """[(docnum, score)] of the ``wanted`` best distinct articles, best first.

    Ties go to the lower document number, as in Whoosh's own collectors.
    """
    ids, scores = found
    size = wanted + 10
    while True:
        if len(ids) > size:
            # The size-th best score is the cut; documents tied with it may
            # lie on either side of the partition, so all of them are taken
            # and the lowest numbers win as they should.
            floor = np.partition(scores, len(scores) - size)[len(scores) - size]
            pick = np.flatnonzero(scores >= floor)
        else:
            pick = np.arange(len(ids))
        top = pick[np.lexsort((ids[pick], -scores[pick]))][:size]
        kept = table.collapse(ids[top])
        if len(kept) >= wanted or len(top) < size:
            score_of = dict(zip(ids[top].tolist(), scores[top].tolist()))
            return [(d, score_of[d]) for d in kept[:wanted]]
        size *= 2
