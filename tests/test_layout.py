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
    assert "search.query.syntax" in imported(os.path.join("search", "query", "compile.py"))
    assert "indexer.analysis.tags" in imported(os.path.join("indexer", "prepare.py"))


def module_name(path):
    return path[:-3].replace(os.sep, ".").removesuffix(".__init__")


def import_graph(packages=PACKAGES + ("transport",)):
    """{module: the product modules it imports} over every product package."""
    known = {module_name(p) for pkg in packages for p in modules(pkg)}
    graph = {}
    for pkg in packages:
        for path in modules(pkg):
            graph[module_name(path)] = {n for n in imported(path) if n in known and n != module_name(path)}
    return graph


def cycles(graph):
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_circles_between_product_modules():
    assert cycles(import_graph()) == []


def test_the_circle_check_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_engine_knows_no_view_and_transports_know_nothing_of_ours():
    for path in modules(os.path.join("search", "engine")):
        assert not {n for n in imported(path) if n.startswith("search.views")}, path
    for path in modules("transport"):
        assert not tops(imported(path)) & {"indexer", "search", "web", "akhbar"}, path


def test_the_faces_search_through_the_searcher_and_the_views_only():
    # The command line and the page open an archive with search.searcher; the engine's
    # shards, archive and transports are its business.
    for pkg in ("web", "akhbar"):
        for path in modules(pkg):
            names = imported(path)
            assert not {n for n in names if n.startswith("search.engine")}, path


def test_only_the_storage_package_imports_whoosh():
    outside = [p for pkg in ("search", "web", "akhbar", "transport") for p in modules(pkg)
               if "whoosh" in tops(imported(p))]
    assert outside == []


def private_uses(path):
    """Names starting with ``_`` that ``path`` takes from another module: imported by name, or read
    as an attribute of a module it imported (``module._name``)."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    here = path[:-3].replace(os.sep, ".")
    modules_bound, found = {}, []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__") and node.module != here:
                    found.append("%s.%s" % (node.module, a.name))
                modules_bound[a.asname or a.name] = node.module + "." + a.name
        elif isinstance(node, ast.Import):
            for a in node.names:
                modules_bound[(a.asname or a.name).split(".")[0]] = a.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                and isinstance(node.value, ast.Name) and node.value.id in modules_bound:
            found.append("%s.%s" % (modules_bound[node.value.id], node.attr))
    return [name for name in found if name.split(".")[0] in PACKAGES + ("transport",)]


@pytest.mark.parametrize("package", ["search", "web", "akhbar", "transport"])
def test_no_module_takes_a_private_name_of_another(package):
    assert {p: private_uses(p) for p in modules(package) if private_uses(p)} == {}


def test_the_private_name_check_sees_one(tmp_path):
    sample = os.path.join(ROOT, "tests", "data", "_private_sample.py")
    try:
        with open(sample, "w", encoding="utf-8") as f:
            f.write("from indexer.build import _count\nimport indexer.store.arrays as a\nx = a._segment\n")
        assert private_uses(os.path.relpath(sample, ROOT)) == ["indexer.build._count",
                                                               "indexer.store.arrays._segment"]
    finally:
        os.unlink(sample)
