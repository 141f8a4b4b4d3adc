"""Whole folders through `akhbar index`: broken files, the bundled corpus, page parts."""
import re

import pytest

from broken_archive import write_broken_archive
from helpers import one_shard, run_cli
from search.searcher import Searcher


def _found(searcher, query, art_id, limit=50):
    results = searcher.search(query, limit=limit)
    ids = set()
    for hit in results.hits:
        ids.add(hit.id)
        ids.update(a.id for a in hit.also)
    return art_id in ids


def test_broken_folder_reports_every_bad_file_and_indexes_the_rest(tmp_path):
    folder = tmp_path / "archive"
    good, bad, line_problems = write_broken_archive(str(folder))
    result = run_cli("index", folder, "--index", tmp_path / "ix")
    assert result.exit_code == 3, result.output
    reported = [line for line in result.output.splitlines() if line.startswith("skipped: ")]
    for rel, reason in bad.items():
        assert any(line.startswith("skipped: %s: " % rel) and reason in line for line in reported), (rel, reported)
    for where in line_problems:
        assert any(line.startswith("skipped: " + where) for line in reported), where
    assert "%d files skipped" % len(bad) in result.output
    assert "2 bad records" in result.output
    assert "Traceback" not in result.output
    s = Searcher(str(tmp_path / "ix"))
    try:
        for art_id, word in good.items():
            assert _found(s, word, art_id), (art_id, word)
    finally:
        s.close()


def test_every_article_of_the_bundled_corpus_is_searchable(searcher):
    reader = one_shard(searcher).searcher().reader()
    checked = 0
    for _docnum, fields in reader.iter_docs():
        # Words as written, diacritics kept; punctuation (query syntax) dropped.
        words = re.sub(r"[^\w\s\u064b-\u065f\u0670]", " ", fields.get("title_text") or "").split()
        if len(words) < 2:
            continue
        query = '"%s"' % " ".join(words)
        assert _found(searcher, query, fields["id"]), (fields["id"], query)
        checked += 1
    assert checked >= 20


def test_a_related_headline_does_not_make_the_page_about_it(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "page.txt").write_text(
        "عنوان عن الأمطار في الجنوب\n\nهطلت أمطار غزيرة على مدن الجنوب اليوم.\n\nالمصدر: وكالة\n\n"
        "مقالات مشابهة\n\n  • مهرجان الفستق الحلبي يستقبل الزوار\n", encoding="utf-8")
    (folder / "pistachio.txt").write_text(
        "مهرجان الفستق الحلبي يفتح أبوابه\n\nاستقبل مهرجان الفستق الحلبي آلاف الزوار في يومه الأول.\n",
        encoding="utf-8")
    assert run_cli("index", folder, "--index", tmp_path / "ix").exit_code == 0
    s = Searcher(str(tmp_path / "ix"))
    try:
        hits = s.search("الفستق الحلبي").hits
        assert hits and hits[0].id == "pistachio.txt"
        assert all(h.id != "page.txt" or h.score < hits[0].score / 5 for h in hits)
    finally:
        s.close()


@pytest.mark.parametrize("args,message", [
    (["--map", "title"], "OURS=THEIRS"),
])
def test_bad_map_option(tmp_path, args, message):
    result = run_cli("index", tmp_path, "--index", tmp_path / "ix", *args)
    assert result.exit_code == 2 and message in result.output


def test_map_option_reads_other_field_names_and_output_is_quiet_when_piped(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "items.csv").write_text("ref,titre,corps,quand\nr1,Marmottes,Les marmottes dorment.,2021-02-03\n",
                                      encoding="utf-8")
    ix = tmp_path / "ix"
    unmapped = run_cli("index", folder, "--index", ix)
    assert unmapped.exit_code == 3 and "neither a title nor a text" in unmapped.output
    mapped = run_cli("index", folder, "--index", ix, "--rebuild",
                     "--map", "title=titre", "--map", "body=corps", "--map", "date=quand", "--map", "id=ref")
    assert mapped.exit_code == 0, mapped.output
    assert "indexing" not in mapped.output and "[#" not in mapped.output      # no progress bar when piped
    s = Searcher(str(ix))
    try:
        [hit] = s.search("marmottes").hits
        assert (hit.id, hit.title, hit.date) == ("r1", "Marmottes", "2021-02-03")
    finally:
        s.close()
