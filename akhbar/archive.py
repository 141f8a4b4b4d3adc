"""An archive opened from Python: ``akhbar.open`` and what an Archive answers.

Every method is a view of search.searcher.Searcher asked with one
QueryOptions, exactly as the command line and the page ask it, so the
numbers are theirs; the answers are wrapped for Python (akhbar.hits,
akhbar.views) and the engine's errors raised as akhbar's (akhbar.errors).
"""
import os
import warnings

from search.query.options import QueryOptions
from search.searcher import open_searcher

from .errors import raising
from .frames import RUN_COLUMNS, frame
from .hits import Export, Results
from .options import DEFAULT_INDEX
from .runs import run_rows, topic_pairs
from .views import Concordance, Forms, Timeline

FILTERS = ("lang", "source", "date_from", "date_to", "variants", "time_limit")
FILTERS_DOC = """
    Filters and options, as keywords: ``lang`` ("ar", "en", "fr", "ru"),
    ``source`` (a source whose name contains it), ``date_from``, ``date_to``
    ("2018", "2018-03", "2018-03-01"), ``variants=False`` (names only as
    typed), ``time_limit`` (seconds; the archive's by default)."""


def open(index_dir=DEFAULT_INDEX, cluster=None, time_limit=None):
    """The Archive in ``index_dir``: a single index or a sharded one, here or on a Dask cluster.

    ``cluster`` is a scheduler's address (``tcp://10.0.0.5:8786``; default
    ``$AKHBAR_CLUSTER``), which needs ``pip install 'akhbar[cluster]'``;
    ``time_limit`` is every search's default limit in seconds (5).  Close it
    with ``close()`` or use it in a ``with`` block (a sharded index keeps a
    process per shard).  Raises akhbar.IndexNotFound, akhbar.IndexVersionError,
    akhbar.ClusterError with the command line's messages.
    """
    index_dir = os.fspath(index_dir)
    with raising(index_dir, opening=True):
        # A cluster's workers run elsewhere, in other folders: they are given the whole path.
        searcher = open_searcher(os.path.abspath(index_dir), cluster=cluster, time_limit=time_limit)
    return Archive(searcher, index_dir)


def _options(query, filters, **more):
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise TypeError("unknown option %s; the filters are %s" % (", ".join(sorted(unknown)), ", ".join(FILTERS)))
    return QueryOptions(text=query, **filters, **more)


class Archive:
    """A news archive opened for searching (see akhbar.open): search, research views, runs.

    Safe to share between threads.  Raises akhbar.QueryError for a query or
    filter that cannot be read and akhbar.ShardsUnavailable when no shard answers.
    """

    def __init__(self, searcher, index_dir):
        self._searcher = searcher
        self.index_dir = index_dir

    def close(self):
        """Let go of the index (and of the shards' processes or cluster actors)."""
        self._searcher.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "<akhbar archive %s>" % self.index_dir

    def search(self, query="", limit=10, page=1, *, lang=None, source=None, date_from=None, date_to=None,
               sort="relevance", variants=True, drop_variants=(), time_limit=None, facets=True, suggestions=True):
        """Results of ``query`` in the query language of ``akhbar search`` (see its --help).

        ``limit`` hits per page (up to 1,000) of ``page``; ``sort`` relevance,
        newest or oldest; ``lang``, ``source``, ``date_from``, ``date_to``
        filter; ``variants=False`` searches names only as typed and
        ``drop_variants`` leaves some out; ``time_limit`` in seconds.  Without
        a query, the filters alone choose.  ``facets=False`` and
        ``suggestions=False`` skip the counts and "did you mean".
        """
        options = QueryOptions(text=query, limit=limit, page=page, lang=lang, source=source, date_from=date_from,
                               date_to=date_to, sort=sort, variants=variants, drop_variants=drop_variants,
                               time_limit=time_limit)
        with raising(self.index_dir):
            return Results(self._searcher.search(options, facets=facets, suggestions=suggestions))

    def timeline(self, query, *others, by="month", **filters):
        """A Timeline of ``query`` (and ``others`` on the same chart): distinct matching articles per
        period (``by``: day, week, month, year) and their share of all articles of the period.
        """
        if by not in ("day", "week", "month", "year"):
            raise _query_error("by must be one of day, week, month, year, not %r" % (by,))
        with raising(self.index_dir):
            return Timeline(self._searcher.timeline([query, *others], _options("", filters), by=by))

    def kwic(self, query, width=50, limit=100, sort="date", **filters):
        """A Concordance: every occurrence of ``query``'s words or phrases with ``width`` characters of
        context each side; ``limit`` lines, sorted by ``sort`` (date; left or right: by the words read
        just before or after the match).
        """
        if sort not in ("date", "left", "right"):
            raise _query_error("sort must be one of date, left, right, not %r" % (sort,))
        with raising(self.index_dir):
            return Concordance(self._searcher.kwic(_options(query, filters), width=width, limit=limit, sort=sort))

    def forms(self, word, limit=200, time_limit=None):
        """The archive's spellings of ``word`` that a search for it meets (Forms), commonest first."""
        with raising(self.index_dir):
            return Forms(self._searcher.forms(word, limit=limit, time_limit=time_limit))

    def export(self, query="", sort="relevance", **filters):
        """An Export: every article ``query`` matches, as Hits in ``sort`` order (relevance, newest,
        oldest), read a batch at a time while you iterate; ``to_frame()`` for those that fit.
        """
        options = _options(query, filters, sort=sort)
        if not (query or "").strip() and not options.filtered():
            raise _query_error("give a query (or a filter such as lang=\"ar\") to export")
        return Export(self._searcher, options, self.index_dir)

    def similar(self, article_id, limit=10):
        """Results of the articles closest to article ``article_id``; akhbar.Error if there is no such id."""
        from search.results import SearchResults
        from .errors import Error
        with raising(self.index_dir):
            hits = self._searcher.similar(article_id, limit=limit)
        if hits is None:
            raise Error("no article with id %s. Ids are shown with each search hit (and in --json as \"id\")"
                        % article_id)
        return Results(SearchResults(query="", total=len(hits), page=1, limit=limit, hits=hits))

    def stats(self):
        """Articles overall, by language and by source (and by shard): the ``stats --json`` shape."""
        with raising(self.index_dir):
            return self._searcher.stats()

    def run(self, topics, limit=100, **filters):
        """A run of ``topics`` as a DataFrame: qid, docno, rank (1 first), score, query.

        ``topics`` is a DataFrame with ``qid`` and ``query`` columns
        (PyTerrier's), an iterable of (qid, query) pairs, or a topics file.
        Each topic is searched as ``akhbar search --batch`` searches a line,
        so the ranking is the same; a topic that cannot be searched is left
        out with a warning, as the batch reports and skips its line.
        """
        skipped = []
        with raising(self.index_dir):
            rows = list(run_rows(self._searcher, topic_pairs(topics), limit, _options("", filters), skipped))
        for qid, why in skipped:
            warnings.warn("topic %s skipped: %s" % (qid, why), stacklevel=2)
        return frame(rows, RUN_COLUMNS)


for _method in (Archive.timeline, Archive.kwic, Archive.export, Archive.run):
    _method.__doc__ += FILTERS_DOC


def _query_error(message):
    from .errors import QueryError
    return QueryError(message)
