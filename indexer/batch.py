"""The batch task: a batch of archive files read, analysed and filed into new segments of the shards.

A build cuts the files to read into batches (``batches_of``) and runs one
``file_batch`` per batch through a transport (``transport``): in this
process, in local worker processes or as Dask tasks on a cluster, the same
function every time.  A batch task reads and analyses its files
(``indexer.prepare``), sends each article to its shard (``indexer.shards.shard_of``;
a single index is one shard) and files each shard's articles into a segment
of its own, written in a private folder inside that shard
(``indexer.store.segments.NewSegment``).  It hands back what became of each
file and the finished segments; the committing process commits them
(``indexer.commit``).  Nothing travels between processes but file names,
counts and finished segments, and every worker does the whole job on its
share of the files.

What a worker holds: the segments in progress, at most ``limit`` articles
(``--commit-every``) in each shard's and ``SEGMENT_TERMS`` term occurrences in
all of them together, whatever the shard count (a segment that passes either
bound is finished and the next begins); caches of fixed entry counts; the
file being read.
"""
import math
import os
from collections import defaultdict
from typing import NamedTuple

from .documents import UnreadableFile, read_file
from .prepare import article_document, renew_vocabulary
from .shards import shard_of
from .store.segments import NewSegment

# Term occurrences a worker's segments in progress hold at most (about 700 an
# article of ANT, a 1 MB article 150,000): with the article limit, what bounds
# a worker's memory whatever the size of the articles or of the archive.
SEGMENT_TERMS = 12_000_000

# A batch's bytes for each shard: a batch leaves a segment in every shard, and
# segments of fewer than 2,000 articles are rewritten by the last commit's
# merge (on ANT in 4 shards, batches of 2,000 files left 16 small segments per
# shard and the build took twice as long as one index's: bench/RESULTS.md).
# 48 MiB is about 14,000 articles of ANT (3.5 KB each).
SHARD_BYTES = 48 << 20
# Work smaller than this is one batch, run in the committing process.
SPLIT_BYTES = 4 << 20


class FileOutcome(NamedTuple):
    """What became of one ``indexer.discovery.FileTask``."""
    task: object
    articles: int
    error: object      # why the file was skipped, or None
    problems: list     # bad parts of a file otherwise read
    ids: list          # ids of its articles


class BatchResult(NamedTuple):
    """What one batch task hands back to the committing process."""
    outcomes: list     # FileOutcome per file, in the batch's order
    segments: list     # per shard, the finished ``(segment, its files)``, in the order they were filed
    folders: list      # the private folders holding them, to remove once committed


def prepare_file(task, field_map):
    """(task, documents of ``indexer.prepare``, error or None, problems inside the file) of one file."""
    problems = []
    try:
        articles = read_file(task.path, task.rel, field_map=field_map, problems=problems)
        return task, [article_document(a, task.file, task.sig) for a in articles], None, problems
    except UnreadableFile as e:
        return task, [], str(e), problems
    except (RecursionError, MemoryError, ValueError, TypeError) as e:
        # Pathological input (JSON nested thousands deep, ...) is bad input too.
        return task, [], "could not be read (%s: %s)" % (type(e).__name__, str(e)[:200]), problems


