"""The whole archive of a sharded index as its caller sees it: lexicon and statistics, no postings lists scanned.

A query over N shards is read here once (search.query.prepared): parsed, its
``*`` and ``~`` expanded and its names' variants chosen against every
shard's words, and the archive's statistics for its terms attached, so the
shards receive a ready query and only match and score.  "Did you mean" and
the similar-articles query are worked out here too.

Only term dictionaries, document frequencies and field lengths are read for
this, plus a few stored articles when name variants sample how a word is
written; the shards' folders must be readable here (the same path on every
machine of a cluster, as for building: indexer.dask_cluster).
"""
import threading

from indexer.build import open_index
from indexer.shards import collection_reader

from search.query.lexicon import DocCounts
from search.query.prepared import prepare, query_stats
from search.results import StoredArticle
from search.searcher import SUGGEST_BELOW, _query_matcher
from search.views.similar import similar_query
from search.query.suggest import Vocabulary, suggest
from search.query.variants import NameVariants


class Collection:
    """Every shard of an index opened for its lexicon and statistics; follows their commits.

    Safe to share between threads: each reads through readers of its own
    (Whoosh reads some files at a shared position), while the vocabulary and
    what name variants learn are built once per state of the shards.
    """

    def __init__(self, dirs):
        self.dirs = list(dirs)
        self._ixs = [open_index(d) for d in self.dirs]
        self._lock = threading.Lock()
        self._local = threading.local()
        self._opened = []
        self._shared = {}             # generation -> (DocCounts, Vocabulary, name variants' cache)
        self.reader()                 # a shard that cannot be read fails here

    def close(self):
        with self._lock:
            for r in self._opened:
                r.close()
            self._opened.clear()
            self._shared.clear()
        self._local = threading.local()

    def reader(self):
        """This thread's reader of every shard's segments, reopened after any shard committed."""
        readers = getattr(self._local, "readers", None)
        if readers is not None and all(ix.latest_generation() == r.generation()
                                       for ix, r in zip(self._ixs, readers)):
            return self._local.reader
        fresh = [r if r is not None and ix.latest_generation() == r.generation() else ix.reader()
                 for ix, r in zip(self._ixs, readers or [None] * len(self._ixs))]
        with self._lock:
            for old in readers or ():
                if old not in fresh and old in self._opened:
                    self._opened.remove(old)
                    old.close()
            self._opened.extend(r for r in fresh if r not in self._opened)
        self._local.readers = fresh
        self._local.reader = collection_reader(fresh)
        self._local.generation = tuple(r.generation() for r in fresh)
        return self._local.reader

    def generation(self):
        """The state of every shard this thread reads, as a tuple."""
        self.reader()
        return self._local.generation

    def _tables(self):
        """(reader, Vocabulary, name variants' shared cache) of this thread's state of the shards.

        The reader answers document frequencies from arrays (search.query.lexicon):
        over N shards a Whoosh reader looks a word up in every segment of
        every shard, and a query asks for hundreds of words' frequencies.
        """
        reader = self.reader()
        generation = self._local.generation
        with self._lock:
            tables = self._shared.get(generation)
            if tables is None:
                counts = DocCounts(reader)        # read now, through this thread's reader
                vocabulary = Vocabulary(reader, counts)
                vocabulary.hashes()
                tables = (counts, vocabulary, {})
                for old in sorted(self._shared)[:-1]:
                    del self._shared[old]
                self._shared[generation] = tables
        counts, vocabulary, variants = tables
        return counts.over(reader), vocabulary, variants

    def warm(self):
        reader, vocabulary, shared = self._tables()
        NameVariants(reader, vocabulary.known, None, shared).prepare()

    def prepare(self, text, deadline, variants=True, drop_variants=(), **filters):
        """search.query.prepared.PreparedQuery of ``text``, with the archive's statistics for its terms."""
        reader, vocabulary, shared = self._tables()
        names = None
        if variants:
            def text_of(docnum):
                a = StoredArticle.from_stored(reader.stored_fields(docnum))
                return (a.title or "") + "\n" + (a.body or "")
            names = NameVariants(reader, vocabulary.known, text_of, shared)
        prepared = prepare(text, reader, deadline, names, drop_variants, **filters)
        prepared.stats = query_stats(reader, [prepared.query], self._local.generation)
        return prepared

    def suggestion(self, text, found, deadline=None):
        """Did-you-mean over the whole archive."""
        reader, vocabulary, _ = self._tables()
        return suggest(text, reader, found=found, few=SUGGEST_BELOW, vocabulary=vocabulary, deadline=deadline)

    def marks(self, q):
        """The search.snippets.Matcher of query ``q``'s words for an article page, or None."""
        return _query_matcher(self._tables()[0], q)

    def similar(self, fields):
        """(similar-articles query, its QueryStats) of an article's stored ``fields``; (None, None) if it has none."""
        reader = self._tables()[0]
        q = similar_query(reader, fields)
        if q is None:
            return None, None
        return q, query_stats(reader, [q], self._local.generation)
