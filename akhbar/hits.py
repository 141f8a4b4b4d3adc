"""Search results in Python: hits you can read, iterate, display and turn into a DataFrame.

These wrap the engine's answers (search.results) without recomputing
anything; the terminal ``repr`` is the command line's own text
(akhbar.output), the notebook's HTML is akhbar.notebook's.
"""
import datetime

from web.display import marked_html

from .errors import raising
from .frames import HIT_COLUMNS, frame
from .notebook import hit_html, results_html
from .output import hit_lines, results_lines


class MarkedText(str):
    """Text as the article wrote it, with ``spans``: the (start, end) offsets of the matched words.

    It is a ``str`` (print it, search it, put it in a frame); ``marks`` lists
    the matched pieces, ``pieces()`` walks the text marked and unmarked, and
    ``html()`` gives it with ``<mark>`` around the matches.
    """

    def __new__(cls, text, spans=()):
        self = super().__new__(cls, text)
        self.spans = tuple((int(a), int(b)) for a, b in spans)
        return self

    def __getnewargs__(self):
        return str(self), self.spans

    @classmethod
    def of(cls, marked):
        """From the engine's search.results.Marked."""
        return cls(marked.text, marked.spans)

    @property
    def marks(self):
        """The matched pieces of the text, in order."""
        return [self[a:b] for a, b in self.spans]

    def pieces(self):
        """(piece, marked) in order, covering the whole text."""
        last = 0
        for start, end in self.spans:
            if start > last:
                yield str(self[last:start]), False
            yield str(self[start:end]), True
            last = end
        if last < len(self):
            yield str(self[last:]), False

    def html(self):
        """The text escaped for HTML, the matches in ``<mark>``."""
        return str(marked_html(self))

    def _repr_html_(self):
        return self.html()


def as_date(iso):
    """A ``datetime.date`` from the index's ISO date text; None when there is none."""
    if not iso:
        return None
    try:
        return datetime.date.fromisoformat(iso[:10])
    except ValueError:
        return None


class Hit:
    """One matching article: ``id``, ``rank`` (1 = first), ``score``, ``title`` and ``snippet``
    (MarkedText: the matched words' spans marked), ``date`` (datetime.date or None), ``source``,
    ``sources``, ``lang``, ``url``, ``path``, and ``also``: the ids of the other places the same
    article was filed."""

    __slots__ = ("id", "rank", "score", "title", "date", "source", "sources", "lang", "url", "path", "snippet",
                 "also", "_hit")

    def __init__(self, hit, rank):
        self._hit = hit
        self.id, self.rank, self.score = hit.id, rank, hit.score
        self.title, self.snippet = MarkedText.of(hit.marked_title), MarkedText.of(hit.snippet)
        self.date, self.source, self.sources = as_date(hit.date), hit.source, list(hit.sources)
        self.lang, self.url, self.path = hit.lang, hit.url, hit.path
        self.also = [c.id for c in hit.also]

    def row(self):
        """Its values in HIT_COLUMNS' order."""
        return (self.rank, self.id, self.score, str(self.title), self.date, self.source, self.lang, self.url,
                str(self.snippet), self.path)

    def __repr__(self):
        return "\n".join(hit_lines(self.rank, self._hit)).strip("\n")

    def _repr_html_(self):
        return hit_html(self)


class Results:
    """A page of hits with what the search learnt of the whole result set.

    ``total`` (distinct matching articles), ``hits`` (this page: iterate the
    Results itself, index it, ``len()`` it), ``facets`` ({"source"|"lang"|"month":
    {value: articles}}), ``expansions`` (name variants per query word),
    ``suggestion`` (did you mean), ``interpretation`` (how the query was read),
    ``page``, ``pages``, ``limit``, ``partial`` (cut by the time limit or a
    shard missing), ``missing`` (shards that did not answer), ``seconds``.
    ``to_frame()`` gives the hits as a DataFrame.
    """

    def __init__(self, results):
        self._results = results
        first = (results.page - 1) * results.limit + 1
        self.hits = [Hit(h, rank) for rank, h in enumerate(results.hits, first)]
        for name in ("query", "total", "page", "limit", "pages", "facets", "expansions", "suggestion",
                     "interpretation", "partial", "missing", "seconds"):
            setattr(self, name, getattr(results, name))

    def __iter__(self):
        return iter(self.hits)

    def __len__(self):
        return len(self.hits)

    def __getitem__(self, i):
        return self.hits[i]

    def to_frame(self):
        """The hits as a DataFrame: rank, id, score, title, date (datetime64), source, lang, url, snippet, path."""
        return frame([h.row() for h in self.hits], HIT_COLUMNS)

    def __repr__(self):
        return "\n".join(results_lines(self._results))

    def _repr_html_(self):
        return results_html(self)


class Export:
    """Every article a query matches, in its sort order, read a batch at a time as you iterate.

    ``total``, ``partial`` and ``missing`` are known before the first article
    is read.  Iterating yields Hit objects ranked 1, 2, ...; memory holds a
    couple of batches, never the result set.  Iterating again runs the
    query again.  ``to_frame()`` reads them all into a DataFrame (for result
    sets that fit in memory).  A shard lost for good in the middle raises
    akhbar.ExportBroken.
    """

    def __init__(self, searcher, options, index_dir):
        self._searcher, self._options, self._index_dir = searcher, options, index_dir
        self._view = self._make()
        self.total, self.partial, self.missing = self._view.total, self._view.partial, list(self._view.missing)

    def _make(self):
        with raising(self._index_dir):
            return self._searcher.export(self._options)

    def __iter__(self):
        view, self._view = self._view or self._make(), None
        rank = 0
        with raising(self._index_dir):
            for batch in view.batches():
                for hit in batch:
                    rank += 1
                    yield Hit(hit, rank)

    def __len__(self):
        return self.total

    def to_frame(self):
        """Every article as a row of Results.to_frame()'s columns."""
        return frame([h.row() for h in self], HIT_COLUMNS)

    def __repr__(self):
        partial = ""
        if self.missing:
            partial = " (partial: %s did not answer)" % ", ".join(self.missing)
        elif self.partial:
            partial = " (partial: the time limit was reached)"
        return "<export of %d articles for %r, sorted by %s%s>" % (
            self.total, self._options.text, self._options.sort, partial)
