"""Ranked search over an akhbar index: query text in, ``SearchResults`` out.

The command line and the web page both call ``Searcher.search``; a batch run
for evaluation calls it too, so every face ranks identically.
"""
import time

from whoosh import query as wq
from whoosh import sorting
from whoosh.collectors import TimeLimit, TimeLimitCollector

from indexer.build import open_index

from .ranking import ranking_model
from .query import QueryBuilder, QueryError, date_query, describe, parse, source_query
from .results import Hit, SearchResults
from .snippets import Matcher, highlight, snippet

SORTS = ("relevance", "newest", "oldest")
DEFAULT_TIME_LIMIT = 5.0
MAX_PAGE = 1000
MAX_LIMIT = 1000


class Searcher:
    """An open index, ready to answer queries; cheap to keep, reopens on change."""

    def __init__(self, index_dir, time_limit=DEFAULT_TIME_LIMIT):
        self.index_dir = index_dir
        self.ix = open_index(index_dir)
        self.time_limit = time_limit
        self._searcher = self.ix.searcher(weighting=ranking_model())

    def close(self):
        self._searcher.close()

    def searcher(self):
        """The Whoosh searcher, refreshed if a build committed since it was opened."""
        if not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
        return self._searcher

    def search(self, text, page=1, limit=10, lang=None, source=None, date_from=None, date_to=None,
               sort="relevance", facets=True):
        """Run a query as typed; raises QueryError for what cannot be read."""
        started = time.perf_counter()
        if sort not in SORTS:
            raise QueryError("sort must be one of %s" % ", ".join(SORTS))
        page = max(1, min(int(page), MAX_PAGE))
        limit = max(1, min(int(limit), MAX_LIMIT))
        s = self.searcher()
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
        if q is None:
            if not filters:
                return SearchResults(query=text, total=0, page=page, limit=limit, hits=[],
                                     interpretation="; ".join(notes) or "(nothing to search)",
                                     seconds=time.perf_counter() - started)
            q = wq.Every()
        if filters:
            q = wq.And([q] + filters)

        kwargs = {"collapse": "dupkey", "collapse_limit": 1}
        if sort != "relevance":
            kwargs["sortedby"] = sorting.FieldFacet("date", reverse=(sort == "newest"))
        if facets:
            kwargs["groupedby"] = {
                "source": sorting.FieldFacet("source", allow_overlap=True, maptype=sorting.Count),
                "lang": sorting.FieldFacet("lang", maptype=sorting.Count),
                "month": sorting.FieldFacet("month", maptype=sorting.Count),
            }
        wanted = page * limit
        collector = s.collector(limit=wanted, **kwargs)
        tlc = TimeLimitCollector(collector, timelimit=self.time_limit, use_alarm=False)
        partial = False
        try:
            s.search_with_collector(q, tlc)
        except TimeLimit:
            partial = True
        results = tlc.results()
        total = results.scored_length() if partial else len(results)
        total -= sum(results.collapsed_counts.values()) if results.collapsed_counts else 0
        matcher = Matcher(builder.exact_terms, builder.stem_terms)
        hits = [self._hit(s, hit.docnum, hit.score, matcher) for hit in results[(page - 1) * limit: wanted]]
        facet_counts = {}
        if facets:
            for name in ("source", "lang", "month"):
                counts = results.groups(name)
                facet_counts[name] = dict(sorted(((k, v) for k, v in counts.items() if k),
                                                 key=lambda kv: (-kv[1], kv[0])))
        return SearchResults(
            query=text, total=max(total, 0), page=page, limit=limit, hits=hits, facets=facet_counts,
            interpretation=describe(tree) + ("" if not notes else " — " + "; ".join(notes)),
            partial=partial, seconds=time.perf_counter() - started,
        )

    def _hit(self, s, docnum, score, matcher):
        f = s.stored_fields(docnum)
        plain, html = snippet(f.get("body_text") or "", matcher)
        _, title_html = highlight(f.get("title_text") or "", matcher)
        also = []
        if f.get("dupkey"):
            for other in s.documents(dupkey=f["dupkey"]):
                if other["id"] != f["id"]:
                    also.append({"id": other["id"], "path": other.get("path"), "source": ", ".join(other.get("sources") or [])})
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
