"""No CSV akhbar writes holds a cell a spreadsheet would run as a formula (issue #28:
ids, titles and sources starting with = + @ came out unchanged, and
``/timeline.csv?q==HYPERLINK(1) x`` wrote the URL's query into every row)."""
import csv
import io
import json

import pytest

from helpers import run_cli
from search.views.export import FORMULA_STARTS, csv_cell, csv_text
from web.app import create_app

HOSTILE = [
    {"id": '=HYPERLINK("http://evil.example","x")', "title": "+cmd|' /C calc'!A0 olive", "source": "@SUM(1+1)",
     "text": "olive harvest rose", "date": "2023-01-05"},
    {"id": "-2+3", "title": "\tolive tab", "source": "\r=1", "text": "=olive press -olive oil", "date": "2023-02-05"},
    {"id": "plain-1", "title": "olive exports", "source": "Wire", "text": "olive groves", "date": "2023-03-05"},
]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=", "-"])
def test_a_cell_starting_like_a_formula_gets_an_apostrophe(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["olive", "", " =1", "1-2", "'=1", "الأمم", 3, 0.5, None])
def test_other_cells_are_kept(value):
    assert csv_cell(value) == value


def test_csv_text_quotes_and_neutralises_every_cell():
    rows = list(csv.reader(io.StringIO(csv_text([["=a", 'b,"c"', "+d\ne"], [1, "@x", ""]]))))
    assert rows == [["'=a", 'b,"c"', "'+d\ne"], ["1", "'@x", ""]]


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formulas")
    (folder / "export.jsonl").write_text("".join(json.dumps(r) + "\n" for r in HOSTILE), encoding="utf-8")
    index_dir = folder / "ix"
    result = run_cli("index", str(folder), "--index", str(index_dir))
    assert result.exit_code == 0, result.output
    return str(index_dir)


def _cells(text):
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1, text
    return [cell for row in rows for cell in row]


def _assert_safe(text):
    cells = _cells(text)
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)], text
    return cells


@pytest.mark.parametrize("args", [
    ("search", "olive", "--all", "--format", "csv"),
    ("kwic", "olive", "--csv", "--width", "10"),
    ("timeline", "=HYPERLINK(1) olive", "--vs", "@olive", "--csv"),
])
def test_the_command_lines_csv_runs_no_formula(hostile_index, args):
    result = run_cli(*args, "--index", hostile_index)
    assert result.exit_code == 0, result.output
    cells = _assert_safe(result.stdout)
    if args[0] == "search":
        assert {"'=HYPERLINK(\"http://evil.example\",\"x\")", "'-2+3", "'@SUM(1+1)", "'=1"} <= set(cells)
    if args[0] == "timeline":
        assert "'=HYPERLINK(1) olive" in cells and "'@olive" in cells


@pytest.fixture(scope="module")
def client(hostile_index):
    app = create_app(hostile_index)
    yield app.test_client()
    app.extensions["akhbar"].close()


@pytest.mark.parametrize("url", ["/export.csv?q=olive", "/kwic.csv?q=olive&width=10",
                                 "/timeline.csv?q==HYPERLINK(1) x", "/timeline.csv?q=olive&vs=%2Bolive"])
def test_the_pages_downloads_run_no_formula(client, url):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    cells = _assert_safe(r.get_data(as_text=True))
    if url.startswith("/timeline.csv?q=="):
        assert "'=HYPERLINK(1) x" in cells
