"""Hostile archive files: shapes that used to hang the indexer, eat its memory
or silently lose good articles.  Each is read, its good articles kept and
its bad parts reported."""
import json
import multiprocessing
import os
import resource

import pytest

from helpers import cli_json, run_cli
from indexer.documents import MAX_ARTICLE_CHARS, UnreadableFile, read_file



def read_in_child(path, rel, seconds=20):
    """read_file in a forked process given ``seconds``: (article ids, problems).

    A regular expression that backtracks cannot be interrupted inside this
    process, so a hang is caught from outside and fails the test.
    """
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()

    def work():
        problems = []
        try:
            ids = [a.id for a in read_file(str(path), rel, problems=problems)]
        except UnreadableFile as e:
            ids = ["unreadable: %s" % e]
        out.put((ids, problems, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))

    p = ctx.Process(target=work)
    p.start()
    p.join(seconds)
    if p.is_alive():
        p.kill()
        p.join()
        pytest.fail("reading %s took more than %d s" % (rel, seconds))
    return out.get(timeout=5)


@pytest.mark.parametrize("first_line", [
    "Ab " * 40 + "x",                         # the language-switcher pattern backtracked exponentially
    "Ab | " * 40 + "x",
], ids=["spaces", "bars"])
def test_a_line_that_almost_looks_like_a_language_switcher_is_read_at_once(tmp_path, first_line):
    path = tmp_path / "page.txt"
    path.write_text(first_line + "\n\nالمصدر: وكالة\n\nنص الخبر هنا.\n", encoding="utf-8")
    ids, problems, _ = read_in_child(path, "page.txt")
    assert ids == ["page.txt"] and problems == []


