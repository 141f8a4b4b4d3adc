"""akhbar search QUERY --all --format csv|jsonl: every article, in order, in bounded memory."""
import csv
import io
import json
import resource
import subprocess
import sys

import pytest

from helpers import ROOT, cli_json, run_cli


def export(index, query, fmt, *args):
    result = run_cli("search", query, "--all", "--format", fmt, "--index", index, *args)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_csv_has_every_article_in_the_order_of_the_results_page(corpus_index, sort):
    page = cli_json("search", "الأمم OR election", "--limit", "1000", "--sort", sort, "--index", corpus_index)
    result = export(corpus_index, "الأمم OR election", "csv", "--sort", sort)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == page["total"] > 10
    assert [r["id"] for r in rows] == [h["id"] for h in page["hits"]]
    assert list(rows[0]) == ["id", "title", "date", "source", "language", "url", "path", "score", "snippet"]
    first = page["hits"][0]
    assert (rows[0]["title"], rows[0]["language"], float(rows[0]["score"])) == \
        (first["title"], first["lang"], first["score"])


def test_jsonl_lines_are_the_hits_of_search_json(corpus_index):
    page = cli_json("search", "الانتخابات", "--limit", "1000", "--index", corpus_index)
    result = export(corpus_index, "الانتخابات", "jsonl")
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert hits == page["hits"]


def test_totals_come_first_on_stderr(corpus_index):
    result = export(corpus_index, "الأمم", "jsonl")
    total = cli_json("search", "الأمم", "--index", corpus_index)["total"]
    assert result.stderr.splitlines()[0] == "%d articles" % total


def test_filters_apply(corpus_index):
    result = export(corpus_index, "", "csv", "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(r["language"] == "en" for r in rows)
    assert len(rows) == cli_json("search", "--lang", "en", "--index", corpus_index)["total"]


@pytest.mark.parametrize("args, message", [
    (("--all",), "--all needs --format csv or --format jsonl"),
    (("--all", "--format", "trec"), "--all needs --format csv or --format jsonl"),
    (("--format", "csv"), "add --all"),
])
def test_wrong_combinations_say_what_to_write(corpus_index, args, message):
    result = run_cli("search", "الأمم", *args, "--index", corpus_index)
    assert result.exit_code == 2 and message in result.output


def test_a_query_that_cannot_be_read_gets_a_message(corpus_index):
    result = run_cli("search", "الأمم date:2018-13", "--all", "--format", "csv", "--index", corpus_index)
    assert result.exit_code == 1 and "not a real date" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------- a large result set

ARTICLES = 100_000
_REPORT_VM = ("import runpy, sys\nsys.argv = ['akhbar'] + sys.argv[1:]\ntry:\n"
              "    runpy.run_module('akhbar', run_name='__main__')\nfinally:\n"
              "    sys.stderr.write([l for l in open('/proc/self/status') if l.startswith('VmPeak')][0])\n")


def _akhbar(args, cap=None, stdout=subprocess.PIPE):
    """Run akhbar in a child process, under an address-space cap if given; (process, VmPeak kB)."""
    def limit():
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    env = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": ROOT}
    p = subprocess.run([sys.executable, "-c", _REPORT_VM] + args, preexec_fn=limit, stdout=stdout,
                       stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    peak = [line for line in p.stderr.splitlines() if line.startswith("VmPeak")]
    return p, int(peak[-1].split()[1]) if peak else None


@pytest.fixture(scope="module")
def large_archive(tmp_path_factory):
    """An archive of 100,000 tiny articles that all match one word."""
    folder = tmp_path_factory.mktemp("large")
    with open(folder / "archive.jsonl", "w", encoding="utf-8") as f:
        for i in range(ARTICLES):
            f.write(json.dumps({"id": "n%06d" % i, "title": "خبر رقم %d" % i, "text": "سوق الأسهم %d" % (i % 97),
                                "date": "2018-%02d-%02d" % (i % 12 + 1, i % 28 + 1), "lang": "ar"},
                               ensure_ascii=False) + "\n")
    return folder


def _built(folder, name, *options):
    index_dir = str(folder / name)
    # In a child process: an index of this size built here would leave the test
    # process large, and tests forked from it afterwards would inherit that.
    built, _ = _akhbar(["index", str(folder / "archive.jsonl"), "--index", index_dir, *options])
    assert built.returncode == 0, built.stderr[-2000:]
    return index_dir


@pytest.fixture(scope="module")
def large_index(large_archive):
    return _built(large_archive, "ix")


@pytest.fixture(scope="module")
def large_sharded_index(large_archive):
    return _built(large_archive, "ix-shards", "--shards", "2")


@pytest.mark.large
def test_all_rows_of_a_huge_result_set_under_a_memory_cap(large_index, tmp_path):
    # The cap: what a ten-hit search of the same index needs, plus 96 MB. Holding
    # the 100,000 hits (each a few hundred bytes of text in several objects)
    # would need more than that.
    plain, peak = _akhbar(["search", "سوق", "--json", "--index", large_index])
    assert plain.returncode == 0, plain.stderr
    assert json.loads(plain.stdout)["total"] == ARTICLES
    cap = (peak + 96 * 1024) * 1024
    with open(tmp_path / "out.csv", "w", encoding="utf-8") as out:
        p, _ = _akhbar(["search", "سوق", "--all", "--format", "csv", "--index", large_index], cap=cap, stdout=out)
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stderr.splitlines()[0] == "%d articles" % ARTICLES
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as f:
        ids = [row["id"] for row in csv.DictReader(f)]
    assert len(ids) == len(set(ids)) == ARTICLES


@pytest.mark.large
def test_a_sharded_export_merges_the_shards_in_bounded_memory(large_sharded_index, tmp_path):
    # The shards are read by processes of their own; the process that merges and
    # writes must stay as small as one that shows ten hits, give or take 96 MB.
    plain, peak = _akhbar(["search", "سوق", "--json", "--index", large_sharded_index])
    assert plain.returncode == 0, plain.stderr
    assert json.loads(plain.stdout)["total"] == ARTICLES
    with open(tmp_path / "out.csv", "w", encoding="utf-8") as out:
        p, export_peak = _akhbar(["search", "سوق", "--all", "--format", "csv", "--sort", "newest",
                                  "--index", large_sharded_index], stdout=out)
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stderr.splitlines()[0] == "%d articles" % ARTICLES
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as f:
        rows = [(row["id"], row["date"]) for row in csv.DictReader(f)]
    assert len({i for i, _ in rows}) == len(rows) == ARTICLES
    dates = [d for _, d in rows]
    assert dates == sorted(dates, reverse=True)
    assert export_peak < peak + 96 * 1024, (peak, export_peak)
