"""A build's segments: filed by a worker apart from the index, then committed into it.

A worker files articles into a segment of its own (``NewSegment``), written
in a private folder inside the index (``.w-*``: Whoosh leaves dot-names alone
when it cleans up).  The committing process moves a finished segment's files
into the index and commits it, together with the deletion of the older
versions of the same source files, in one new generation (``commit``).
Nothing travels between the two but the finished segment's description and
the names of its files.
"""
import os
import shutil
import tempfile

from whoosh import index as whoosh_index

from .schema import make_schema
from .writer import WriterLocked, add_prepared, add_segment, commit as commit_writer, finish_segment, segment_writer

__all__ = ["NewSegment", "WriterLocked", "bump_generation", "commit", "create_index", "open_for_writing",
           "remove_private_folders"]

PRIVATE_PREFIX = ".w-"


def create_index(folder):
    """An empty akhbar index in the existing, empty ``folder``."""
    whoosh_index.create_in(folder, make_schema())


def open_for_writing(folder):
    """The index in ``folder``, for ``commit`` and for reading what it holds (``indexer.holdings``)."""
    return whoosh_index.open_dir(folder)


class NewSegment:
    """Articles filed into segments of their own, one after another, in a private folder inside ``folder``."""

    def __init__(self, folder):
        self.folder = tempfile.mkdtemp(prefix=PRIVATE_PREFIX, dir=folder)
        self._ix = whoosh_index.create_in(self.folder, make_schema())
        self._writer = None
        self.articles = 0

    @property
    def terms(self):
        """Term occurrences filed into the segment in progress: what its memory grows with."""
        return 0 if self._writer is None else self._writer.pool.count

    def add(self, doc):
        """File one document of ``indexer.prepare``."""
        if self._writer is None:
            self._writer = segment_writer(self._ix, timeout=0)
        add_prepared(self._writer, doc)
        self.articles += 1

    def finish(self):
        """``(segment, its files)`` of the articles filed so far, or None when there are none.

        The files stay in the private folder until ``commit`` moves them.
        """
        writer, self._writer = self._writer, None
        self.articles = 0
        if writer is None:
            return None
        return finish_segment(writer, self.folder)

    def cancel(self):
        """Drop the segment in progress and the private folder (with any finished segment still in it)."""
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        shutil.rmtree(self.folder, ignore_errors=True)


def remove_private_folders(folder):
    """Private folders of ``NewSegment`` (and the build's other dot-files of that prefix) left in
    ``folder`` by a build that was killed, or once committed."""
    for name in os.listdir(folder):
        if name.startswith(PRIVATE_PREFIX):
            path = os.path.join(folder, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.remove(path)
                except OSError:
                    pass


def commit(ix, folder, segment=None, delete=(), merge=False, timeout=5.0):
    """One new generation of the index ``ix`` in ``folder``: the articles of the source files
    ``delete`` deleted, a finished ``segment`` of ``NewSegment`` added, and with ``merge`` the
    small segments merged (``indexer.store.writer.merge_small``).

    Returns {file: articles deleted}.  Raises WriterLocked when another writer
    holds the index past ``timeout`` seconds.
    """
    writer = segment_writer(ix, timeout=timeout)
    try:
        deleted = {}
        for file in delete:
            deleted[file] = writer.delete_by_term("file", file) or 0
        if segment is not None:
            seg, paths = segment
            for path in paths:
                os.replace(path, os.path.join(folder, os.path.basename(path)))
            add_segment(writer, seg)
        commit_writer(writer, merge)
        return deleted
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise


def bump_generation(folder):
    """Commit the index in ``folder`` unchanged, under a new generation number (how an open
    searcher notices that another index took its place)."""
    writer = segment_writer(whoosh_index.open_dir(folder), timeout=0)
    try:
        commit_writer(writer, merge=False)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise
