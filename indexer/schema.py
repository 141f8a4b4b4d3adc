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

SCHEMA_VERSION = 2
META_FILE = "akhbar-meta.json"


def term_text(term):
    """A term as text: Whoosh's lexicons and term lists give bytes, other calls str."""
    return term.decode("utf-8") if isinstance(term, bytes) else term


class PreparedText(fields.TEXT):
    """A text field whose postings may arrive ready-made.

    The indexer's worker processes turn an article's terms into encoded
    postings (``indexer.prepare.postings``); the writing process then only
    files them.  A plain list of terms is still accepted and analysed here.
    """

    def index(self, value, **kwargs):
        if value and isinstance(value[0], tuple):
            return iter(value)
        return super().index(value, **kwargs)


def _terms_field():
    # Positions are kept so phrases can be matched; the value is a term list.
    return PreparedText(analyzer=IDTokenizer(), phrase=True, stored=False)


def make_schema():
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        file=fields.ID(stored=True, sortable=True),  # absolute path of the source file
        filesig=fields.ID(sortable=True),      # "mtime_ns\x1fsize": unchanged-file check
        path=fields.STORED(),                  # path relative to the indexed folder
        dupkey=fields.ID(stored=True, sortable=True),
        title=_terms_field(),                  # stems
        title_exact=_terms_field(),            # normalised words
        body=_terms_field(),
        body_exact=_terms_field(),
        related=_terms_field(),
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
    """The index was built by an incompatible version of the analysis."""


def write_meta(index_dir):
    meta = {"analysis_version": ANALYSIS_VERSION, "schema_version": SCHEMA_VERSION}
    tmp = os.path.join(index_dir, META_FILE + ".tmp")
    with open(tmp, "w") as f:
        json.dump(meta, f)
    os.replace(tmp, os.path.join(index_dir, META_FILE))


def check_meta(index_dir):
    """Raise IndexVersionError when the index was made by other analysis rules."""
    try:
        with open(os.path.join(index_dir, META_FILE)) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        raise IndexVersionError("the index in %s has no akhbar version record" % index_dir)
    if (meta.get("analysis_version"), meta.get("schema_version")) != (ANALYSIS_VERSION, SCHEMA_VERSION):
        raise IndexVersionError(
            "the index in %s was built with analysis version %s (schema %s); this akhbar uses "
            "version %s (schema %s)" % (index_dir, meta.get("analysis_version"), meta.get("schema_version"),
                                       ANALYSIS_VERSION, SCHEMA_VERSION))
