"""The index store: Whoosh's private names it relies on, its postings format, its version check."""
import glob
import json
import os
import random
from array import array

import numpy as np
import pytest

from helpers import run_cli
from indexer.schema import META_FILE, make_schema
from indexer.store import private
from indexer.store.formats import Frequencies, Positions, decode_positions, encode_positions
from indexer.store.postings import (TermInfo, decode_block, decode_body, decode_numbers, encode_block, encode_body,
                                     postings_place)


@pytest.mark.slow
def test_every_private_whoosh_name_the_store_uses_exists():
    # A Whoosh upgrade that renames one of these breaks indexer.store; this
    # names the missing ones instead of failing somewhere inside a build.
    assert private.missing() == []


@pytest.mark.slow
def test_the_registry_check_can_fail():
    saved = list(private.PRIVATE_NAMES)
    try:
        private.PRIVATE_NAMES.append(("whoosh.writing", "SegmentWriter._no_such_method"))
        private.PRIVATE_ATTRIBUTES.append(("whoosh.codec.whoosh3", "W3TermInfo", "_no_such_field"))
        assert private.missing() == ["whoosh.writing.SegmentWriter._no_such_method",
                                     "whoosh.codec.whoosh3.W3TermInfo()._no_such_field"]
    finally:
        private.PRIVATE_NAMES[:] = saved
        private.PRIVATE_ATTRIBUTES.pop()


@pytest.mark.parametrize("positions", [[0], [3, 4, 90], [5, 200, 201, 70000, 3_000_000], list(range(0, 5000, 7))])
def test_positions_round_trip(positions):
    data = encode_positions(positions)
    assert decode_positions(data) == positions
    assert Positions().decode_frequency(data) == len(positions)


def test_positions_take_a_byte_each_when_close():
    assert len(encode_positions([1, 5, 9, 100])) == 4


def _postings(n, seed, gap, values, weights):
    rng = random.Random(seed)
    ids = array("I", sorted(rng.sample(range(n * gap), n)))
    if weights == "ones":
        w = array("f", [1.0] * n)
    elif weights == "ints":
        w = array("f", [float(rng.randint(1, 300)) for _ in range(n)])
    else:
        w = array("f", [rng.random() * 3 for _ in range(n)])
    vals = [encode_positions(sorted(rng.sample(range(100000), rng.randint(1, 5)))) for _ in range(n)] \
        if values else None
    return ids, w, vals


@pytest.mark.parametrize("n,gap", [(1, 3), (7, 2), (512, 1), (300, 300), (100, 100000)])
@pytest.mark.parametrize("weights", ["ones", "ints", "floats"])
@pytest.mark.parametrize("values", [False, True])
def test_postings_blocks_round_trip(n, gap, weights, values):
    ids, w, vals = _postings(n, n + gap, gap, values, weights)
    head, ids2, w2, vals2 = decode_block(encode_block(ids, w, vals, 3, 40))
    assert head[:4] == (n, ids[0], ids[-1], max(w))
    assert list(ids2) == list(ids) and list(w2) == list(w)
    assert (list(vals2) if vals2 is not None else None) == vals


@pytest.mark.parametrize("n,gap", [(1, 3), (7, 2), (512, 1), (300, 300), (100, 100000)])
@pytest.mark.parametrize("weights", ["ones", "ints", "floats"])
@pytest.mark.parametrize("values", [False, True])
def test_numbers_read_alone_are_those_of_the_whole_body(n, gap, weights, values):
    ids, w, vals = _postings(n, n + gap, gap, values, weights)
    kinds, body = encode_body(ids, w, vals)
    got_ids, got_w = decode_numbers(kinds, body, n, ids[0])
    want_ids, want_w, _ = decode_body(kinds, body, n, ids[0])
    assert got_ids.tolist() == list(want_ids) and got_w.tolist() == list(want_w)
    assert got_w.dtype == np.float64


