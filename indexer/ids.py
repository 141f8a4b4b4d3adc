"""Article ids that more than one live article carries.

An id is how a hit links to its article page and how ``akhbar similar``
names an article, so two articles with one id (the same record id in two
exports) leave one of them unreachable that way.  The build reports them
rather than renaming either: ids are the archive's own, stable across
rebuilds, and which of two would keep its id would depend on reading order.

A build keeps the ids it wrote only as 64-bit hashes (``id_hashes``, 8 bytes
an article, not a Python string each), and finds the shared ones from the id
field's term counts read as arrays: only ids whose term occurs more than
once in the index (deleted articles included) and whose hash is among this
run's are looked at closely, so the work follows the archive's arrays and
the few suspects, not a lookup per article.
"""
import numpy as np

from .store import arrays


def id_hashes(ids):
    """The hashes of a batch of ids (uint64), as ``shared_ids`` takes them."""
    return arrays.string_hashes([i.encode("utf-8") for i in ids])


def shared_ids(reader, hashes):
    """{id: sorted files of its live articles} for each id of ``hashes`` that more than one live article carries.

    ``hashes`` is an array (or a list of arrays) of ``id_hashes``.
    """
    if isinstance(hashes, list):
        hashes = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
    if not len(hashes) or not reader.doc_count_all():
        return {}
    segments = [seg for seg, _ in arrays.segments(reader)]
    # A hash that clashes within a segment is a suspect too (and checked below).
    distinct, totals, clashes = arrays.summed_term_counts(segments, "id")
    suspects = np.union1d(distinct[totals >= 2], np.fromiter(clashes, dtype=np.uint64, count=len(clashes)))
    suspects = suspects[np.isin(suspects, hashes)]
    if not len(suspects):
        return {}
    # The suspects' ids as text, from the segments' own term lists.
    names = set()
    for seg in segments:
        picked = np.flatnonzero(np.isin(arrays.term_hashes(seg, "id"), suspects))
        if len(picked):
            terms = list(seg.lexicon("id"))
            names.update(terms[i].decode("utf-8") for i in picked.tolist())
    file_col = None
    shared = {}
    for article_id in sorted(names):
        if reader.doc_frequency("id", article_id) < 2:
            continue     # a hash shared by two different ids
        live = [d for d in reader.postings("id", article_id).all_ids() if not reader.is_deleted(d)]
        if len(live) < 2:
            continue
        if file_col is None:
            file_col = reader.column_reader("file")
        shared[article_id] = sorted({file_col[d] for d in live})
    return shared
