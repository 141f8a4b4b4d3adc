"""Docs that cannot drift: every field, operator and option is in every place that documents it.

The query language is one table, search.query.reference.SYNTAX; README's
table, ``akhbar search --help`` and the page's help (both interface
languages) are made from it, and checked here to be what it makes.  Each of
those places, and the docstring of search.query.syntax, must name every field,
operator and mark the parser reads; the command line's options must be in
``--help`` and README.  The names checked come from the code (search.query.syntax,
the click commands), so adding a field, an operator or an option without
documenting it fails here.
"""
import os
import re

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

import search.query.syntax as syntax
from akhbar.cli import main
from search.query import reference
from web.app import create_app

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# أو typed without its hamza is read too; the docs say spelling like that never matters.
UNDOCUMENTED_SPELLINGS = {"او"}


def readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        return f.read()


def readme_query_syntax():
    text = readme()
    return text[text.index("## Query syntax"):text.index("\n## ", text.index("## Query syntax") + 1)]


def search_help():
    return CliRunner().invoke(main, ["search", "--help"], terminal_width=200).output


def help_page(ui, index_dir):
    # The help page needs no index; any path will do.
    response = create_app(index_dir).test_client().get("/help", query_string={"ui": ui})
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("main").get_text(" ")


PLACES = {
    "README": lambda tmp: readme_query_syntax(),
    "akhbar search --help": lambda tmp: search_help(),
    "help page (en)": lambda tmp: help_page("en", tmp),
    "help page (ar)": lambda tmp: help_page("ar", tmp),
    "search.query.syntax docstring": lambda tmp: syntax.__doc__,
}


def documented_terms():
    terms = []
    for english, arabic in syntax.FIELDS.items():
        terms += [english + ":", arabic + ":"]
    words = (syntax.OR_WORDS | syntax.AND_WORDS | syntax.NOT_WORDS) - UNDOCUMENTED_SPELLINGS
    return terms + sorted(words) + list(syntax.SYNTAX_MARKS)


@pytest.mark.parametrize("place", sorted(PLACES))
def test_every_field_operator_and_mark_is_documented(place, tmp_path):
    text = PLACES[place](str(tmp_path))
    missing = [t for t in documented_terms() if t not in text]
    assert not missing, "%s does not mention %s" % (place, missing)


def test_the_documented_names_are_the_ones_the_parser_reads():
    assert set(syntax.FIELD_ALIASES.values()) == set(syntax.FIELDS)
    for english, arabic in syntax.FIELDS.items():
        assert syntax.FIELD_ALIASES[english] == syntax.FIELD_ALIASES[arabic] == english
        assert syntax.parse("%s:x" % arabic)[0] == syntax.parse("%s:x" % english)[0]
    for word in syntax.OR_WORDS:
        assert syntax.parse("a %s b" % word)[0].op == "or"
    for mark in syntax.SYNTAX_MARKS:
        assert mark in syntax._LEX.pattern or mark in ("*", "~", ".."), mark


SYNTAX_START = "<!-- syntax:start"
SYNTAX_END = "<!-- syntax:end -->"


def readme_syntax_block():
    text = readme_query_syntax()
    start = text.index("\n", text.index(SYNTAX_START)) + 1
    return text[start:text.index(SYNTAX_END)]


def test_readmes_syntax_table_is_the_one_the_reference_makes():
    assert readme_syntax_block() == reference.markdown(), \
        "README's query syntax table is made from search/query/reference.py: " \
        "paste `python -m search.query.reference --markdown` between its markers"


def test_the_reference_prints_readmes_table(capsys):
    assert reference.main(["--markdown"]) == 0
    assert capsys.readouterr().out == readme_syntax_block()


def test_search_help_prints_the_reference_table():
    shown = [" ".join(line.split()) for line in search_help().splitlines()]
    made = [" ".join(line.split()) for line in reference.help_text().splitlines()]
    start = shown.index(made[0])
    assert shown[start:start + len(made)] == made


@pytest.mark.parametrize("ui", ["en", "ar"])
def test_the_help_page_table_is_the_reference_table(ui, tmp_path):
    response = create_app(str(tmp_path)).test_client().get("/help", query_string={"ui": ui})
    rows = BeautifulSoup(response.get_data(as_text=True), "html.parser").select("table.syntax tbody tr")
    assert len(rows) == len(reference.SYNTAX)
    for tr, row in zip(rows, reference.SYNTAX):
        typed, meaning, example = tr.find_all("td")
        assert [c.get_text() for c in typed.find_all("code")] == list(row.typed)
        assert meaning.get_text() == row.meaning(ui).replace("`", "")
        assert [c.get_text() for c in meaning.find_all("code")] == [t for t, code in row.spans(ui) if code]
        assert example.get_text() == row.example


