"""How the index lays out postings on disk: Whoosh's codec, with rare terms inline.

Whoosh writes each term's postings as a separately pickled and compressed
block, even for a term found in a single article.  Most of a news archive's
vocabulary is that rare, and those blocks took most of the time spent
writing an index.  Whoosh can keep short posting lists inside the term's
entry instead ("inlining"), and reads them back natively, but the writing
side of that feature is broken in whoosh-reloaded 2.7.5 (it calls a method
name that does not exist), so no index ever used it.  This codec repairs it.

Segments pickle their codec, so this class must stay importable by this name.
"""
from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter

from .writer import FastFieldWriter

INLINE_LIMIT = 8       # posting lists shorter than this live in the term's entry


class InlineCodec(W3Codec):
    """W3Codec whose short posting lists are written inline."""

    def __init__(self, blocklimit=128, compression=3, inlinelimit=INLINE_LIMIT):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return FastFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return InlinePostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                    compression=self._compression, inlinelimit=self._inlinelimit)


class InlinePostingsWriter(W3PostingsWriter):
    def finish_postings(self):
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()
