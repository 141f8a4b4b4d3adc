"""Article ids that more than one live article carries.

An id is how a hit links to its article page and how ``akhbar similar``
names an article, so two articles with one id (the same record id in two
exports) leave one of them unreachable that way.  The build reports them
rather than renaming either: ids are the archive's own, stable across
rebuilds, and which of two would keep its id would depend on reading order.
"""


def shared_ids(reader, ids):
    """{id: sorted files of its live articles} for each of ``ids`` that more than one live article carries.

    Only ids whose term occurs more than once (deleted articles included)
    are looked at closely, so the cost follows the ids given, not the index.
    """
    file_col = None
    shared = {}
    for article_id in dict.fromkeys(ids):
        if reader.doc_frequency("id", article_id) < 2:
            continue
        live = [d for d in reader.postings("id", article_id).all_ids() if not reader.is_deleted(d)]
        if len(live) < 2:
            continue
        if file_col is None:
            file_col = reader.column_reader("file")
        shared[article_id] = sorted({file_col[d] for d in live})
    return shared
