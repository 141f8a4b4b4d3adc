"""Incremental updates, duplicates, rebuilds, locking and version checks of the index."""
import json
import os

import pytest
from whoosh import index as whoosh_index

import indexer.batch as batch
from helpers import run_cli
from indexer.build import build_index, staging_dir
from indexer.lock import IndexLock
from indexer.schema import META_FILE
from search.searcher import Searcher


def write(folder, name, title, body, bump=0):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("%s\n\n%s\n" % (title, body), encoding="utf-8")
    if bump:
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 10**9))
    return path


def ids_for(index_dir, query):
    s = Searcher(str(index_dir))
    try:
        out = set()
        for hit in s.search(query, limit=100).hits:
            out.add(hit.id)
            out.update(a.id for a in hit.also)
        return out
    finally:
        s.close()


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    write(folder, "a.txt", "Apricot harvest", "The apricot harvest began early.")
    write(folder, "b.txt", "Bridge repairs", "The old bridge closes for repairs.")
    write(folder, "c.txt", "Canal reopens", "The canal reopens to barges.")
    return folder


def test_incremental_add_change_remove(tmp_path, archive):
    ix = tmp_path / "ix"
    first = build_index([archive], ix, workers=1)
    assert (first.added, first.files_indexed) == (3, 3)
    write(archive, "d.txt", "Date palms", "Date palms planted along the road.")
    write(archive, "b.txt", "Bridge reopens", "The old bridge reopens after walnut inspections.", bump=5)
    os.remove(archive / "c.txt")
    second = build_index([archive], ix, workers=1)
    assert (second.added, second.updated, second.removed, second.files_unchanged) == (1, 1, 1, 1)
    assert ids_for(ix, "palms") == {"d.txt"}
    assert ids_for(ix, "walnut") == {"b.txt"}
    assert ids_for(ix, "repairs") == set()
    assert ids_for(ix, "barges") == set()
    assert second.articles == 3


def test_unchanged_archive_reads_and_writes_nothing(tmp_path, archive):
    ix = tmp_path / "ix"
    build_index([archive], ix, workers=1)
    generation = whoosh_index.open_dir(str(ix)).latest_generation()
    again = build_index([archive], ix, workers=1)
    assert (again.files_indexed, again.files_unchanged, again.added, again.removed) == (0, 3, 0, 0)
    assert whoosh_index.open_dir(str(ix)).latest_generation() == generation


def test_duplicates_are_counted_right_across_runs(tmp_path, archive):
    ix = tmp_path / "ix"
    write(archive, "copy/a.txt", "Apricot harvest", "The apricot harvest began early.")
    s = build_index([archive], ix, workers=1)
    assert (s.duplicates, s.duplicates_new) == (1, 1)
    s = build_index([archive], ix, workers=1)
    assert (s.duplicates, s.duplicates_new) == (1, 0)
    write(archive, "copy2/a.txt", "Apricot  harvest", "The apricot harvest began early.")
    s = build_index([archive], ix, workers=1)
    assert (s.duplicates, s.duplicates_new) == (2, 1)
    os.remove(archive / "copy" / "a.txt")
    s = build_index([archive], ix, workers=1)
    assert (s.duplicates, s.duplicates_new) == (1, -1)
    # One result that remembers every place the article was found.
    searcher = Searcher(str(ix))
    try:
        [hit] = searcher.search("apricot").hits
        assert {hit.id} | {a.id for a in hit.also} == {"a.txt", "copy2/a.txt"}
    finally:
        searcher.close()


def test_rebuild_swaps_in_a_new_index_and_open_searchers_move_to_it(tmp_path, archive):
    ix = tmp_path / "ix"
    build_index([archive], ix, workers=1)
    searcher = Searcher(str(ix))
    try:
        os.remove(archive / "a.txt")
        summary = build_index([archive], ix, rebuild=True, workers=1)
        assert summary.rebuilt and summary.articles == 2
        assert not os.path.exists(staging_dir(ix))
        assert searcher.search("apricot").total == 0
        assert searcher.search("bridge").total == 1
    finally:
        searcher.close()


