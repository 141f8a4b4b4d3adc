"""README's Python API examples run as written: on one index, and on an index of three shards
(tests/test_api_cluster.py runs them on a Dask cluster)."""
import pytest

import akhbar
from api_readme import check_readme_answers, lay_out, readme_python_blocks, run_readme_examples

pd = pytest.importorskip("pandas")
pytest.importorskip("ir_measures")


def test_readme_has_the_examples_the_issue_asks_for():
    code = "\n".join(readme_python_blocks())
    for call in ("akhbar.index(", "akhbar.open(", ".search(", ".to_frame()", ".timeline(", ".kwic(", ".forms(",
                 ".export(", ".run(", "akhbar.evaluate(", "akhbar.pyterrier.Retriever("):
        assert call in code, call


def test_readme_examples_run_on_one_index(tmp_path, monkeypatch):
    ns = run_readme_examples(str(tmp_path), monkeypatch)
    assert ns["summary"].added == ns["summary"].articles > 60
    check_readme_answers(ns, pd)


def test_readme_examples_run_on_shards(tmp_path, monkeypatch):
    lay_out(str(tmp_path), monkeypatch)
    # Built from the same "corpus/" README names: the index knows its files by the paths it was given.
    akhbar.index("corpus/", "akhbar-index", shards=3, progress=False)
    ns = run_readme_examples(str(tmp_path), monkeypatch)
    assert ns["summary"].files_unchanged > 30 and ns["summary"].added == 0     # README's call updated the shards
    check_readme_answers(ns, pd)
    with akhbar.open("akhbar-index") as sharded:
        assert len(sharded.stats()["shards"]) == 3
