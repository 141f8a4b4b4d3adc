"""indexer.store.arrays reads what Whoosh's public interface reads, as arrays.

These readers rely on the layout of Whoosh's whoosh3 codec (posting blocks,
length columns, column files); a Whoosh upgrade that changes it fails here,
in one place, rather than as wrong scores somewhere in search.
"""
from helpers import one_shard
import numpy as np
import pytest
from whoosh import fields
from whoosh.filedb.filestore import FileStorage

from indexer.store import arrays


def public_postings(segment, field, term):
    m = segment.postings(field, term)
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights


def segments(searcher):
    return [seg for seg, _ in one_shard(searcher).searcher().reader().leaf_readers()]


@pytest.mark.parametrize("field", ["body", "title_exact", "lang", "source", "month"])
def test_every_posting_list_reads_as_whoosh_reads_it(searcher, field):
    seen = 0
    for seg in segments(searcher):
        for term in seg.lexicon(field):
            ids, weights = arrays.term_postings(seg, field, term)
            assert ids.dtype == np.int32 and weights.dtype == np.float64
            assert (ids.tolist(), weights.tolist()) == public_postings(seg, field, term)
            seen += 1
    assert seen


def test_a_term_the_segment_lacks_reads_as_empty(searcher):
    seg = segments(searcher)[0]
    ids, weights = arrays.term_postings(seg, "body", "لاتوجدهذهالكلمة".encode("utf-8"))
    assert len(ids) == 0 and len(weights) == 0


@pytest.mark.parametrize("field", ["body", "title", "body_exact", "related"])
def test_length_bytes_decode_to_whooshs_field_lengths(searcher, field):
    for seg in segments(searcher):
        codes = arrays.field_length_bytes(seg, field)
        assert len(codes) == seg.doc_count_all()
        for d in range(seg.doc_count_all()):
            expected = seg.doc_field_length(d, field)
            assert (arrays.BYTE_TO_LENGTH[codes[d]] if codes[d] else None) == expected


def test_columns_read_as_whoosh_reads_them(searcher):
    for seg in segments(searcher):
        dates = arrays.numeric_column(seg, "date")
        column = seg.column_reader("date", translate=False)
        assert dates.tolist() == [column[d] for d in range(seg.doc_count_all())]
        keys = arrays.bytes_column(seg, "dupkey")
        column = seg.column_reader("dupkey", translate=False)
        assert [bytes(k).rstrip(b"\0") for k in keys] == [column[d] for d in range(seg.doc_count_all())]


def test_deleted_documents_are_left_out_of_postings(tmp_path):
    schema = fields.Schema(key=fields.ID(unique=True, sortable=True),
                           text=fields.TEXT(phrase=True), n=fields.NUMERIC(int, 64, sortable=True))
    ix = FileStorage(str(tmp_path)).create_index(schema)
    with ix.writer() as w:
        for i in range(300):
            w.add_document(key="k%d" % i, text="common word%d" % (i % 7) + " extra" * (i % 3), n=i * 10)
    with ix.writer() as w:
        w.delete_by_term("key", "k5")
        w.delete_by_term("key", "k200")
    with ix.reader() as r:
        (seg, _), = r.leaf_readers()
        assert seg.has_deletions()
        ids, weights = arrays.term_postings(seg, "text", b"common")
        assert (ids.tolist(), weights.tolist()) == public_postings(seg, "text", b"common")
        assert 5 not in ids and 200 not in ids and len(ids) == 298
        assert arrays.deleted_docs(seg).tolist() == [5, 200]
        assert arrays.numeric_column(seg, "n").tolist() == [
            seg.column_reader("n", translate=False)[d] for d in range(300)]
        keys = arrays.bytes_column(seg, "key")
        assert [bytes(k).rstrip(b"\0") for k in keys] == [b"k%d" % i for i in range(300)]


@pytest.mark.parametrize("field", ["title_exact", "body_exact", "source"])
def test_term_hashes_are_the_hashes_of_the_lexicon(searcher, field):
    for seg in segments(searcher):
        got = arrays.term_hashes(seg, field)
        assert got.tolist() == arrays.string_hashes(list(seg.lexicon(field))).tolist()
    assert len(arrays.term_hashes(seg, "no_such_field")) == 0


@pytest.mark.parametrize("field", ["title_exact", "body_exact", "source"])
def test_term_counts_are_the_lexicons_document_frequencies(searcher, field):
    for seg in segments(searcher):
        hashes, counts = arrays.term_counts(seg, field)
        terms = list(seg.lexicon(field))
        assert hashes.tolist() == arrays.string_hashes(terms).tolist()
        assert counts.tolist() == [seg.doc_frequency(field, t) for t in terms]


