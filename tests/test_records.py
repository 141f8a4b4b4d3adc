"""indexer.records and indexer.window: records found in a stream read a chunk at a time are the
records the whole text holds, whatever the chunk size (a chunk may end inside a
quote, a tag, a multi-byte character or a CRLF)."""
import csv
import io
import json

import pytest
from hypothesis import given, settings, strategies as st

from indexer import encoding
from indexer.encoding import open_text
from indexer.records import csv_rows, json_lines, json_values, trec_documents
from indexer.window import Window

CHUNKS = st.integers(1, 12)


def window(text, chunk, limit=10_000):
    return Window(io.StringIO(text), limit, chunk=chunk)


def values(items):
    items = list(items)
    assert [p for _, _, p in items if p] == []
    return [v for _, v, _ in items]


CSV_PIECES = st.lists(st.sampled_from(["a", "bb", ",", '"', '""', "\n", "\r\n", "\r", " ", "x,y", '"q,\nz"', "é"]),
                      max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=CSV_PIECES, chunk=CHUNKS)
def test_csv_records_are_the_csv_modules_wherever_the_chunks_end(text, chunk):
    try:
        expected = [row for row in csv.reader(io.StringIO(text, newline=""), strict=True) if row]
    except csv.Error:
        return          # malformed: read by the rules of test_hostile_files, not the csv module's
    # The csv module ends a record at a lone \r only by raising; the reader takes it as a line end.
    if "\r" in text.replace("\r\n", ""):
        return
    assert values(csv_rows(window(text, chunk))) == expected


@settings(max_examples=200, deadline=None)
@given(records=st.lists(st.dictionaries(st.sampled_from(["id", "title", "text"]),
                                        st.one_of(st.text(max_size=12), st.integers(), st.lists(st.integers()))),
                        max_size=6),
       chunk=CHUNKS, indent=st.sampled_from([None, 1]), ascii=st.booleans())
def test_json_arrays_and_lines_are_their_values_wherever_the_chunks_end(records, chunk, indent, ascii):
    array = json.dumps(records, indent=indent, ensure_ascii=ascii)
    assert values(json_values(window(array, chunk))) == records
    lines = "".join(json.dumps(r, ensure_ascii=ascii) + "\n" for r in records)
    assert values(json_lines(window(lines, chunk))) == records
    assert values(json_values(window(lines, chunk))) == records      # JSON Lines saved as .json


@settings(max_examples=200, deadline=None)
@given(docs=st.lists(st.text(st.sampled_from("ab <>/DOCé\n"), max_size=20), min_size=1, max_size=5), chunk=CHUNKS)
def test_trec_documents_are_found_wherever_the_chunks_end(docs, chunk):
    docs = [d.replace("<", "[") for d in docs]
    text = "".join("<DOC>%s</doc>\n" % d for d in docs)
    assert [v for v, _ in values(trec_documents(window(text, chunk)))] == docs


def test_line_numbers_count_every_line_before_a_record():
    text = 'id,title\n\n1,"two\nlines"\n2,x\n'
    assert [line for line, _, _ in csv_rows(window(text, 3))] == [1, 3, 5]
    lines = '{"a": 1}\n\n{"a": 2}\n{"a": 3}'
    assert [line for line, _, _ in json_lines(window(lines, 2))] == [1, 3, 4]


def test_a_record_over_the_limit_is_reported_with_its_length_and_not_kept():
    text = "id\n1\n" + "x" * 500 + "\n2\n"
    w = window(text, 16, limit=100)
    got = list(csv_rows(w))
    assert [v for _, v, _ in got] == [["id"], ["1"], None, ["2"]]
    assert "line 3: 501 characters, over the limit of 100" in got[2][2]      # its line end counted
    assert len(w.buf) < 200


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1256"])
def test_a_large_file_decoded_as_it_is_read_is_the_file_decoded_whole(tmp_path, monkeypatch, codec):
    text = "".join('{"id": "%d", "title": "عنوان الخبر %d", "text": "نص"}\n' % (i, i) for i in range(3000))
    path = tmp_path / "big.jsonl"
    path.write_bytes(text.encode(codec))
    whole, told = open_text(str(path))
    assert whole.read(1 << 30) == text
    monkeypatch.setattr(encoding, "SAMPLE_BYTES", 4096)
    stream, streamed_as = open_text(str(path))
    assert type(stream).__name__ == "_Decoding"
    read = []
    while True:
        part = stream.read(777)            # odd sizes: characters cut between reads
        if not part:
            break
        read.append(part)
    assert "".join(read) == text
    assert streamed_as.split()[0] == told.split()[0] or codec == "cp1256"
