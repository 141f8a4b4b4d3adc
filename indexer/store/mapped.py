"""The files inside a mapped segment read in place from its memory map, never copied.

Whoosh keeps each segment's files (terms, postings, stored fields...) in one
compound file.  A storage that supports mmap (``FileStorage``'s default)
maps it into memory, then hands each file out as a ``BufferFile`` that copies
the file's bytes into a ``BytesIO``: each reader held a private copy of every
segment's term table, postings and columns it opened, growing with the
archive.  Here reading goes through the map instead: the bytes stay in the
page cache, shared, and only what is read is resident.

Who maps: the build's own readers (``whoosh.index.open_dir`` in
``indexer.build`` (one build for one shard or many): the files, signatures and
duplicate keys an index holds, the ids it shares), and anything else opening
an index with Whoosh's defaults.  Searching does not: it opens segments
unmapped (``indexer.store.reading.open_for_search``), reads them through the
file, and a term's postings with ``os.pread`` (``indexer.store.direct``).
tests/test_store_arrays.py checks both ways.

Importing this module installs the change (``indexer.store.reading`` imports it).
"""
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class MappedFile(BufferFile):
    """A ``BufferFile`` whose sequential reads come from the memory view itself."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = ViewReader(buf)


class ViewReader:
    """A read-only file over a memory view: read, seek and tell without a copy of the whole."""

    def __init__(self, view):
        self._view = view
        self._pos = 0

    def read(self, n=-1):
        start = self._pos
        end = len(self._view) if n is None or n < 0 else min(start + n, len(self._view))
        self._pos = max(start, end)
        return self._view[start:end].tobytes()

    def readinto(self, b):
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def readline(self, limit=-1):
        view, start = self._view, self._pos
        end = len(view) if limit is None or limit < 0 else min(start + limit, len(view))
        at = start
        while at < end:          # look for the line end a chunk at a time
            found = view[at:min(at + 256, end)].tobytes().find(b"\n")
            if found >= 0:
                return self.read(at + found + 1 - start)
            at += 256
        return self.read(end - start)

    def seek(self, pos, whence=0):
        if whence == 1:
            pos += self._pos
        elif whence == 2:
            pos += len(self._view)
        self._pos = max(0, pos)
        return self._pos

    def tell(self):
        return self._pos

    def flush(self):
        pass

    def close(self):
        pass


compound.BufferFile = MappedFile
