"""Writing segments: postings filed without Whoosh's per-posting overhead.

Whoosh's writer sends every posting through an external-sort pool as its own
tuple, sorts them all, then hands them one by one to the postings writer,
which checks types and reads the document's field length from disk for each.
For a news archive that is millions of postings, and it dominated the time of
a build.  Here postings are grouped by term as they arrive (documents come in
increasing order, so each term's list is already sorted), only the distinct
terms are sorted, and each term's postings are handed to the codec's field
writer (``indexer.store.codec``) in one call.

The pool holds a segment's postings in memory; ``indexer.build`` bounds it by
committing every so many articles.
"""
from array import array

import os

from whoosh.index import LockError
from whoosh.writing import SegmentWriter

from .codec import Codec


class TermPool:
    """Postings of one segment, grouped by field and term, in memory."""

    def __init__(self):
        self.fields = {}
        self.fieldnames = set()
        self.count = 0
        self.unordered = False      # set if postings of a term ever arrive out of order

    def _terms(self, fieldname):
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item):
        """File one posting ``(field, term bytes, docnum, weight, value)``, as Whoosh's pool does."""
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self._terms(fieldname)
        entry = terms.get(tbytes)
        if entry is None:
            entry = terms[tbytes] = (array("I"), array("f"), [])
        elif entry[0][-1] > docnum:
            self.unordered = True
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(vbytes)
        self.count += 1

    def add_list(self, fieldname, docnum, postings):
        """File one document's ready-made postings of a field; returns its length."""
        terms = self._terms(fieldname)
        length = 0
        for tbytes, freq, weight, vbytes in postings:
            entry = terms.get(tbytes)
            if entry is None:
                entry = terms[tbytes] = (array("I"), array("f"), [])
            entry[0].append(docnum)
            entry[1].append(weight)
            entry[2].append(vbytes)
            length += freq
        self.count += len(postings)
        return length

    def iter_postings(self):
        """The pooled postings, for the field writer."""
        return _TermStream(self)

    def cleanup(self):
        """Forget the pooled postings."""
        self.fields = {}
        self.count = 0


class _TermStream:
    """What ``TermPool.iter_postings`` gives: postings one by one, or term by term."""

    def __init__(self, pool):
        self.pool = pool

    def by_term(self):
        """``(field, term bytes, docnums, weights, values)`` per term, sorted by field and term."""
        for fieldname in sorted(self.pool.fields):
            terms = self.pool.fields[fieldname]
            for tbytes in sorted(terms):
                if self.pool.unordered:
                    yield (fieldname, tbytes) + self._in_order(*terms[tbytes])
                else:
                    yield (fieldname, tbytes) + terms[tbytes]

    @staticmethod
    def _in_order(docnums, weights, values):
        order = sorted(range(len(docnums)), key=docnums.__getitem__)
        return (array("I", (docnums[i] for i in order)), array("f", (weights[i] for i in order)),
                [values[i] for i in order])

    def __iter__(self):
        for fieldname, tbytes, docnums, weights, values in self.by_term():
            for i in range(len(docnums)):
                yield fieldname, tbytes, docnums[i], weights[i], values[i]


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
            if isinstance(value, list) and value and isinstance(value[0], tuple):
                length = pool.add_list(fieldname, docnum, value)
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
