"""Building and updating the index from archive files.

An update compares each file's modification time and size with what the
index recorded: unchanged files are not read again, changed ones are re-read
(their old articles deleted in the same commit as the new ones are added),
and articles of files that no longer exist are removed.

Safety comes from three rules:

- One writer at a time (``indexer.lock``).
- A fresh build or ``--rebuild`` is written into a sibling directory
  (``<index>.building``) and swapped in only when complete, so searches see
  the previous index until then, and a failed or interrupted rebuild leaves it
  untouched.  The next run picks the sibling up where it stopped.
- Work is committed in batches, so an interrupted run keeps what it finished
  and the next run, seeing those files unchanged, completes the rest.

Worker processes read, analyse and write their share of the files into
segments of their own (``indexer.parallel``); this process commits each
finished segment together with the deletion of the files' older articles.
"""
import ctypes
import ctypes.util
import os
import re
import shutil
import stat
from array import array
from dataclasses import dataclass, field
from typing import Dict, List

import numpy as np
from whoosh import index as whoosh_index

from .encoding import printable
from .holdings import index_state
from .ids import id_hashes, shared_ids
from .lock import IndexLock, IndexLocked, lock_path, takeover_path
from .parallel import FileTask, build_segments, remove_worker_dirs
from .schema import IndexVersionError, META_FILE, check_meta, make_schema, write_meta
from .store.reading import index_exists, latest_generation, open_for_search
from .store.writer import WriterLocked, add_segment, commit, segment_writer

__all__ = ["BuildSummary", "IndexLocked", "IndexVersionError", "NotAnIndex", "build_index",
           "discover", "open_index", "staging_dir"]

SIG_SEP = "\x1f"
LOCK_WAIT_SECONDS = 5.0
COMMIT_EVERY = 10000          # articles per segment and commit: bounds a worker's memory, keeps work if interrupted


class NotAnIndex(Exception):
    """The index path exists and holds something other than an akhbar index."""


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


def staging_dir(index_dir):
    """Where a fresh build is written before it replaces ``index_dir``."""
    return os.path.normpath(os.path.abspath(index_dir)) + ".building"


def discover(paths, skip=()):
    """(full path, path relative to the folder given) of every file to read."""
    skip = tuple(os.path.normpath(os.path.abspath(s)) for s in skip)
    for given in paths:
        given = os.path.abspath(given)
        if os.path.isfile(given):
            yield given, os.path.basename(given)
            continue
        for dirpath, dirnames, filenames in os.walk(given):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                 and os.path.join(dirpath, d) not in skip)
            for name in sorted(filenames):
                if name.startswith(".") or name.endswith(("~", ".md")) or _is_documentation(name):
                    continue
                full = os.path.join(dirpath, name)
                if full in skip:
                    continue
                yield full, os.path.relpath(full, given).replace(os.sep, "/")


# An archive's own documentation, not news: a dataset's README.TXT, its licence.
_DOC_NAMES = {"readme", "license", "licence", "copying", "changelog", "authors", "notice"}


def _is_documentation(name):
    return os.path.splitext(name)[0].lower() in _DOC_NAMES


def file_signature(full):
    """(signature, size) of a regular file; OSError for anything else."""
    st = os.stat(full)
    if not stat.S_ISREG(st.st_mode):
        raise OSError(0, "not a regular file")
    return "%d%s%d" % (st.st_mtime_ns, SIG_SEP, st.st_size), st.st_size


def open_index(index_dir):
    """The index in ``index_dir`` for reading; checks it was built by this analysis."""
    if not index_exists(index_dir):
        raise FileNotFoundError("no akhbar index in %s" % index_dir)
    check_meta(index_dir)
    return open_for_search(index_dir)


def _is_akhbar_index(path):
    return os.path.exists(os.path.join(path, META_FILE)) or index_exists(path)


def _create(path):
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    ix = whoosh_index.create_in(path, make_schema())
    write_meta(path)
    return ix


def _choose_target(index_dir, rebuild, summary):
    """The directory this run writes into: the index itself or its staging sibling."""
    staging = staging_dir(index_dir)
    if os.path.isdir(index_dir) and os.listdir(index_dir) and not _is_akhbar_index(index_dir):
        raise NotAnIndex("%s exists and is not an akhbar index" % index_dir)
    if os.path.isdir(staging):
        try:
            check_meta(staging)
            if index_exists(staging):
                summary.rebuilt = summary.resumed = True
                return staging
        except IndexVersionError:
            pass
    if rebuild or not index_exists(index_dir):
        _create(staging)
        summary.rebuilt = True
        return staging
    check_meta(index_dir)
    return index_dir


# ---------------------------------------------------------------- swapping a rebuild in

