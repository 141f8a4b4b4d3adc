"""The index's codec: Whoosh's W3 layout with akhbar's postings format.

Terms, columns, stored fields and segment files are Whoosh's own; postings
blocks and inline postings are those of ``indexer.store.postings``.  Each
segment pickles its codec, so ``Codec`` must stay importable by this name.
"""
from array import array

import numpy as np
from whoosh.codec import whoosh3
from whoosh.system import pack_ushort

from .postings import BLOCK_LIMIT, INLINE_LIMIT, TermInfo, postings_reader
from .termwriter import PostingsWriter, file_entries, write_terms


class Codec(whoosh3.W3Codec):
    """W3Codec writing and reading packed postings blocks."""

    def __init__(self, blocklimit=BLOCK_LIMIT, compression=1, inlinelimit=INLINE_LIMIT):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:
            raise ValueError("term vectors are not supported by this codec")
        return PostingsWriter(dbfile, blocklimit=self._blocklimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        return postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)

    def terms_reader(self, storage, segment):
        tiname = segment.make_filename(self.TERMS_EXT)
        tilen = storage.file_length(tiname)
        tifile = storage.open_file(tiname)
        postfile = segment.open_file(storage, self.POSTS_EXT)
        return TermsReader(self, tifile, tilen, postfile)


class FieldWriter(whoosh3.W3FieldWriter):
    """W3FieldWriter with this codec's term info; files a whole term's postings at once."""

    def start_term(self, btext):
        if self._postwriter is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, TermInfo())

    def add_postings(self, schema, lengths, items):
        """Write a segment's postings; field by field when ``items`` has ``by_field`` (a TermPool's)."""
        by_field = getattr(items, "by_field", None)
        if by_field is None:
            return super().add_postings(schema, lengths, items)
        doccount = lengths.doc_count_all() if lengths is not None else 0
        for fieldname, terms, ends, docs, weights, values in by_field():
            field = schema[fieldname]
            self.start_field(fieldname, field)
            if lengths is not None and field.scorable:
                dfl = lengths.doc_field_length
                per_doc = np.array([dfl(d, fieldname) or 0 for d in range(doccount)], dtype=np.uint32)
                lens = array("I", per_doc[np.frombuffer(docs, dtype=np.uint32)].tobytes())
            else:
                lens = array("I", bytes(4 * len(docs)))
            if field.format.fixed_value_size() == 0:
                values = None
            file_entries(self._tindex, pack_ushort(self._fieldid),
                         write_terms(self._postfile, terms, ends, docs, weights, values, lens))
            self.finish_field()


class FieldCursor(whoosh3.W3FieldCursor):
    def term_info(self):
        if self._pos is None:
            return None
        return TermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))


class TermsReader(whoosh3.W3TermsReader):
    """W3TermsReader decoding this codec's term infos."""

    def cursor(self, fieldname, fieldobj):
        return FieldCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def items(self):
        decode = self._keydecoder
        return ((decode(k), TermInfo.from_bytes(v)) for k, v in self._tindex.items())

    def items_from(self, fieldname, prefix):
        decode = self._keydecoder
        return ((decode(k), TermInfo.from_bytes(v))
                for k, v in self._tindex.items_from(self._keycoder(fieldname, prefix)))

    # These two raise KeyError for an unknown term, as W3's do (readers count on it).
    def frequency(self, fieldname, tbytes):
        return TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).weight()

    def doc_frequency(self, fieldname, tbytes):
        return TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).doc_frequency()

    def term_info(self, fieldname, tbytes):
        try:
            return TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            from whoosh.reading import TermNotFound
            raise TermNotFound("No term %s:%r" % (fieldname, tbytes))
