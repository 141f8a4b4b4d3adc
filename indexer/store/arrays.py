"""A Whoosh segment's postings, field lengths and columns, read into numpy arrays.

Searching scores whole posting lists at once, so it needs them as arrays, not
as a matcher to step through posting by posting.  Whoosh has no public way to
hand them over; this module reads them from the index's structures (a
term's packed blocks of document-number gaps and weights, see
``indexer.store.postings``; Whoosh's one-byte-per-document length columns
and fixed-width numeric columns) and is the only place in search that relies on them
(tests/test_store_arrays.py compares every reader here with Whoosh's public
answer, so an upgrade that changes them fails there).

Everything here works on one segment (a ``SegmentReader``); document numbers
are the segment's own.
"""
from bisect import bisect_left

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from .direct import term_files

# Whoosh stores a field's length in a document as one byte: this decodes it.
# (Byte 0 means the field is empty; Whoosh reports no length for it.)
BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)

NO_IDS = np.zeros(0, dtype=np.int32)
NO_WEIGHTS = np.zeros(0, dtype=np.float64)


def term_postings(segment, field, btext):
    """(document numbers ascending as int32, weights as float64) of one term.

    Empty arrays when the segment does not hold the term.  The weights are
    the float32 values Whoosh stored, widened exactly.  Read with a few
    positioned reads of the segment's files (``indexer.store.direct``).
    """
    files = term_files(segment)
    if files is not None:
        found = files.postings(field, btext)
        if found is None:
            return NO_IDS, NO_WEIGHTS
        ids, weights = found
    elif (field, btext) in segment:
        # A segment of another codec (Whoosh's own): read through its matcher, one by one.
        m = segment.postings(field, btext)
        found = []
        while m.is_active():
            found.append((m.id(), m.weight()))
            m.next()
        ids = np.array([i for i, _ in found], dtype=np.int32)
        weights = np.array([w for _, w in found], dtype=np.float64)
    else:
        return NO_IDS, NO_WEIGHTS
    if segment.has_deletions():
        keep = ~np.isin(ids, deleted_docs(segment))
        ids, weights = ids[keep], weights[keep]
    return ids, weights


def term_documents(reader, field, btext):
    """Document numbers (int32, ascending) of the documents holding a term, over every
    segment of ``reader`` (deleted ones left out)."""
    parts = [term_postings(seg, field, btext)[0] + np.int32(offset) for seg, offset in segments(reader)]
    parts = [p for p in parts if len(p)]
    return np.concatenate(parts) if parts else NO_IDS


def field_length_bytes(segment, field):
    """The one-byte length code of ``field`` in every document of the segment (uint8).

    Decode with ``BYTE_TO_LENGTH``; kept as bytes so a field costs one byte
    per document in memory, as on disk.
    """
    n = segment.doc_count_all()
    out = np.zeros(n, dtype=np.uint8)
    column = segment._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is not None:
        count = min(column._count, n)
        out[:count] = np.frombuffer(column._dbfile.get(column._basepos, count), dtype=np.uint8)
    return out


def numeric_column(segment, field):
    """The raw (sortable, untranslated) values of a numeric column, one per document.

    None when the segment has no such column.
    """
    if not segment.has_column(field):
        return None
    column = segment.column_reader(field, translate=False)
    n = segment.doc_count_all()
    dtype = np.dtype(">" + column._typecode)
    count = min(column._count, n)
    raw = np.frombuffer(column._dbfile.get(column._basepos, count * dtype.itemsize), dtype=dtype)
    default = np.frombuffer(column._defaultbytes, dtype=dtype)[0]
    out = np.full(n, default, dtype=dtype.newbyteorder("="))
    out[:count] = raw
    return out


