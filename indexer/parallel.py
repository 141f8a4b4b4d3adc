"""Reading, analysing and filing articles into index segments, in worker processes.

Each worker takes batches of files, reads and analyses them
(``indexer.prepare``) and files the postings into a Whoosh segment of its
own, written in a private folder inside the index (``.w-*``: Whoosh leaves
dot-names alone when it cleans up).  When a segment holds enough articles the
worker finishes it and hands it to the writing process, which moves its file
into the index and commits it, together with the deletion of the older
versions of the same files, in one new generation.  Nothing travels between
processes but file names, counts and finished segments, and every core does
the whole job on its share of the files.

Workers die with the writing process, however it ends (Ctrl-C, ``kill``,
``kill -9``, the out-of-memory killer): on Linux the kernel kills them
(``PR_SET_PDEATHSIG``); elsewhere each notices within a second that its
parent is gone.  An orphan would otherwise wait forever on a pipe nobody
reads.
"""
import ctypes
import os
import queue
import shutil
import signal
import tempfile
import traceback
from typing import NamedTuple

from whoosh import index as whoosh_index

from .documents import UnreadableFile, read_file
from .prepare import article_document, renew_vocabulary
from .store.writer import add_prepared, finish_segment, segment_writer

WORKER_DIR_PREFIX = ".w-"


class FileTask(NamedTuple):
    """One archive file to read, as the writing process hands it to a worker."""
    path: str          # where to open it (may hold bytes that are not UTF-8)
    file: str          # its name in the index: ``path`` with undecodable bytes written \\xNN
    rel: str           # the same, relative to the folder given: shown to users, the article id
    sig: str           # modification time and size, to see later whether it changed
    size: int
    replacing: bool    # an older version of the file is in the index


class FileOutcome(NamedTuple):
    """What became of one FileTask."""
    task: FileTask
    articles: int
    error: object      # why the file was skipped, or None
    problems: list     # bad parts of a file otherwise read
    ids: list          # ids of its articles


def prepare_file(task, field_map):
    """(task, Whoosh documents, error or None, problems inside the file) of one file."""
    problems = []
    try:
        articles = read_file(task.path, task.rel, field_map=field_map, problems=problems)
        return task, [article_document(a, task.file, task.sig) for a in articles], None, problems
    except UnreadableFile as e:
        return task, [], str(e), problems
    except (RecursionError, MemoryError, ValueError, TypeError) as e:
        # Pathological input (JSON nested thousands deep, ...) is bad input too.
        return task, [], "could not be read (%s: %s)" % (type(e).__name__, str(e)[:200]), problems


# Term occurrences one segment's pool holds at most (about 700 an article of
# ANT, a 1 MB article 150,000): with the article limit, what bounds a
# worker's memory whatever the size of the articles or of the archive.
SEGMENT_TERMS = 12_000_000


class SegmentBuilder:
    """Files prepared articles into segments of at most ``limit`` articles
    (or ``SEGMENT_TERMS`` term occurrences, the file that passes it included).

    ``add_files`` returns what became of each file, and the segments that
    filled up meanwhile: ``(segment, its file paths, the source files it covers)``.
    """

    def __init__(self, target, schema, field_map, limit, prepare=None):
        self.dir = tempfile.mkdtemp(prefix=WORKER_DIR_PREFIX, dir=target)
        self.ix = whoosh_index.create_in(self.dir, schema)
        self.field_map = field_map
        self.limit = limit
        self.prepare = prepare or prepare_file
        self.writer = None
        self.count = 0
        self.covered = []

    def add_files(self, tasks):
        """Read and file ``tasks``; returns (outcome per file, segments finished meanwhile)."""
        outcomes, segments = [], []
        for task in tasks:
            task, docs, error, problems = self.prepare(task, self.field_map)
            if docs:
                if self.writer is None:
                    self.writer = segment_writer(self.ix, timeout=0)
                for doc in docs:
                    add_prepared(self.writer, doc)
            self.count += len(docs)
            self.covered.append(task.file)
            outcomes.append(FileOutcome(task, len(docs), error, problems, [d["id"] for d in docs]))
            if self.count >= self.limit or (self.writer is not None and self.writer.pool.count >= SEGMENT_TERMS):
                segments.append(self.flush())
        return outcomes, segments

    def flush(self):
        """The segment filed so far (None when nothing is pending)."""
        if not self.covered:
            return None
        covered, self.covered, self.count = self.covered, [], 0
        writer, self.writer = self.writer, None
        if writer is None:
            return None, [], covered
        segment, paths = finish_segment(writer, self.dir)
        renew_vocabulary()
        return segment, paths, covered

    def close(self, remove=True):
        """Drop unfinished work; ``remove`` the private folder too (not while the
        writing process may still be moving a finished segment out of it)."""
        if self.writer is not None:
            self.writer.cancel()
            self.writer = None
        if remove:
            shutil.rmtree(self.dir, ignore_errors=True)


