"""The whole archive as a query is read against it: its words and statistics, no postings scanned.

A query is read here once, however many shards hold the articles
(search.query.prepared): parsed, its ``*`` and ``~`` expanded and its names'
variants chosen against every shard's words, and, over several shards, the
archive's statistics for its terms attached, so the shards receive a ready
query and only match and score.  "Did you mean", the words an article page
marks and the statistics of a similar-articles query are worked out here
too.

Two kinds: ``Archive`` opens every shard's folder for its term dictionaries
(the index of several shards, or a shard kept in another process; the
folders must be readable here, at the same path as on a cluster's workers),
and ``OwnArchive`` is the one shard of a single index kept in this process,
whose own tables serve (nothing is read twice).
"""
import threading

from indexer.build import open_index
from indexer.store.reading import collection_reader

from search.query.lexicon import DocCounts
from search.query.prepared import prepare, query_marks, query_stats
from search.query.suggest import KnownWords, suggest
from search.query.variants import NameVariants
from search.results import StoredArticle

# Below this many distinct articles a query is worth a "did you mean".
SUGGEST_BELOW = 3


class Lexicon:
    """What every archive offers; a subclass says where its reader and tables come from."""

    # Whether prepared queries carry the archive's statistics (several shards)
    # or are scored with the shard's own (one index).
    with_stats = True

    def tables(self):
        """(reader answering document frequencies from arrays, KnownWords,
        name variants' shared cache, generation) of this thread's state of the archive."""
        raise NotImplementedError

    def reader(self):
        """A reader of the whole archive's words and statistics."""
        return self.tables()[0]

    def names(self):
        """NameVariants over the archive, sharing what its generation has learnt."""
        reader, words, shared, _ = self.tables()

        def text_of(docnum):
            a = StoredArticle.from_stored(reader.stored_fields(docnum))
            return (a.title or "") + "\n" + (a.body or "")
        return NameVariants(reader, words.known, text_of, shared)

    def warm(self):
        """Read the archive's tables now, and start the name variants' sound table beside the first requests."""
        self.names().prepare_later()

    def prepare(self, options, deadline):
        """search.query.prepared.PreparedQuery of QueryOptions ``options``."""
        reader, _, _, generation = self.tables()
        prepared = prepare(options, reader, deadline, self.names() if options.variants else None)
        if self.with_stats:
            prepared.stats = query_stats(reader, [prepared.query], generation)
        return prepared

    def stats_for(self, queries):
        """The archive's QueryStats of Whoosh ``queries``, or None when a shard scores with its own."""
        if not self.with_stats:
            return None
        reader, _, _, generation = self.tables()
        return query_stats(reader, queries, generation)

    def suggestion(self, text, found, deadline=None):
        """Did-you-mean over the whole archive, for a query that found ``found`` articles."""
        reader, words, _, _ = self.tables()
        return suggest(text, reader, found=found, few=SUGGEST_BELOW, vocabulary=words, deadline=deadline)

    def marks(self, q):
        """The search.snippets.Matcher of query ``q``'s words for an article page, or None."""
        return query_marks(self.reader(), q)

    def close(self):
        pass


class OwnArchive(Lexicon):
    """The archive of a single index: its one shard, kept in this process, is the lexicon."""

    with_stats = False

    def __init__(self, shard):
        self.shard = shard
        self._variants = {}           # generation -> what name variants learnt of it
        self._lock = threading.Lock()

    def tables(self):
        g = self.shard.generation()
        generation = g.searcher.reader().generation()
        with self._lock:
            shared = self._variants.get(generation)
            if shared is None:
                shared = {}
                self._variants = {generation: shared}
        reader = g.words.counts.over(g.searcher.reader()) if g.words.counts is not None else g.searcher.reader()
        return reader, g.words, shared, (generation,)


class Archive(Lexicon):
    """Every shard of an index opened for its words and statistics; follows their commits.

    Safe to share between threads: each reads through readers of its own
    (Whoosh reads some files at a shared position), while the known words
    and what name variants learn are built once per state of the shards.
    """

    def __init__(self, dirs):
        self.dirs = list(dirs)
        self._ixs = [open_index(d) for d in self.dirs]
        self._lock = threading.Lock()
        self._local = threading.local()
        self._opened = []
        self._shared = {}             # generation -> (DocCounts, KnownWords, name variants' cache)
        self._reader()                # a shard that cannot be read fails here

    def close(self):
        with self._lock:
            for r in self._opened:
                r.close()
            self._opened.clear()
            self._shared.clear()
        self._local = threading.local()

    def _reader(self):
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

    def tables(self):
        """The reader answers document frequencies from arrays (search.query.lexicon): over N
        shards a Whoosh reader looks a word up in every segment of every shard, and a query
        asks for hundreds of words' frequencies."""
        reader = self._reader()
        generation = self._local.generation
        with self._lock:
            tables = self._shared.get(generation)
            if tables is None:
                counts = DocCounts(reader)        # read now, through this thread's reader
                words = KnownWords(reader, counts)
                words.hashes()
                tables = (counts, words, {})
                for old in sorted(self._shared)[:-1]:
                    del self._shared[old]
                self._shared[generation] = tables
        counts, words, variants = tables
        return counts.over(reader), words, variants, generation