def test_every_row_of_the_reference_says_it_in_both_languages():
    for row in reference.SYNTAX:
        assert row.typed and row.example and row.en and row.ar, row
        assert row.en.count("`") % 2 == 0 and row.ar.count("`") % 2 == 0, row
        # The queries quoted in a meaning are the same in both languages.
        assert [t for t, code in row.spans("en") if code] == [t for t, code in row.spans("ar") if code], row


def test_a_removed_word_is_caught(tmp_path):
    """The check itself: a help page without one field name does not pass."""
    text = PLACES["help page (en)"](str(tmp_path)).replace("tag:", "")
    assert "tag:" in [t for t in documented_terms() if t not in text]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_option_of_every_command_is_in_the_readme(name):
    text = readme()
    assert "akhbar %s" % name in text
    options = [o for p in main.commands[name].params for o in p.opts if o.startswith("--")]
    missing = [o for o in options if not re.search(re.escape(o) + r"\b", text)]
    assert not missing, "README does not mention akhbar %s %s" % (name, " ".join(missing))


def layout_listing():
    """{package: {module path inside it}} from the code block of README's Layout section."""
    text = readme()
    section = text[text.index("## Layout"):]
    block = section[section.index("```") + 4:]
    block = block[:block.index("```")]
    listed, package = {}, None
    for line in block.splitlines():
        if not line.startswith(" "):
            package = line.split()[0].rstrip("/")
            listed[package] = set()
        elif line.split()[0].endswith(".py"):
            listed[package].add(line.split()[0])
    return listed


@pytest.mark.parametrize("package", ["indexer", "search", "transport", "web", "akhbar"])
def test_readme_layout_lists_every_module_and_no_other(package):
    base = os.path.join(ROOT, package)
    modules = set()
    for folder, _, files in os.walk(base):
        for name in files:
            path = os.path.relpath(os.path.join(folder, name), base).replace(os.sep, "/")
            empty = name == "__init__.py" and not os.path.getsize(os.path.join(folder, name))
            if name.endswith(".py") and path not in ("__init__.py", "__main__.py") and not empty:
                modules.add(path)
    listed = layout_listing()[package]
    assert not modules - listed, "add to README's Layout section: %s" % sorted(modules - listed)
    assert not listed - modules, "README's Layout lists modules that are gone: %s" % sorted(listed - modules)


# ------------------------------------------------------------------ bench/RESULTS.md

def _heading_anchors(path):
    """The anchors a Markdown renderer gives the headings of ``path`` (GitHub's rule)."""
    seen, anchors = {}, set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^#{1,6} (.*)$", line.rstrip("\n"))
            if m:
                slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
                n = seen.get(slug, 0)
                seen[slug] = n + 1
                anchors.add(slug if n == 0 else "%s-%d" % (slug, n))
    return anchors


@pytest.mark.parametrize("doc", ["bench/RESULTS.md", "bench/history/README.md"])
def test_the_measurements_links_lead_to_a_file_and_section(doc):
    path = os.path.join(ROOT, doc)
    with open(path, encoding="utf-8") as f:
        targets = re.findall(r"\]\(([^)\s]+)\)", f.read())
    assert targets
    for target in targets:
        file, _, anchor = target.partition("#")
        full = os.path.normpath(os.path.join(os.path.dirname(path), file))
        assert os.path.exists(full), "%s links to a missing %s" % (doc, target)
        assert not anchor or anchor in _heading_anchors(full), "%s links to a missing section %s" % (doc, target)


def test_every_current_figure_says_where_when_which_commit_and_how():
    with open(os.path.join(ROOT, "bench", "RESULTS.md"), encoding="utf-8") as f:
        text = f.read()
    header = "| measured | figure | machine, load | date (UTC) | commit | command |"
    assert text.index(header) < text.index("## ")          # the table opens the file
    rows = text[text.index(header):].split("\n\n")[0].splitlines()[2:]
    assert len(rows) >= 20
    for row in rows:
        cells = [c.strip() for c in row.strip().strip("|").split(" | ")]
        assert len(cells) == 6 and all(cells), row
        assert re.search(r"\b20\d\d-\d\d-\d\d\b", cells[3]), row
        assert re.search(r"\b[0-9a-f]{7}\b", cells[4]) or "not named" in cells[4], row


# ------------------------------------------------------------------ figures README quotes

# README quotes a limit of the code as ``N (`NAME`)``, a unit word or % allowed
# between: ``5% (`NOISE_SHARE`)``, ``1,000 characters (`QUERY_CHARS_READ`)``;
# ``module.NAME`` where two modules define NAME (the module's file name only,
# so that the check survives a module moving to another package).
QUOTED_CONSTANT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(%|\s+[a-z]+)?\s+\(`((?:[a-z_]+\.)?[A-Z][A-Z0-9_]*)`\)")
CODE_PACKAGES = ("indexer", "search", "web", "akhbar")


