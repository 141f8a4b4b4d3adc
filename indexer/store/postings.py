"""The postings format: term postings as blocks of packed arrays.

Whoosh's own format (W3) pickles each block's document numbers, weights and
values as tuples of Python objects, and pickles short posting lists whole
into the term dictionary.  Under Python 3 a pickled ``bytes`` value costs
about forty bytes of overhead, so the positions of a posting took more room
than the posting, and reading a block meant unpickling Python objects.  Here
a block is a fixed header and three packed arrays, readable with
``array.frombytes`` or ``numpy.frombuffer`` and no per-posting Python.

Postings body (all little-endian; ``encode_body``)::

    ids      count gaps (id - previous id; the first gap is 0), unsigned
             ints of 1, 2 or 4 bytes
    weights  none (all 1.0), uint8, uint16 or float32
    values   when the field has values: count value lengths (uint8, uint16
             or uint32), then the values' bytes one after another

A ``kinds`` byte says which: bits 0-1 the id width (1, 2, 4), bits 2-3 the
weight kind (none, uint8, uint16, float32), bits 4-5 the value-length width
(none, 1, 2, 4), bit 6 whether the body is zlib-compressed.

A term's extent in the postings file is a sequence of blocks of up to
``BLOCK_LIMIT`` postings, each an int32 length (negative for the last
block), a header ``<HIIfBBB`` (count, first id, last id, max weight, min and
max length bytes, kinds) and the body.  A term with fewer than
``INLINE_LIMIT`` postings keeps its kinds byte and body in its
term-dictionary entry instead (``TermInfo``).
"""
import struct
import zlib
from array import array
from itertools import accumulate
from typing import NamedTuple

import numpy as np

from whoosh.codec import whoosh3
from whoosh.matching import ListMatcher
from whoosh.system import IS_LITTLE
from whoosh.util.numeric import byte_to_length, length_to_byte

BLOCK_LIMIT = 512        # postings per block
INLINE_LIMIT = 8         # posting lists shorter than this live in the term's entry
ZLIB_LEVEL = 1
ZLIB_FROM = 48           # bodies shorter than this are not worth compressing

HEADER = struct.Struct("<HIIfBBB")
BLOCK_LENGTH = struct.Struct("<i")
_WIDTHS = (1, 2, 4)
_INT_CODES = {1: "B", 2: "H", 4: "I"}
_WEIGHT_CODES = {1: "B", 2: "H", 3: "f"}
_ZLIB = 0x40
assert IS_LITTLE, "the packed arrays are written in this machine's byte order"


def _width(largest):
    return 1 if largest < 0x100 else 2 if largest < 0x10000 else 4


class PackedValues(NamedTuple):
    """Posting values one after another: ``lens`` (array of uint32) and their bytes ``data``."""
    lens: array
    data: bytes


def pack_values(values):
    """``PackedValues`` of a sequence of bytes."""
    return PackedValues(array("I", map(len, values)), b"".join(values))


def encode_body(ids, weights, values):
    """(kinds byte, body bytes) of postings: ``ids`` an array of uint32, ``values`` a
    ``PackedValues``, a list of bytes or None."""
    if values is not None and not isinstance(values, PackedValues):
        values = pack_values(values) if values else None
    if len(ids) >= _NUMPY_FROM:
        parts, idw, wkind = _numbers_numpy(ids, weights)
    else:
        parts, idw, wkind = _numbers(ids, weights)
    vcode = 0
    if values is not None:
        lens = values.lens
        vw = _width(max(lens))
        vcode = _WIDTHS.index(vw) + 1
        parts.append(lens.tobytes() if vw == 4 else array(_INT_CODES[vw], lens).tobytes())
        parts.append(values.data)
    kinds = _WIDTHS.index(idw) | wkind << 2 | vcode << 4
    body = b"".join(parts)
    if len(body) >= ZLIB_FROM:
        packed = zlib.compress(body, ZLIB_LEVEL)
        if len(packed) < len(body):
            return kinds | _ZLIB, packed
    return kinds, body


