"""Writing segments: postings filed without Whoosh's per-posting overhead.

Whoosh's writer sends every posting through an external-sort pool as its own
tuple, sorts them all, then hands them one by one to the postings writer,
which checks types and reads the document's field length from disk for each.
For a news archive that is millions of postings, and it dominated the time of
a build.  Here an analysed field arrives as the document's terms in order,
as numbers of the worker's vocabulary (``Prepared``, made by
``indexer.prepare``); the pool appends them to a flat per-field array of
4-byte numbers in one C-level call.  When the segment is written, one stable numpy sort
per field groups the terms by term and document: the runs give each posting's
frequency and, for fields with positions, its positions as varint gaps,
encoded for all postings at once.  Each term's postings then go to the
codec's field writer (``indexer.store.codec``) in one call.

The pool holds a segment's terms in memory (4 bytes an occurrence, about 40
more for the largest field during the sort); ``indexer.batch`` bounds it
by finishing a segment every so many articles or term occurrences.
"""
import os
from array import array
from collections import defaultdict
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from whoosh import fields, formats
from whoosh.analysis import IDTokenizer
from whoosh.index import LockError
from whoosh.writing import SegmentWriter

from .codec import Codec
from .postings import PackedValues, pack_values
from .formats import encode_positions


class Prepared(NamedTuple):
    """One document's analysed terms of one field, in order, as numbers of a vocabulary."""
    ids: array                   # int32 term numbers: ``vocabulary.terms()[n]`` is the term
    positions: bool              # whether the field keeps each term's positions
    vocabulary: object           # ``indexer.prepare.Vocabulary``: ``ids`` (term -> number) and ``terms()``

    @property
    def length(self):
        """The field's length: its number of terms."""
        return len(self.ids)

    def postings(self):
        """``(term bytes, frequency, weight, value bytes)`` per distinct term, as a Whoosh field's ``index``."""
        terms = self.vocabulary.terms()
        poses = defaultdict(list)
        for pos, n in enumerate(self.ids):
            poses[terms[n]].append(pos)
        for term, plist in poses.items():
            yield (term.encode("utf-8"), len(plist), float(len(plist)),
                   encode_positions(plist) if self.positions else b"")


class _Column:
    """A field's postings in arrival order (fields Whoosh analyses: ids, keywords)."""

    __slots__ = ("terms", "docs", "weights", "values")

    def __init__(self):
        self.terms, self.docs, self.weights, self.values = [], array("I"), array("f"), []


class _Terms:
    """A field's term numbers in arrival order (fields from ``Prepared``), document by document."""

    __slots__ = ("vocabulary", "ids", "docs", "lengths", "positions")

    def __init__(self, positions, vocabulary):
        self.vocabulary = vocabulary
        self.ids, self.docs, self.lengths = array("i"), array("I"), array("I")
        self.positions = positions


class TermPool:
    """Postings of one segment, by field, in memory."""

    def __init__(self):
        self.fields = {}
        self.terms = {}
        self.count = 0

    def add(self, item):
        """File one posting ``(field, term bytes, docnum, weight, value)``, as Whoosh's pool does."""
        fieldname, tbytes, docnum, weight, vbytes = item
        if fieldname in self.terms:
            raise ValueError("field %s gets both Prepared terms and postings" % fieldname)
        col = self.fields.get(fieldname)
        if col is None:
            col = self.fields[fieldname] = _Column()
        col.terms.append(tbytes)
        col.docs.append(docnum)
        col.weights.append(weight)
        col.values.append(vbytes or b"")
        self.count += 1

    def add_prepared(self, fieldname, docnum, prepared):
        """File one document's ``Prepared`` terms of a field."""
        col = self.terms.get(fieldname)
        if col is None:
            if fieldname in self.fields:
                raise ValueError("field %s gets both Prepared terms and postings" % fieldname)
            col = self.terms[fieldname] = _Terms(prepared.positions, prepared.vocabulary)
        ids = prepared.ids
        if prepared.vocabulary is not col.vocabulary:
            # Numbered by a vocabulary that replaced the one the segment began with.
            terms = prepared.vocabulary.terms()
            ids = array("i", map(col.vocabulary.ids.__getitem__, map(terms.__getitem__, ids)))
        col.ids.extend(ids)
        col.docs.append(docnum)
        col.lengths.append(len(ids))
        self.count += len(ids)

    def iter_postings(self):
        """The pooled postings, for the field writer."""
        return _TermStream(self)

    def cleanup(self):
        """Forget the pooled postings."""
        self.fields, self.terms = {}, {}
        self.count = 0


def _encoded(term):
    return term.encode("utf-8") if isinstance(term, str) else term


