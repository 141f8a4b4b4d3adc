"""What an index holds (files, signatures, duplicate count), read as arrays, against Whoosh's own per-document answer."""
import json
import os

from whoosh import index as whoosh_index

from indexer.build import build_index
from indexer.holdings import index_state
from indexer.store import writer


def _write_jsonl(path, records, bump=0):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    if bump:
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + bump * 10**9))


def _record(n, text=None):
    if text:
        return {"id": "r%d" % n, "title": "Note", "body": text}
    return {"id": "r%d" % n, "title": "Report %d" % n, "body": "The harbour report number %d." % n}


def _per_document(ix):
    """The same three facts read one live document at a time through Whoosh's public readers."""
    files, keys, n = {}, set(), 0
    with ix.reader() as reader:
        file_col, sig_col, dup_col = (reader.column_reader(f) for f in ("file", "filesig", "dupkey"))
        for doc in reader.all_doc_ids():
            files[file_col[doc]] = sig_col[doc]
            keys.add(dup_col[doc])
            n += 1
    return files, n - len(keys), n


def test_index_state_matches_a_document_by_document_reading(tmp_path, monkeypatch):
    # No merge of small segments at the end of a run: deleted articles stay in the segments.
    monkeypatch.setattr(writer, "SMALL_SEGMENT", 0)
    folder, ix = tmp_path / "archive", tmp_path / "ix"
    _write_jsonl(folder / "a.jsonl", [_record(n) for n in range(5)])
    # Two copies of one article in another file, one of an article of a.jsonl.
    _write_jsonl(folder / "b.jsonl", [_record(10, "Same words twice."), _record(11, "Same words twice."),
                                      _record(3)])
    (folder / "c.txt").write_text("Canal\n\nThe canal reopens.\n", encoding="utf-8")
    build_index([folder], ix, workers=1, commit_every=2)
    # An update: a.jsonl changes (its old articles deleted), c.txt goes, d.jsonl comes.
    _write_jsonl(folder / "a.jsonl", [_record(n) for n in range(2, 7)], bump=5)
    os.remove(folder / "c.txt")
    _write_jsonl(folder / "d.jsonl", [_record(20), _record(21, "Same words twice.")])
    summary = build_index([folder], ix, workers=1, commit_every=2)
    opened = whoosh_index.open_dir(str(ix))
    with opened.reader() as reader:
        assert reader.doc_count() < reader.doc_count_all()
        assert len(list(reader.leaf_readers())) > 1
    expected = _per_document(opened)
    assert index_state(opened) == expected
    assert index_state(opened, files=False) == ({},) + expected[1:]
    assert sorted(os.path.basename(f) for f in expected[0]) == ["a.jsonl", "b.jsonl", "d.jsonl"]
    assert (summary.duplicates, summary.articles) == expected[1:] == (3, 10)


def test_index_state_of_an_empty_index(tmp_path):
    folder, ix = tmp_path / "archive", tmp_path / "ix"
    folder.mkdir()
    build_index([folder], ix, workers=1)
    assert index_state(whoosh_index.open_dir(str(ix))) == ({}, 0, 0)
