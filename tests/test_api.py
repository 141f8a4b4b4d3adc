"""The Python API (akhbar.open and the Archive): the engine's answers, as the command line gives them,
wrapped for Python; frames with their documented columns and dtypes; akhbar's own errors."""
import json
import re
import subprocess
import sys

import pytest

import akhbar
from helpers import ROOT, cli_json, run_cli

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def archive(corpus_index):
    a = akhbar.open(corpus_index)
    yield a
    a.close()


def test_import_akhbar_needs_no_pandas_and_lists_its_api():
    code = "import sys, akhbar; print(json.dumps(['pandas' in sys.modules, 'ir_measures' in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, cwd=ROOT)
    assert json.loads(out.stdout) == [False, False], out.stderr
    for name in akhbar.__all__:
        assert hasattr(akhbar, name), name
    for name in ("open", "index", "evaluate", "Archive", "Results", "Hit", "Timeline", "Concordance", "Forms",
                 "Export", "Error", "QueryError", "IndexNotFound", "ShardsUnavailable"):
        assert name in akhbar.__all__
        assert getattr(akhbar, name).__doc__, name


def test_help_shows_the_docstrings():
    import pydoc
    text = pydoc.render_doc(akhbar.Archive, renderer=pydoc.plaintext)
    for method in ("search", "timeline", "kwic", "forms", "export", "run"):
        assert getattr(akhbar.Archive, method).__doc__.split("\n")[0].strip()[:30] in " ".join(text.split())
    assert "lang" in akhbar.Archive.timeline.__doc__ and "time_limit" in akhbar.Archive.run.__doc__


def test_search_is_the_command_lines_search(archive, corpus_index):
    results = archive.search("الامم المتحده", limit=5, lang="ar")
    cli = cli_json("search", "الامم المتحده", "--limit", "5", "--lang", "ar", "--index", corpus_index)
    assert results.total == cli["total"] > 5
    assert [h.id for h in results] == [h["id"] for h in cli["hits"]]
    assert [h.rank for h in results] == [1, 2, 3, 4, 5] and len(results) == 5
    assert results.facets == cli["facets"] and results.expansions == cli["expansions"]
    hit = results[0]
    assert hit.snippet == cli["hits"][0]["snippet"] and hit.snippet.spans
    assert all(re.sub(r"[ً-ْ]", "", m) in ("الأمم", "المتحدة", "الامم", "المتحده") for m in hit.snippet.marks)
    assert hit.snippet.html() == cli["hits"][0]["snippet_html"]
    assert hit.date.isoformat() == cli["hits"][0]["date"] and hit.lang == "ar"
    second = archive.search("الامم المتحده", limit=2, page=2, lang="ar")
    assert [h.rank for h in second] == [3, 4] and [h.id for h in second] == [h.id for h in results.hits[2:4]]


def test_results_frame_has_the_documented_columns_and_dtypes(archive):
    frame = archive.search("الأمم المتحدة", limit=20).to_frame()
    assert list(frame.columns) == ["rank", "id", "score", "title", "date", "source", "lang", "url", "snippet", "path"]
    assert str(frame["rank"].dtype) == "int64" and str(frame["score"].dtype) == "float64"
    assert str(frame["date"].dtype) == "datetime64[ns]"
    assert all(pd.api.types.is_string_dtype(frame[c]) for c in ("id", "title", "source", "lang", "snippet", "path"))
    assert frame["date"].notna().all() and frame["rank"].tolist() == list(range(1, len(frame) + 1))
    empty = archive.search("كلمةلاتوجدأبدا").to_frame()
    assert len(empty) == 0 and list(empty.columns) == list(frame.columns)
    assert str(empty["date"].dtype) == "datetime64[ns]"
    undated = archive.search("water", lang="en").to_frame()     # the English pages carry no date
    assert len(undated) and undated["date"].isna().all()


def test_the_repr_is_what_the_terminal_prints(archive, corpus_index):
    results = archive.search("زيت الزيتون", limit=3)
    printed = run_cli("search", "زيت الزيتون", "--limit", "3", "--index", corpus_index).output
    shown = repr(results)
    assert re.sub(r", \d+ ms", "", shown).strip() == re.sub(r", \d+ ms", "", printed).strip()
    assert results[0].title in repr(results[0])