def _sorted_ranks(terms):
    """(the distinct ``terms`` sorted, each term's rank in that order as an int32 array)."""
    # Code point order of str is the byte order of its UTF-8.
    order = sorted(range(len(terms)), key=terms.__getitem__)
    rank = np.empty(len(terms), dtype=np.int32)
    rank[order] = np.arange(len(terms), dtype=np.int32)
    return [terms[i] for i in order], rank


def _varints(gaps):
    """(bytes per number, all numbers' varint bytes one after another) of an int32 or int64 array."""
    widths = np.ones(len(gaps), dtype=np.uint8)
    for shift in (7, 14, 21, 28, 35)[:4 if gaps.dtype.itemsize <= 4 else 5]:
        widths += gaps >= (1 << shift)
    ends = np.cumsum(widths, dtype=np.int64)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    starts = ends - widths
    for k in range(int(widths.max()) if len(widths) else 0):
        has = widths > k
        byte = (gaps[has] >> (7 * k)) & 0x7F
        byte |= np.where(widths[has] > k + 1, 0x80, 0)
        out[starts[has] + k] = byte
    return widths, out


def _term_postings(col):
    """``by_field``'s tuple (without the field name) of a ``_Terms`` column."""
    ids = np.frombuffer(col.ids, dtype=np.int32)
    known = col.vocabulary.terms()
    used = np.zeros(len(known), dtype=bool)
    used[ids] = True
    used = np.flatnonzero(used)
    terms, rank = _sorted_ranks([known[i] for i in used.tolist()])
    ranks = np.zeros(len(known), dtype=np.int32)     # vocabulary number -> rank of the term in this field
    ranks[used] = rank
    # int32 throughout where it fits: these arrays are a segment's largest.
    lengths = np.frombuffer(col.lengths, dtype=np.uint32).astype(np.int32)
    n = int(lengths.sum(dtype=np.int64))
    key = ranks[ids]
    # Occurrences arrive by document, then position: a stable sort by term
    # keeps that order within each term.
    order = np.argsort(key, kind="stable")
    skey = key[order]
    sdoc = np.repeat(np.frombuffer(col.docs, dtype=np.uint32), lengths)[order]
    new = np.empty(n, dtype=bool)
    new[:1] = True
    np.not_equal(skey[1:], skey[:-1], out=new[1:])
    new[1:] |= sdoc[1:] != sdoc[:-1]
    first = np.flatnonzero(new)                  # each posting's first occurrence
    freqs = np.diff(np.append(first, n))
    ends = np.cumsum(np.bincount(skey[first], minlength=len(terms))).tolist()
    values = None
    if col.positions:
        pos = np.arange(n, dtype=np.int32)
        pos -= np.repeat(np.cumsum(lengths, dtype=np.int32) - lengths, lengths)
        pos = pos[order]
        gaps = pos.copy()
        gaps[1:] -= pos[:-1]
        gaps[first] = pos[first]
        widths, data = _varints(gaps)
        values = PackedValues(array("I", np.add.reduceat(widths, first, dtype=np.uint32).tobytes()),
                              data.tobytes())
    return ([t.encode("utf-8") for t in terms], ends, array("I", sdoc[first].tobytes()),
            array("f", freqs.astype(np.float32).tobytes()), values)


def _column_postings(col):
    """``by_field``'s tuple (without the field name) of a ``_Column``."""
    uniq = sorted(dict.fromkeys(col.terms))
    rank = dict(zip(uniq, range(len(uniq))))
    n = len(col.terms)
    tid = np.fromiter(map(rank.__getitem__, col.terms), dtype=np.int64, count=n)
    docs = np.frombuffer(col.docs, dtype=np.uint32)
    order = np.lexsort((docs, tid))
    values = None
    if col.values:
        ordered = itemgetter(*order.tolist())(col.values) if n > 1 else tuple(col.values)
        values = pack_values(ordered)
    return ([_encoded(t) for t in uniq], np.cumsum(np.bincount(tid, minlength=len(uniq))).tolist(),
            array("I", docs[order].tobytes()),
            array("f", np.frombuffer(col.weights, dtype=np.float32)[order].tobytes()), values)


class _TermStream:
    """What ``TermPool.iter_postings`` gives: postings one by one, or term by term."""

    def __init__(self, pool):
        self.pool = pool

    def by_field(self):
        """``(field, terms, ends, docnums, weights, values)`` per field, sorted by field.

        ``terms`` are the field's distinct terms as bytes, sorted; the
        postings of ``terms[i]`` are ``[ends[i-1]:ends[i]]`` of ``docnums``
        (array of uint32, ascending within a term), ``weights`` (array of
        float32) and ``values`` (``PackedValues``, or None).
        """
        pool = self.pool
        for fieldname in sorted(set(pool.fields) | set(pool.terms)):
            if fieldname in pool.terms:
                yield (fieldname,) + _term_postings(pool.terms[fieldname])
            else:
                yield (fieldname,) + _column_postings(pool.fields[fieldname])