_NUMPY_FROM = 48        # postings from which numpy packs ids and weights faster than array and map
_NUMPY_INTS = {1: np.uint8, 2: np.uint16, 4: np.uint32}
_NUMPY_WEIGHTS = {1: np.uint8, 2: np.uint16}


def _weight_kind(maxweight, minweight, integers):
    if maxweight == 1.0 and minweight == 1.0:
        return 0
    if integers:
        return 1 if maxweight < 0x100 else 2 if maxweight < 0x10000 else 3
    return 3


def _numbers(ids, weights):
    """(parts: id gaps and weights as bytes, id width, weight kind) of a few postings."""
    n = len(ids)
    gaps = array("I", ids)
    if n > 1:
        gaps[1:] = array("I", map(int.__sub__, ids[1:], ids[:-1]))
    gaps[0] = 0
    idw = _width(max(gaps))
    parts = [gaps.tobytes() if idw == 4 else array(_INT_CODES[idw], gaps).tobytes()]
    maxweight, minweight = max(weights), min(weights)
    integers = (maxweight == 1.0 and minweight == 1.0) or all(map(float.is_integer, weights))
    wkind = _weight_kind(maxweight, minweight, integers)
    if wkind:
        parts.append(array(_WEIGHT_CODES[wkind], map(int, weights) if wkind < 3 else weights).tobytes())
    return parts, idw, wkind


def _numbers_numpy(ids, weights):
    """``_numbers`` with numpy, the same bytes."""
    ids = np.frombuffer(ids, dtype=np.uint32)
    gaps = np.zeros(len(ids), dtype=np.uint32)
    np.subtract(ids[1:], ids[:-1], out=gaps[1:])
    idw = _width(int(gaps.max()))
    parts = [gaps.astype(_NUMPY_INTS[idw]).tobytes()]
    w = np.frombuffer(weights, dtype=np.float32)
    maxweight, minweight = float(w.max()), float(w.min())
    integers = minweight >= 0 and bool(np.isfinite(maxweight)) and bool((np.floor(w) == w).all())
    wkind = _weight_kind(maxweight, minweight, integers)
    if wkind:
        parts.append(w.astype(_NUMPY_WEIGHTS[wkind]).tobytes() if wkind < 3 else w.tobytes())
    return parts, idw, wkind


def decode_body(kinds, body, n, first):
    """(ids, weights, values) of ``n`` postings from ``encode_body``'s bytes; the first id is ``first``.

    ids and weights are ``array`` objects; values a tuple of bytes, or None.
    """
    if kinds & _ZLIB:
        body = zlib.decompress(body)
    idw, wkind, vcode = _WIDTHS[kinds & 3], (kinds >> 2) & 3, (kinds >> 4) & 3
    gaps = array(_INT_CODES[idw])
    pos = n * idw
    gaps.frombytes(body[:pos])
    ids = array("I", accumulate(gaps, initial=first))
    del ids[0]
    if wkind:
        weights = array(_WEIGHT_CODES[wkind])
        size = weights.itemsize * n
        weights.frombytes(body[pos:pos + size])
        pos += size
        if wkind < 3:
            weights = array("f", weights)
    else:
        weights = array("f", [1.0]) * n
    values = None
    if vcode:
        vw = _WIDTHS[vcode - 1]
        lens = array(_INT_CODES[vw])
        lens.frombytes(body[pos:pos + n * vw])
        pos += n * vw
        ends = list(accumulate(lens, initial=pos))
        values = tuple(body[a:b] for a, b in zip(ends, ends[1:]))
    return ids, weights, values


_NUMPY_WEIGHT_KINDS = {1: np.uint8, 2: np.uint16, 3: np.float32}