def test_inline_term_info_round_trips_with_its_postings():
    ids, w, vals = _postings(5, 1, 1000, True, "ints")
    ti = TermInfo()
    ti._weight, ti._df, ti._maxweight = float(sum(w)), 5, max(w)
    ti._minid, ti._maxid, ti._minlength, ti._maxlength = ids[0], ids[-1], 4, 90
    ti._inlined = encode_body(ids, w, vals)
    back = TermInfo.from_bytes(ti.to_bytes())
    assert (back.weight(), back.doc_frequency(), back.max_weight(), back.min_id(), back.max_id()) == \
        (ti._weight, 5, ti._maxweight, ids[0], ids[-1])
    got_ids, got_w, got_vals = back.inlined_postings()
    assert list(got_ids) == list(ids) and list(got_w) == list(w) and list(got_vals) == vals


def test_term_info_of_a_long_list_points_into_the_postings_file():
    ti = TermInfo()
    ti._weight, ti._df, ti._maxweight = 2.5, 900, 1.25
    ti._minid, ti._maxid, ti._minlength, ti._maxlength = 10, 123456, None, 1
    ti._offset, ti._length = 2**33, 70000
    back = TermInfo.from_bytes(ti.to_bytes())
    assert (back.weight(), back.max_weight(), back.extent(), back.is_inlined()) == (2.5, 1.25, (2**33, 70000), False)


@pytest.mark.parametrize("weight,maxweight", [(2.0, 1.0), (2.5, 1.25), (300.0, 200.0), (1e6, 3.5)])
@pytest.mark.parametrize("inline", [False, True])
def test_where_the_postings_are_reads_as_the_whole_term_info(weight, maxweight, inline):
    ti = TermInfo()
    ti._weight, ti._df, ti._maxweight = weight, 900, maxweight
    ti._minid, ti._maxid, ti._minlength, ti._maxlength = 130, 123456, 3, 200
    if inline:
        ti._inlined = (5, b"\x01\x02\x03")
    else:
        ti._offset, ti._length = 2**33 + 7, 70000
    raw = ti.to_bytes()
    back = TermInfo.from_bytes(raw)
    place = postings_place(raw)
    assert place[:2] == (back.doc_frequency(), back.min_id())
    if inline:
        assert place[2:] == (5, b"\x01\x02\x03", None, None) == (back._inlined + (None, None))
    else:
        assert place[2:] == (None, None) + back.extent()


def test_stem_fields_keep_no_positions_and_exact_fields_do():
    schema = make_schema()
    for name in ("title", "body", "related"):
        assert type(schema[name].format) is Frequencies and schema[name].format.fixed_value_size() == 0
    for name in ("title_exact", "body_exact"):
        assert type(schema[name].format) is Positions


def test_decode_body_reads_what_encode_body_wrote_without_values():
    ids = array("I", [4, 9, 10])
    kinds, body = encode_body(ids, array("f", [1.0, 2.0, 1.0]), None)
    got = decode_body(kinds, body, 3, 4)
    assert list(got[0]) == [4, 9, 10] and list(got[1]) == [1.0, 2.0, 1.0] and got[2] is None


