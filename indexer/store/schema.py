"""The Whoosh schema of an akhbar index.

Analysed fields receive lists of terms that ``indexer.analysis`` made; Whoosh
never analyses article text itself, so documents and queries cannot drift
apart.  The schema therefore holds no analyzer classes to pickle beyond
Whoosh's own.

Whoosh pickles the schema into every index's table of contents, classes by
their module path: ``PreparedText`` is recorded as
``indexer.store.schema.PreparedText``, and indexes written before it moved
here name it ``indexer.schema.PreparedText``, which ``indexer.schema`` keeps
importable.  Neither path may change without a rebuild of every index.
"""
from whoosh import fields
from whoosh.analysis import IDTokenizer

from .formats import Frequencies, Positions
from .writer import Prepared


class PreparedText(fields.TEXT):
    """A text field whose postings may arrive ready-made.

    The indexer's workers analyse an article into each field's terms
    (``indexer.store.writer.Prepared``), which the segment writer files for a
    whole segment at once.  A plain list of terms is still accepted and
    analysed here.
    """

    def index(self, value, **kwargs):
        if isinstance(value, Prepared):
            return value.postings()
        return super().index(value, **kwargs)


def _terms_field(positions):
    """A field of ready-made terms; ``positions`` for the fields phrases are matched in.

    Fields searched by single words (the stems) keep only each term's
    frequency, which is all their scores use.
    """
    field = PreparedText(analyzer=IDTokenizer(), phrase=positions, stored=False)
    field.format = Positions() if positions else Frequencies()
    return field


def _spellings_field():
    """Terms matched only as filters (``=كَتَبَ``) and counted (``akhbar forms``): never scored by length."""
    field = _terms_field(False)
    field.scorable = False
    return field


def make_schema():
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        file=fields.ID(stored=True, sortable=True),  # absolute path of the source file
        filesig=fields.ID(sortable=True),      # "mtime_ns\x1fsize": unchanged-file check
        path=fields.STORED(),                  # path relative to the indexed folder
        dupkey=fields.ID(stored=True, sortable=True),
        title=_terms_field(False),             # stems
        title_exact=_terms_field(True),        # normalised words
        body=_terms_field(False),
        body_exact=_terms_field(True),
        related=_terms_field(False),
        written=_spellings_field(),            # normalised=as written
        tags=fields.KEYWORD(stored=False, commas=True, lowercase=False),
        source=fields.KEYWORD(stored=False, commas=True, lowercase=False, sortable=True),
        lang=fields.ID(stored=True, sortable=True),
        month=fields.ID(sortable=True),
        date=fields.DATETIME(sortable=True),
        # What is shown to the reader, as written.
        title_text=fields.STORED(),
        body_text=fields.STORED(),
        date_iso=fields.STORED(),
        sources=fields.STORED(),
        tag_list=fields.STORED(),
        related_list=fields.STORED(),
        url=fields.STORED(),
        author=fields.STORED(),
        category=fields.STORED(),
        abstract=fields.STORED(),
    )
