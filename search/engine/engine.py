"""Searching a sharded index: each shard searched where it is kept open, results merged here.

``ShardedSearcher`` answers as ``search.searcher.Searcher`` does (search,
article, similar, stats).  Each shard is a ``search.engine.shard.ShardSearcher``
kept open in a process of its own on this machine (``LocalShards``: one
single-worker process pool per shard, so one query keeps every core busy and
a slow shard delays only its own part) or by a Dask actor on a cluster
(``search.cluster.DaskShards``).  Every shard scores with the archive's
statistics, so merging is a sort: the keys of the best ``page * limit`` of
each shard, their totals and facet counts added up; the page's hits (stored
fields, snippets) are then made by the shards that hold them, and by no other.

A shard that does not answer (its process or worker died) leaves the
results partial, with ``missing`` naming it; it is opened again for the next
query.
"""
import itertools
import os
import threading
import time
from dataclasses import replace

from indexer.shards import shard_dirs

from search.engine.archive import Collection
from search.query.deadline import deadline_in, past
from search.results import SearchResults
from search.searcher import MAX_LIMIT, MAX_PAGE, SIMILAR_SHOWN, SORTS
from search.engine.shard import ShardSearcher, merge_facets
from search.query.syntax import QueryError

# How long the caller waits for a shard beyond the query's time limit (a
# first query loads the shard's tables).
ANSWER_GRACE = 120.0


class ShardFailed(Exception):
    """A shard did not answer; ``shard`` is its number."""

    def __init__(self, shard, reason):
        super().__init__("shard %d: %s" % (shard, reason))
        self.shard = shard
        self.reason = reason


# ---------------------------------------------------------------- shards in local processes

_OPEN = {}
OWNER_CHECK_SECONDS = 2.0


def _open_shard(dirs, number, time_limit, owner):
    _OPEN["shard"] = ShardSearcher(dirs, number, time_limit)
    threading.Thread(target=_exit_with, args=(owner,), daemon=True).start()


def _exit_with(owner):
    """End this shard process once the process it serves is gone (killed without closing it)."""
    while True:
        time.sleep(OWNER_CHECK_SECONDS)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def _call(method, args, kwargs):
    return getattr(_OPEN["shard"], method)(*args, **kwargs)


class LocalShards:
    """One worker process per shard, each keeping its shard open."""

    def __init__(self, dirs, time_limit=None):
        self.dirs = dirs
        self.time_limit = time_limit
        self._pools = [None] * len(dirs)
        self._lock = threading.Lock()

    def __len__(self):
        return len(self.dirs)

    def _pool(self, i):
        with self._lock:
            if self._pools[i] is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor
                methods = multiprocessing.get_all_start_methods()
                ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
                self._pools[i] = ProcessPoolExecutor(1, mp_context=ctx, initializer=_open_shard,
                                                     initargs=(self.dirs, i, self.time_limit, os.getpid()))
            return self._pools[i]

    def submit(self, i, method, *args, **kwargs):
        from concurrent.futures.process import BrokenProcessPool
        try:
            return self._pool(i).submit(_call, method, args, kwargs)
        except BrokenProcessPool as e:
            # The process died between two calls and its pool has noticed already.
            self._drop(i)
            raise ShardFailed(i, "%s: %s" % (type(e).__name__, e))

    def _drop(self, i):
        """Forget shard ``i``'s pool: the next call starts a new one."""
        with self._lock:
            pool, self._pools[i] = self._pools[i], None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def result(self, i, future, timeout):
        try:
            return future.result(timeout=timeout)
        except (QueryError, FileNotFoundError):
            raise
        except Exception as e:
            # A dead process breaks its pool: the next call starts a new one.
            self._drop(i)
            raise ShardFailed(i, "%s: %s" % (type(e).__name__, e))

    def close(self):
        with self._lock:
            pools, self._pools = self._pools, [None] * len(self.dirs)
        for pool in pools:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- merging