def test_notebook_html_is_right_to_left_with_marks(archive):
    from bs4 import BeautifulSoup
    html = BeautifulSoup(archive.search("الأمم المتحدة", limit=3)._repr_html_(), "html.parser")
    items = html.select("li > div[dir]")
    assert len(items) == 3 and {d["dir"] for d in items} == {"rtl"}
    assert [m.get_text() for m in items[0].find_all("mark")]
    english = BeautifulSoup(archive.search("water", lang="en", limit=1)._repr_html_(), "html.parser")
    assert english.select_one("li > div[dir]")["dir"] == "ltr"


def test_timeline_is_the_views_as_data_frame_and_the_pages_chart(archive, corpus_index):
    timeline = archive.timeline("الأمم", "المياه", by="year", lang="ar")
    cli = cli_json("timeline", "الأمم", "--vs", "المياه", "--by", "year", "--lang", "ar", "--index", corpus_index)
    assert timeline.data == cli
    frame = timeline.to_frame()
    assert list(frame.columns) == ["query", "period", "start", "end", "count", "share", "all"]
    assert [str(frame[c].dtype) for c in ("start", "end", "count", "share", "all")] == \
        ["datetime64[ns]", "datetime64[ns]", "int64", "float64", "int64"]
    points = [(s["query"], p["period"], p["count"], p["share"]) for s in cli["series"] for p in s["points"]]
    assert list(zip(frame["query"], frame["period"], frame["count"], frame["share"])) == points
    assert frame["start"].iloc[0] == pd.Timestamp(cli["series"][0]["points"][0]["first"])
    from web.timeline_chart import build_chart
    chart = build_chart(cli, "count", False, str, lambda s, p: None, lambda s, p: "")
    svg = timeline._repr_html_()
    assert svg.count("<rect") == len(chart.bars) > 0
    assert "articles per year" in repr(timeline)


def test_the_notebook_palette_is_the_pages():
    from akhbar.notebook import COLOURS
    with open("%s/web/static/style.css" % ROOT, encoding="utf-8") as f:
        css = f.read()
    page = [re.search(r"\.bar-%d \{ fill: (#[0-9a-f]{6}); \}" % i, css).group(1) for i in range(len(COLOURS))]
    assert list(COLOURS) == page


def test_kwic_and_forms_are_the_commands(archive, corpus_index):
    concordance = archive.kwic("الانتخابات", width=30, limit=7, sort="left")
    cli = cli_json("kwic", "الانتخابات", "--width", "30", "--limit", "7", "--sort", "left", "--index", corpus_index)
    assert [(x.id, x.left, x.match, x.right) for x in concordance] == \
        [(x["id"], x["left"], x["match"], x["right"]) for x in cli["lines"]]
    assert concordance.total == cli["total"] and len(concordance) == 7
    frame = concordance.to_frame()
    assert list(frame.columns) == ["id", "date", "source", "lang", "field", "left", "match", "right"]
    assert str(frame["date"].dtype) == "datetime64[ns]"
    html = concordance._repr_html_()
    assert 'table dir="rtl"' in html and "<mark>" in html
    forms = archive.forms("انتخاب")
    assert forms.data == cli_json("forms", "انتخاب", "--index", corpus_index)
    frame = forms.to_frame()
    assert list(frame.columns) == ["form", "normalized", "articles", "exact"]
    assert str(frame["articles"].dtype) == "int64" and str(frame["exact"].dtype) == "bool"
    assert repr(forms).startswith("%d spellings of انتخاب" % forms.total_forms)


def test_export_streams_every_match_as_search_all_does(archive, corpus_index):
    export = archive.export("المياه", sort="oldest", lang="ar")
    rows = run_cli("search", "المياه", "--all", "--format", "jsonl", "--sort", "oldest", "--lang", "ar",
                   "--index", corpus_index).stdout.splitlines()
    hits = list(export)
    assert len(export) == export.total == len(hits) == len(rows) > 10
    assert [h.id for h in hits] == [json.loads(r)["id"] for r in rows]
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert [h.id for h in export] == [h.id for h in hits]          # iterating again runs it again
    frame = archive.export("المياه", sort="oldest", lang="ar").to_frame()
    assert frame["id"].tolist() == [h.id for h in hits] and str(frame["date"].dtype) == "datetime64[ns]"


