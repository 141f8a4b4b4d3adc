"""An archive opened for searching: what the command line and the page call.

``Searcher`` is an engine (search.engine.engine: one index or many shards,
here, in local processes or on a cluster) with each view of search.views
as a method.  Every view takes the same QueryOptions (search.query.options)
the results page does, so they count the same articles.  ``open_searcher``
opens whatever ``index_dir`` holds.
"""
from search.engine.engine import Engine, ShardsUnavailable, open_engine
from search.query.options import DEFAULT_TIME_LIMIT, MAX_LIMIT, MAX_PAGE, SORTS, QueryOptions
from search.views import export as export_view
from search.views import forms as forms_view
from search.views import kwic as kwic_view
from search.views import page, similar as similar_view, stats as stats_view, timeline as timeline_view

__all__ = ["DEFAULT_TIME_LIMIT", "MAX_LIMIT", "MAX_PAGE", "SORTS", "QueryOptions", "Searcher",
           "ShardsUnavailable", "open_searcher"]


def as_options(query, **options):
    """QueryOptions from a QueryOptions, or from a query text and keyword options."""
    if isinstance(query, QueryOptions):
        return query.but(**options) if options else query
    return QueryOptions(text=query, **options)


class Searcher:
    """The archive in ``index_dir`` (a single index or a sharded one), ready to answer queries.

    Safe to share between threads.  ``transport`` says where the shards are
    kept (transport/); by default a single index in this process and a
    sharded one in a process per shard.  ``time_limit`` is the default of
    every request's.
    """

    def __init__(self, index_dir, time_limit=DEFAULT_TIME_LIMIT, transport=None, engine=None):
        self.engine = engine if engine is not None else Engine(index_dir, transport=transport,
                                                               time_limit=time_limit)
        self.index_dir = index_dir

    @property
    def time_limit(self):
        return self.engine.time_limit

    def close(self):
        self.engine.close()

    def warm(self):
        """Open every shard and build the tables queries need now, not on the first query."""
        self.engine.warm()

    def search(self, query, facets=True, suggestions=True, **options):
        """The SearchResults of ``query`` (QueryOptions, or a text with options as keywords:
        page, limit, lang, source, date_from, date_to, sort, variants, drop_variants, time_limit).
        Raises QueryError for what cannot be read."""
        return page.search(self.engine, as_options(query, **options), facets=facets, suggestions=suggestions)

    def article(self, article_id, q="", similar=similar_view.SIMILAR_SHOWN):
        """The ArticlePage of one article with the words of query ``q`` marked; None if no such id."""
        return similar_view.article(self.engine, article_id, q, similar)

    def similar(self, article_id, limit=10):
        """The articles closest to one article; None if no such id."""
        return similar_view.similar(self.engine, article_id, limit)

    def stats(self):
        """Article counts overall, by language and by source (and by shard)."""
        return stats_view.stats(self.engine)

    def timeline(self, queries, options=None, by="month"):
        """Articles per period of each query text in ``queries``, read with ``options``' filters."""
        return timeline_view.timeline(self.engine, queries, options or QueryOptions(), by=by)

    def kwic(self, query, width=kwic_view.DEFAULT_WIDTH, limit=kwic_view.DEFAULT_LIMIT, sort="date"):
        """The concordance of ``query`` (QueryOptions or text)."""
        return kwic_view.kwic(self.engine, as_options(query), width=width, limit=limit, sort=sort)

    def forms(self, word, limit=forms_view.DEFAULT_LIMIT, time_limit=None):
        """The archive's spellings of ``word`` with their article counts."""
        return forms_view.forms(self.engine, word, limit=limit, time_limit=time_limit)

    def export(self, query, **options):
        """A search.views.export.Export of every article ``query`` matches, in its options' sort."""
        return export_view.Export(self.engine, as_options(query, **options))


def open_searcher(index_dir, cluster=None, time_limit=None):
    """A Searcher for ``index_dir``: single or sharded, local or through a Dask scheduler.

    ``cluster`` defaults to ``$AKHBAR_CLUSTER``.
    """
    return Searcher(index_dir, engine=open_engine(index_dir, cluster=cluster, time_limit=time_limit))
