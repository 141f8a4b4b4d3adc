"""Each test that starts a browser or a Dask cluster, or kills a process, says so with its marker.

`pytest -m "not slow"` stays quick only while they do.  What a test starts is read from the
source (ast): a test module that imports selenium or distributed (or names LocalCluster), a
test using a fixture that does, a test whose own code sends SIGKILL (a kill in a finally or
except clause is cleanup, not the test).  The markers are those a pytest run sees: the modules
concerned (and those using a kind marker, whose tests must also be slow) are collected by a
child pytest with this setup.cfg and conftest.py.
"""
import ast
import json
import subprocess
import sys
from pathlib import Path

from conftest import SLOW_KINDS
from helpers import ROOT

TESTS = Path(__file__).resolve().parent
STARTS = {"browser": ("selenium",), "cluster": ("distributed", "dask.distributed")}
NAMES = {"cluster": ("LocalCluster",)}

COLLECT = r"""
import json, sys
import pytest

class Record:
    rows = []

    @pytest.hookimpl(trylast=True)       # after conftest.py has added its markers
    def pytest_collection_modifyitems(self, items):
        for item in items:
            self.rows.append([item.nodeid, item.path.name, getattr(item, "originalname", item.name),
                              sorted({m.name for m in item.iter_markers()}),
                              list(getattr(item, "fixturenames", ()))])

code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *sys.argv[2:]], plugins=[Record()])
with open(sys.argv[1], "w") as f:
    json.dump(Record.rows, f)
sys.exit(code)
"""


def _imported(node):
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module] + ["%s.%s" % (node.module, a.name) for a in node.names]
    return []


def kinds_started(tree):
    """The kinds whose software ``tree`` imports or names anywhere in it."""
    found = set()
    for node in ast.walk(tree):
        names = _imported(node)
        if isinstance(node, ast.Name):
            names = [node.id]
        elif isinstance(node, ast.Attribute):
            names = [node.attr]
        for kind, modules in STARTS.items():
            if any(n == m or n.startswith(m + ".") for n in names for m in modules):
                found.add(kind)
        for kind, words in NAMES.items():
            if any(n.split(".")[-1] in words for n in names):
                found.add(kind)
    return found


def kills(function):
    """Whether ``function`` (its decorators and body) sends SIGKILL other than to clean up."""
    def walk(node):
        if isinstance(node, ast.Try):
            children = node.body + node.orelse      # not node.handlers, node.finalbody
        else:
            children = list(ast.iter_child_nodes(node))
        for child in children:
            if isinstance(child, ast.Name) and child.id == "SIGKILL" or \
                    isinstance(child, ast.Attribute) and child.attr == "SIGKILL":
                return True
            if walk(child):
                return True
        return False
    return walk(function)


def _is_fixture(function):
    for d in function.decorator_list:
        d = d.func if isinstance(d, ast.Call) else d
        if (isinstance(d, ast.Attribute) and d.attr == "fixture") or (isinstance(d, ast.Name) and d.id == "fixture"):
            return True
    return False


