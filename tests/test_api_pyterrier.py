"""akhbar.pyterrier.Retriever: a PyTerrier transformer that stands in pt.Experiment beside other systems.
PyTerrier's transformer API imports without Java (the test extra installs it); where it is missing, skipped."""
import os

import pytest

from helpers import ROOT

pt = pytest.importorskip("pyterrier")
pd = pytest.importorskip("pandas")

TOPICS = os.path.join(ROOT, "examples", "corpus.topics.tsv")
QRELS = os.path.join(ROOT, "examples", "corpus.qrels")


@pytest.fixture(scope="module")
def topics():
    return pd.read_csv(TOPICS, sep="\t", names=["qid", "query"], dtype=str)


def test_the_retriever_ranks_as_archive_run(corpus_index, topics):
    import akhbar
    import akhbar.pyterrier
    retriever = akhbar.pyterrier.Retriever(corpus_index)
    try:
        cut = (retriever % 5).compile()
        assert isinstance(cut, akhbar.pyterrier.Retriever) and cut.limit == 5       # % k asks for k, not 100
        res = (retriever % 5).transform(topics.assign(kind="known"))
        assert {"qid", "query", "kind", "docno", "score", "rank"} <= set(res.columns)
        assert str(res["rank"].dtype) == "int64" and res.groupby("qid")["rank"].min().eq(pt.model.FIRST_RANK).all()
        run = retriever.archive.run(topics, limit=5)
        assert res["docno"].tolist() == run["docno"].tolist()
        assert (res["rank"] + 1 - pt.model.FIRST_RANK).tolist() == run["rank"].tolist()
        qrels = pt.io.read_qrels(QRELS)
        from ir_measures import RR, nDCG
        table = pt.Experiment([retriever % 10, retriever % 1], topics, qrels, eval_metrics=[nDCG @ 10, RR @ 10],
                              names=["akhbar", "akhbar@1"])
        ours = akhbar.evaluate(retriever.archive.run(topics, limit=10), QRELS, "nDCG@10 RR@10")
        assert table.set_index("name").loc["akhbar", "nDCG@10"] == pytest.approx(ours["nDCG@10"])
        assert table.set_index("name").loc["akhbar", "RR@10"] == pytest.approx(ours["RR@10"])
    finally:
        retriever.close()


def test_an_open_archive_can_be_given_and_stays_open(corpus_index, topics):
    import akhbar
    import akhbar.pyterrier
    with akhbar.open(corpus_index) as archive:
        retriever = akhbar.pyterrier.Retriever(archive, limit=3, lang="ar")
        res = retriever.transform(topics)
        assert set(res.groupby("qid").size()) <= {1, 2, 3}
        retriever.close()
        assert archive.search("water").total > 0
