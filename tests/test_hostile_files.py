"""Issue #28's hostile archive files, made here: a bad record costs that record, in
bounded memory, and never the good records around it."""
import multiprocessing
import os
import resource
import tracemalloc

import pytest

from helpers import cli_json, run_cli
from indexer import documents, encoding, window
from indexer.documents import MAX_PROBLEMS, UnreadableFile, read_file

GOOD = ['{"id": "G-1", "title": "before", "text": "kept words"}', '{"id": "G-2", "title": "after", "text": "kept too"}']


def _read(path, rel=None):
    problems = []
    ids = [a.id for a in read_file(str(path), rel or path.name, problems=problems)]
    return ids, problems


@pytest.fixture
def small_limits(monkeypatch):
    """A record limit of 100,000 characters read in chunks of 4,096, so a few MB are "giant"."""
    monkeypatch.setattr(documents, "MAX_RECORD_CHARS", 100_000)
    monkeypatch.setattr(window, "CHUNK_CHARS", 4096)
    monkeypatch.setattr(encoding, "SAMPLE_BYTES", 65536)


def _peak(read):
    tracemalloc.start()
    try:
        result = read()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ---------------------------------------------------------------- 1. a CSV field over the limit

def _csv_with_giant_field(path, chars):
    """A CSV whose middle row holds a quoted field of ``chars`` characters, made of lines that
    are themselves CSV rows of the header's shape (what the parser indexed as junk)."""
    junk = "JUNK-%d,junk title,junk text\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,title,text\nC-1,before,kept words\nC-BIG,giant,\"")
        written = n = 0
        while written < chars:
            line = junk % n
            f.write(line)
            written, n = written + len(line), n + 1
        f.write("\"\nC-2,after,kept too\n")


def test_a_csv_field_over_the_csv_modules_limit_costs_only_its_row(tmp_path):
    # 5 MB: the csv module gave up at its limit and indexed the field's lines as rows.
    path = tmp_path / "five.csv"
    _csv_with_giant_field(path, 5_000_000)
    ids, problems = _read(path)
    assert ids == ["C-1", "C-2"]
    assert len(problems) == 1 and "C-BIG" in problems[0] and "limit" in problems[0]


def test_a_csv_field_over_the_record_limit_is_skipped_unread_in_bounded_memory(tmp_path, small_limits):
    path = tmp_path / "giant.csv"
    _csv_with_giant_field(path, 5_000_000)          # 50 times the record limit
    (ids, problems), peak = _peak(lambda: _read(path))
    assert ids == ["C-1", "C-2"]
    assert len(problems) == 1 and "line 3" in problems[0] and "over the limit of 100,000" in problems[0]
    assert peak < 2_000_000, peak                  # the file is 5 MB; reading it whole took 3 times that


