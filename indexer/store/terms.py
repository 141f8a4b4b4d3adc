"""The term dictionary, field facts and the index's own matchers, in akhbar's terms.

What the engine reads of an index besides postings arrays (indexer.store.arrays):
the words of a field, those starting with a prefix, each word's document
count, a term's bytes as the index keys it, which fields are scored, the
live documents, and the matches of a query node that has no array form.
Readers and searchers are those the store opens (indexer.store.reading,
indexer.store.scoring.open_searcher).
"""

__all__ = ["FIELD_MISSING", "live_documents", "matches", "scorable_fields", "term_bytes", "word_counts",
           "words", "words_starting"]

# term_bytes' answer for a field the index does not have, or a value it cannot hold.
FIELD_MISSING = None


def _text(term):
    return term.decode("utf-8") if isinstance(term, bytes) else term


def words_starting(reader, field, prefix):
    """The words of ``field`` that start with ``prefix``, in the dictionary's (sorted) order, as text."""
    for term in reader.expand_prefix(field, prefix):
        yield _text(term)


def words(reader, field):
    """Every word of ``field``, in the dictionary's order, as text."""
    for term in reader.lexicon(field):
        yield _text(term)


def word_counts(reader, field):
    """{word: documents holding it (deleted ones included)} of every word of ``field``."""
    return {_text(term): info.doc_frequency() for term, info in reader.iter_field(field)}


def term_bytes(reader, field, text):
    """``text`` as the index keys it in ``field``; FIELD_MISSING for a field it lacks or a value it
    cannot hold (a date field given a word)."""
    schema = reader.schema
    if field not in schema:
        return FIELD_MISSING
    try:
        return schema[field].to_bytes(text)
    except ValueError:
        return FIELD_MISSING


def scorable_fields(reader):
    """The names of the fields whose lengths BM25F reads."""
    return [name for name, f in reader.schema.items() if f.scorable]


def live_documents(reader):
    """The numbers of every document not deleted, ascending."""
    return reader.all_doc_ids()


def matches(segment_searchers, q):
    """(document number, score) of every document query node ``q`` matches, read through the index's
    own matcher for it segment by segment (``segment_searchers``: indexer.store.arrays.segment_searchers)."""
    for sub, offset in segment_searchers:
        m = q.matcher(sub, sub.context())
        while m.is_active():
            yield m.id() + offset, m.score()
            m.next()