def _exchange(a, b):
    """Swap two directories in one step (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    return renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def _swap_in(staging, index_dir):
    if not os.path.exists(index_dir):
        os.rename(staging, index_dir)
        return
    # An open searcher notices a new index by a different generation number.
    live = latest_generation(index_dir)
    new_ix = whoosh_index.open_dir(staging)
    if new_ix.latest_generation() == live:
        new_ix.writer().commit()
    replace_dir(staging, index_dir)


def replace_dir(staging, index_dir):
    """Put the folder ``staging`` in the place of ``index_dir``, in one step where the system allows."""
    if _exchange(staging, index_dir):
        shutil.rmtree(staging, ignore_errors=True)     # it now holds the old index
        return
    old = index_dir + ".old"
    shutil.rmtree(old, ignore_errors=True)
    os.rename(index_dir, old)
    os.rename(staging, index_dir)
    shutil.rmtree(old, ignore_errors=True)


def default_workers():
    """Worker processes reading and filing files: one per core (the committing process mostly waits)."""
    return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------- the build

def build_index(paths, index_dir, rebuild=False, field_map=None, on_file=None, on_start=None,
                workers=None, commit_every=COMMIT_EVERY, lock_wait=LOCK_WAIT_SECONDS):
    """Build or update the index in ``index_dir`` from ``paths``; returns a BuildSummary.

    ``on_start(files_to_read, bytes_to_read)`` is called once the work is
    known, ``on_file(relpath, articles, size)`` after each file read.
    """
    index_dir = os.path.normpath(os.path.abspath(index_dir))
    summary = BuildSummary(workers=workers or default_workers())
    with IndexLock(index_dir, wait=lock_wait) as lock:
        if lock.took_over:
            h = lock.took_over
            summary.notes.append("took over the index lock from pid %s on %s (started %s), which is no longer "
                                 "running" % (h.get("pid"), h.get("host"), h.get("started", "?")))
        target = _choose_target(index_dir, rebuild, summary)
        _update(target, index_dir, paths, summary, field_map=field_map, on_file=on_file, on_start=on_start,
                commit_every=commit_every, lock_wait=lock_wait)
        if target != index_dir:
            _swap_in(target, index_dir)
    return summary


def files_to_read(paths, index_dir, live, summary):
    """(tasks of the files under ``paths`` that are new or changed, every file seen).

    ``live`` maps each indexed file to its signature (a file mapped to None
    is read again); counts go into ``summary``.
    """
    skip = (index_dir, staging_dir(index_dir), lock_path(index_dir), takeover_path(index_dir),
            index_dir + ".old")
    todo, seen = [], set()
    for full, rel in discover(paths, skip=skip):
        file = printable(full)
        if file in seen:
            continue
        seen.add(file)
        summary.files_seen += 1
        try:
            sig, size = file_signature(full)
        except OSError as e:
            summary.files_skipped += 1
            summary.problems.append("%s: cannot read: %s" % (printable(rel), e.strerror or e))
            continue
        if live.get(file) == sig:
            summary.files_unchanged += 1
            continue
        todo.append(FileTask(path=full, file=file, rel=printable(rel), sig=sig, size=size,
                             replacing=file in live))
    return todo, seen


def _update(target, index_dir, paths, summary, *, field_map, on_file, on_start, commit_every, lock_wait):
    remove_worker_dirs(target)
    ix = whoosh_index.open_dir(target)
    live, dups_before, articles_before = index_state(ix)
    todo, seen = files_to_read(paths, index_dir, live, summary)
    # A rebuild holds exactly the files given; an update keeps what other
    # folders contributed, as long as those files still exist.
    rebuilding = target != index_dir
    gone = [f for f in live if f not in seen and (rebuilding or not _exists(f))]
    if on_start:
        on_start(len(todo), sum(t.size for t in todo))

    replacing = {t.file: 0 for t in todo if t.replacing}      # changed file -> its new article count
    new_ids = array("Q")       # hashes of this run's ids (indexer.ids): 8 bytes an article
    for outcomes, segments in build_segments(todo, target, ix.schema, field_map, commit_every, summary.workers):
        for outcome in outcomes:
            task = outcome.task
            _count(summary, outcome)
            new_ids.frombytes(id_hashes(outcome.ids).tobytes())
            if task.file in replacing:
                replacing[task.file] = outcome.articles
            if on_file:
                on_file(task.rel, outcome.articles, task.size)
        for segment in segments:
            if segment is None:
                continue
            seg, seg_paths, covered = segment
            _commit(ix, target, seg, seg_paths, {f: replacing[f] for f in covered if f in replacing},
                    summary, lock_wait)
    if gone or todo:
        # Last commit of the run: deletions of files that are gone, and the
        # merge of small segments that many small updates leave behind.
        _commit(ix, target, None, [], {f: 0 for f in gone}, summary, lock_wait, merge=True)
    if gone or todo:
        final = whoosh_index.open_dir(target)
        _, summary.duplicates, summary.articles = index_state(final, files=False)
        with final.reader() as reader:
            summary.shared_ids = shared_ids(reader, np.frombuffer(new_ids, dtype=np.uint64))
    else:
        # Nothing was written: the counts taken at the start still hold.
        summary.duplicates, summary.articles = dups_before, articles_before
    summary.duplicates_new = summary.duplicates - dups_before


_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")


def _exists(file):
    """Whether the file an index entry names is still there (``\\xNN`` read back as the byte)."""
    return os.path.exists(file) or ("\\x" in file and os.path.exists(
        _ESCAPED_BYTE.sub(lambda m: chr(0xdc00 + int(m.group(1), 16)), file)))


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


def _commit(ix, target, segment, seg_paths, deletions, summary, lock_wait, merge=False):
    """One new generation: old versions of files deleted, a finished segment added.

    ``deletions`` maps each file whose old articles go to how many it has now:
    the difference is counted as removed.
    """
    writer = _writer(ix, target, lock_wait)
    try:
        for full, now in deletions.items():
            n = writer.delete_by_term("file", full) or 0
            summary.removed += max(0, n - now)
        if segment is not None:
            for path in seg_paths:
                os.replace(path, os.path.join(target, os.path.basename(path)))
            add_segment(writer, segment)
        commit(writer, merge)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise


def _writer(ix, target, lock_wait):
    try:
        return segment_writer(ix, timeout=lock_wait)
    except WriterLocked:
        raise IndexLocked(target)