def add_prepared(writer, doc):
    """``writer.add_document(**doc)`` for a document from ``indexer.prepare``.

    Ready-made posting lists go to the term pool in one call per field
    instead of one per posting; everything else is filed as Whoosh does.
    The schema has no spelling or vector fields, which this does not handle.
    """
    schema = writer.schema
    docnum = writer.docnum
    perdoc = writer.perdocwriter
    pool = writer.pool
    whole = writer.whole_value_fields
    perdoc.start_doc(docnum)
    for fieldname in sorted(doc):
        value = doc[fieldname]
        field = schema[fieldname]
        length = 0
        if field.indexed:
            if isinstance(value, Prepared):
                pool.add_prepared(fieldname, docnum, value)
                length = value.length
            elif fieldname in whole and isinstance(value, str):
                pool.add((fieldname, value.encode("utf-8"), docnum, field.format.field_boost, b""))
                length = 1
            else:
                for tbytes, freq, weight, vbytes in field.index(value):
                    length += freq
                    pool.add((fieldname, tbytes, docnum, weight, vbytes))
            if not field.scorable:
                length = 0
        perdoc.add_field(fieldname, field, value if field.stored else None, length)
        if field.column_type and value is not None:
            perdoc.add_column_value(fieldname, field.column_type, field.to_column_value(value))
    perdoc.finish_doc()
    writer._added = True
    writer.docnum += 1


class WriterLocked(Exception):
    """Another writer holds the index's write lock."""


def segment_writer(ix, timeout):
    """A writer adding one new segment to ``ix``, its postings pooled by term.

    Raises WriterLocked when another writer holds the lock past ``timeout`` seconds.
    """
    try:
        writer = SegmentWriter(ix, timeout=timeout, codec=Codec())
    except LockError:
        raise WriterLocked(ix.storage.folder)
    writer.pool = TermPool()
    writer.whole_value_fields = whole_value_fields(ix.schema)
    return writer


def whole_value_fields(schema):
    """Names of the fields indexed as one term, the whole value (``ID`` fields).

    Whoosh's tokenizer and format would make that one posting from the
    value through a generator and a set per document; ``add_prepared``
    files it directly.
    """
    return frozenset(name for name, field in schema.items() if isinstance(field, fields.ID) and field.indexed
                     and type(field.analyzer) is IDTokenizer
                     and type(field.format) is formats.Existence)


def finish_segment(writer, folder):
    """Write out the segment ``writer`` filed, release the writer; returns (segment, its files)."""
    segment = writer._finalize_segment()
    writer._finish()
    segid = segment.segment_id()
    paths = [os.path.join(folder, f) for f in os.listdir(folder) if f.startswith(segid + ".")]
    return segment, paths


def add_segment(writer, segment):
    """Make a finished ``segment`` (its files already in the index folder) part of ``writer``'s commit."""
    writer.segments.append(segment)


# Segments under this many articles are merged at the end of a run.
SMALL_SEGMENT = 2000


def merge_small(writer, segments):
    """A merge policy: merge the segments of fewer than SMALL_SEGMENT articles, keep the rest.

    Small updates leave small segments behind, and each costs searches a
    lookup per term; merging them is cheap.  Whoosh's own policy also
    re-merges large segments (with many of a bulk build's segments, most of
    them, one posting at a time in one process), which is what makes a large
    build slow, so large segments are left as they are.
    """
    from whoosh.reading import SegmentReader
    small = [s for s in segments if s.doc_count() < SMALL_SEGMENT]
    if len(small) < 2:
        return list(segments)
    totals = writer.perdocwriter._fieldlengths
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        before = dict(totals)
        writer.add_reader(reader)
        # Whoosh adds up the merged documents' one-byte (rounded) lengths;
        # the segment's exact totals keep average lengths, and so scores,
        # what they were before the merge.
        for name in set(totals) | set(before):
            if reader.schema[name].scorable if name in reader.schema else False:
                totals[name] = before.get(name, 0) + reader.field_length(name)
        reader.close()
    return [s for s in segments if s not in small]


def commit(writer, merge):
    """Commit ``writer``; ``merge`` the small segments (``merge_small``) too."""
    from whoosh.writing import NO_MERGE
    writer.commit(mergetype=merge_small if merge else NO_MERGE)
