"""Building and updating the index from archive files: one build for a single index and for N shards.

An update compares each file's modification time and size with what the
index recorded (``indexer.discovery``): unchanged files are not read again,
changed ones are re-read (their old articles deleted in the same commit as
the new ones are added), and articles of files that no longer exist are
removed.  A single index is the one-shard case of the same build.

Safety comes from three rules:

- One writer at a time (``indexer.lock``).
- A fresh build or ``--rebuild`` is written into a sibling folder and swapped
  in only when complete (``indexer.target``), so searches see the previous
  index until then, and a failed or interrupted rebuild leaves it untouched.
  The next run picks the sibling up where it stopped.
- Work is committed in batches (``indexer.commit``), so an interrupted run
  keeps what it finished and the next run, seeing those files unchanged,
  completes the rest.

The files to read are cut into batches; a batch task reads, analyses and
files each into segments of their shards (``indexer.batch``), where a
transport runs it (``transport``): in this process for one worker, in local
worker processes, or on a Dask cluster.  This process commits each finished
batch.  When the build fails or is interrupted the batches still running stop
before their next file (``indexer.workers``); worker processes die with the
build however it ends.
"""
import os
from array import array
from dataclasses import dataclass, field
from typing import Dict, List

from transport.inprocess import InProcess
from transport.processes import LocalProcesses

from .batch import batches_of
from .commit import Shards
from .discovery import discover, file_signature, files_to_read, still_exists
from .ids import id_hashes
from .lock import IndexLock, IndexLocked, lock_path, takeover_path
from .schema import IndexVersionError, check_meta
from .store.reading import index_exists, open_for_search
from .store.segments import remove_private_folders
from .target import NotAnIndex, choose_target, staging_dir, swap_in
from .workers import RunningBatches

__all__ = ["BuildSummary", "IndexLocked", "IndexVersionError", "NotAnIndex", "build_index",
           "discover", "file_signature", "open_index", "staging_dir"]

LOCK_WAIT_SECONDS = 5.0
COMMIT_EVERY = 10000          # articles per segment and commit: bounds a worker's memory, keeps work if interrupted


@dataclass
class BuildSummary:
    """What a build did, for the summary line and for scripts."""
    files_seen: int = 0
    files_indexed: int = 0
    files_unchanged: int = 0
    files_skipped: int = 0
    records_skipped: int = 0     # bad lines or records inside files that were otherwise read
    added: int = 0
    updated: int = 0
    removed: int = 0
    duplicates: int = 0          # articles merged into another with the same text, whole index
    duplicates_new: int = 0      # change in that number during this run
    articles: int = 0            # articles in the index after the run
    bytes_read: int = 0
    rebuilt: bool = False        # written into a sibling directory and swapped in
    resumed: bool = False        # continued an interrupted fresh build
    workers: int = 1
    problems: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)    # worth saying, nothing lost
    shared_ids: Dict[str, List[str]] = field(default_factory=dict)   # id -> files, among this run's articles


def open_index(index_dir):
    """The index in ``index_dir`` for reading; checks it was built by this analysis."""
    if not index_exists(index_dir):
        raise FileNotFoundError("no akhbar index in %s" % index_dir)
    check_meta(index_dir)
    return open_for_search(index_dir)


def default_workers():
    """Worker processes reading and filing files: one per core (the committing process mostly waits)."""
    return max(1, os.cpu_count() or 1)


def build_index(paths, index_dir, rebuild=False, field_map=None, on_file=None, on_start=None, workers=None,
                commit_every=COMMIT_EVERY, lock_wait=LOCK_WAIT_SECONDS, shards=None, transport=None):
    """Build or update the index in ``index_dir`` from ``paths``; returns a BuildSummary.

    ``shards`` is the shard count of a new index or a rebuild (an existing
    index keeps its own; one shard is a single index).  The batch tasks run
    on ``transport`` (``transport.Transport``; by default this process for
    one worker, else ``workers`` local processes, one per core).
    ``on_start(files_to_read, bytes_to_read)`` is called once the work is
    known, ``on_file(relpath, articles, size)`` after each file read.
    """
    index_dir = os.path.normpath(os.path.abspath(index_dir))
    summary = BuildSummary(workers=workers or default_workers())
    if transport is None:
        transport = InProcess() if summary.workers <= 1 else LocalProcesses(summary.workers)
    with IndexLock(index_dir, wait=lock_wait) as lock:
        if lock.took_over:
            h = lock.took_over
            summary.notes.append("took over the index lock from pid %s on %s (started %s), which is no longer "
                                 "running" % (h.get("pid"), h.get("host"), h.get("started", "?")))
        target = choose_target(index_dir, shards, rebuild, summary)
        _update(target, index_dir, paths, summary, transport, field_map=field_map, on_file=on_file,
                on_start=on_start, commit_every=commit_every, lock_wait=lock_wait)
        if target.folder != index_dir:
            swap_in(target, index_dir)
    return summary


def _update(target, index_dir, paths, summary, transport, *, field_map, on_file, on_start, commit_every,
            lock_wait):
    for folder in {target.folder, *target.shards}:
        remove_private_folders(folder)
    shards = Shards(target.folder, target.shards, lock_wait)
    live, holders, dups_before, articles_before = shards.holdings()
    for f in shards.pending:
        live[f] = None                  # committed to some shards only: read it again
    skip = (index_dir, staging_dir(index_dir), lock_path(index_dir), takeover_path(index_dir), index_dir + ".old")
    todo, seen = files_to_read(paths, live, summary, skip=skip)
    # A rebuild holds exactly the files given; an update keeps what other
    # folders contributed, as long as those files still exist.
    rebuilding = target.folder != index_dir
    gone = [f for f in holders if f not in seen and (rebuilding or not still_exists(f))]
    if on_start:
        on_start(len(todo), sum(t.size for t in todo))

    new_ids = array("Q")       # hashes of this run's ids (indexer.ids): 8 bytes an article
    batches = batches_of(todo, len(target.shards), summary.workers, commit_every)
    results = RunningBatches(transport, [(batch, target.shards, field_map, commit_every) for batch in batches],
                             target.folder)
    try:
        for result in results:
            for outcome in result.outcomes:
                _count(summary, outcome)
                new_ids.frombytes(id_hashes(outcome.ids).tobytes())
                if on_file:
                    on_file(outcome.task.rel, outcome.articles, outcome.task.size)
            deleted = shards.commit_batch(result, holders)
            # Deletions and additions are counted by file: an edited article may move to another shard.
            summary.removed += sum(max(0, deleted[o.task.file] - o.articles) for o in result.outcomes)
    finally:
        results.stop()
        for folder in target.shards:
            remove_private_folders(folder)
    if gone or todo:
        # Last commit of the run: deletions of files that are gone, and the
        # merge of small segments that many small updates leave behind.
        summary.removed += sum(shards.finish(gone, holders).values())
        summary.duplicates, summary.articles = shards.counts()
        summary.shared_ids = shards.shared_ids(new_ids)
    else:
        # Nothing was written: the counts taken at the start still hold.
        summary.duplicates, summary.articles = dups_before, articles_before
    summary.duplicates_new = summary.duplicates - dups_before


def _count(summary, outcome):
    task, n_docs, error, problems = outcome.task, outcome.articles, outcome.error, outcome.problems
    summary.problems.extend(problems)
    if error is not None:
        summary.files_skipped += 1
        summary.problems.append("%s: %s" % (task.rel, error))
        return
    summary.records_skipped += len(problems)
    summary.files_indexed += 1
    summary.bytes_read += task.size
    if task.replacing:
        summary.updated += n_docs
    else:
        summary.added += n_docs
