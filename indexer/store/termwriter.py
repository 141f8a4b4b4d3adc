"""Writing a field's postings: packed blocks and term-dictionary entries (``indexer.store.postings``).

A new segment's terms arrive field by field as flat arrays
(``indexer.store.writer``); their statistics are taken for all terms at once
with numpy, and what remains per term is packing its bytes.  Segment merges
hand postings one at a time to ``PostingsWriter``, which ends in the same code.
"""
import struct
from array import array
from hashlib import md5
from typing import NamedTuple

import numpy as np
from whoosh.codec import whoosh3
from whoosh.filedb.filetables import md5_hash
from whoosh.util.numeric import _length_byte_cache

from .postings import (BLOCK_LENGTH, BLOCK_LIMIT, INLINE_LIMIT, PackedValues, encode_block, encode_body,
                       pack_values, single_body, terminfo_bytes)


# length_to_byte as a lookup: bisect in Whoosh's table, 255 from its limit on.
_LENGTH_TABLE = np.array(_length_byte_cache, dtype=np.int64)
_LONGEST = 106374


def length_bytes(lengths):
    """``length_to_byte`` of each of an int64 array."""
    out = np.searchsorted(_LENGTH_TABLE, lengths, side="left")
    out[lengths >= _LONGEST] = 255
    return out


def write_terms(postfile, terms, ends, ids, weights, values, lengths):
    """Write a field's postings, term by term; yield ``(term, its term-dictionary entry)``.

    The postings of ``terms[i]`` are ``[ends[i-1]:ends[i]]`` of ``ids``
    (array of uint32), ``weights`` (array of float32), ``lengths`` (the
    documents' field lengths, array of uint32) and ``values``
    (``PackedValues``, or None for a field without).  The per-term
    statistics are taken for all terms at once; what remains per term is
    packing its bytes.
    """
    stops = np.asarray(ends, dtype=np.int64)
    starts = np.concatenate(([0], stops[:-1])).astype(np.int64)
    w = np.frombuffer(weights, dtype=np.float32)
    wsum = np.add.reduceat(w.astype(np.float64), starts).tolist()
    wmax = np.maximum.reduceat(w, starts).astype(np.float64).tolist()
    lens = np.frombuffer(lengths, dtype=np.uint32).astype(np.int64)
    maxlen = length_bytes(np.maximum.reduceat(lens, starts)).tolist()
    none = 1 << 40
    minlen = np.minimum.reduceat(np.where(lens == 0, none, lens), starts)
    minlen = np.where(minlen == none, 0, length_bytes(minlen)).tolist()
    voff = vstart = vstop = None
    if values is not None:
        voff = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(values.lens, dtype=np.uint32), out=voff[1:])
        vstart, vstop = voff[starts].tolist(), voff[stops].tolist()
    data = values.data if values is not None else None
    starts, stops = starts.tolist(), stops.tolist()
    for i, term in enumerate(terms):
        a, b = starts[i], stops[i]
        inlined = offset = length = None
        if b - a == 1:
            inlined = single_body(wsum[i], data[vstart[i]:vstop[i]] if data is not None else None)
        if inlined is None:
            if b - a < INLINE_LIMIT:
                vals = None if data is None else PackedValues(values.lens[a:b], data[vstart[i]:vstop[i]])
                inlined = encode_body(ids[a:b], weights[a:b], vals)
            else:
                offset, length = _write_blocks(postfile, ids, weights, values, voff, lens, a, b)
        yield term, terminfo_bytes(b - a, wsum[i], wmax[i], minlen[i], maxlen[i], ids[a], ids[b - 1],
                                   inlined, offset, length)


def _write_blocks(postfile, ids, weights, values, voff, lengths, a, b):
    """Write postings ``[a:b]`` as blocks; (their offset, their length) in the postings file.

    ``lengths`` is a numpy array here."""
    start = postfile.tell()
    for s in range(a, b, BLOCK_LIMIT):
        e = min(s + BLOCK_LIMIT, b)
        lens = lengths[s:e]
        nonzero = lens[lens > 0]
        vals = None if values is None else PackedValues(values.lens[s:e], values.data[voff[s]:voff[e]])
        block = encode_block(ids[s:e], weights[s:e], vals, int(nonzero.min()) if len(nonzero) else None,
                             int(lens.max()))
        postfile.write(BLOCK_LENGTH.pack(-len(block) if e >= b else len(block)))
        postfile.write(block)
    return start, postfile.tell() - start


class _Entry(NamedTuple):
    """A term's finished term-dictionary entry, where Whoosh expects a term info."""
    data: bytes

    def to_bytes(self):
        return self.data


class PostingsWriter(whoosh3.W3PostingsWriter):
    """Takes a term's postings one at a time (segment merges) and writes them with ``write_terms``."""

    def start_postings(self, format_, terminfo):
        self._novalues = format_.fixed_value_size() == 0
        self._ids, self._weights, self._values, self._lengths = array("I"), array("f"), [], array("I")

    def add_posting(self, id_, weight, vbytes, length=None):
        self._ids.append(id_)
        self._weights.append(weight)
        self._values.append(vbytes or b"")
        self._lengths.append(length or 0)

    def written(self):
        return False

    def __len__(self):
        return len(self._ids)

    def finish_postings(self):
        values = None if self._novalues else pack_values(self._values)
        (_, entry), = write_terms(self._postfile, [b""], [len(self._ids)], self._ids, self._weights, values,
                                  self._lengths)
        return _Entry(entry)


_ENTRY_HEAD = struct.Struct("!ii")     # Whoosh's hash file: key and value lengths before each pair


def _md5_hash(key):
    """Whoosh's ``md5_hash`` (the low 32 bits of the key's MD5), from the digest's last bytes."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")


def file_entries(tindex, prefix, entries):
    """Add ``(term, entry)`` pairs to the ordered hash file ``tindex`` under ``prefix + term``.

    What ``OrderedHashWriter.add`` does for each pair, with one write for
    them all instead of a seek position, three writes and two checks each.
    """
    dbfile = tindex.dbfile
    pos = dbfile.tell()
    buckets, positions, parts = tindex.buckets, [], []
    hashfn = _md5_hash if tindex.hashfn is md5_hash else tindex.hashfn
    lastkey = tindex.lastkey
    for term, value in entries:
        key = prefix + term
        if key <= lastkey:
            raise ValueError("Keys must increase: %r..%r" % (lastkey, key))
        positions.append(pos)
        h = hashfn(key)
        buckets[h & 255].append((h, pos))
        parts += (_ENTRY_HEAD.pack(len(key), len(value)), key, value)
        pos += 8 + len(key) + len(value)
        lastkey = key
    dbfile.write(b"".join(parts))
    tindex.index.extend(positions)
    tindex.lastkey = lastkey