def test_index_of_an_older_format_asks_for_a_rebuild(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.txt").write_text("Canal traffic\n\nShips wait at the canal.\n", encoding="utf-8")
    ix = tmp_path / "ix"
    assert run_cli("index", archive, "--index", ix).exit_code == 0
    # An index of the first format: no format in its record, and segments
    # that name a codec this version does not have (the TOC cannot be read).
    _make_first_format(ix)
    searched = run_cli("search", "canal", "--index", ix)
    assert searched.exit_code == 1 and "format 1" in searched.output and "--rebuild" in searched.output
    indexed = run_cli("index", archive, "--index", ix)
    assert indexed.exit_code == 1 and "--rebuild" in indexed.output
    assert run_cli("index", archive, "--index", ix, "--rebuild").exit_code == 0
    assert "a.txt" in run_cli("search", "canal", "--index", ix).output


def _make_first_format(ix):
    # An index of the first format: no format in its record, and segments
    # that name a codec this version does not have (the TOC cannot be read).
    meta = json.loads((ix / META_FILE).read_text())
    del meta["format_version"]
    (ix / META_FILE).write_text(json.dumps(meta))
    for toc in glob.glob(os.path.join(ix, "_MAIN_*.toc")):
        with open(toc, "r+b") as f:
            f.truncate(20)


def _four_articles(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    for i, place in enumerate(["canal", "harbour", "bridge", "market"]):
        (archive / ("%d.txt" % i)).write_text("News of the %s\n\nWork at the %s goes on.\n" % (place, place),
                                              encoding="utf-8")
    return archive


def test_splitting_an_index_of_an_older_format_asks_for_a_rebuild(tmp_path):
    # The sharded build must find an older single index by its files, as the
    # single build does, not by unpickling its table of contents.
    archive = _four_articles(tmp_path)
    ix = tmp_path / "ix"
    assert run_cli("index", archive, "--index", ix).exit_code == 0
    _make_first_format(ix)
    split = run_cli("index", archive, "--index", ix, "--shards", "2")
    assert split.exit_code == 1 and "--rebuild" in split.output
    assert run_cli("index", archive, "--index", ix, "--rebuild", "--shards", "2").exit_code == 0
    assert "0.txt" in run_cli("search", "canal", "--index", ix).output


def test_sharded_index_of_an_older_format_asks_for_a_rebuild_and_rebuilds(tmp_path):
    archive = _four_articles(tmp_path)
    ix = tmp_path / "ix"
    assert run_cli("index", archive, "--index", ix, "--shards", "2").exit_code == 0
    shards = sorted(p for p in ix.iterdir() if p.is_dir())
    assert len(shards) == 2
    records = [(shard / META_FILE).read_text() for shard in shards]
    for shard in shards:
        _make_first_format(shard)
    indexed = run_cli("index", archive, "--index", ix)
    assert indexed.exit_code == 1 and "format 1" in indexed.output and "--rebuild" in indexed.output
    # Replacing shards whose tables of contents cannot be read, even when
    # their record looks current: their generation comes from file names.
    for shard, record in zip(shards, records):
        (shard / META_FILE).write_text(record)
    assert run_cli("index", archive, "--index", ix, "--rebuild").exit_code == 0
    assert "0.txt" in run_cli("search", "canal", "--index", ix).output


@pytest.mark.parametrize("weight", [1.0, 2.0, 255.0, 256.0, 1.5])
@pytest.mark.parametrize("value", [None, b"", b"\x05", bytes(range(40)), bytes(300)])
def test_the_single_posting_shortcut_writes_what_the_general_encoder_writes(weight, value):
    from indexer.store.postings import single_body
    fast = single_body(weight, value)
    general = encode_body(array("I", [77]), array("f", [weight]), None if value is None else [value])
    assert fast is None or fast == general


def _segment_sizes(index_dir):
    from indexer.store.reading import open_for_search
    ix = open_for_search(str(index_dir))
    try:
        with ix.reader() as r:
            return sorted(sub.doc_count_all() for sub, _ in r.leaf_readers())
    finally:
        ix.close()


def test_a_run_ends_by_merging_small_segments_and_leaves_large_ones(tmp_path, monkeypatch):
    from indexer.build import build_index
    from indexer.store import writer
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(9):
        words = " ".join("harbour%d gate%d" % (n, k % (n + 2)) for k in range(40 + 13 * n))
        (archive / ("%d.txt" % n)).write_text("Story %d\n\n%s.\n" % (n, words), encoding="utf-8")
    build_index([archive], tmp_path / "small", workers=1, commit_every=3)
    assert _segment_sizes(tmp_path / "small") == [9]
    monkeypatch.setattr(writer, "SMALL_SEGMENT", 3)
    build_index([archive], tmp_path / "large", workers=1, commit_every=3)
    assert _segment_sizes(tmp_path / "large") == [3, 3, 3]
    # The merge keeps the exact field-length totals (Whoosh would sum rounded
    # per-document lengths), so average lengths and scores do not move.
    assert _field_lengths(tmp_path / "small") == _field_lengths(tmp_path / "large")


def _field_lengths(index_dir):
    from indexer.store.reading import open_for_search
    ix = open_for_search(str(index_dir))
    try:
        with ix.reader() as r:
            return {f: r.field_length(f) for f in ("title", "title_exact", "body", "body_exact")}
    finally:
        ix.close()
