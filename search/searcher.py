"""Ranked search over an akhbar index: query text in, ``SearchResults`` out.

The command line and the web page both call ``Searcher.search``; a batch run
for evaluation calls it too, so every face ranks identically.

A search makes two passes over the postings: an unscored one that finds every
matching document (for the exact total and the facets), and a scored one that
keeps only the best page with Whoosh's block-quality shortcuts.  Scoring the
whole result set to count it would cost several times more on broad queries.
"""
import threading
import time

from whoosh import query as wq
from whoosh.collectors import TimeLimit, TopCollector

from indexer.build import open_index

from .facets import ArticleTable
from .query import QueryBuilder, QueryError, date_query, describe, parse, source_query
from .ranking import ranking_model
from .results import Hit, SearchResults
from .snippets import Matcher, highlight, snippet
from .suggest import suggest
from .timing import DeadlineWeighting

SORTS = ("relevance", "newest", "oldest")
DEFAULT_TIME_LIMIT = 5.0
MAX_PAGE = 1000
MAX_LIMIT = 1000
# Below this many distinct articles a query is worth a "did you mean".
SUGGEST_BELOW = 3
_CHECK_EVERY = 2048


class Searcher:
    """An open index, ready to answer queries; cheap to keep, reopens on change."""

    def __init__(self, index_dir, time_limit=DEFAULT_TIME_LIMIT):
        self.index_dir = index_dir
        self.ix = open_index(index_dir)
        self.time_limit = time_limit
        self._weighting = DeadlineWeighting(ranking_model())
        self._searcher = self.ix.searcher(weighting=self._weighting)
        self._table = None
        self._lock = threading.Lock()

    def close(self):
        self._searcher.close()

    def searcher(self):
        """The Whoosh searcher, refreshed if a build committed since it was opened."""
        with self._lock:
            if not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
                self._table = None
            return self._searcher

    def table(self):
        """Per-article facts of the current index generation (see search.facets)."""
        s = self.searcher()
        with self._lock:
            if self._table is None or self._table[0] is not s:
                self._table = (s, ArticleTable(s.reader()))
            return self._table[1]

    def search(self, text, page=1, limit=10, lang=None, source=None, date_from=None, date_to=None,
               sort="relevance", facets=True, suggestions=True, time_limit=None):
        """Run a query as typed; raises QueryError for what cannot be read.

        ``time_limit`` (seconds, default the Searcher's) bounds the matching;
        when it runs out the results so far are returned with ``partial`` set.
        """
        started = time.perf_counter()
        deadline = started + (self.time_limit if time_limit is None else time_limit)
        if sort not in SORTS:
            raise QueryError("sort must be one of %s" % ", ".join(SORTS))
        page = max(1, min(int(page), MAX_PAGE))
        limit = max(1, min(int(limit), MAX_LIMIT))
        s = self.searcher()
        table = self.table()
        tree, notes = parse(text or "")
        builder = QueryBuilder(s.reader())
        q = builder.build(tree)
        notes.extend(builder.notes)
        filters = []
        if lang:
            filters.append(wq.Term("lang", lang))
        if source:
            filters.append(source_query(s.reader(), source))
        if date_from or date_to:
            filters.append(date_query("%s..%s" % (date_from or "", date_to or "")))
        interpretation = describe(tree) + ("" if not notes else " — " + "; ".join(notes))
        if q is None and not filters:
            return SearchResults(query=text, total=0, page=page, limit=limit, hits=[],
                                 interpretation=interpretation, seconds=time.perf_counter() - started)
        # Never And(Every, ...): Whoosh's And.normalize reads it as Every.
        if filters:
            q = wq.And(([q] if q is not None else []) + filters)

        partial = False
        try:
            matched = self._all_matches(s, q, deadline)
        except _Partial as p:
            matched, partial = p.found, True
        articles = table.collapse(matched)
        wanted = page * limit
        if sort == "relevance":
            ranked, cut = self._ranked(s, q, wanted, table, deadline)
            partial = partial or cut
        else:
            ranked = [(d, 0.0) for d in table.by_date(articles, newest=(sort == "newest"))[:wanted]]
        matcher = Matcher(builder.exact_terms, builder.stem_terms)
        hits = [self._hit(s, table, d, score, matcher) for d, score in ranked[(page - 1) * limit: wanted]]
        suggestion = None
        if suggestions and tree is not None:
            suggestion = suggest(text, s.reader(), found=len(articles), few=SUGGEST_BELOW)
        return SearchResults(
            query=text, total=len(articles), page=page, limit=limit, hits=hits,
            facets=table.facets(articles) if facets else {},
            interpretation=interpretation, suggestion=suggestion,
            partial=partial, seconds=time.perf_counter() - started,
        )

    def _all_matches(self, s, q, deadline):
        """Every matching document number, unscored; raises _Partial past the deadline."""
        found = []
        for sub, offset in s.leaf_searchers():
            n = 0
            for docnum in q.docs(sub):
                found.append(docnum + offset)
                n += 1
                if n % _CHECK_EVERY == 0 and time.perf_counter() > deadline:
                    raise _Partial(found)
        if time.perf_counter() > deadline:
            raise _Partial(found)
        return found

    def _ranked(self, s, q, wanted, table, deadline):
        """([(docnum, score)] best first with duplicates collapsed, cut short?)."""
        size = wanted + 10
        while True:
            collector = TopCollector(limit=size)
            cut = False
            self._weighting.start(deadline)
            try:
                s.search_with_collector(q, collector)
            except TimeLimit:
                cut = True
            finally:
                self._weighting.stop()
            top = collector.results().top_n
            scores = {docnum: score for score, docnum in top}
            kept = table.collapse([docnum for score, docnum in top])
            if cut or len(kept) >= wanted or len(top) < size:
                return [(d, scores[d]) for d in kept[:wanted]], cut
            size *= 2

    def _hit(self, s, table, docnum, score, matcher):
        f = s.stored_fields(docnum)
        plain, html = snippet(f.get("body_text") or "", matcher)
        _, title_html = highlight(f.get("title_text") or "", matcher)
        also = []
        for other in table.others(docnum):
            o = s.stored_fields(other)
            also.append({"id": o["id"], "path": o.get("path"), "source": ", ".join(o.get("sources") or [])})
        return Hit(
            id=f["id"], title=f.get("title_text") or "", date=f.get("date_iso"),
            source=", ".join(f.get("sources") or []), sources=list(f.get("sources") or []),
            lang=f.get("lang") or "und", score=round(float(score or 0.0), 4),
            snippet=plain, snippet_html=html, title_html=title_html,
            path=f.get("path") or "", url=f.get("url"), also=also,
        )

    def article(self, article_id):
        """Stored fields of one article by id, or None."""
        return self.searcher().document(id=article_id)

    def similar(self, article_id, limit=10):
        """The articles closest to one article (see search.similar); None if no such id."""
        from .similar import similar_articles
        s = self.searcher()
        docnum = s.document_number(id=article_id)
        if docnum is None:
            return None
        table = self.table()
        matcher = Matcher((), ())
        return [self._hit(s, table, d, score, matcher)
                for d, score in similar_articles(s, table, docnum, limit)]

    def stats(self):
        """Article counts overall, by language and by source."""
        s = self.searcher()
        r = s.reader()
        langs = {}
        for term, info in r.iter_field("lang"):
            langs[term.decode("utf-8") if isinstance(term, bytes) else term] = info.doc_frequency()
        sources = {}
        for term, info in r.iter_field("source"):
            sources[term.decode("utf-8") if isinstance(term, bytes) else term] = info.doc_frequency()
        return {"articles": r.doc_count(), "languages": langs,
                "sources": dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0])))}


class _Partial(Exception):
    def __init__(self, found):
        super().__init__("time limit reached")
        self.found = found
