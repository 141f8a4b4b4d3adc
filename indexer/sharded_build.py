"""Building and updating a sharded index (``akhbar index --shards N``).

Work is cut into batches of files.  A batch task reads and analyses its files
(``indexer.parallel.prepare_file``), sends each article to its shard
(``indexer.shards.shard_of``) and files each shard's articles into a segment
written in a private folder inside that shard, as the single-index workers do.
The tasks run in local worker processes or, with ``--cluster``, as Dask tasks
on the workers (``indexer.dask_cluster``): the same function either way.

This process commits: each finished batch's segments go into their shards,
shard by shard, together with the deletion of the older versions of the
batch's files from the shards that held them.  Only results that reached this
process are committed, and each once, so a task that died and was run again
elsewhere adds its articles exactly once.

Safety is that of the single index, shard by shard: one writer (the lock on
the whole index), a fresh build or ``--rebuild`` written into a staging
sibling and swapped in whole, commits in batches.  Between the commits of one
batch's shards the batch's files are listed in ``pending.json``: a run that
was killed there reads them again on the next run.
"""
import json
import os
import shutil
from collections import Counter, defaultdict

from whoosh import index as whoosh_index

from .build import (BuildSummary, NotAnIndex, _commit, _count, _create, _exists,
                    default_workers, files_to_read, replace_dir, staging_dir)
from .holdings import index_state
from .lock import IndexLock
from .parallel import FileOutcome, SegmentBuilder, prepare_file, remove_worker_dirs
from .schema import check_meta, make_schema
from .store.reading import index_exists, latest_generation
from .shards import ShardLayoutError, is_sharded, shard_count, shard_dirs, shard_of, write_manifest

PENDING = "pending.json"
# A batch task's share of the archive, per shard: each batch leaves one
# segment in every shard, so a batch must grow with the shard count for those
# segments to stay as large as a single index's.  Small ones are merged by the
# last commit, which rewrites them: on ANT in 4 shards, batches of 2,000 files
# left 16 small segments per shard and the build took twice as long as one
# index's (bench/RESULTS.md).
BATCH_BYTES = 16 * 1024 * 1024
BATCH_FILES = 2000


def shard_batch(tasks, dirs, field_map):
    """Read, analyse and file ``tasks`` into one new segment per shard (a batch task).

    Returns (outcome per file, [[(segment, its file paths)...] per shard],
    [{file: articles} per shard]).  A shard's segment fills up at the
    SegmentBuilder's bound on term occurrences (long articles, one large
    file), so a shard may have several.
    """
    schema = make_schema()
    builders = [None] * len(dirs)
    segments = [[] for _ in dirs]
    counts = [Counter() for _ in dirs]
    outcomes = []
    try:
        for task in tasks:
            task, docs, error, problems = prepare_file(task, field_map)
            outcomes.append(FileOutcome(task, len(docs), error, problems, [d["id"] for d in docs]))
            routed = defaultdict(list)
            for doc in docs:
                routed[shard_of(doc["dupkey"], len(dirs))].append(doc)
            for i, mine in routed.items():
                if builders[i] is None:
                    builders[i] = SegmentBuilder(dirs[i], schema, field_map, limit=1 << 62)
                builders[i].prepare = lambda t, _m, mine=mine: (t, mine, None, [])
                segments[i].extend(builders[i].add_files([task])[1])
                counts[i][task.file] += len(mine)
        for i, b in enumerate(builders):
            if b is not None:
                segments[i].append(b.flush())
        segments = [[seg[:2] for seg in mine if seg and seg[0] is not None] for mine in segments]
        return outcomes, segments, [dict(c) for c in counts]
    finally:
        for b in builders:
            if b is not None:
                b.close(remove=False)     # the committing process moves the segment out first


class LocalRunner:
    """Batch tasks in worker processes of this machine (or in this process for one worker)."""

    def __init__(self, workers):
        self.workers = workers
        self.pool = None

    def run(self, fn, batches):
        """Yield ``fn(*args)`` for each ``args`` of ``batches`` as they finish."""
        if self.workers <= 1 or len(batches) < 2:
            for args in batches:
                yield fn(*args)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(min(self.workers, len(batches)), mp_context=ctx) as pool:
            futures = [pool.submit(fn, *args) for args in batches]
            try:
                for f in as_completed(futures):
                    yield f.result()
            finally:
                for f in futures:
                    f.cancel()


def build_sharded(paths, index_dir, shards=None, rebuild=False, field_map=None, on_file=None, on_start=None,
                  workers=None, lock_wait=5.0, runner=None):
    """Build or update the sharded index in ``index_dir``; returns a build.BuildSummary.

    ``shards`` is the shard count of a new index (an existing one keeps its
    own); ``runner`` runs the batch tasks (LocalRunner by default, or a
    Dask one from indexer.dask_cluster).
    """
    index_dir = os.path.normpath(os.path.abspath(index_dir))
    summary = BuildSummary(workers=workers or default_workers())
    runner = runner or LocalRunner(summary.workers)
    with IndexLock(index_dir, wait=lock_wait):
        target, n = _choose_target(index_dir, shards, rebuild, summary)
        _update(target, index_dir, n, paths, summary, field_map, on_file, on_start, lock_wait, runner)
        if target != index_dir:
            _swap_in(target, index_dir, n)
    return summary


def _create_sharded(path, n):
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    for d in shard_dirs(path, n):
        _create(d)
    write_manifest(path, n)