@pytest.mark.parametrize("name,text", [
    ("blank-lines.txt", "\n" * 300_000 + "Title\n\nbody\n"),                  # ^\s* under re.M
    ("spaces.txt", "Title\n\n" + " " * 300_000 + "x\n"),                     # \s*\n\s* in paragraphs
    ("open-tags.trec", "<DOC>\n<DOCNO>T-1</DOCNO>\n<TEXT>body</TEXT>\n" + "<TITLE>" * 60_000 + "\n</DOC>\n"),
], ids=["blank-lines", "spaces", "open-tags"])
def test_long_runs_that_made_patterns_quadratic_are_read_at_once(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    ids, _, _ = read_in_child(path, name)
    assert len(ids) == 1 and not ids[0].startswith("unreadable"), ids


def test_trec_doc_missing_its_end_tag_keeps_the_next_document_and_is_reported(tmp_path):
    path = tmp_path / "three.trec"
    path.write_text(
        "<DOC>\n<DOCNO>M-1</DOCNO>\n<TITLE>first</TITLE>\n<TEXT>alpha text</TEXT>\n"
        "<DOC>\n<DOCNO>M-2</DOCNO>\n<TITLE>second</TITLE>\n<TEXT>beta text</TEXT>\n</DOC>\n"
        "<DOC>\n<DOCNO>M-3</DOCNO>\n<TITLE>third</TITLE>\n<TEXT>gamma text</TEXT>\n</DOC>\n", encoding="utf-8")
    problems = []
    articles = read_file(str(path), "three.trec", problems=problems)
    assert [(a.id, a.title, a.body) for a in articles] == [
        ("M-1", "first", "alpha text"), ("M-2", "second", "beta text"), ("M-3", "third", "gamma text")]
    assert len(problems) == 1 and "three.trec" in problems[0] and "M-1" in problems[0] \
        and "</DOC>" in problems[0]


def test_trec_file_cut_off_in_its_last_document_keeps_the_others_and_says_so(tmp_path):
    path = tmp_path / "cut.trec"
    path.write_text("<DOC>\n<DOCNO>C-1</DOCNO>\n<TITLE>whole</TITLE>\n<TEXT>kept</TEXT>\n</DOC>\n"
                    "<DOC>\n<DOCNO>C-2</DOCNO>\n<TITLE>cut</TITLE>\n<TEXT>lost hal", encoding="utf-8")
    problems = []
    assert [a.id for a in read_file(str(path), "cut.trec", problems=problems)] == ["C-1"]
    assert len(problems) == 1 and "C-2" in problems[0] and "cut off" in problems[0]


def test_csv_with_a_nul_byte_early_keeps_its_good_rows_and_reports_the_bad_one(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"id,title,text\n"
                     b"R-1,first,alpha words\n"
                     b"R-2,spoil\x00ed,beta words\n"
                     b"R-3,third,gamma words\n")
    problems = []
    articles = read_file(str(path), "export.csv", problems=problems)
    assert [a.id for a in articles] == ["R-1", "R-3"]
    assert len(problems) == 1 and "line 3" in problems[0] and "NUL" in problems[0]


def test_mostly_nul_csv_is_still_binary(tmp_path):
    path = tmp_path / "blob.csv"
    path.write_bytes(b"id,title\n" + b"\x00" * 4000)
    with pytest.raises(UnreadableFile, match="binary"):
        read_file(str(path), "blob.csv")


def test_csv_field_over_the_csv_modules_default_limit_is_read(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("id,title,text\nL-1,long one,%s\nL-2,short,fine\n" % ("word " * 40_000), encoding="utf-8")
    assert [a.id for a in read_file(str(path), "long.csv")] == ["L-1", "L-2"]


def test_one_giant_jsonl_record_is_reported_and_the_others_kept_in_little_memory(tmp_path):
    path = tmp_path / "dump.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "J-1", "title": "before", "text": "kept words"}) + "\n")
        f.write(json.dumps({"id": "J-2", "title": "giant", "text": "a" * 50_000_000}) + "\n")
        f.write(json.dumps({"id": "J-3", "title": "after", "text": "kept too"}) + "\n")
    ids, problems, maxrss_kb = read_in_child(path, "dump.jsonl", seconds=60)
    assert ids == ["J-1", "J-3"]
    assert len(problems) == 1 and "line 2" in problems[0] and "limit" in problems[0]
    # The file itself is 50 MB; reading it whole and decoding it is the floor.
    assert maxrss_kb < 400_000, maxrss_kb


def test_a_one_token_article_just_under_the_limit_is_analysed_in_little_memory(tmp_path):
    from indexer.analysis.tokenize import tokens
    import tracemalloc
    tracemalloc.start()
    words = tokens("b" * (MAX_ARTICLE_CHARS - 10))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(words) == 1
    # The word itself is 1 MB; its match must not keep a record per character (126 MB before).
    assert peak < 10 * MAX_ARTICLE_CHARS, peak


def test_jsonl_string_holding_a_unicode_line_separator_stays_one_record(tmp_path):
    path = tmp_path / "sep.jsonl"
    path.write_text(json.dumps({"id": "U-1", "title": "one\u2028two", "text": "x"}, ensure_ascii=False) + "\n"
                    + json.dumps({"id": "U-2", "title": "next", "text": "y"}) + "\n", encoding="utf-8")
    problems = []
    assert [a.id for a in read_file(str(path), "sep.jsonl", problems=problems)] == ["U-1", "U-2"]
    assert problems == []


def test_plain_file_over_the_article_limit_is_reported(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Title\n\n" + "word " * (MAX_ARTICLE_CHARS // 4), encoding="utf-8")
    with pytest.raises(UnreadableFile, match="limit"):
        read_file(str(path), "huge.txt")


def test_file_name_that_is_not_utf8_is_indexed_found_and_removed_when_gone(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "good.txt").write_text("Good title\n\nolive harvest\n", encoding="utf-8")
    odd = os.path.join(os.fsencode(archive), b"x\xff.txt")
    with open(odd, "wb") as f:
        f.write(b"Odd title\n\nsaffron harvest\n")
    ix = tmp_path / "ix"
    result = run_cli("index", archive, "--index", ix)
    assert result.exit_code == 0, result.output
    hits = cli_json("search", "saffron", "--index", ix)["hits"]
    assert [h["id"] for h in hits] == ["x\\xff.txt"]
    # Unchanged on the next run, and removed once the file is gone.
    assert "0 files read (2 unchanged)" in run_cli("index", archive, "--index", ix).output
    os.remove(odd)
    assert "1 removed" in run_cli("index", archive, "--index", ix).output
    assert cli_json("search", "saffron", "--index", ix)["hits"] == []


def test_one_id_in_two_files_is_reported_and_both_articles_are_searchable(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.jsonl").write_text('{"id": "N-1", "title": "first saffron", "text": "alpha"}\n', encoding="utf-8")
    (archive / "b.jsonl").write_text('{"id": "N-1", "title": "second saffron", "text": "beta"}\n'
                                     '{"id": "N-2", "title": "other", "text": "gamma"}\n', encoding="utf-8")
    ix = tmp_path / "ix"
    result = run_cli("index", archive, "--index", ix)
    assert result.exit_code == 3
    warning = [line for line in result.output.splitlines() if line.startswith("warning: id N-1 ")]
    assert len(warning) == 1 and "a.jsonl" in warning[0] and "b.jsonl" in warning[0]
    titles = {h["title"] for h in cli_json("search", "saffron", "--index", ix)["hits"]}
    assert titles == {"first saffron", "second saffron"}
    # Once the export gives the record its own id, the warning is gone.
    (archive / "b.jsonl").write_text('{"id": "N-3", "title": "second saffron", "text": "beta"}\n'
                                     '{"id": "N-2", "title": "other", "text": "gamma"}\n', encoding="utf-8")
    result = run_cli("index", archive, "--index", ix)
    assert result.exit_code == 0 and "warning" not in result.output


def test_trec_file_with_a_stray_line_before_its_first_doc_is_still_trec(tmp_path):
    path = tmp_path / "stray.trec"
    path.write_text("exported 2018-03-01\n<DOC>\n<DOCNO>S-1</DOCNO>\n<TITLE>kept</TITLE>\n<TEXT>body</TEXT>\n</DOC>\n",
                    encoding="utf-8")
    assert [(a.id, a.title) for a in read_file(str(path), "stray.trec")] == [("S-1", "kept")]
