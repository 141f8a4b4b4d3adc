"""The Whoosh schema and the index's own metadata.

Analysed fields receive lists of terms that ``indexer.analysis`` made; Whoosh
never analyses article text itself, so documents and queries cannot drift
apart.  The schema therefore holds no analyzer classes to pickle beyond
Whoosh's own.
"""
import json
import os

from whoosh import fields
from whoosh.analysis import IDTokenizer

from .analysis import ANALYSIS_VERSION
from .store.formats import Frequencies, Positions
from .store.writer import Prepared

# 3: the ``marked`` field (words written with harakat, indexer.analysis.marks).
# 4: the ``written`` field (every spelling normalisation changes) replaces it.
SCHEMA_VERSION = 4
# The on-disk format of postings and stored fields (indexer.store): 1 was
# Whoosh's pickled W3 blocks; 2 packs blocks as arrays, positions as varint
# gaps, and keeps positions only in the fields phrases use.
FORMAT_VERSION = 2
META_FILE = "akhbar-meta.json"


def term_text(term):
    """A term as text: Whoosh's lexicons and term lists give bytes, other calls str."""
    return term.decode("utf-8") if isinstance(term, bytes) else term


class PreparedText(fields.TEXT):
    """A text field whose postings may arrive ready-made.

    The indexer's worker processes analyse an article into each field's
    terms (``indexer.store.writer.Prepared``), which the segment writer files
    for a whole segment at once.  A plain list of terms is still accepted and
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


class IndexVersionError(Exception):
    """The index was built by an incompatible version of the analysis or format."""


def _versions():
    return {"analysis_version": ANALYSIS_VERSION, "schema_version": SCHEMA_VERSION,
            "format_version": FORMAT_VERSION}


def write_meta(index_dir):
    meta = _versions()
    tmp = os.path.join(index_dir, META_FILE + ".tmp")
    with open(tmp, "w") as f:
        json.dump(meta, f)
    os.replace(tmp, os.path.join(index_dir, META_FILE))


def check_meta(index_dir):
    """Raise IndexVersionError when the index was made by other analysis rules or in another format."""
    try:
        with open(os.path.join(index_dir, META_FILE)) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        raise IndexVersionError("the index in %s has no akhbar version record" % index_dir)
    ours = _versions()
    if any(meta.get(k) != v for k, v in ours.items()):
        raise IndexVersionError(
            "the index in %s was built with analysis version %s (schema %s, format %s); this akhbar uses "
            "version %s (schema %s, format %s)" % (
                index_dir, meta.get("analysis_version"), meta.get("schema_version"), meta.get("format_version", 1),
                ANALYSIS_VERSION, SCHEMA_VERSION, FORMAT_VERSION))
