"""The index's own metadata: the versions of its analysis, schema and format.

The Whoosh schema itself is the storage package's (``indexer.store.schema``).
"""
import json
import os

from .analysis import ANALYSIS_VERSION
# Indexes written before the schema moved into the store pickled their text
# fields' class as ``indexer.schema.PreparedText``: it must stay importable
# here for them to open (``make_schema`` is kept beside it for callers).
from .store.schema import PreparedText, make_schema  # noqa: F401

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