def _constant(quoted):
    """The value of the one module-level constant ``quoted`` (``NAME`` or ``module.NAME``) in the code."""
    import ast
    import importlib
    module_name, _, name = quoted.rpartition(".")
    found = []
    for package in CODE_PACKAGES:
        for folder, _, files in os.walk(os.path.join(ROOT, package)):
            for file in files:
                if not file.endswith(".py") or module_name and file != module_name + ".py":
                    continue
                path = os.path.join(folder, file)
                with open(path, encoding="utf-8") as f:
                    tree = ast.parse(f.read())
                if any(isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets)
                       for node in tree.body):
                    module = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                    found.append(module[:-len(".__init__")] if module.endswith(".__init__") else module)
    assert len(found) == 1, "README quotes %s, defined in %s" % (quoted, found or "no module")
    return getattr(importlib.import_module(found[0]), name)


def readme_quoted_constants():
    return [(m.group(0), float(m.group(1).replace(",", "")) / (100 if m.group(2) == "%" else 1), m.group(3))
            for m in QUOTED_CONSTANT.finditer(readme())]


def test_readme_quotes_the_limits_it_names_by_their_constants():
    named = {name.rpartition(".")[2] for _, _, name in readme_quoted_constants()}
    # The ones README got wrong before it quoted them (2% noise share; 5,000
    # words looked at said of ~ too), and the search limits table.
    assert {"NOISE_SHARE", "HOMOPHONE_SHARE", "PREFIX_EXPANSION_CAP", "PREFIX_SCAN_CAP", "DEFAULT_TIME_LIMIT",
            "QUERY_CHARS_READ", "MAX_CLAUSES", "MAX_PAGE", "MAX_LIMIT", "MAX_LETTERS"} <= named


@pytest.mark.parametrize("quoted", readme_quoted_constants(), ids=lambda q: " ".join(q[0].split()))
def test_a_figure_readme_quotes_with_a_constant_is_the_constants_value(quoted):
    text, value, name = quoted
    assert value == pytest.approx(_constant(name)), "README says %s; the code has %s = %r" % (text, name, _constant(name))


def test_readme_says_searching_never_maps_segments_and_it_does_not(tmp_path):
    from indexer.store.reading import open_for_search
    assert "never memory-maps" in readme()
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, Schema
    whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True))).close()
    assert open_for_search(str(tmp_path)).storage.supports_mmap is False


# A figure README takes from bench/RESULTS.md is followed, in the same sentence,
# by "(measured at COMMIT, `bench/RESULTS.md`)": each figure with a unit in
# that sentence must be in the table's row measured at COMMIT.
MEASURED = re.compile(r"measured at ([0-9a-f]{7}),\s+`bench/RESULTS.md`")
FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?) ?(%|ms\b|s\b|x\b|MB\b|GB\b|KB\b)")


def _figures(text):
    return {(float(v.replace(",", "")), unit) for v, unit in FIGURE.findall(text)}


def readme_measured_figures():
    text = readme()
    quoted = []
    for m in MEASURED.finditer(text):
        start = max(text.rfind(". ", 0, m.start()), text.rfind("\n\n", 0, m.start()), text.rfind("\n- ", 0, m.start()))
        quoted.append((m.group(1), " ".join(text[start + 1:m.start()].split())))
    return quoted


def test_readme_takes_its_measured_figures_from_bench_results():
    quoted = readme_measured_figures()
    assert len(quoted) >= 2          # the unchanged re-run and the build speed
    with open(os.path.join(ROOT, "bench", "RESULTS.md"), encoding="utf-8") as f:
        rows = [line for line in f if line.startswith("| **")]
    for commit, sentence in quoted:
        assert _figures(sentence), sentence
        measured = [r for r in rows if r.split(" | ")[4].startswith(commit)]
        assert measured, "no row of bench/RESULTS.md was measured at %s" % commit
        in_results = set().union(*(_figures(r) for r in measured))
        missing = _figures(sentence) - in_results
        assert not missing, "README: %r, but bench/RESULTS.md at %s does not say %s" % (sentence, commit, missing)


def test_the_readme_collector_example_runs_and_counts_as_the_page(corpus_index):
    text = readme()
    section = text[text.index("## How a query is answered"):]
    code = section[section.index("```python") + len("```python"):]
    code = code[:code.index("```")].replace('"akhbar-index"', repr(corpus_index)).replace("print(", "found = (")
    names = {}
    exec(compile(code, "README", "exec"), names)
    try:
        assert names["found"] == names["s"].search("الأمم المتحدة").facets["lang"]
        assert sum(names["found"].values()) == names["s"].search("الأمم المتحدة").total
    finally:
        names["s"].close()
