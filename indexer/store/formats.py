"""What a posting of each analysed field holds, and how its value is encoded.

The schema pickles these classes by name, so they stay importable here.

- ``Frequencies``: no value at all.  The posting's weight is the term's
  frequency in the field, which is all BM25F needs; fields searched only by
  words (the stems) take this.
- ``Positions``: the term's positions, for phrases, as varint gaps (a byte
  per position in almost every case) instead of Whoosh's pickled list.
"""
from collections import defaultdict
from itertools import accumulate

from whoosh import formats


class Frequencies(formats.Format):
    """Postings with a weight (the frequency) and no value."""

    posting_size = 0

    def word_values(self, value, analyzer, **kwargs):
        freqs = defaultdict(int)
        for t in formats.tokens(value, analyzer, kwargs):
            freqs[t.text] += 1
        return ((w, n, float(n) * self.field_boost, b"") for w, n in freqs.items())


def encode_positions(poslist):
    """Varint gaps of an increasing list of positions."""
    gaps = [b - a for a, b in zip([0] + poslist[:-1], poslist)]
    if max(gaps) < 0x80:
        return bytes(gaps)
    out = bytearray()
    for g in gaps:
        while g >= 0x80:
            out.append((g & 0x7F) | 0x80)
            g >>= 7
        out.append(g)
    return bytes(out)


def decode_positions(data):
    """The positions ``encode_positions`` wrote."""
    if not data:
        return []
    if max(data) < 0x80:
        return list(accumulate(data))
    gaps, g, shift = [], 0, 0
    for byte in data:
        g |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            gaps.append(g)
            g = shift = 0
    return list(accumulate(gaps))


class Positions(formats.Positions):
    """Whoosh's Positions with the positions as varint gaps."""

    def encode(self, poslist):
        return encode_positions(poslist)

    def decode_positions(self, valuestring):
        return decode_positions(valuestring)

    def decode_frequency(self, valuestring):
        return len(decode_positions(valuestring))