def bytes_column(segment, field):
    """Every document's value of a variable-length bytes column as an (n, width) uint8 matrix.

    Shorter values are padded with zero bytes (so values must not end in
    one); None when the segment has no such column.
    """
    if not segment.has_column(field):
        return None
    column = segment.column_reader(field, translate=False)
    n = segment.doc_count_all()
    lengths = np.frombuffer(column._lengths, dtype=column._lengths.typecode)[:n].astype(np.int64)
    offsets = np.frombuffer(column._offsets, dtype=column._offsets.typecode)[:n].astype(np.int64)
    width = int(lengths.max()) if n else 0
    if not width:
        return np.zeros((n, 0), dtype=np.uint8)
    end = int((offsets + lengths).max())
    data = np.frombuffer(column._dbfile.get(column._basepos, end), dtype=np.uint8)
    data = np.concatenate([data, np.zeros(width, dtype=np.uint8)])
    out = np.lib.stride_tricks.sliding_window_view(data, width)[offsets]
    short = np.flatnonzero(lengths < width)
    if len(short):
        tail = np.arange(width)[None, :] >= lengths[short][:, None]
        rows = out[short]
        rows[tail] = 0
        out[short] = rows
    return out


def deleted_docs(segment):
    """Document numbers of the segment's deleted documents (int32, ascending)."""
    dead = segment.deleted_docs_set
    return np.array(sorted(dead), dtype=np.int32)


def term_hashes(segment, field):
    """64-bit hashes (``string_hashes``) of every term of ``field`` in the segment."""
    return term_counts(segment, field)[0]


def term_counts(segment, field):
    """(hashes, document frequencies) of every term of ``field`` in the segment, in term order.

    The hashes are ``string_hashes`` of the terms (uint64), the frequencies
    those of the term dictionary (int64: deleted documents counted, as
    Whoosh counts them).  Read from the segment's ordered term table without
    visiting its entries one by one (``_field_records``): each record is the
    key (the field's number, then the term) and the term's info
    (``postings.TermInfo``: a flags byte, then the document frequency as a
    varint).
    """
    found = _field_records(segment, field)
    if found is None:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    data, mine = found
    key_lengths = _big_endian(data, mine, 4)
    hashes = _hashes(data, mine + 10, key_lengths - 2)
    return hashes, _varints(data, mine + 8 + key_lengths + 1)


def terms_before(segment, field, limit):
    """The terms of ``field`` in the segment that sort before the bytes ``limit``, in order.

    A field's terms sort by their UTF-8 bytes, so ``limit`` b"\\xd8" gives the
    terms in scripts before Arabic (Latin, Greek, Cyrillic...) without
    reading the rest.
    """
    found = _field_records(segment, field, limit)
    if found is None:
        return []
    data, mine = found
    raw = data.tobytes()
    lengths = _big_endian(data, mine, 4).tolist()
    return [raw[at + 10:at + 8 + n] for at, n in zip(mine.tolist(), lengths)]


def _field_records(segment, field, limit=None):
    """(bytes of the records of ``field``'s terms as uint8, each record's offset in them), or None.

    The ordered term table keeps an array of the position of every record
    (key length and value length as big-endian int32, key, value); a field's
    keys (its number as two big-endian bytes, then the term) are one run of
    it, found by bisection and read in one piece; with ``limit``, only the
    run's terms sorting before it.
    """
    table = segment._terms._tindex
    number = segment._terms._fieldmap.get(field)
    if number is None or not table.indexlen:
        return None
    positions = np.frombuffer(table.dbfile.get(table.indexbase, table.indexlen * table.indexsize),
                              dtype=">" + table.extras["indextype"]).astype(np.int64)
    dbfile = table.dbfile

    def key_at(i):
        head = dbfile.get(int(positions[i]), 8)
        return dbfile.get(int(positions[i]) + 8, int.from_bytes(head[:4], "big"))
    prefix = number.to_bytes(2, "big")
    everything = range(len(positions))
    lo = bisect_left(everything, prefix, key=key_at)
    hi = bisect_left(everything, (number + 1).to_bytes(2, "big"), key=key_at)
    if limit is not None:
        hi = bisect_left(everything, prefix + limit, lo=lo, hi=hi, key=key_at)
    if lo == hi:
        return None
    start = int(positions[lo])
    head = dbfile.get(int(positions[hi - 1]), 8)
    last_key, last_value = int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")
    end = int(positions[hi - 1]) + 8 + last_key + last_value
    # Five spare bytes: a varint read at the very end never runs off the array.
    data = np.frombuffer(dbfile.get(start, end - start) + bytes(5), dtype=np.uint8)
    return data, positions[lo:hi] - start


