"""Evaluation: `akhbar eval` and akhbar.evaluate measure with ir-measures, on runs made as search --batch makes them."""
import json
import os

import pytest

import akhbar
from helpers import ROOT, run_cli

ir_measures = pytest.importorskip("ir_measures")
pd = pytest.importorskip("pandas")

TOPICS = os.path.join(ROOT, "examples", "corpus.topics.tsv")
QRELS = os.path.join(ROOT, "examples", "corpus.qrels")
MEASURES = "MAP nDCG@10 MRR@10 R@100"


def eval_json(*args):
    result = run_cli("eval", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_eval_of_topics_is_evaluate_of_the_archives_run(corpus_index, tmp_path):
    saved = tmp_path / "run.trec"
    out = eval_json(QRELS, TOPICS, "--index", corpus_index, "--save-run", saved, "--per-query")
    with akhbar.open(corpus_index) as archive:
        run = archive.run(TOPICS, limit=100)
    assert out["measures"] == pytest.approx(akhbar.evaluate(run, QRELS, MEASURES))
    assert list(out["measures"]) == MEASURES.split() and out["queries"] == 7
    assert out["measures"] == pytest.approx(eval_json(QRELS, saved)["measures"])
    per_query = akhbar.evaluate(run, QRELS, MEASURES, per_query=True)
    assert list(per_query.columns) == ["qid"] + MEASURES.split()
    assert {q: pytest.approx(v) for q, v in out["per_query"].items()} == \
        {row.pop("qid"): row for row in per_query.to_dict("records")}


def test_the_measures_are_ir_measures_own(corpus_index):
    with akhbar.open(corpus_index) as archive:
        run = archive.run(TOPICS, limit=100)
    qrels = list(ir_measures.read_trec_qrels(QRELS))
    scored = [ir_measures.ScoredDoc(q, d, -r) for q, d, r in zip(run["qid"], run["docno"], run["rank"])]
    theirs = ir_measures.calc_aggregate([ir_measures.parse_measure(m) for m in MEASURES.split()], qrels, scored)
    mine = akhbar.evaluate(run, QRELS, MEASURES)
    assert mine == pytest.approx({m: theirs[ir_measures.parse_measure(m)] for m in MEASURES.split()})


def test_a_run_is_read_in_rank_order_and_every_judged_query_counts(tmp_path):
    # d2 is ranked first although its score ties d1's at four decimals; q2 has no results at all.
    run = tmp_path / "run.trec"
    run.write_text("q1 Q0 d2 1 5.0000 x\nq1 Q0 d1 2 5.0000 x\n", encoding="utf-8")
    qrels = tmp_path / "qrels"
    qrels.write_text("q1 0 d2 1\nq2 0 d9 1\n", encoding="utf-8")
    assert akhbar.evaluate(str(run), str(qrels), "MRR@10") == {"MRR@10": 0.5}       # (1 + 0) / 2
    out = run_cli("eval", qrels, run, "--measures", "MRR@10", "--per-query").output
    assert [line.split() for line in out.splitlines()[-4:]] == [
        ["qid", "MRR@10"], ["q1", "1.0000"], ["q2", "0.0000"], ["mean", "0.5000"]]
    frame = pd.DataFrame({"qid": ["q1", "q1"], "docno": ["d2", "d1"], "rank": [0, 1], "score": [1.0, 1.0]})
    assert akhbar.evaluate(frame, str(qrels), ["RR@10", "P@1"]) == {"RR@10": 0.5, "P@1": 0.5}


def test_eval_refuses_what_it_cannot_read(corpus_index, tmp_path):
    result = run_cli("eval", QRELS, TOPICS, "--measures", "MAP Bogus@3", "--index", corpus_index)
    assert result.exit_code == 1 and "unknown measure Bogus@3" in result.output and "Traceback" not in result.output
    with pytest.raises(akhbar.MeasureError):
        akhbar.evaluate([], QRELS, "Nonsense")
    odd = tmp_path / "odd.txt"
    odd.write_text("just some words\n", encoding="utf-8")
    result = run_cli("eval", QRELS, odd, "--index", corpus_index)
    assert result.exit_code == 1 and "neither a TREC run nor a topics file" in result.output
    result = run_cli("eval", QRELS, TOPICS, "--index", tmp_path / "none")
    assert result.exit_code == 1 and "no index in" in result.output


def test_a_topic_that_cannot_be_searched_is_reported_and_counts_zero(corpus_index, tmp_path):
    topics = tmp_path / "topics.tsv"
    topics.write_text("C01\tdate:2023-13\nC07\tحملة تطعيم الكوليرا\n", encoding="utf-8")
    result = run_cli("eval", QRELS, topics, "--measures", "MRR@10", "--per-query", "--index", corpus_index)
    assert result.exit_code == 3 and "topic C01 skipped" in result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert ["C01", "0.0000"] in rows and ["C07", "1.0000"] in rows


def test_the_default_run_is_deep_enough_for_the_measures():
    from akhbar.evaluation import run_limit
    assert run_limit(MEASURES) == 100 and run_limit("MAP") == 100
    assert run_limit("R@500 nDCG@10") == 500 and run_limit("R@5000") == 1000
