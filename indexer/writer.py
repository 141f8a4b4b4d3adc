"""Filing postings into a Whoosh segment without Whoosh's per-posting overhead.

Whoosh's writer sends every posting through an external-sort pool as its own
tuple, sorts them all, then hands them one by one to the postings writer,
which checks types and reads the document's field length from disk for each.
For a news archive that is millions of postings, and it dominated the time of
a build.  Here postings are grouped by term as they arrive (documents come in
increasing order, so each term's list is already sorted), only the distinct
terms are sorted, field lengths are read once per document, and each block of
postings is filled in one step.  The bytes on disk are Whoosh's own.

The pool holds a segment's postings in memory; ``indexer.build`` bounds it by
committing every so many articles.
"""
from array import array

from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.writing import SegmentWriter


class TermPool:
    """Postings of one segment, grouped by (field, term), in memory."""

    def __init__(self):
        self.terms = {}
        self.fieldnames = set()
        self.count = 0

    def add(self, item):
        fieldname, tbytes, docnum, weight, vbytes = item
        entry = self.terms.get((fieldname, tbytes))
        if entry is None:
            entry = self.terms[(fieldname, tbytes)] = (array("I"), array("f"), [])
            self.fieldnames.add(fieldname)
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(vbytes)
        self.count += 1

    def iter_postings(self):
        return _TermStream(self)

    def cleanup(self):
        self.terms = {}
        self.count = 0


class _TermStream:
    """What ``TermPool.iter_postings`` gives: postings one by one, or term by term."""

    def __init__(self, pool):
        self.pool = pool

    def by_term(self):
        terms = self.pool.terms
        for key in sorted(terms):
            docnums, weights, values = terms[key]
            if any(a > b for a, b in zip(docnums, docnums[1:])):
                order = sorted(range(len(docnums)), key=docnums.__getitem__)
                docnums = array("I", (docnums[i] for i in order))
                weights = array("f", (weights[i] for i in order))
                values = [values[i] for i in order]
            yield key[0], key[1], docnums, weights, values

    def __iter__(self):
        for fieldname, tbytes, docnums, weights, values in self.by_term():
            for i in range(len(docnums)):
                yield fieldname, tbytes, docnums[i], weights[i], values[i]


class FastFieldWriter(W3FieldWriter):
    """W3FieldWriter that files a whole term's postings at once."""

    def add_postings(self, schema, lengths, items):
        if not isinstance(items, _TermStream):
            return super().add_postings(schema, lengths, items)
        doccount = getattr(lengths, "_doccount", 0) if lengths else 0
        field_lengths = {}
        current = None
        for fieldname, tbytes, docnums, weights, values in items.by_term():
            if fieldname != current:
                if current is not None:
                    self.finish_field()
                current = fieldname
                self.start_field(fieldname, schema[fieldname])
                if lengths is not None and schema[fieldname].scorable:
                    dfl = lengths.doc_field_length
                    field_lengths = [dfl(d, fieldname) for d in range(doccount)]
                else:
                    field_lengths = None
            self.start_term(tbytes)
            self._file_term(docnums, weights, values, field_lengths)
            self.finish_term()
        if current is not None:
            self.finish_field()

    def _file_term(self, docnums, weights, values, field_lengths):
        pw = self._postwriter
        limit = pw._blocklimit
        for start in range(0, len(docnums), limit):
            if start:
                pw._write_block()
            ids = docnums[start:start + limit]
            wts = weights[start:start + limit]
            pw._ids.extend(ids)
            pw._weights.extend(wts)
            pw._values.extend(v for v in values[start:start + limit] if v)
            pw._maxweight = max(wts)
            if field_lengths is not None:
                lens = [field_lengths[d] for d in ids]
                nonzero = [n for n in lens if n]
                pw._minlength = min(nonzero) if nonzero else None
                pw._maxlength = max(lens)


def fast_writer(ix, codec, timeout):
    """A Whoosh SegmentWriter on ``ix`` that pools postings by term.

    ``codec`` should make ``FastFieldWriter``s (``indexer.codec.InlineCodec``
    does), or the grouped postings are filed one by one.
    """
    writer = SegmentWriter(ix, timeout=timeout, codec=codec)
    writer.pool = TermPool()
    return writer
