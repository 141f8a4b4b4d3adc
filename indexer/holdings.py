"""What an index holds: the files its live articles came from, and how many are duplicates.

A build or update compares every file it is given with the signature the
index recorded for it, and reports the index's article and duplicate
counts.  Both are read as arrays of the segments' columns, so the memory
and the work follow the number of files, not of articles.
"""
import numpy as np

from .store import arrays


def index_state(ix, files=True):
    """({file: signature} of the live articles, duplicate count, live article count).

    Read segment by segment as arrays (``indexer.store.arrays``): a Python
    string is made only where the file or its signature changes from one
    live article to the next, and the duplicate keys are counted as rows of
    bytes (25 an article, for the moment of the count), so no Python object
    is held per article.  ``files=False`` skips the files (the counts alone).
    """
    found, keys, n = {}, [], 0
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return found, 0, 0
        for seg, _ in arrays.segments(reader):
            live = np.ones(seg.doc_count_all(), dtype=bool)
            live[arrays.deleted_docs(seg)] = False
            docs = np.flatnonzero(live)
            n += len(docs)
            if not len(docs):
                continue
            keys.append(_column(seg, "dupkey", docs))
            if files:
                _file_runs(seg, docs, found)
    return found, n - _distinct(keys, n), n


def _distinct(keys, n):
    """How many distinct rows the byte matrices ``keys`` hold (emptied as they are read).

    The rows go into one matrix, each with one more zero byte (a key of no
    bytes is a value too), sorted in place as fixed-size values: about the
    key's length plus one byte an article, for the moment of the count.
    """
    width = max(k.shape[1] for k in keys) + 1
    rows = np.zeros((n, width), dtype=np.uint8)
    at = 0
    while keys:
        part = keys.pop(0)
        rows[at:at + len(part), :part.shape[1]] = part
        at += len(part)
    values = rows.view(np.dtype((np.void, width))).reshape(-1)
    values.sort()
    return 1 + int(np.count_nonzero(values[1:] != values[:-1]))


def _file_runs(seg, docs, found):
    """Add {file: signature} of the live ``docs`` of a segment to ``found``, the later document winning."""
    names, sigs = _column(seg, "file", docs), _column(seg, "filesig", docs)
    change = np.ones(len(docs), dtype=bool)
    change[1:] = (names[1:] != names[:-1]).any(axis=1) | (sigs[1:] != sigs[:-1]).any(axis=1)
    file_col, sig_col = seg.column_reader("file"), seg.column_reader("filesig")
    for d in docs[change].tolist():
        found[file_col[d]] = sig_col[d]


def _column(seg, name, docs):
    """Rows of bytes (zero-padded) of a bytes column at ``docs``; no bytes where the segment has none."""
    values = arrays.bytes_column(seg, name)
    return np.zeros((len(docs), 0), dtype=np.uint8) if values is None else values[docs]
