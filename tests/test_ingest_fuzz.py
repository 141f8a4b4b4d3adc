"""Random archive files through the indexer's reading and analysis.

Each example is a file made of good records (each carrying a marker word no
other record has) mixed with bad ones: garbage lines, truncation, huge
lines, NUL bytes, a TREC document without its end tag.  Whatever the mix,
reading the file must end quickly, raise nothing but UnreadableFile, and
keep every good record that the damage did not touch.  Pure random bytes
must simply be read or refused.

Limits are shrunk (MAX_ARTICLE_CHARS) so that "huge" stays cheap, and the
example counts are bounded so the suite stays quick.
"""
import json
import signal
import string

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from indexer import documents
from indexer.documents import UnreadableFile, read_file
from indexer.batch import prepare_file
from indexer.discovery import FileTask

SMALL_LIMIT = 3000
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Garbage text for record formats.  No newline (a record is a line) and no
# quote character: an unclosed quote makes the following CSV lines part of one
# field by the format's own rules, which is not loss but CSV.  No NUL either:
# many NULs make a file binary; the "nul" records put one in a record.
GARBAGE_CHARS = st.characters(blacklist_categories=("Cs",),
                              blacklist_characters='\x00\n\r"\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029<')
garbage = st.text(GARBAGE_CHARS, max_size=80)
words = st.lists(st.sampled_from(["olive", "زيت", "الزيتون", "harvest", "تونس", "exports", "دولار", "rain"]),
                 min_size=1, max_size=12).map(" ".join)


class TookTooLong(Exception):
    pass


def _bounded(seconds):
    def expire(signum, frame):
        raise TookTooLong("reading took more than %d s" % seconds)
    signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setattr(documents, "MAX_ARTICLE_CHARS", SMALL_LIMIT)
    yield
    signal.alarm(0)


def _read(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    problems = []
    _bounded(20)
    try:
        articles = read_file(str(path), name, problems=problems)
    except UnreadableFile:
        articles = []
    finally:
        signal.alarm(0)
    return articles, problems


@st.composite
def record_files(draw, fmt):
    """(file bytes, markers of the good records that must survive)."""
    n = draw(st.integers(1, 6))
    parts, markers = [], []
    for i in range(n):
        marker = "zq%dmark%d" % (draw(st.integers(0, 999)), i)
        kind = draw(st.sampled_from(["good", "good", "garbage", "huge", "nul"]))
        title, body = draw(words), draw(words)
        if kind == "good":
            markers.append(marker)
            body = body + " " + marker
        elif kind == "huge":
            body = body + " " + "x" * draw(st.integers(SMALL_LIMIT + 1, 4 * SMALL_LIMIT))
        if fmt == "jsonl":
            line = json.dumps({"id": marker, "title": title, "text": body}, ensure_ascii=draw(st.booleans()))
        elif fmt == "csv":
            line = '%s,"%s","%s"' % (marker, title, body)
        else:
            line = "<DOC>\n<DOCNO>%s</DOCNO>\n<TITLE>%s</TITLE>\n<TEXT>\n%s\n</TEXT>\n</DOC>" % (marker, title, body)
        if kind == "garbage":
            line = draw(garbage)
            if fmt == "trec":
                # a document that lost its end tag, or stray text between documents
                line = draw(st.sampled_from(["<DOC>\n<DOCNO>lost%d</DOCNO>\n<TEXT>%s</TEXT>" % (i, line), line]))
        elif kind == "nul":
            line = line[: len(line) // 2] + "\x00" + line[len(line) // 2:]
        parts.append(line.encode("utf-8"))
    header = b"id,title,text\n" if fmt == "csv" else b""
    data = header + b"\n".join(parts) + b"\n"
    if draw(st.booleans()):
        # Cut the file short: the record the cut falls in may go, the ones before it must stay.
        cut = draw(st.integers(len(header), len(data)))
        markers = [m for m in markers if data.find(m.encode()) >= 0 and _complete_before(data, m, cut, fmt)]
        data = data[:cut]
    return data, markers


def _complete_before(data, marker, cut, fmt):
    end = data.find(b"</DOC>", data.find(marker.encode())) + 6 if fmt == "trec" else \
        data.find(b"\n", data.find(marker.encode())) + 1
    return 0 < end <= cut


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "trec"])
@FUZZ
@given(data=st.data())
def test_fuzzed_record_files_keep_every_good_record(tmp_path, fmt, data):
    content, markers = data.draw(record_files(fmt))
    articles, _ = _read(tmp_path, "fuzz." + fmt, content)
    assert {a.id for a in articles} >= set(markers), [a.id for a in articles]


@FUZZ
@given(records=st.lists(st.tuples(words, words), min_size=1, max_size=5), cut=st.floats(0.3, 1.0))
def test_fuzzed_json_array_cut_short_keeps_the_records_before_the_cut(tmp_path, records, cut):
    items = [json.dumps({"id": "zq%d" % i, "title": t, "text": b}) for i, (t, b) in enumerate(records)]
    data = ("[" + ", ".join(items) + "]").encode("utf-8")
    end = int(len(data) * cut)
    articles, _ = _read(tmp_path, "fuzz.json", data[:end])
    kept = {a.id for a in articles}
    complete = {"zq%d" % i for i, item in enumerate(items)
                if data.find(item.encode("utf-8")) + len(item.encode("utf-8")) <= end}
    assert kept >= complete


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000), name=st.sampled_from(["r.txt", "r.csv", "r.jsonl", "r.json", "r.trec"]))
def test_random_bytes_are_read_or_refused_and_analysed_quickly(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    _bounded(20)
    try:
        task = FileTask(path=str(path), file=str(path), rel=name, sig="0", size=len(data), replacing=False)
        _task, docs, error, problems = prepare_file(task, None)
    finally:
        signal.alarm(0)
    assert docs or error is not None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.text(string.ascii_letters + " |/·\t", min_size=50, max_size=400))
def test_page_lines_of_switcher_like_tokens_are_read_quickly(tmp_path, line):
    articles, _ = _read(tmp_path, "page.txt", (line + "\n\nالمصدر: وكالة\n\nنص الخبر.\n").encode("utf-8"))
    assert articles