class ShardSegments:
    """Documents filed into a segment in progress in each shard of ``folders``.

    A shard's segment is finished when it holds ``limit`` articles; when all
    of them together hold ``SEGMENT_TERMS`` term occurrences, the largest is.
    Both are checked after each file, so a file's articles stay together.
    """

    def __init__(self, folders, limit):
        self.folders = folders
        self.limit = limit
        self.open = [None] * len(folders)
        self.finished = [[] for _ in folders]

    def add(self, docs):
        """File one source file's documents."""
        n = len(self.folders)
        routed = defaultdict(list)
        for doc in docs:
            routed[shard_of(doc["dupkey"], n)].append(doc)
        for i, mine in routed.items():
            if self.open[i] is None:
                self.open[i] = NewSegment(self.folders[i])
            for doc in mine:
                self.open[i].add(doc)
        for i, segment in enumerate(self.open):
            if segment is not None and segment.articles >= self.limit:
                self.finish(i)
        while self.terms() >= SEGMENT_TERMS:
            self.finish(max(range(n), key=lambda i: self.open[i].terms if self.open[i] else -1))

    def terms(self):
        return sum(s.terms for s in self.open if s is not None)

    def finish(self, i=None):
        """Finish shard ``i``'s segment in progress (every shard's without ``i``)."""
        for j in range(len(self.open)) if i is None else [i]:
            if self.open[j] is not None:
                done = self.open[j].finish()
                if done is not None:
                    self.finished[j].append(done)
        # No pool uses the vocabulary once its segment is written: a full one can go.
        renew_vocabulary()

    def folders_used(self):
        return [s.folder for s in self.open if s is not None]

    def cancel(self):
        for s in self.open:
            if s is not None:
                s.cancel()


class BatchStopped(Exception):
    """The build stopped wanting this batch (it failed or was interrupted)."""


def file_batch(tasks, folders, field_map, limit, go_on=None):
    """Read, analyse and file the files ``tasks`` into new segments of the shards in ``folders``
    (the batch task); returns a BatchResult.  ``limit``: articles a shard's segment holds at most.

    ``go_on`` is a file that exists while the build wants its batches
    (``indexer.workers``): without it the batch stops before its next file,
    and a batch that fails removes it, so that the others stop too.
    """
    segments = ShardSegments(folders, limit)
    outcomes = []
    try:
        for task in tasks:
            if go_on is not None and not os.path.exists(go_on):
                raise BatchStopped(go_on)
            task, docs, error, problems = prepare_file(task, field_map)
            outcomes.append(FileOutcome(task, len(docs), error, problems, [d["id"] for d in docs]))
            segments.add(docs)
        segments.finish()
    except BaseException as e:
        segments.cancel()
        if go_on is not None and not isinstance(e, BatchStopped):
            try:
                os.remove(go_on)
            except OSError:
                pass
        raise
    return BatchResult(outcomes, segments.finished, segments.folders_used())


def batches_of(todo, shards, workers, commit_every):
    """``todo`` (FileTasks) cut into batches of consecutive files for ``file_batch``.

    A batch holds about ``SHARD_BYTES`` for each shard, so its segments are
    large, and at most ``commit_every`` files for each shard, so an
    interrupted build keeps its work about every ``commit_every`` articles
    of a shard.  The count is then made a multiple of ``workers`` and the
    batches even (by bytes, or by files where their count decides), so the
    workers end together: a worker that takes the last batch alone (ANT in
    4 shards, in batches of 64 MiB: 64, 64 and 30) leaves the others idle
    meanwhile.
    """
    if not todo:
        return []
    total = sum(t.size for t in todo)
    most = commit_every * shards
    by_bytes, by_files = math.ceil(total / (SHARD_BYTES * shards)), math.ceil(len(todo) / most)
    count = max(by_bytes, by_files)
    if count > 1 or total >= SPLIT_BYTES:
        count = math.ceil(count / workers) * workers
    count = min(count, len(todo))
    if by_files > by_bytes or not total:
        per_batch = math.ceil(len(todo) / count)
        return [todo[i:i + per_batch] for i in range(0, len(todo), per_batch)]
    per_batch = total / count
    batches, current, size, cut = [], [], 0, per_batch
    for task in todo:
        # A file goes where its first byte falls; the cuts are ``per_batch``
        # apart (past a file larger than that, at the next one after it).
        if current and (size >= cut or len(current) >= most):
            batches.append(current)
            current = []
            cut = max(cut, (size // per_batch + 1) * per_batch)
        current.append(task)
        size += task.size
    batches.append(current)
    return batches