def decode_numbers(kinds, body, n, first):
    """(ids as int64, weights as float64) of ``n`` postings from ``encode_body``'s bytes,
    as numpy arrays; the values (positions) that follow them are not decoded, nor
    inflated beyond what the ids and weights need."""
    idw, wkind = _WIDTHS[kinds & 3], (kinds >> 2) & 3
    wsize = (0, 1, 2, 4)[wkind]
    if kinds & _ZLIB:
        body = zlib.decompressobj().decompress(body, n * (idw + wsize))
    gaps = np.frombuffer(body, dtype=_NUMPY_INTS[idw], count=n)
    ids = np.cumsum(gaps, dtype=np.int64)
    ids += first
    if wkind:
        weights = np.frombuffer(body, dtype=_NUMPY_WEIGHT_KINDS[wkind], count=n, offset=n * idw)
        weights = weights.astype(np.float64)
    else:
        weights = np.ones(n)
    return ids, weights


def encode_block(ids, weights, values, minlength, maxlength):
    """Bytes of one postings-file block: header, then body."""
    kinds, body = encode_body(ids, weights, values)
    return HEADER.pack(len(ids), ids[0], ids[-1], max(weights), length_to_byte(minlength) if minlength else 0,
                       length_to_byte(maxlength), kinds) + body


def decode_block(data):
    """(header tuple, ids, weights, values) of one block's bytes."""
    head = HEADER.unpack_from(data)
    return (head,) + decode_body(head[6], data[HEADER.size:], head[0], head[1])


# ---------------------------------------------------------------- term info

def _varint(n):
    if n < 0x80:
        return _SMALL[n]
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return out


_SMALL = [bytes((n,)) for n in range(0x80)]