def test_an_unbalanced_quote_costs_its_own_row_not_the_rows_it_swallowed(tmp_path):
    path = tmp_path / "quote.csv"
    rows = ['R-%d,title %d,"text, %d"' % (i, i, i) for i in range(6)]
    rows[2] = 'R-2,"broken title,text two'       # the quote never closes on its line
    path.write_text("id,title,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    ids, problems = _read(path)
    assert ids == ["R-0", "R-1", "R-3", "R-4", "R-5"]
    assert len(problems) == 1 and "line 4" in problems[0] and "read again from line 5" in problems[0]


def test_a_quoted_field_over_several_lines_is_still_one_row(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text('id,title,text\nM-1,title,"first paragraph,\n\nsecond, with ""quotes"""\nM-2,t,x\n',
                    encoding="utf-8")
    articles = read_file(str(path), "lines.csv")
    assert [a.id for a in articles] == ["M-1", "M-2"]
    assert articles[0].body == 'first paragraph,\n\nsecond, with "quotes"'


# ---------------------------------------------------------------- 2. one bad JSON record

HOSTILE_LINES = [
    '{"id": "S-1", "title": "lone \\ud83d surrogate", "text": "pelican \\udc00 census"}',   # UnicodeEncodeError
    "[" * 100_000 + "]" * 100_000,                                                          # RecursionError
    '{"id": "D-1", "title": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
]


def test_jsonl_lines_that_broke_the_whole_file_cost_only_themselves(tmp_path):
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join([GOOD[0]] + HOSTILE_LINES + [GOOD[1]]) + "\n", encoding="utf-8")
    ids, problems = _read(path)
    assert ids == ["G-1", "S-1", "G-2"]
    assert [p.split(": ")[1] for p in problems] == ["line 3", "line 4"]
    assert all("nested too deep" in p for p in problems)


def test_a_json_array_keeps_the_records_around_a_bad_one(tmp_path):
    path = tmp_path / "hostile.json"
    path.write_text("[" + ",\n".join([GOOD[0]] + HOSTILE_LINES + ['{"id": "X-1", "title": "flipped", "text": "a"b"}']
                                      + [GOOD[1]]) + "]", encoding="utf-8")
    ids, problems = _read(path)
    assert ids == ["G-1", "S-1", "G-2"]
    assert len(problems) == 3 and "record 5" in problems[2] and "malformed JSON" in problems[2]


def test_lone_surrogates_are_dropped_and_the_file_is_indexed(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "hostile.jsonl").write_text("\n".join([GOOD[0]] + HOSTILE_LINES + [GOOD[1]]) + "\n", encoding="utf-8")
    result = run_cli("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 3, result.output            # the two deep lines are reported
    assert "hostile.jsonl: line 3" in result.output and "Traceback" not in result.output
    found = cli_json("search", "pelican OR kept", "--index", str(tmp_path / "ix"))
    assert {h["id"] for h in found["hits"]} == {"G-1", "S-1", "G-2"}
    [s1] = [h for h in found["hits"] if h["id"] == "S-1"]
    assert s1["title"] == "lone  surrogate"


# ---------------------------------------------------------------- 3. memory and the largest record

@pytest.mark.parametrize("name", ["giant.jsonl", "giant.json", "giant.trec"])
def test_a_record_over_the_limit_is_skipped_unread_in_bounded_memory(tmp_path, small_limits, name):
    path = tmp_path / name
    giant = "a" * 8_000_000
    with open(path, "w", encoding="utf-8") as f:
        if name.endswith(".trec"):
            for docno, text in (("G-1", "kept words"), ("BIG", giant), ("G-2", "kept too")):
                f.write("<DOC>\n<DOCNO>%s</DOCNO>\n<TEXT>%s</TEXT>\n</DOC>\n" % (docno, text))
        else:
            lines = [GOOD[0], '{"id": "BIG", "title": "giant", "text": "%s"}' % giant, GOOD[1]]
            f.write("\n".join(lines) + "\n" if name.endswith(".jsonl") else "[" + ",\n".join(lines) + "]")
    (ids, problems), peak = _peak(lambda: _read(path))
    assert ids == ["G-1", "G-2"]
    assert len(problems) == 1 and "limit of 100,000" in problems[0]
    assert ("line 5" if name.endswith(".trec") else "line 2") in problems[0]
    assert peak < 2_000_000, peak


def test_a_page_or_text_file_over_the_record_limit_is_refused_unread(tmp_path, small_limits):
    path = tmp_path / "huge.txt"
    path.write_text("Title\n\n" + "word " * 2_000_000, encoding="utf-8")
    (error, peak) = _peak(lambda: pytest.raises(UnreadableFile, read_file, str(path), "huge.txt"))
    assert "over 100,000 characters" in str(error.value)
    assert peak < 2_000_000, peak


def test_blanks_before_a_text_count_toward_its_limit(tmp_path, small_limits):
    path = tmp_path / "blank.txt"
    path.write_text(" \n" * 200_000 + "Title\n\nbody\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="over 100,000 characters"):
        read_file(str(path), "blank.txt")


def _read_under_address_limit(path, rel, spare, out):
    # Address space as it stands, plus ``spare``: room for the limits, not for the file.
    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (vm + spare, vm + spare))
    try:
        problems = []
        out.put(([a.id for a in read_file(path, rel, problems=problems)], problems))
    except MemoryError:
        out.put((["MemoryError"], []))


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs /proc")
@pytest.mark.parametrize("name", ["giant.jsonl", "giant.csv"])
def test_a_file_larger_than_the_memory_it_may_use_keeps_its_good_records(tmp_path, name):
    """Issue #28: a 2 GB file with one 10^9-character line under a 4 GB address-space limit
    lost both good lines to MemoryError.  Here: 400 MB with 300 MB to spare."""
    path = str(tmp_path / name)
    with open(path, "wb") as f:
        f.write(b"id,title,text\nG-1,before,kept words\nBIG,giant,\"" if name.endswith(".csv") else
                GOOD[0].encode() + b'\n{"id": "BIG", "title": "giant", "text": "')
        block = b"word, " * 100_000
        for _ in range(400_000_000 // len(block)):
            f.write(block)
        f.write(b'"\nG-2,after,kept too\n' if name.endswith(".csv") else b'"}\n' + GOOD[1].encode() + b"\n")
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_read_under_address_limit, args=(path, name, 300 << 20, out))
    child.start()
    ids, problems = out.get(timeout=300)
    child.join()
    assert ids == ["G-1", "G-2"], problems
    assert len(problems) == 1 and "over the limit" in problems[0]


# ---------------------------------------------------------------- 9. empty documents

def test_bare_doc_tags_are_counted_once_not_indexed(tmp_path):
    path = tmp_path / "bare.trec"
    path.write_bytes(b"<DOC>\n" * 200_000 + b"<DOC>\n<DOCNO>T-1</DOCNO>\n<TEXT>kept</TEXT>\n</DOC>\n")
    ids, problems = _read(path)
    assert ids == ["T-1"]
    assert problems == ["bare.trec: 200,000 documents have neither a title nor a text, skipped "
                        "(document 1, document 2, document 3, …)"]


def test_a_file_of_bare_doc_tags_is_refused_with_their_count(tmp_path):
    path = tmp_path / "bare.trec"
    path.write_bytes(b"<DOC>\n<DOCNO>E-1</DOCNO>\n</DOC>\n" * 1000)
    problems = []
    with pytest.raises(UnreadableFile, match="1,000 documents have neither a title nor a text"):
        read_file(str(path), "bare.trec", problems=problems)
    assert problems == []


def test_empty_rows_are_one_line_and_a_flood_of_bad_lines_is_capped(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("id,title,text\n" + "x,,\n" * 5000 + "K-1,kept,words\n", encoding="utf-8")
    ids, problems = _read(path)
    assert ids == ["K-1"] and len(problems) == 1 and problems[0].startswith("rows.csv: 5,000 records have")
    path = tmp_path / "flood.jsonl"
    path.write_text("not json\n" * 5000 + GOOD[0] + "\n", encoding="utf-8")
    ids, problems = _read(path)
    assert ids == ["G-1"] and len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == "flood.jsonl: %s more problems in this file, not listed" % format(5000 - MAX_PROBLEMS, ",")


# ---------------------------------------------------------------- what the fuzz run found (bench/fuzz_readers.py)

def test_garbage_between_json_records_costs_no_record_and_nested_objects_are_not_records(tmp_path):
    # Reading went on after the next "}" (losing the record after the garbage) and took
    # the objects nested in a damaged record for records.
    record = '{"id": "N-%d", "title": "t", "text": "x", "meta": {"authors": [{"name": "a"}, {"name": "b"}]}}'
    damaged = '{"id": "N-2", "title": "t", "text": "x\x01", "meta": {"authors": [{"name": "a"}, {"name": "b"}]}}'
    path = tmp_path / "garbage.json"
    path.write_text("[%s, #~^| garbage, %s, %s, %s]" % (record % 0, record % 1, damaged, record % 3), encoding="utf-8")
    ids, problems = _read(path)
    assert ids == ["N-0", "N-1", "N-3"]
    assert [p.split(": ")[1] for p in problems] == ["record 2 (line 1)", "record 4 (line 1)"]


def test_a_damaged_first_key_does_not_hide_the_records_after_a_damaged_value(tmp_path):
    # Reading went on only at an object starting with the last record's first key: here "if".
    records = ['{"id": "K-0", "text": "a"}', '{"if": "K-1", "text": "b"}', '{"id": "K-2", "text": "c}',
               '{"id": "K-3", "text": "d"}', '{"id": "K-4", "text": "e"}']
    path = tmp_path / "keys.json"
    path.write_text("[" + ",\n".join(records) + "]", encoding="utf-8")
    ids, problems = _read(path)
    assert ids == ["K-0", "keys.json#2", "K-3", "K-4"] and len(problems) == 1 and "record 3" in problems[0]


def test_a_json_value_over_the_limit_with_dense_escapes_is_skipped_in_bounded_memory(tmp_path, small_limits):
    # The pattern skipping a string kept backtracking state per escape: 240 MB for 6 MB.
    path = tmp_path / "escapes.json"
    path.write_text("[%s, {\"id\": \"BIG\", \"text\": \"%s\"}, %s]" % (GOOD[0], '\\"ab' * 1_500_000, GOOD[1]),
                    encoding="utf-8")
    (ids, problems), peak = _peak(lambda: _read(path))
    assert ids == ["G-1", "G-2"] and len(problems) == 1 and "over the limit" in problems[0]
    assert peak < 2_000_000, peak


@pytest.mark.parametrize("title", ["[Update] olive harvest", "{braces} olive harvest", "[1] olive"])
def test_a_text_whose_title_starts_with_a_bracket_is_text_not_json(tmp_path, title):
    path = tmp_path / "page.txt"
    path.write_text(title + "\n\nThe olive harvest rose.\n", encoding="utf-8")
    [article] = read_file(str(path), "page.txt")
    assert article.title == title


@pytest.mark.parametrize("name", ["one.txt", "one.json"])
def test_a_nul_byte_costs_a_character_or_a_record_not_the_file(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".txt"):
        path.write_bytes(b"Olive harvest\n\nThe olive\x00 harvest rose.\n")
        [article] = read_file(str(path), name)
        assert article.body == "The olive harvest rose."
    else:
        path.write_bytes(("[%s, %s, %s]" % (GOOD[0], '{"id": "Z", "text": "a\x00b"}', GOOD[1])).encode())
        ids, problems = _read(path)
        assert ids == ["G-1", "G-2"] and "record 2" in problems[0]


def test_the_reader_fuzz_run_keeps_every_good_record(capsys):
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench"))
    import fuzz_readers
    assert fuzz_readers.main(["--files", "12", "--giant", "0", "--seed", "7"]) == 0, capsys.readouterr().out
