"""The shape of the code: layers point one way, modules stay small (DESIGN.md)."""
import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ("indexer", "search", "web", "akhbar")
MAX_LINES = 400


def modules(package):
    for folder, _, files in os.walk(os.path.join(ROOT, package)):
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.relpath(os.path.join(folder, name), ROOT)


def imported(path):
    """Every module name ``path`` imports, relative imports made absolute."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    package = os.path.dirname(path).replace(os.sep, ".")
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names.add(base)
            names.update(base + "." + a.name for a in node.names)
    return names


def tops(names):
    return {n.split(".")[0] for n in names}


@pytest.mark.parametrize("path", [p for pkg in PACKAGES for p in modules(pkg)])
def test_no_module_is_over_400_lines(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        assert sum(1 for _ in f) <= MAX_LINES


def test_the_indexer_imports_neither_search_nor_the_faces():
    for path in modules("indexer"):
        assert not tops(imported(path)) & {"search", "web", "akhbar"}, path


def test_only_the_storage_package_of_the_indexer_imports_whoosh():
    store = os.path.join("indexer", "store") + os.sep
    for path in modules("indexer"):
        if not path.startswith(store):
            assert "whoosh" not in tops(imported(path)), path


def test_search_does_not_import_the_faces_or_the_indexer_worker_module():
    for path in modules("search"):
        names = imported(path)
        assert not tops(names) & {"web", "akhbar"}, path
        assert "indexer.prepare" not in names, path


def test_the_page_never_touches_whoosh_or_builds_queries():
    for path in modules("web"):
        names = imported(path)
        assert "whoosh" not in tops(names), path
        assert not {"search.query.compile", "search.engine.matchset", "search.snippets"} & names, path
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            assert ".searcher()" not in f.read(), "%s reaches for the Whoosh searcher" % path


def test_the_import_check_sees_relative_imports():
    assert "search.query.syntax" in imported(os.path.join("search", "compile.py"))
    assert "indexer.analysis.tags" in imported(os.path.join("indexer", "prepare.py"))