def summed_term_counts(segments, field):
    """(sorted distinct hashes, document frequencies summed over ``segments``, clashing hashes).

    ``segments`` are SegmentReaders; the hashes and frequencies those of
    ``term_counts``.  Keys are unique within a segment, so two equal hashes
    in one segment are two terms sharing a hash: those hashes are returned
    as a set, for a caller to ask the term dictionary about instead.
    """
    hashes, counts, clashes = [], [], []
    for segment in segments:
        h, c = term_counts(segment, field)
        ordered = np.sort(h)
        same = np.flatnonzero(ordered[1:] == ordered[:-1])
        if len(same):
            clashes.append(ordered[same])
        hashes.append(h)
        counts.append(c)
    if not hashes or not sum(map(len, hashes)):
        return np.zeros(0, np.uint64), np.zeros(0, np.uint32), set()
    h = np.concatenate(hashes)
    c = np.concatenate(counts)
    order = np.argsort(h)
    h, c = h[order], c[order]
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    clash = set(np.concatenate(clashes).tolist()) if clashes else set()
    return h[starts], np.add.reduceat(c, starts).astype(np.uint32), clash


def _varints(data, at):
    """The unsigned LEB128 varint starting at each offset of ``at`` (up to 5 bytes)."""
    value = np.zeros(len(at), dtype=np.int64)
    going = np.ones(len(at), dtype=bool)
    for i in range(5):
        b = data[at + i].astype(np.int64)
        value |= np.where(going, (b & 0x7F) << (7 * i), 0)
        going &= b >= 0x80
        if not going.any():
            break
    return value


def string_hashes(strings):
    """The same 64-bit hashes of a list of byte strings, as uint64."""
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    data = np.frombuffer(b"".join(strings), dtype=np.uint8)
    return _hashes(data, np.cumsum(lengths) - lengths, lengths)


_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


def _hashes(data, starts, lengths):
    """64-bit FNV-1a of each ``data[start:start + length]``, one byte position at a time.

    Longest strings first, so the strings still going at each position are a
    prefix of the order and the work is the total number of bytes.
    """
    # Lengths are small: as 16-bit keys numpy sorts them by radix, in linear time.
    longest = int(lengths.max()) if len(lengths) else 0
    shorter_by = longest - lengths
    order = np.argsort(shorter_by.astype(np.uint16) if longest < 1 << 16 else shorter_by, kind="stable")
    starts, lengths = starts[order], lengths[order]
    h = np.full(len(starts), _FNV_OFFSET, dtype=np.uint64)
    going = np.searchsorted(-lengths, -np.arange(longest), side="left")
    for j, k in enumerate(going.tolist()):
        h[:k] = (h[:k] ^ data[starts[:k] + j]) * _FNV_PRIME
    out = np.empty_like(h)
    out[order] = h
    return out


def _big_endian(data, at, width):
    """Unsigned big-endian integers of ``width`` bytes at each offset of ``at``."""
    value = np.zeros(len(at), dtype=np.int64)
    for i in range(width):
        value = (value << 8) | data[at + i]
    return value


def field_terms(segment, field):
    """Every term of ``field`` in the segment, as bytes, in order."""
    return segment.lexicon(field)


def segments(reader):
    """[(segment reader, number of its first document)] of the segments of ``reader`` that hold
    documents (an index with none, or an empty shard, has an empty stand-in the arrays cannot read)."""
    return [(seg, offset) for seg, offset in reader.leaf_readers() if seg.doc_count_all()]


def segment_searchers(searcher):
    """[(searcher of one segment, number of its first document)], as ``segments`` does for readers."""
    return [(sub, offset) for sub, offset in searcher.leaf_searchers() if sub.reader().doc_count_all()]