def test_run_ranks_as_search_batch(archive, corpus_index, tmp_path):
    topics = [("t1", "الأمم المتحدة"), ("t2", "water"), ("t3", "زيت الزيتون"), ("t4", "كلمةلاتوجدأبدا")]
    batch = tmp_path / "topics.tsv"
    batch.write_text("".join("%s\t%s\n" % t for t in topics), encoding="utf-8")
    trec = run_cli("search", "--batch", batch, "--format", "trec", "--limit", "7", "--index", corpus_index).output
    run = archive.run(pd.DataFrame(topics, columns=["qid", "query"]), limit=7)
    assert list(run.columns) == ["qid", "docno", "rank", "score", "query"]
    assert [str(run[c].dtype) for c in ("rank", "score")] == ["int64", "float64"]
    mine = ["%s Q0 %s %d %.4f akhbar" % row for row in zip(run["qid"], run["docno"], run["rank"], run["score"])]
    assert mine == trec.splitlines()
    assert archive.run(topics, limit=7).equals(run) and archive.run(str(batch), limit=7).equals(run)


def test_a_topic_that_cannot_be_read_is_left_out_with_a_warning(archive):
    with pytest.warns(UserWarning, match="topic bad skipped"):
        run = archive.run([("bad", "date:2023-13"), ("good", "water")], limit=3)
    assert set(run["qid"]) == {"good"}


def test_errors_are_akhbars_with_the_command_lines_messages(archive, corpus_index, tmp_path):
    from search.query.syntax import QueryError
    with pytest.raises(akhbar.QueryError) as caught:
        archive.search("date:2023-13")
    assert isinstance(caught.value, QueryError) and isinstance(caught.value, akhbar.Error)
    printed = run_cli("search", "date:2023-13", "--index", corpus_index).output
    assert printed.strip() == "Error: %s" % caught.value
    for call in (lambda: archive.timeline("date:2023-13"), lambda: archive.kwic("date:2023-13"),
                 lambda: archive.export("date:2023-13"), lambda: archive.search("x", sort="best")):
        with pytest.raises(akhbar.QueryError):
            call()
    missing = str(tmp_path / "nothing")
    with pytest.raises(akhbar.IndexNotFound) as caught:
        akhbar.open(missing)
    assert isinstance(caught.value, FileNotFoundError)
    assert run_cli("stats", "--index", missing).output.strip() == "Error: %s" % caught.value
    with pytest.raises(akhbar.SourceNotFound):
        akhbar.index(str(tmp_path / "no-such-folder"), str(tmp_path / "ix"))


def test_shards_unavailable_is_akhbars(archive, monkeypatch):
    from search.searcher import ShardsUnavailable

    def nobody(*args, **kwargs):
        raise ShardsUnavailable(["shard-0", "shard-1"])
    monkeypatch.setattr(archive._searcher, "search", nobody)
    with pytest.raises(akhbar.ShardsUnavailable) as caught:
        archive.search("water")
    assert isinstance(caught.value, ShardsUnavailable) and caught.value.missing == ["shard-0", "shard-1"]
    assert str(caught.value) == "no shard of the index answered (shard-0, shard-1); try again once its workers are back"


def test_an_old_index_is_akhbars_version_error(corpus_index, tmp_path):
    import shutil
    from indexer.schema import IndexVersionError
    old = tmp_path / "old"
    shutil.copytree(corpus_index, old)
    meta = old / "akhbar-meta.json"
    data = json.loads(meta.read_text())
    data["analysis_version"] = -1
    meta.write_text(json.dumps(data))
    with pytest.raises(akhbar.IndexVersionError) as caught:
        akhbar.open(old).search("water")
    assert isinstance(caught.value, IndexVersionError) and "--rebuild" in str(caught.value)
    assert run_cli("search", "water", "--index", old).output.strip() == "Error: %s" % caught.value


def test_index_builds_and_updates_as_the_command_does(tmp_path):
    ix = tmp_path / "ix"
    first = akhbar.index(ROOT + "/corpus/en", ix, progress=False)
    again = akhbar.index(ROOT + "/corpus/en", ix, progress=False)
    assert first.added == first.articles == 7 and again.added == 0 and again.files_unchanged == 7
    with akhbar.open(ix) as archive:
        assert archive.stats()["articles"] == 7
