"""search.query.lexicon answers document frequencies as the index's readers do."""
from helpers import one_shard
import numpy as np
import pytest

from indexer.store import arrays
from search.query import lexicon
from search.query.lexicon import DocCounts, fnv1a, uncounted


def test_fnv1a_is_the_arrays_hash():
    words = [b"", b"a", "انتخابات".encode("utf-8"), "выборы".encode("utf-8"), b"z" * 90]
    assert [fnv1a(w) for w in words] == arrays.string_hashes(words).tolist()


@pytest.mark.parametrize("field", lexicon.EXACT_FIELDS)
def test_every_term_and_some_absent_words_count_as_the_reader_counts(searcher, field):
    reader = one_shard(searcher).searcher().reader()
    counts = DocCounts(reader)
    words = [t for seg, _ in reader.leaf_readers() for t in seg.lexicon(field)]
    words += ["لاوجودلها", "nosuchword", b"\xff\xfe"]
    assert len(words) > 100
    for w in words:
        assert counts.lookup(field, w) == reader.doc_frequency(field, w), w
    counted = counts.over(reader)
    assert counted.doc_frequency(field, words[0]) == reader.doc_frequency(field, words[0])
    # Other fields and everything else are the reader's own.
    assert counts.lookup("tags", "x") is None
    assert counted.doc_frequency("lang", "ar") == reader.doc_frequency("lang", "ar")
    assert counted.doc_count_all() == reader.doc_count_all()
    assert uncounted(counted) is reader and uncounted(reader) is reader


def test_a_hash_shared_by_two_terms_of_a_segment_is_asked_of_the_reader(searcher, monkeypatch):
    reader = one_shard(searcher).searcher().reader()
    real = arrays.term_counts

    def clashing(segment, field):
        h, c = real(segment, field)
        h = h.copy()
        if len(h) > 1:
            h[1] = h[0]        # two different terms now share a hash
        return h, c
    monkeypatch.setattr(arrays, "term_counts", clashing)
    counts = DocCounts(reader, ["body_exact"])
    seg = next(s for s, _ in reader.leaf_readers() if len(list(s.lexicon("body_exact"))) > 1)
    first = next(iter(seg.lexicon("body_exact")))
    # The first term's hash is now held by two terms: only the reader can tell.
    assert counts.lookup("body_exact", first) is None
    counted = counts.over(reader)
    assert counted.doc_frequency("body_exact", first) == reader.doc_frequency("body_exact", first) > 0
    assert np.all(np.diff(counts.hashes("body_exact").astype(np.float64)) >= 0)
