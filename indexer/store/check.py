"""Which file of an index is damaged, once reading it has failed.

Whoosh writes no checksums and never fsyncs, so a disk error, a crash in
mid-write or a stray ``truncate`` shows up later as whatever its decoders
raise on bad bytes: ``EOFError``, ``struct.error``, an unpickling error, an
``IndexError``.  Those same exceptions can also be plain bugs, so the faces
do not call every one "damage": they ask ``find_damage`` to read the index's
current files through, and only when it names a file do they tell the user
which one and to rebuild.

``READ_ERRORS`` are the exceptions reading a damaged file was seen to raise.
"""
import os
import pickle
import struct
import zlib

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader

READ_ERRORS = (EOFError, OSError, struct.error, pickle.UnpicklingError, UnicodeDecodeError, zlib.error,
               IndexError, KeyError, ValueError, TypeError, AttributeError, OverflowError,
               whoosh_index.IndexError)


class IndexDamaged(Exception):
    """A file of the index cannot be read; ``file`` names it."""

    def __init__(self, index_dir, file, reason):
        self.index_dir, self.file, self.reason = index_dir, file, reason
        super().__init__("%s %s" % (file, reason))


def _why(e):
    name = type(e).__name__
    if name == "error":                       # struct.error, zlib.error
        name = "%s.error" % type(e).__module__.lstrip("_")
    text = str(e).strip()
    return "(%s%s)" % (name, ": " + text[:120] if text else "")


def find_damage(index_dir):
    """IndexDamaged naming the first unreadable file of the current generation, or None.

    For a sharded index, the file is named with its shard's folder.

    Reads everything a search can touch: the table of contents, every
    segment's directory, then every term's postings, the stored fields and
    the columns.  That takes a while on a large index (40 s of CPU for ANT's
    31,525 articles), so it runs only after a read has failed, and once per
    state of the index's files.
    """
    from ..shards import ShardLayoutError, is_sharded, shard_dirs
    if is_sharded(index_dir):
        try:
            shards = shard_dirs(index_dir)
        except ShardLayoutError as e:
            return IndexDamaged(index_dir, "its shard list", "(%s)" % e)
        for shard in shards:
            damage = _find_damage(shard)
            if damage is not None:
                return IndexDamaged(index_dir, os.path.join(os.path.basename(shard), damage.file), damage.reason)
        return None
    return _find_damage(index_dir)


# index folder -> (signature of its files, diagnosis): a server failing
# request after request on one damaged index reads it through once.
_DIAGNOSED = {}


def _signature(index_dir, names):
    out = []
    for name in sorted(names):
        try:
            st = os.stat(os.path.join(index_dir, name))
        except OSError:
            continue
        out.append((name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def _find_damage(index_dir):
    try:
        names = os.listdir(index_dir)
    except OSError as e:
        return IndexDamaged(index_dir, index_dir, "cannot be listed %s" % _why(e))
    signature = _signature(index_dir, names)
    known = _DIAGNOSED.get(index_dir)
    if known is not None and known[0] == signature:
        return known[1]
    damage = _diagnose(index_dir, names)
    _DIAGNOSED[index_dir] = (signature, damage)
    return damage


def _diagnose(index_dir, names):
    storage = FileStorage(index_dir, readonly=True, supports_mmap=False)
    try:
        ix = whoosh_index.FileIndex(storage)
        generation = ix.latest_generation()
        toc = ix._read_toc()
    except READ_ERRORS as e:
        tocs = sorted(n for n in names if n.endswith(".toc"))
        return IndexDamaged(index_dir, tocs[-1] if tocs else "its table of contents", _why(e))
    readers = []
    try:
        # Every segment opened first (cheap: truncation shows here), then read through.
        for segment in toc.segments:
            name = segment.make_filename(".seg") if segment.is_compound() else segment.segment_id()
            if segment.is_compound() and name not in names:
                return IndexDamaged(index_dir, name, "is missing (generation %d names it)" % generation)
            try:
                readers.append((name, SegmentReader(storage, toc.schema, segment)))
            except READ_ERRORS as e:
                return IndexDamaged(index_dir, name, _why(e))
        for name, reader in readers:
            try:
                _read_through(reader)
            except READ_ERRORS as e:
                return IndexDamaged(index_dir, name, _why(e))
        return None
    finally:
        for _name, reader in readers:
            try:
                reader.close()
            except READ_ERRORS:
                pass


def _read_through(reader):
    for fieldname, text in reader.all_terms():
        matcher = reader.postings(fieldname, text)
        while matcher.is_active():
            matcher.id()
            matcher.weight()
            if matcher.supports("positions"):
                matcher.value_as("positions")
            matcher.next()
    for docnum in range(reader.doc_count_all()):
        reader.stored_fields(docnum)
    for name in reader.schema.names():
        if reader.has_column(name):
            list(reader.column_reader(name, translate=False))
