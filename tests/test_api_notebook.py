"""examples/akhbar.ipynb runs from top to bottom in a Jupyter kernel, so the notebook cannot rot;
its displays are the rich ones (marked right-to-left snippets, the timeline's SVG chart)."""
import json
import os
import sys

import pytest

from helpers import ROOT

for _module in ("nbformat", "nbclient", "ipykernel", "pandas", "ir_measures"):
    pytest.importorskip(_module)

NOTEBOOK = os.path.join(ROOT, "examples", "akhbar.ipynb")


def outputs_of(nb):
    """Each code cell's outputs, by the cell's first line."""
    return {cell.source.splitlines()[0]: cell.outputs for cell in nb.cells if cell.cell_type == "code"}


def kernel_of_this_python(folder, monkeypatch):
    """A kernelspec running this very Python (the one akhbar is installed in), whatever other
    "python3" kernels the machine has; its name."""
    spec = os.path.join(folder, "kernels", "akhbar-tests")
    os.makedirs(spec)
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                   "display_name": "akhbar tests", "language": "python"}, f)
    monkeypatch.setenv("JUPYTER_PATH", folder)
    return "akhbar-tests"


def test_the_example_notebook_runs_and_displays_richly(tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), \
        "commit the notebook without outputs"
    # The notebook's own folder is its working folder, as when a person opens it there.
    NotebookClient(nb, timeout=600, kernel_name=kernel_of_this_python(str(tmp_path), monkeypatch),
                   resources={"metadata": {"path": os.path.dirname(NOTEBOOK)}}).execute()
    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    assert not errors
    out = outputs_of(nb)

    def html(first_line):
        shown = [o for o in out[first_line] if o.output_type == "execute_result"]
        assert shown, first_line
        return shown[0]["data"]["text/html"]

    assert 'dir="rtl"' in html("archive = akhbar.open(index_dir)") and "<mark>" in html("archive = akhbar.open(index_dir)")
    assert "<svg" in html('timeline = archive.timeline("الأمم المتحدة", "المياه", by="year")')
    assert 'table dir="rtl"' in html('archive.kwic("الانتخابات", width=30, limit=6)')
    means = [o for o in out['akhbar.evaluate(run, "corpus.qrels", "MAP nDCG@10 MRR@10 R@100")']
             if o.output_type == "execute_result"][0]["data"]["text/plain"]
    assert "'MRR@10': 1.0" in means