def remove_worker_dirs(target):
    """Private folders left by workers of a build that was killed."""
    for name in os.listdir(target):
        if name.startswith(WORKER_DIR_PREFIX):
            shutil.rmtree(os.path.join(target, name), ignore_errors=True)


PARENT_CHECK_SECONDS = 1.0


def _die_with_parent(parent):
    """Ask the kernel to kill this process when ``parent`` dies (Linux only)."""
    try:
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass     # not Linux: the worker's loop watches its parent instead
    if os.getppid() != parent:
        os._exit(1)      # the parent died before the request took effect


def _next_chunk(tasks, parent):
    """The next chunk of tasks; None at the end or when the parent is gone."""
    while True:
        try:
            return tasks.get(timeout=PARENT_CHECK_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                return None


def _worker_main(parent, target, schema, field_map, limit, tasks, results):
    # Ctrl-C is the writing process's to handle; it terminates the workers,
    # which then simply end (not through a handler inherited from it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    builder = None
    try:
        builder = SegmentBuilder(target, schema, field_map, limit)
        while True:
            chunk = _next_chunk(tasks, parent)
            if chunk is None:
                break
            for task in chunk:
                # File by file, so segments finished before a failure still count.
                results.put(("files",) + builder.add_files([task]))
        if os.getppid() != parent:
            results.cancel_join_thread()     # nobody reads the pipe: do not wait on it
            return
        results.put(("files", [], [builder.flush()]))
        results.put(("done", None, None))
    except OSError as e:
        results.put(("oserror", (e.errno, e.strerror or str(e)), None))
    except BaseException:
        results.put(("error", traceback.format_exc(), None))
    finally:
        if builder is not None:
            builder.close(remove=False)


# Workers take files in chunks of at most CHUNK_FILES files and CHUNK_BYTES
# bytes (a larger file alone): many small files cost few queue round trips,
# and large ones are shared out one at a time, so the workers end within
# about one file of each other (with chunks of 16 files of 10 MB, one worker
# sat idle for minutes at the end of a large build).
CHUNK_FILES = 16
CHUNK_BYTES = 4 << 20


def chunks_of(todo):
    """``todo`` cut into consecutive chunks for the workers."""
    chunks, size = [], 0
    for task in todo:
        if not chunks or len(chunks[-1]) >= CHUNK_FILES or size + task.size > CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(task)
        size += task.size
    return chunks


def build_segments(todo, target, schema, field_map, limit, workers):
    """Yield ``(outcomes, finished segments)`` as the files in ``todo`` are filed.

    With one worker (or little to do) everything runs in this process.
    """
    chunks = chunks_of(todo)
    if workers <= 1 or len(chunks) < 2:
        builder = SegmentBuilder(target, schema, field_map, limit)
        try:
            for task in todo:
                yield builder.add_files([task])
            yield [], [builder.flush()]
        finally:
            builder.close()
        return
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    tasks, results = ctx.Queue(), ctx.Queue()
    for chunk in chunks:
        tasks.put(chunk)
    workers = min(workers, len(chunks))
    for _ in range(workers):
        tasks.put(None)
    args = (os.getpid(), target, schema, field_map, limit, tasks, results)
    procs = [ctx.Process(target=_worker_main, args=args,
                         daemon=True) for _ in range(workers)]
    for p in procs:
        p.start()
    running = workers
    try:
        while running:
            try:
                kind, payload, segments = results.get(timeout=1.0)
            except queue.Empty:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if dead:
                    raise RuntimeError("an indexing worker died (exit code %s)" % dead[0].exitcode)
                continue
            if kind == "oserror":
                raise OSError(*payload)
            if kind == "error":
                raise RuntimeError("an indexing worker failed:\n%s" % payload)
            if kind == "done":
                running -= 1
                continue
            yield payload, segments
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=5)
        # Chunks the workers never took may still wait in the queue's feeder
        # thread; joining it at exit would block forever on a full pipe.
        tasks.cancel_join_thread()
        results.cancel_join_thread()
        tasks.close()
        results.close()
        remove_worker_dirs(target)