def _read_varint(data, pos):
    n = shift = 0
    while True:
        b = data[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, pos
        shift += 7


_LENGTH_BYTES = {}


def _length_byte(n):
    b = _LENGTH_BYTES.get(n)
    if b is None:
        b = _LENGTH_BYTES[n] = length_to_byte(n)
    return b


def single_body(weight, value):
    """``encode_body`` of one posting with id gap 0, the common case, in fewer steps."""
    if weight == 1.0:
        kinds, body = 0, b"\x00"
    elif weight.is_integer() and weight < 0x100:
        kinds, body = 1 << 2, bytes((0, int(weight)))
    else:
        return None
    if value is not None:
        if len(value) >= 0x100:
            return None
        kinds |= 1 << 4
        body += bytes((len(value),)) + value
    return (kinds, body) if len(body) < ZLIB_FROM else None


_INLINED, _INT_WEIGHT, _INT_MAXWEIGHT, _NO_IDS = 1, 2, 4, 8
_FLOAT = struct.Struct("<f")


def terminfo_bytes(df, weight, maxweight, minlength_byte, maxlength_byte, minid, maxid, inlined, offset, length):
    """A term's entry in the term dictionary (``TermInfo``'s layout); ``inlined`` is (kinds, body) or None."""
    flags = ((inlined is not None) * _INLINED | weight.is_integer() * _INT_WEIGHT
             | maxweight.is_integer() * _INT_MAXWEIGHT | (minid is None) * _NO_IDS)
    out = bytearray([flags])
    out += _varint(df)
    out += _varint(int(weight)) if flags & _INT_WEIGHT else _FLOAT.pack(weight)
    out += _varint(int(maxweight)) if flags & _INT_MAXWEIGHT else _FLOAT.pack(maxweight)
    out.append(minlength_byte)
    out.append(maxlength_byte)
    if minid is not None:
        out += _varint(minid)
        out += _varint(maxid - minid)
    if inlined is not None:
        out.append(inlined[0])
        out += inlined[1]
    else:
        out += _varint(offset)
        out += _varint(length)
    return bytes(out)


def postings_place(s):
    """Where a term info's postings are, read from its bytes without building a TermInfo:
    ``(document frequency, first id, inline kinds, inline body, offset, length)``, the
    inline pair None for postings in the postings file and the extent None for inline ones."""
    flags = s[0]
    df, pos = _read_varint(s, 1)
    for flag in (_INT_WEIGHT, _INT_MAXWEIGHT):
        if flags & flag:
            while s[pos] >= 0x80:
                pos += 1
            pos += 1
        else:
            pos += 4
    pos += 2                        # min and max length bytes
    minid = None
    if not flags & _NO_IDS:
        minid, pos = _read_varint(s, pos)
        _, pos = _read_varint(s, pos)
    if flags & _INLINED:
        return df, minid, s[pos], bytes(s[pos + 1:]), None, None
    offset, pos = _read_varint(s, pos)
    length, pos = _read_varint(s, pos)
    return df, minid, None, None, offset, length


class TermInfo(whoosh3.W3TermInfo):
    """W3's term statistics as varints, with inline postings as one packed body.

    Layout: flags byte; document frequency; total weight and max weight
    (varints when whole numbers, else float32); min and max length bytes;
    first id and last id minus first (varints); then either the inline
    postings (kinds byte and body) or the postings' offset and length in the
    postings file (varints).
    """

    def to_bytes(self):
        return terminfo_bytes(self._df, float(self._weight), float(self._maxweight),
                              0 if self._minlength is None else _length_byte(self._minlength),
                              _length_byte(self._maxlength), self._minid, self._maxid, self._inlined,
                              self._offset, self._length)

    @classmethod
    def from_bytes(cls, s):
        ti = cls()
        flags = s[0]
        ti._df, pos = _read_varint(s, 1)
        for name, flag in (("_weight", _INT_WEIGHT), ("_maxweight", _INT_MAXWEIGHT)):
            if flags & flag:
                v, pos = _read_varint(s, pos)
            else:
                v, pos = _FLOAT.unpack_from(s, pos)[0], pos + 4
            setattr(ti, name, float(v))
        ti._minlength, ti._maxlength = byte_to_length(s[pos]), byte_to_length(s[pos + 1])
        pos += 2
        if not flags & _NO_IDS:
            ti._minid, pos = _read_varint(s, pos)
            gap, pos = _read_varint(s, pos)
            ti._maxid = ti._minid + gap
        if flags & _INLINED:
            ti._inlined = (s[pos], bytes(s[pos + 1:]))
        else:
            ti._offset, pos = _read_varint(s, pos)
            ti._length, pos = _read_varint(s, pos)
        return ti

    def inlined_postings(self):
        kinds, body = self._inlined
        return decode_body(kinds, body, self._df, self._minid)


class LeafMatcher(whoosh3.W3LeafMatcher):
    """Whoosh's block matcher over packed blocks: only reading a block differs."""

    def _read_header(self):
        self._baseoffset = self._startoffset

    def _goto(self, position):
        f = self._postfile
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        length = BLOCK_LENGTH.unpack(f.get(position, 4))[0]
        self._lastblock = length < 0
        length = abs(length)
        self._dataoffset = position + 4
        self._nextoffset = self._dataoffset + length
        head = HEADER.unpack(f.get(self._dataoffset, HEADER.size))
        self._blocklength, _, self._maxid, self._maxweight, mn, mx = head[:6]
        self._minlength, self._maxlength = byte_to_length(mn), byte_to_length(mx)

    def _read_data(self):
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        _, self._ids, self._weights, self._values = decode_block(raw)
        self._data = True
        if self._values is None:
            self._values = (None,) * self._blocklength

    def _read_ids(self):
        self._read_data()

    _read_weights = _read_values = _read_ids


def postings_reader(dbfile, terminfo, format_, term=None, scorer=None):
    """A matcher over one term's postings, inline or in the postings file."""
    if terminfo.is_inlined():
        ids, weights, values = terminfo.inlined_postings()
        if values is None:
            values = (None,) * len(ids)
        return ListMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)
    offset, length = terminfo.extent()
    return LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)
