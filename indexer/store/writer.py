"""Writing segments: postings filed without Whoosh's per-posting overhead.

Whoosh's writer sends every posting through an external-sort pool as its own
tuple, sorts them all, then hands them one by one to the postings writer,
which checks types and reads the document's field length from disk for each.
For a news archive that is millions of postings, and it dominated the time of
a build.  Here a document's ready-made postings (``Prepared``, made in the
worker processes by ``indexer.prepare``) are appended to flat per-field
columns in a few C-level calls; when the segment is written the columns are
grouped by term with one numpy sort, and each term's postings go to the
codec's field writer (``indexer.store.codec``) in one call.

The pool holds a segment's postings in memory (about 25 bytes a posting plus
the encoded positions); ``indexer.build`` bounds it by finishing a segment
every so many articles.
"""
import os
from array import array
from operator import itemgetter
from typing import List, NamedTuple, Optional

import numpy as np
from whoosh.index import LockError
from whoosh.writing import SegmentWriter

from .codec import Codec


class Prepared(NamedTuple):
    """One document's postings of one field, ready to file."""
    terms: List[str]             # each distinct term once
    weights: List[float]         # its frequency
    values: Optional[List[bytes]]  # its encoded positions, or None for a field without
    length: int                  # the field's length (sum of the frequencies)


class _Column:
    """A field's postings in arrival order."""

    __slots__ = ("terms", "docs", "weights", "values")

    def __init__(self):
        self.terms, self.docs, self.weights, self.values = [], array("I"), array("f"), []


class TermPool:
    """Postings of one segment, by field, in memory."""

    def __init__(self):
        self.fields = {}
        self.count = 0

    def _column(self, fieldname):
        col = self.fields.get(fieldname)
        if col is None:
            col = self.fields[fieldname] = _Column()
        return col

    def add(self, item):
        """File one posting ``(field, term bytes, docnum, weight, value)``, as Whoosh's pool does."""
        fieldname, tbytes, docnum, weight, vbytes = item
        col = self._column(fieldname)
        col.terms.append(tbytes)
        col.docs.append(docnum)
        col.weights.append(weight)
        col.values.append(vbytes or b"")
        self.count += 1

    def add_prepared(self, fieldname, docnum, prepared):
        """File one document's ``Prepared`` postings of a field."""
        col = self._column(fieldname)
        n = len(prepared.terms)
        col.terms.extend(prepared.terms)
        col.docs.extend(array("I", [docnum]) * n)
        col.weights.extend(prepared.weights)
        if prepared.values is not None:
            col.values.extend(prepared.values)
        self.count += n

    def iter_postings(self):
        """The pooled postings, for the field writer."""
        return _TermStream(self)

    def cleanup(self):
        """Forget the pooled postings."""
        self.fields = {}
        self.count = 0


def _encoded(term):
    return term.encode("utf-8") if isinstance(term, str) else term


class _TermStream:
    """What ``TermPool.iter_postings`` gives: postings one by one, or term by term."""

    def __init__(self, pool):
        self.pool = pool

    def by_field(self):
        """``(field, terms, ends, docnums, weights, values)`` per field, sorted by field.

        ``terms`` are the field's distinct terms as bytes, sorted; the
        postings of ``terms[i]`` are ``[ends[i-1]:ends[i]]`` of ``docnums``
        (array of uint32, ascending within a term), ``weights`` (array of
        float32) and ``values`` (a tuple of bytes, or None).
        """
        for fieldname in sorted(self.pool.fields):
            col = self.pool.fields[fieldname]
            # Code point order of str is the byte order of its UTF-8.
            uniq = sorted(dict.fromkeys(col.terms))
            rank = dict(zip(uniq, range(len(uniq))))
            n = len(col.terms)
            tid = np.fromiter(map(rank.__getitem__, col.terms), dtype=np.int64, count=n)
            docs = np.frombuffer(col.docs, dtype=np.uint32)
            order = np.lexsort((docs, tid))
            values = None
            if col.values:
                values = itemgetter(*order.tolist())(col.values) if n > 1 else tuple(col.values)
            yield (fieldname, [_encoded(t) for t in uniq], np.cumsum(np.bincount(tid, minlength=len(uniq))).tolist(),
                   array("I", docs[order].tobytes()),
                   array("f", np.frombuffer(col.weights, dtype=np.float32)[order].tobytes()), values)

    def by_term(self):
        """``(field, term bytes, docnums, weights, values or None)`` per term, sorted by field and term."""
        for fieldname, terms, ends, docs, weights, values in self.by_field():
            start = 0
            for term, end in zip(terms, ends):
                yield fieldname, term, docs[start:end], weights[start:end], values and values[start:end]
                start = end

    def __iter__(self):
        for fieldname, tbytes, docnums, weights, values in self.by_term():
            for i in range(len(docnums)):
                yield fieldname, tbytes, docnums[i], weights[i], values[i] if values else b""


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
    perdoc.start_doc(docnum)
    for fieldname in sorted(doc):
        value = doc[fieldname]
        field = schema[fieldname]
        length = 0
        if field.indexed:
            if isinstance(value, Prepared):
                pool.add_prepared(fieldname, docnum, value)
                length = value.length
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
    return writer


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