def needs(sources):
    """What the tests of ``sources`` ({file name: source}) must be marked with.

    Returns the kinds all tests of a module need, those of single tests ({(module, test): kinds})
    and those of the tests using a fixture ({fixture: kinds}, through the fixtures it uses).
    """
    modules, tests, fixtures, uses = {}, {}, {}, {}
    for name, source in sources.items():
        tree = ast.parse(source)
        if name.startswith("test_"):
            modules[name] = kinds_started(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if _is_fixture(node):
                fixtures.setdefault(node.name, set()).update(kinds_started(node))
                uses.setdefault(node.name, set()).update(a.arg for a in node.args.args)
            elif node.name.startswith("test_") and name.startswith("test_") and kills(node):
                tests[(name, node.name)] = {"crash"}
    changed = True
    while changed:                    # a fixture needs what the fixtures it asks for need
        changed = False
        for name, asked in uses.items():
            more = set().union(*(fixtures.get(a, set()) for a in asked)) - fixtures[name]
            if more:
                fixtures[name] |= more
                changed = True
    return modules, tests, {f: k for f, k in fixtures.items() if k}


def _to_collect(sources):
    """The test modules where a test may need a kind or has one: collecting only these keeps the check quick."""
    modules, tests, fixtures = needs(sources)
    chosen = {m for m, kinds in modules.items() if kinds} | {m for m, _ in tests}
    for name, source in sources.items():
        if name.startswith("test_") and any(
                isinstance(node, ast.arg) and node.arg in fixtures or
                isinstance(node, ast.Attribute) and node.attr in SLOW_KINDS and
                isinstance(node.value, ast.Attribute) and node.value.attr == "mark"
                for node in ast.walk(ast.parse(source))):
            chosen.add(name)
    return sorted(chosen)


def unmarked(rows, sources):
    """The collected tests (``rows`` from COLLECT) that lack a marker they need, and why."""
    modules, tests, fixtures = needs(sources)
    problems = []
    for nodeid, module, function, marks, fixturenames in rows:
        wanted = set(modules.get(module, ())) | tests.get((module, function), set())
        for fixture in fixturenames:
            wanted |= fixtures.get(fixture, set())
        for kind in sorted(wanted - set(marks)):
            problems.append("%s: not marked %s" % (nodeid, kind))
        if set(marks) & set(SLOW_KINDS) and "slow" not in marks:
            problems.append("%s: marked %s but not slow" % (nodeid, sorted(set(marks) & set(SLOW_KINDS))))
    return problems


def _sources():
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(TESTS.glob("*.py"))}


def test_the_kinds_are_registered(pytestconfig):
    registered = {line.split(":")[0].strip() for line in pytestconfig.getini("markers")}
    assert {"slow", *SLOW_KINDS} <= registered


def test_every_test_that_starts_a_browser_or_a_cluster_or_kills_carries_its_marker(tmp_path):
    sources = _sources()
    out = tmp_path / "collected.json"
    chosen = _to_collect(sources)
    done = subprocess.run([sys.executable, "-c", COLLECT, str(out), *(str(TESTS / m) for m in chosen)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = json.loads(out.read_text())
    assert {row[1] for row in rows} == set(chosen)
    problems = unmarked(rows, sources)
    assert not problems, "markers missing (see setup.cfg):\n" + "\n".join(problems)
    # The check sees what it is meant to: tests of each kind are found in the suite as it is.
    modules, tests, fixtures = needs(sources)
    seen = set().union(*modules.values(), *tests.values(), *fixtures.values())
    assert {"browser", "cluster", "crash"} <= seen


def test_the_check_can_fail():
    sources = {
        "test_a.py": "from selenium import webdriver\ndef test_page(): pass\n",
        "conftest.py": ("import pytest\n@pytest.fixture\ndef dask():\n    from dask.distributed import LocalCluster\n"
                        "@pytest.fixture\ndef shards(dask): pass\n"),
        "test_b.py": ("import os, signal\n"
                      "def test_shards(shards): pass\n"
                      "def test_killed(): os.kill(1, signal.SIGKILL)\n"
                      "def test_cleans_up():\n    try:\n        pass\n"
                      "    finally:\n        os.kill(1, signal.SIGKILL)\n"),
    }
    rows = [["test_a.py::test_page", "test_a.py", "test_page", [], []],
            ["test_b.py::test_shards", "test_b.py", "test_shards", ["slow"], ["shards", "dask"]],
            ["test_b.py::test_killed", "test_b.py", "test_killed", ["crash"], []],
            ["test_b.py::test_cleans_up", "test_b.py", "test_cleans_up", [], []]]
    assert unmarked(rows, sources) == ["test_a.py::test_page: not marked browser",
                                       "test_b.py::test_shards: not marked cluster",
                                       "test_b.py::test_killed: marked ['crash'] but not slow"]
    sources["test_c.py"] = "import pytest\n@pytest.mark.large\ndef test_big(): pass\n"
    assert _to_collect(sources) == ["test_a.py", "test_b.py", "test_c.py"]