def test_failed_rebuild_leaves_the_index_searchable_and_the_next_run_finishes(tmp_path, archive, monkeypatch):
    ix = tmp_path / "ix"
    build_index([archive], ix, workers=1)
    write(archive, "d.txt", "Date palms", "Date palms planted along the road.")
    real = batch.prepare_file
    calls = []

    def failing(task, field_map):
        calls.append(task)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(task, field_map)

    monkeypatch.setattr(batch, "prepare_file", failing)
    with pytest.raises(OSError):
        build_index([archive], ix, rebuild=True, workers=1, commit_every=1)
    assert ids_for(ix, "apricot") == {"a.txt"}          # the old index answers
    assert ids_for(ix, "palms") == set()                 # and is not half-rebuilt
    assert os.path.isdir(staging_dir(ix))
    monkeypatch.setattr(batch, "prepare_file", real)
    summary = build_index([archive], ix, workers=1)
    assert summary.resumed and summary.files_unchanged == 2 and summary.files_indexed == 2
    assert ids_for(ix, "palms") == {"d.txt"}
    assert not os.path.exists(staging_dir(ix))


def test_second_writer_waits_then_says_who_holds_the_lock(tmp_path, archive):
    ix = tmp_path / "ix"
    with IndexLock(str(ix)):
        result = run_cli("index", archive, "--index", ix, "--lock-wait", "0.3")
    assert result.exit_code == 1
    assert "another akhbar process is writing to" in result.output
    assert "pid %d" % os.getpid() in result.output
    assert run_cli("index", archive, "--index", ix).exit_code == 0


def test_index_of_another_analysis_version_asks_for_a_rebuild(tmp_path, archive):
    ix = tmp_path / "ix"
    assert run_cli("index", archive, "--index", ix).exit_code == 0
    meta_path = ix / META_FILE
    meta = json.loads(meta_path.read_text())
    meta["analysis_version"] = -1
    meta_path.write_text(json.dumps(meta))
    searched = run_cli("search", "bridge", "--index", ix)
    assert searched.exit_code == 1 and "--rebuild" in searched.output and "Traceback" not in searched.output
    indexed = run_cli("index", archive, "--index", ix)
    assert indexed.exit_code == 1 and "--rebuild" in indexed.output
    assert run_cli("index", archive, "--index", ix, "--rebuild").exit_code == 0
    assert ids_for(ix, "bridge") == {"b.txt"}


def test_a_folder_that_is_not_an_index_is_never_replaced(tmp_path, archive):
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"\xff\xd8")
    result = run_cli("index", archive, "--index", other)
    assert result.exit_code == 1 and "not an akhbar index" in result.output
    assert (other / "holiday.jpg").exists()


def test_rebuild_holds_only_the_folders_given(tmp_path, archive):
    other = tmp_path / "other"
    write(other, "z.txt", "Zebra crossing", "A new zebra crossing.")
    ix = tmp_path / "ix"
    build_index([archive], ix, workers=1)
    build_index([other], ix, workers=1)
    assert ids_for(ix, "zebra") == {"z.txt"} and ids_for(ix, "canal") == {"c.txt"}
    summary = build_index([other], ix, rebuild=True, workers=1)
    assert summary.articles == 1
    assert ids_for(ix, "canal") == set()


def test_many_small_updates_do_not_pile_up_segments(tmp_path, archive):
    ix = tmp_path / "ix"
    build_index([archive], ix, workers=1)
    for n in range(12):
        write(archive, "new%02d.txt" % n, "Update %d" % n, "Small update number %d." % n)
        build_index([archive], ix, workers=1)
    segments = whoosh_index.open_dir(str(ix))._read_toc().segments
    assert len(segments) < 8
    assert ids_for(ix, "update") == {"new%02d.txt" % n for n in range(12)}


def test_an_archive_readme_is_not_an_article(tmp_path, archive):
    (archive / "README.TXT").write_text("Consists of 2225 documents\n\nabout the dataset.\n", encoding="utf-8")
    (archive / "LICENSE").write_text("All rights reserved\n\nby someone.\n", encoding="utf-8")
    summary = build_index([archive], tmp_path / "ix", workers=1)
    assert summary.articles == 3
