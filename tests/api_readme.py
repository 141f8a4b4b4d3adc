"""README's Python examples, run as written in a folder laid out as the repository (corpus/, examples/)."""
import os
import re

from helpers import ROOT

PYTERRIER_BLOCK = "import pyterrier"


def readme_python_blocks():
    """The ```python blocks of README's "Python API" section, in order."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("## Python API")
    section = text[start:text.index("\n## ", start + 1)]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def lay_out(folder, monkeypatch):
    """``folder`` as the working folder, with the repository's corpus/ and examples/ in it."""
    for name in ("corpus", "examples"):
        if not os.path.exists(os.path.join(folder, name)):
            os.symlink(os.path.join(ROOT, name), os.path.join(folder, name))
    monkeypatch.chdir(folder)


def run_readme_examples(folder, monkeypatch):
    """Run every block in one namespace with ``folder`` as the working folder; returns the namespace.

    The PyTerrier block runs where PyTerrier is installed (the test extra has it)."""
    import importlib.util
    lay_out(folder, monkeypatch)
    namespace = {"__name__": "readme"}
    for n, block in enumerate(readme_python_blocks()):
        if PYTERRIER_BLOCK in block and importlib.util.find_spec("pyterrier") is None:
            continue
        exec(compile(block, "README.md, Python API block %d" % (n + 1), "exec"), namespace)
    return namespace


def check_readme_answers(ns, pd):
    """What the examples made is what README says they make."""
    assert ns["results"].total > 5 and len(ns["results"]) == 5
    frame = ns["frame"]
    assert list(frame.columns) == ["rank", "id", "score", "title", "date", "source", "lang", "url", "snippet", "path"]
    assert str(frame["date"].dtype) == "datetime64[ns]" and str(frame["rank"].dtype) == "int64"
    timeline = ns["timeline"].to_frame()
    assert list(timeline.columns) == ["query", "period", "start", "end", "count", "share", "all"]
    assert timeline["count"].sum() > 0 and str(timeline["start"].dtype) == "datetime64[ns]"
    assert len(ns["concordance"]) == 10
    run = ns["run"]
    assert list(run.columns) == ["qid", "docno", "rank", "score", "query"] and set(run["qid"]) == set(ns["topics"]["qid"])
    assert [str(run[c].dtype) for c in ("rank", "score")] == ["int64", "float64"]
    assert len(ns["export"]) == ns["export"].total > 10