def test_term_counts_read_frequencies_of_several_bytes(tmp_path):
    # Varints of one, two and three bytes (df 1..127, 128..16383, 16384..).
    from whoosh.writing import SegmentWriter
    from indexer.store.codec import Codec
    schema = fields.Schema(text=fields.TEXT(), other=fields.TEXT())
    ix = FileStorage(str(tmp_path)).create_index(schema)
    w = SegmentWriter(ix, codec=Codec())
    for i in range(17000):
        w.add_document(text="all w%d" % (i % 3) + (" some" if i < 200 else ""), other="word")
    w.commit()
    with ix.reader() as r:
        (seg, _), = r.leaf_readers()
        hashes, counts = arrays.term_counts(seg, "text")
        terms = list(seg.lexicon("text"))
        assert dict(zip(terms, counts.tolist())) == {
            b"all": 17000, b"some": 200, b"w0": 5667, b"w1": 5667, b"w2": 5666}
        assert hashes.tolist() == arrays.string_hashes(terms).tolist()
        assert arrays.term_counts(seg, "other")[1].tolist() == [17000]
        assert len(arrays.term_counts(seg, "missing")[0]) == 0


def test_string_hashes_are_fnv1a():
    def fnv1a(b):
        h = 0xCBF29CE484222325
        for byte in b:
            h = ((h ^ byte) * 0x100000001B3) % 2 ** 64
        return h
    words = [b"", b"a", "زيت".encode("utf-8"), "الزيتون".encode("utf-8"), b"x" * 70]
    assert arrays.string_hashes(words).tolist() == [fnv1a(w) for w in words]


def _open_reader_traced(open_index_dir, index_dir):
    """A reader of the first segment opened by ``open_index_dir``, the class of the file
    its term table is read through, the peak bytes allocated meanwhile, and the
    segment files' size on disk."""
    import glob
    import os
    import tracemalloc

    on_disk = sum(os.path.getsize(p) for p in glob.glob(os.path.join(index_dir, "*.seg")))
    assert on_disk
    tracemalloc.start()
    try:
        reader = open_index_dir(index_dir).reader()
        allocated = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    seg = reader.leaf_readers()[0][0]
    kind = type(seg._terms._tindex.dbfile.file).__name__
    reader.close()
    return kind, allocated, on_disk


def test_a_search_reader_reads_segment_files_without_mapping_or_copying_them(corpus_index):
    # Searching reads segment files through the file (Whoosh's SubFile), never
    # through a map: a segment truncated under a mapping kills the process with
    # SIGBUS (indexer/store/reading.py).  Whoosh's way with a mapped file,
    # BufferFile, would also copy each file whole into the reader.
    from indexer.build import open_index
    kind, allocated, on_disk = _open_reader_traced(open_index, corpus_index)
    assert kind == "SubFile", kind
    assert allocated < on_disk / 2, (allocated, on_disk)


def test_a_mapped_reader_reads_segment_files_from_the_map_without_copying_them(corpus_index):
    # Whoosh maps segments by default, as the build's own readers open the index
    # (whoosh.index.open_dir), and then copied every file it opened (terms,
    # postings, columns) into a private BytesIO; indexer.store.mapped makes
    # those reads come from the map.
    import indexer.store.reading  # noqa: F401  (installs indexer.store.mapped)
    from whoosh import index as whoosh_index
    kind, allocated, on_disk = _open_reader_traced(whoosh_index.open_dir, corpus_index)
    assert kind == "ViewReader", kind
    assert allocated < on_disk / 2, (allocated, on_disk)


@pytest.mark.parametrize("field", ["title_exact", "body_exact", "source"])
@pytest.mark.parametrize("limit", [b"\xd8", b"m", b"\x00", b"\xff\xff"])
def test_terms_before_a_limit_are_the_lexicons_first_terms(searcher, field, limit):
    for seg in segments(searcher):
        want = [t for t in seg.lexicon(field) if t < limit]
        assert arrays.terms_before(seg, field, limit) == want
    assert arrays.terms_before(seg, "no_such_field", limit) == []


def test_the_sample_has_terms_on_both_sides_of_the_arabic_limit(searcher):
    # Without both, the test above could not tell a limit obeyed from one ignored.
    seg = segments(searcher)[0]
    terms = list(seg.lexicon("body_exact"))
    assert any(t < b"\xd8" for t in terms) and any(t >= b"\xd8" for t in terms)


def test_a_terms_documents_over_every_segment_are_whooshs(searcher):
    reader = one_shard(searcher).searcher().reader()
    found = 0
    for term in [b"the", "غزة".encode("utf-8"), b"nosuchword"]:
        want = list(reader.postings("body_exact", term).all_ids()) if ("body_exact", term) in reader else []
        got = arrays.term_documents(reader, "body_exact", term)
        assert got.dtype == np.int32 and got.tolist() == want
        found += len(want)
    assert found


def test_a_terms_documents_are_numbered_across_segments(tmp_path):
    schema = fields.Schema(text=fields.TEXT)
    ix = FileStorage(str(tmp_path)).create_index(schema)
    for batch in range(3):
        with ix.writer() as w:
            for i in range(40):
                w.add_document(text="common" if (i + batch) % 3 else "rare")
    with ix.reader() as r:
        assert len(r.leaf_readers()) == 3
        for term in (b"common", b"rare"):
            every = list(r.postings("text", term).all_ids())
            assert arrays.term_documents(r, "text", term).tolist() == every