def _choose_target(index_dir, shards, rebuild, summary):
    """(folder this run writes into, shard count)."""
    staging = staging_dir(index_dir)
    exists = os.path.isdir(index_dir) and os.listdir(index_dir)
    if exists and not is_sharded(index_dir):
        if index_exists(index_dir) and not rebuild:
            raise ShardLayoutError(
                "%s is a single index; to split it into shards (which --cluster builds), rebuild it "
                "with --rebuild --shards N" % index_dir)
        if not index_exists(index_dir):
            raise NotAnIndex("%s exists and is not an akhbar index" % index_dir)
    if is_sharded(index_dir) and not rebuild:
        n = shard_count(index_dir)
        if shards not in (None, n):
            raise ShardLayoutError("%s has %d shards; to change to %d, rebuild it (--rebuild)" % (
                index_dir, n, shards))
    if os.path.isdir(staging) and is_sharded(staging):
        try:
            n = shard_count(staging)
            if shards in (None, n) and all(_usable(d) for d in shard_dirs(staging, n)):
                summary.rebuilt = summary.resumed = True
                return staging, n
        except ShardLayoutError:
            pass
    if rebuild or not is_sharded(index_dir):
        n = shards or (shard_count(index_dir) if is_sharded(index_dir) else 1)
        _create_sharded(staging, n)
        summary.rebuilt = True
        return staging, n
    n = shard_count(index_dir)
    for d in shard_dirs(index_dir, n):
        check_meta(d)
    return index_dir, n


def _usable(shard):
    try:
        check_meta(shard)
    except Exception:
        return False
    return index_exists(shard)


def _swap_in(staging, index_dir, n):
    """Put a finished staged build in place of ``index_dir`` in one step."""
    if not os.path.exists(index_dir):
        os.rename(staging, index_dir)
        return
    # Open searchers notice a shard has changed by its generation number.
    old = shard_dirs(index_dir) if is_sharded(index_dir) else []
    for i, d in enumerate(shard_dirs(staging, n)):
        live = latest_generation(old[i]) if i < len(old) and os.path.isdir(old[i]) else -1
        new_ix = whoosh_index.open_dir(d)
        if new_ix.latest_generation() == live:
            new_ix.writer().commit()
    replace_dir(staging, index_dir)


def _read_pending(target):
    try:
        with open(os.path.join(target, PENDING), encoding="utf-8") as f:
            return set(json.load(f))
    except (OSError, ValueError):
        return set()


def _write_pending(target, files):
    tmp = os.path.join(target, PENDING + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(sorted(files), f)
    os.replace(tmp, os.path.join(target, PENDING))


def _batches(todo, dirs, field_map):
    out, cur, size = [], [], 0
    for task in todo:
        cur.append(task)
        size += task.size
        if size >= BATCH_BYTES * len(dirs) or len(cur) >= BATCH_FILES * len(dirs):
            out.append((cur, dirs, field_map))
            cur, size = [], 0
    if cur:
        out.append((cur, dirs, field_map))
    return out


def _update(target, index_dir, n, paths, summary, field_map, on_file, on_start, lock_wait, runner):
    dirs = shard_dirs(target, n)
    for d in dirs:
        remove_worker_dirs(d)
    ixs = [whoosh_index.open_dir(d) for d in dirs]
    live, holders, dups_before, articles_before = {}, defaultdict(set), 0, 0
    for i, ix in enumerate(ixs):
        files, dups, count = index_state(ix)
        dups_before += dups
        articles_before += count
        for f, sig in files.items():
            # Shards that disagree about a file were caught between two commits.
            live[f] = sig if live.get(f, sig) == sig else None
            holders[f].add(i)
    for f in _read_pending(target):
        live[f] = None                  # committed to some shards only: read it again
    todo, seen = files_to_read(paths, index_dir, live, summary)
    rebuilding = target != index_dir
    gone = [f for f in holders if f not in seen and (rebuilding or not _exists(f))]
    if on_start:
        on_start(len(todo), sum(t.size for t in todo))

    for outcomes, segments, counts in runner.run(shard_batch, _batches(todo, dirs, field_map)):
        files = [o.task.file for o in outcomes]
        for outcome in outcomes:
            _count(summary, outcome)
            if on_file:
                on_file(outcome.task.rel, outcome.articles, outcome.task.size)
        _write_pending(target, files)
        deleted = Counter()
        for i, ix in enumerate(ixs):
            mine = {f: 0 for f in files if i in holders.get(f, ())}
            if not segments[i] and not mine:
                continue
            scratch = BuildSummary()
            # The older versions go with the first commit; the shard's further segments follow.
            for seg, seg_paths in segments[i] or [(None, [])]:
                _commit(ix, dirs[i], seg, seg_paths, mine, scratch, lock_wait)
                mine = {}
            deleted[i] = scratch.removed
        summary.removed += _removed(files, holders, ixs, counts, deleted)
        os.remove(os.path.join(target, PENDING))
    if gone or todo:
        for i, ix in enumerate(ixs):
            scratch = BuildSummary()
            _commit(ix, dirs[i], None, [], {f: 0 for f in gone if i in holders[f]}, scratch, lock_wait,
                    merge=True)
            summary.removed += scratch.removed
        for d in dirs:
            remove_worker_dirs(d)
        summary.duplicates = summary.articles = 0
        for d in dirs:
            _, dups, count = index_state(whoosh_index.open_dir(d), files=False)
            summary.duplicates += dups
            summary.articles += count
    else:
        summary.duplicates, summary.articles = dups_before, articles_before
    summary.duplicates_new = summary.duplicates - dups_before


def _removed(files, holders, ixs, counts, deleted):
    """Articles of re-read files that are no longer there (old count minus new, per file).

    Deletions are counted per shard, and an edited article may move to
    another shard, so the count is made over the batch as a whole.
    """
    old = sum(deleted.values())
    new = sum(c.get(f, 0) for c in counts for f in files if f in holders)
    return max(0, old - new)
