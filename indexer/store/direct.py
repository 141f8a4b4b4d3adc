"""A term's postings read from a segment's files in a few positioned reads.

Asked for a term's postings, a Whoosh reader looks the term up in the
segment's hash table of terms once to say whether it is there and again to
read its info, each lookup a chain of small seek-and-read calls (a slot, the
key's lengths, the key, the value), then reads each block's header and body
apart and decodes its positions too.  At a million articles in 86 segments
that was most of a search that missed the term cache (bench/RESULTS.md,
"Reading a term's postings directly").

Here the same structures are read with ``os.pread`` on the segment file's
descriptor (no shared file position, so no lock and no seek; the files are
still read, not mapped, for the reason in ``indexer.store.reading``):

- the term table: Whoosh's ``HashReader`` layout, 256 open-addressing tables
  of ``(hash, record position)`` slots (big-endian ``!Iq``), records being
  the key's and value's lengths (``!ii``), the key, the value.  A lookup reads
  a run of slots at once, then the record with room for a usual term info.
- the postings: the term's whole extent in one read, its blocks
  (``indexer.store.postings``) decoded into numpy arrays, inflating only as
  much of each body as holds the ids and weights, never the positions.

Only the document numbers and weights are read; a matcher (phrases, Whoosh's
own search) still reads through Whoosh.  tests/test_store_arrays.py checks
the answers against Whoosh's reader term by term.
"""
import os
import struct
import threading
import weakref

import numpy as np

from .codec import TermsReader
from .postings import BLOCK_LENGTH, HEADER, decode_numbers, postings_place

_SLOT = struct.Struct("!Iq")        # whoosh.filedb.filetables._pointer
_LENGTHS = struct.Struct("!ii")     # whoosh.filedb.filetables._lengths
_SLOTS_PER_READ = 8
_VALUE_ROOM = 64                    # bytes of value read with the key; a longer value is read again


class _SegmentFile:
    """Positioned reads of one file inside a segment (``get(position, length)`` as Whoosh's).

    A file inside a compound segment file is read with ``os.pread`` on the
    compound file's descriptor; any other (a mapped or in-memory file) through
    its own ``get``, as Whoosh reads it.
    """

    def __init__(self, structfile):
        sub = structfile.file
        raw = getattr(sub, "_file", None)
        self._raw = raw
        self._get = structfile.get
        self._fd = None
        try:
            if raw is not None and hasattr(sub, "_offset"):
                self._fd, self._base, self._length = raw.fileno(), sub._offset, sub._length
        except (AttributeError, OSError, ValueError):
            self._fd = None

    def read(self, position, length, exact=True):
        """``length`` bytes at ``position``; fewer only when not ``exact`` and the file ends first."""
        if self._fd is None:
            data = self._get(position, length)
        else:
            if self._raw.closed:
                raise ValueError("read of a closed segment file")
            if position < 0 or position > self._length:
                raise EOFError("read at %d past the end of a segment file" % position)
            data = os.pread(self._fd, min(length, self._length - position), self._base + position)
        if exact and len(data) < length:
            raise EOFError("segment file ends %d bytes short" % (length - len(data)))
        return data


class TermFiles:
    """One segment's term table and postings, for ``postings(field, btext)``."""

    def __init__(self, segment):
        terms = segment._terms
        table = terms._tindex
        self._keycoder = terms._keycoder
        self._hashfn = table.hashfn
        self._tables = table.tables
        self._terms = _SegmentFile(table.dbfile)
        self._postings = _SegmentFile(terms._postfile)

    def _value(self, key):
        """The value filed under ``key`` in the term table (as Whoosh's ``HashReader.get``)."""
        keyhash = self._hashfn(key)
        start, slots = self._tables[keyhash & 255]
        if not slots:
            return None
        end = start + slots * _SLOT.size
        at = start + ((keyhash >> 8) % slots) * _SLOT.size
        seen = 0
        while seen < slots:
            count = min(_SLOTS_PER_READ, (end - at) // _SLOT.size, slots - seen)
            data = self._terms.read(at, count * _SLOT.size)
            for i in range(count):
                slothash, record = _SLOT.unpack_from(data, i * _SLOT.size)
                if not record:
                    return None          # an empty slot ends the probe
                if slothash == keyhash:
                    value = self._record(record, key)
                    if value is not None:
                        return value
            seen += count
            at += count * _SLOT.size
            if at == end:
                at = start               # the probe wraps round the table
        return None

    def _record(self, position, key):
        """The record's value if its key is ``key``, else None."""
        want = _LENGTHS.size + len(key)
        data = self._terms.read(position, want + _VALUE_ROOM, exact=False)
        if len(data) < want:
            raise EOFError("term record cut short")
        keylen, valuelen = _LENGTHS.unpack_from(data)
        if keylen != len(key) or data[_LENGTHS.size:want] != key:
            return None
        value = data[want:want + valuelen]
        if len(value) < valuelen:
            value = self._terms.read(position + want, valuelen)
        return value

    def postings(self, field, btext):
        """(ids, weights) of a term: segment document numbers ascending (int32) and
        weights (float64, the float32 stored widened exactly); None when absent."""
        raw = self._value(self._keycoder(field, btext))
        if raw is None:
            return None
        df, first, kinds, body, offset, length = postings_place(raw)
        if kinds is not None:
            ids, weights = decode_numbers(kinds, body, df, first)
            return ids.astype(np.int32), weights
        data = self._postings.read(offset, length)
        ids, weights = [], []
        at = 0
        while True:
            size = BLOCK_LENGTH.unpack_from(data, at)[0]
            head = HEADER.unpack_from(data, at + BLOCK_LENGTH.size)
            body_at = at + BLOCK_LENGTH.size + HEADER.size
            at = at + BLOCK_LENGTH.size + abs(size)
            if at > len(data):
                raise EOFError("postings block runs past its term's extent")
            i, w = decode_numbers(head[6], data[body_at:at], head[0], head[1])
            ids.append(i)
            weights.append(w)
            if size < 0 or at >= len(data):
                break
        if len(ids) == 1:
            return ids[0].astype(np.int32), weights[0]
        return np.concatenate(ids).astype(np.int32), np.concatenate(weights)


_OPENED = weakref.WeakKeyDictionary()
_OPENED_LOCK = threading.Lock()


def term_files(segment):
    """The ``TermFiles`` of a segment reader, made once for the reader's life; None for a
    segment another codec wrote (its postings are not in this format)."""
    found = _OPENED.get(segment)
    if found is None:
        if not isinstance(segment._terms, TermsReader):
            return None
        found = TermFiles(segment)
        with _OPENED_LOCK:
            _OPENED[segment] = found
    return found