class ShardedSearcher:
    """A sharded index, searched shard by shard and merged; the Searcher's interface.

    A query is prepared once here against the whole archive (search.engine.archive):
    parsed, expanded, its name variants chosen and its statistics read; the
    shards receive it ready and only match, score and return their part.
    """

    def __init__(self, index_dir, shards=None, time_limit=None):
        from search.searcher import DEFAULT_TIME_LIMIT
        self.index_dir = index_dir
        self.time_limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
        dirs = shard_dirs(index_dir)
        self.collection = Collection(dirs)
        self._pages = itertools.count()
        self.shards = shards if shards is not None else LocalShards(dirs, time_limit)

    def close(self):
        self.shards.close()
        self.collection.close()

    def _all(self, method, *args, timeout=None, **kwargs):
        """(answer or None per shard, names of the shards that failed)."""
        timeout = (self.time_limit if timeout is None else timeout) + ANSWER_GRACE
        futures = []
        for i in range(len(self.shards)):
            try:
                futures.append(self.shards.submit(i, method, *args, **kwargs))
            except ShardFailed as e:
                futures.append(e)
        answers, missing = [], []
        for i, f in enumerate(futures):
            try:
                if isinstance(f, ShardFailed):
                    raise f
                answers.append(self.shards.result(i, f, timeout))
            except ShardFailed:
                answers.append(None)
                missing.append(shard_label(i))
        return answers, missing

    def warm(self):
        self.collection.warm()
        self._all("warm")

    def each(self, function, *args, wait=None, **kwargs):
        """[(shard number, answer)] of ``function(shard searcher, *args, **kwargs)`` run where each
        shard is kept open, and the names of the shards that did not answer; ShardsUnavailable
        when none did.  ``function`` must be importable by name (it travels to the shard)."""
        answers, missing = self._all("run", function, args, kwargs, timeout=wait)
        got = [(i, a) for i, a in enumerate(answers) if a is not None]
        if not got:
            raise ShardsUnavailable(missing)
        return got, missing

    def ask(self, i, function, *args, wait=None, **kwargs):
        """``function(shard searcher, *args, **kwargs)`` on shard ``i`` alone; ShardFailed if it does not answer."""
        timeout = (self.time_limit if wait is None else wait) + ANSWER_GRACE
        return self.shards.result(i, self.shards.submit(i, "run", function, args, kwargs), timeout)

    def search(self, text, page=1, limit=10, lang=None, source=None, date_from=None, date_to=None,
               sort="relevance", facets=True, suggestions=True, time_limit=None, variants=True,
               drop_variants=()):
        """As Searcher.search, over every shard; ``missing`` names shards that did not answer."""
        started = time.perf_counter()
        if sort not in SORTS:
            raise QueryError("sort must be one of %s" % ", ".join(SORTS))
        page = max(1, min(int(page), MAX_PAGE))
        limit = max(1, min(int(limit), MAX_LIMIT))
        wanted = page * limit
        self.collection.warm()      # loaded outside the limit, as in Searcher.search
        deadline = deadline_in(self.time_limit if time_limit is None else time_limit)
        prepared = self.collection.prepare(text, deadline, variants=variants, drop_variants=drop_variants,
                                           lang=lang, source=source, date_from=date_from, date_to=date_to)
        results = SearchResults(query=text, total=0, page=page, limit=limit, hits=[],
                                interpretation=prepared.interpretation, expansions=prepared.expansions)
        if prepared.query is None:
            results.seconds = time.perf_counter() - started
            return results
        left = max(0.0, deadline - time.perf_counter())
        keep = "%d-%d" % (os.getpid(), next(self._pages))
        answers, missing = self._all("page", prepared, wanted, sort=sort, time_limit=left, facets=facets,
                                     keep=keep, timeout=left)
        got = [a for a in answers if a is not None]
        if not got:
            raise ShardsUnavailable(missing)
        merged = sorted((key, a.shard, n, d, score) for a in got for n, (key, d, score) in enumerate(a.hits))
        results.hits = self._hits(keep, merged[(page - 1) * limit: wanted], missing)
        results.total = sum(a.total for a in got)
        results.facets = merge_facets([a.facets for a in got]) if facets else {}
        results.partial = any(a.partial for a in got) or prepared.cut or bool(missing)
        results.missing = missing
        if suggestions and prepared.tree is not None and not past(deadline):
            results.suggestion = self.collection.suggestion(text, results.total, deadline)
        results.seconds = time.perf_counter() - started
        return results

    def read_query(self, text, time_limit=None, deadline=None, variants=True, drop_variants=(), **filters):
        """Searcher.read_query over the whole archive: a query the research views match on every shard."""
        if deadline is None:
            deadline = deadline_in(self.time_limit if time_limit is None else time_limit)
        return self.collection.prepare(text, deadline, variants=variants, drop_variants=drop_variants, **filters)

    def _hits(self, keep, shown, missing):
        """The Hits of the merged page ``shown`` [(key, shard, n, docnum, score)], each made by its
        shard; a shard that fails now joins ``missing`` and its hits are left out."""
        wanted = {}
        for _, i, _, d, score in shown:
            wanted.setdefault(i, []).append((d, score))
        futures = {}
        for i, chosen in wanted.items():
            try:
                futures[i] = self.shards.submit(i, "hits", keep, chosen)
            except ShardFailed:
                pass
        made = {}
        for i in wanted:
            try:
                hits = self.shards.result(i, futures[i], self.time_limit + ANSWER_GRACE) if i in futures else None
            except ShardFailed:
                hits = None
            if hits is None:
                missing.append(shard_label(i))
            else:
                made[i] = iter(hits)
        return [next(made[i]) for _, i, _, _, _ in shown if i in made]

    def _locate(self, article_id, marks=None):
        answers, missing = self._all("find", article_id, marks)
        for a in answers:
            if a is not None:
                return a, missing
        return None, missing

    def article(self, article_id, q="", similar=SIMILAR_SHOWN):
        """As Searcher.article; the neighbours are the whole archive's."""
        found, _ = self._locate(article_id, self.collection.marks(q))
        if found is None:
            return None
        return replace(found.page, similar=self._neighbours(found, similar))

    def similar(self, article_id, limit=10):
        found, _ = self._locate(article_id)
        if found is None:
            return None
        return self._neighbours(found, limit)

    def _neighbours(self, found, limit):
        if limit <= 0:
            return []
        q, stats = self.collection.similar(found.fields)
        if q is None:
            return []
        answers, _ = self._all("neighbours", q, stats, found.dupkey, limit)
        scored = sorted(((-score, n, i, hit) for i, a in enumerate(answers) if a
                         for n, (score, hit) in enumerate(a)), key=lambda t: t[:3])
        return [t[3] for t in scored[:limit]]

    def stats(self):
        """Searcher.stats over all shards, with ``shards``: each one's articles, size and folder."""
        answers, missing = self._all("shard_stats")
        langs, sources, shards = {}, {}, []
        for a in answers:
            if a is None:
                continue
            for k, v in a["languages"].items():
                langs[k] = langs.get(k, 0) + v
            for k, v in a["sources"].items():
                sources[k] = sources.get(k, 0) + v
            shards.append({"shard": a["shard"], "articles": a["articles"], "bytes": a["bytes"],
                           "path": a["path"]})
        return {"articles": sum(s["articles"] for s in shards), "languages": langs,
                "sources": dict(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
                "shards": shards, "missing": missing}


class ShardsUnavailable(Exception):
    """No shard answered."""

    def __init__(self, missing):
        super().__init__("no shard of the index answered (%s)" % ", ".join(missing))
        self.missing = missing


def shard_label(i):
    return "shard-%d" % i


def over_shards(searcher, function, *args, wait=None, **kwargs):
    """``ShardedSearcher.each`` for any searcher: a one-index Searcher is its own only shard.

    The research views (timeline, concordance, forms, exports) compute their
    part of an answer with ``function`` next to each shard's articles and
    merge the parts on the caller.
    """
    if isinstance(searcher, ShardedSearcher):
        return searcher.each(function, *args, wait=wait, **kwargs)
    return [(0, function(searcher, *args, **kwargs))], []


def open_searcher(index_dir, cluster=None):
    """A Searcher for ``index_dir``: sharded or single, local or through a Dask scheduler.

    ``cluster`` defaults to ``$AKHBAR_CLUSTER``.
    """
    from indexer.shards import is_sharded
    from search.searcher import Searcher
    cluster = cluster if cluster is not None else os.environ.get("AKHBAR_CLUSTER") or None
    if not is_sharded(index_dir) and not cluster:
        return Searcher(index_dir)
    if not is_sharded(index_dir):
        if not os.path.exists(index_dir):
            raise FileNotFoundError("no akhbar index in %s" % index_dir)
        from indexer.shards import ShardLayoutError
        raise ShardLayoutError("%s is a single index; --cluster searches sharded ones "
                               "(akhbar index PATH --shards N --rebuild)" % index_dir)
    dirs = shard_dirs(index_dir)
    for d in dirs:
        from indexer.schema import check_meta
        check_meta(d)
    if cluster:
        from search.cluster import DaskShards
        return ShardedSearcher(index_dir, shards=DaskShards(cluster, dirs))
    return ShardedSearcher(index_dir)
