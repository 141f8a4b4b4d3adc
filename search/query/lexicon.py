"""Document frequencies of the searched fields, answered from arrays.

Name variants, "did you mean" and the idf of expanded words ask for the
document frequency of hundreds of candidate words per query.  A Whoosh
reader answers each by a hash-table lookup in every segment's term file, a
few file reads per segment: at 350,000 articles in 29 segments about 3 ms a
word, most of a search.  ``DocCounts`` reads each segment's term table of a
field once per index generation (indexer.store.arrays.term_counts), keeps
the distinct 64-bit hashes of its terms with their document frequencies
summed over the segments (12 bytes a distinct term), and answers a word with
one binary search.

The counts are the term dictionary's own, so scores computed from them are
Whoosh's to the last bit.  A hash shared by two different terms of one
segment is noticed and such words are asked of the reader; two terms of
different segments sharing a 64-bit hash would go unnoticed (odds about one
in 10^13 per lookup at a million distinct words).
"""
import numpy as np

from indexer.store import arrays

EXACT_FIELDS = ("title_exact", "body_exact")
# The stemmed fields too: a query's idf and the weight of its variants ask for them.
COUNTED_FIELDS = EXACT_FIELDS + ("title", "body")
_MASK = 0xFFFFFFFFFFFFFFFF


def fnv1a(data):
    """``arrays.string_hashes`` of one byte string, without numpy's per-call cost."""
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & _MASK
    return h


class DocCounts:
    """Document frequencies of ``fields`` over every segment of ``reader``."""

    def __init__(self, reader, fields=COUNTED_FIELDS):
        self.fields = tuple(fields)
        segments = [segment for segment, _ in arrays.segments(reader)]
        # Per field: (sorted distinct hashes, summed frequencies, hashes asked of the reader).
        self._tables = {f: arrays.summed_term_counts(segments, f) for f in self.fields}

    def hashes(self, field):
        return self._tables[field][0]

    def nbytes(self):
        return sum(h.nbytes + c.nbytes for h, c, _ in self._tables.values())

    def lookup(self, field, text):
        """Documents holding ``text`` (str or bytes) in ``field``, deleted ones included;
        None when only a reader can tell (a field not kept here, a clashing hash)."""
        table = self._tables.get(field)
        if table is None:
            return None
        hashes, counts, clash = table
        h = fnv1a(text.encode("utf-8") if isinstance(text, str) else text)
        if h in clash:
            return None
        at = int(np.searchsorted(hashes, np.uint64(h)))
        if at < len(hashes) and int(hashes[at]) == h:
            return int(counts[at])
        return 0

    def over(self, reader):
        """``reader`` (another reader of the same segments) answering document frequencies from here."""
        return CountedReader(reader, self)


class CountedReader:
    """A Whoosh reader whose ``doc_frequency`` is a ``DocCounts`` lookup; all else is the reader's."""

    def __init__(self, reader, counts):
        self._reader = reader
        self._counts = counts

    def doc_frequency(self, fieldname, text):
        found = self._counts.lookup(fieldname, text)
        return self._reader.doc_frequency(fieldname, text) if found is None else found

    @property
    def uncounted(self):
        return self._reader

    def __getattr__(self, name):
        return getattr(self._reader, name)


def uncounted(reader):
    """The reader itself behind a ``CountedReader`` (its term dictionary, not the hashes)."""
    return getattr(reader, "uncounted", reader)
