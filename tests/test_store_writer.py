"""The segment writer and the workers feeding it: postings made for a whole segment at once read back as each document's own."""
import os
import random
import shutil
from array import array
from collections import defaultdict

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.util.numeric import length_to_byte

from indexer.prepare import Vocabulary
from indexer.schema import make_schema
from indexer.store import arrays
from indexer.store.formats import decode_positions, encode_positions
from indexer.store.termwriter import length_bytes
from indexer.store.writer import Prepared, _varints, add_prepared, finish_segment, segment_writer


def _documents(seed, n):
    """Documents of Zipf-like terms: most rare, a few in nearly every document (several blocks)."""
    rng = random.Random(seed)
    words = ["w%d" % i for i in range(400)] + ["كلمة%d" % i for i in range(50)] + ["é%d" % i for i in range(20)]
    docs = []
    for d in range(n):
        size = rng.choice([0, 1, 3, 40, 300]) if d % 97 else 2000    # a long one: positions over 127
        terms = [words[min(int(rng.paretovariate(0.8)) - 1, len(words) - 1)] for _ in range(size)]
        docs.append(terms)
    return docs


def _expected(docs, positions):
    """term -> [(docnum, frequency, positions or None)] from each document's terms alone."""
    out = defaultdict(list)
    for docnum, terms in enumerate(docs):
        poses = defaultdict(list)
        for pos, term in enumerate(terms):
            poses[term].append(pos)
        for term, plist in poses.items():
            out[term].append((docnum, float(len(plist)), plist if positions else None))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_a_segments_postings_are_each_documents_own(tmp_path, seed):
    docs = _documents(seed, 1200)
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = segment_writer(ix, timeout=0)
    # Two vocabularies in turn: a segment's documents may be numbered by the
    # one a worker began with or by the one that replaced it.
    vocabularies = [Vocabulary(), Vocabulary()]
    for n, terms in enumerate(docs):
        doc = {"id": "d%d" % n}
        if terms:
            vocab = vocabularies[n // 300 % 2]
            ids = vocab.numbers(terms)
            doc.update(body=Prepared(ids, False, vocab), body_exact=Prepared(ids, True, vocab))
        add_prepared(writer, doc)
    segment, _ = finish_segment(writer, str(tmp_path))
    writer = ix.writer()
    writer.segments.append(segment)
    writer.commit(merge=False)
    with whoosh_index.open_dir(str(tmp_path)).reader() as reader:
        for field, positions in (("body", False), ("body_exact", True)):
            expected = _expected(docs, positions)
            assert sorted(t.decode() for t in reader.lexicon(field)) == sorted(expected)
            for term, postings in expected.items():
                m = reader.postings(field, term)
                got = []
                while m.is_active():
                    got.append((m.id(), m.weight(), decode_positions(m.value()) if positions else None))
                    m.next()
                assert got == postings, term
                # The direct reader of searches (several blocks for the common words).
                segment = reader.leaf_readers()[0][0]
                ids, weights = arrays.term_postings(segment, field, term.encode("utf-8"))
                assert list(zip(ids.tolist(), weights.tolist())) == [p[:2] for p in postings], term
                assert reader.doc_frequency(field, term) == len(postings)
                assert reader.frequency(field, term) == sum(p[1] for p in postings)


def test_varints_are_the_position_encoding():
    rng = np.random.default_rng(3)
    gaps = np.concatenate([rng.integers(0, 130, 500), rng.integers(0, 1 << 30, 500), [0, 127, 128, 16383, 16384]])
    widths, data = _varints(gaps.astype(np.int64))
    ends = np.cumsum(widths)
    for g, a, b in zip(gaps.tolist(), (ends - widths).tolist(), ends.tolist()):
        assert data[a:b].tobytes() == encode_positions([g])


def test_length_bytes_are_whooshs_length_bytes():
    lengths = np.array(list(range(0, 3000)) + list(range(3000, 300000, 37)), dtype=np.int64)
    assert length_bytes(lengths).tolist() == [length_to_byte(n) for n in lengths.tolist()]


@pytest.mark.parametrize("weights", ["ones", "ints", "big", "floats", "zero-one"])
def test_numpy_packs_ids_and_weights_as_the_array_code_does(weights):
    from indexer.store.postings import _numbers, _numbers_numpy
    rng = random.Random(weights)
    for n, gap in ((48, 3), (300, 300), (512, 100000)):
        ids = array("I", sorted(rng.sample(range(n * gap), n)))
        w = {"ones": lambda: 1.0, "ints": lambda: float(rng.randint(1, 300)), "big": lambda: 70000.0,
             "floats": lambda: rng.random() * 3, "zero-one": lambda: float(rng.randint(0, 1))}[weights]
        ws = array("f", [w() for _ in range(n)])
        assert _numbers_numpy(ids, ws) == _numbers(ids, ws)


def _tasks(folder):
    from indexer.discovery import FileTask, discover, file_signature
    tasks = []
    for full, rel in discover([str(folder)]):
        sig, size = file_signature(full)
        tasks.append(FileTask(full, full, rel, sig, size, False))
    return tasks


@pytest.mark.parametrize("shards", [1, 2])
def test_a_segment_ends_when_the_pools_hold_enough_terms_whatever_the_article_count(tmp_path, monkeypatch, shards):
    """The bound on term occurrences is a worker's, over the segments in progress of every shard."""
    import indexer.batch as batch
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(6):
        (archive / ("%d.txt" % n)).write_text("Title %d\n\n" % n + "word%d other words here " % n * 50)
    tasks = _tasks(archive)
    folders = []
    for i in range(shards):
        folders.append(str(tmp_path / ("shard-%d" % i)))
        os.mkdir(folders[-1])
    probe = batch.ShardSegments(folders[:1], limit=1000)
    probe.add(batch.prepare_file(tasks[0], None)[1])
    one = probe.terms()                    # one article's terms, all fields
    probe.cancel()
    monkeypatch.setattr(batch, "SEGMENT_TERMS", one * 3 // 2)
    result = batch.file_batch(tasks, folders, None, limit=1000)
    try:
        sizes = [seg.doc_count_all() for mine in result.segments for seg, _ in mine]
        assert sum(sizes) == 6 and max(sizes) == 2
        if shards == 1:
            assert sizes == [2, 2, 2]
    finally:
        for folder in result.folders:
            shutil.rmtree(folder)


def _all_postings(index_dir):
    out = {}
    with whoosh_index.open_dir(str(index_dir)).reader() as reader:
        for field, term in reader.all_terms():
            if field in ("title", "title_exact", "body", "body_exact", "related"):
                m, got = reader.postings(field, term), []
                while m.is_active():
                    got.append((m.id(), m.weight(), m.value()))
                    m.next()
                out[field, term] = got
    return out


def test_a_vocabulary_replaced_mid_build_changes_no_posting(tmp_path, monkeypatch):
    import indexer.prepare as prepare
    from indexer.build import build_index
    archive = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "corpus", "ar")
    build_index([archive], str(tmp_path / "one"), workers=1)
    monkeypatch.setattr(prepare.Vocabulary, "LIMIT", 200)      # a new vocabulary every few articles
    monkeypatch.setattr(prepare, "_vocabulary", prepare.Vocabulary())
    first = prepare._vocabulary
    build_index([archive], str(tmp_path / "many"), workers=1)
    assert prepare._vocabulary is not first
    one, many = _all_postings(tmp_path / "one"), _all_postings(tmp_path / "many")
    assert len(one) > 1000
    assert one == many


def test_batches_are_large_even_and_a_multiple_of_the_workers():
    from indexer.batch import batches_of
    from indexer.discovery import FileTask

    def task(n, size):
        return FileTask("f%d" % n, "f%d" % n, "f%d" % n, "", size, False)

    def sizes(batches):
        return [len(b) for b in batches]
    small = [task(n, 3000) for n in range(40)]
    assert sizes(batches_of(small, 1, 2, 10000)) == [40]          # little work: one batch, in this process
    assert sizes(batches_of(small, 1, 1, 10)) == [10] * 4          # at most --commit-every files a shard
    assert sizes(batches_of(small, 2, 1, 10)) == [20, 20]
    many = [task(n, 1 << 20) for n in range(150)]                   # 150 MiB: 4 batches of about 37.5
    assert sizes(batches_of(many, 1, 2, 10000)) == [38, 37, 38, 37]
    assert sizes(batches_of(many, 1, 3, 10000)) == [25] * 6         # a multiple of the workers
    assert sizes(batches_of(many, 4, 2, 10000)) == [75, 75]         # larger in more shards
    # A file larger than a batch is one alone, and the batches after it are whole.
    mixed = [task(0, 1000), task(1, 200 << 20)] + [task(n, 1 << 20) for n in range(2, 60)]
    assert sizes(batches_of(mixed, 1, 2, 10000)) == [2, 15, 43]
    assert [t for b in batches_of(many, 1, 2, 10000) for t in b] == many
    assert batches_of([], 1, 2, 10000) == []


def test_a_full_vocabulary_is_replaced_when_its_segment_ends_or_at_twice_its_limit(tmp_path, monkeypatch):
    import indexer.batch as batch
    import indexer.prepare as prepare
    monkeypatch.setattr(prepare, "_vocabulary", prepare.Vocabulary())
    monkeypatch.setattr(prepare.Vocabulary, "LIMIT", 3)
    first = prepare.vocabulary()
    first.term_ids("harbour bridge canal tower", "en")     # past the limit, under twice it
    assert first.full() and prepare.vocabulary() is first
    # Finishing a segment replaces it: no pool of this builder holds its numbers any more.
    (tmp_path / "a.txt").write_text("Walnut\n\nWalnut trees.\n", encoding="utf-8")
    target = tmp_path / "ix"
    target.mkdir()
    [task] = _tasks(tmp_path / "a.txt")
    result = batch.file_batch([task], [str(target)], None, limit=1)
    try:
        assert len(result.segments[0]) == 1
    finally:
        for folder in result.folders:
            shutil.rmtree(folder)
    second = prepare.vocabulary()
    assert second is not first
    second.term_ids("one two three four five six seven eight", "en")     # past twice the limit
    assert prepare.vocabulary() is not second
