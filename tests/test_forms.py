"""akhbar forms: the archive's spellings of a word as written, their article counts, which an exact query keeps."""
from collections import defaultdict

import pytest

from helpers import cli_json, run_cli
from indexer.analysis import normalize_word


def forms(index, word):
    return cli_json("forms", word, "--index", index, "--limit", "10000")


def articles_by_spelling(index, word):
    """{spelling as written, lower case: ids of the articles writing it}, read from the text by the concordance."""
    out = defaultdict(set)
    for line in cli_json("kwic", word, "--index", index, "--limit", "10000")["lines"]:
        out[line["match"].lower()].add(line["id"])
    return out


def test_lists_the_spellings_the_corpus_holds_with_their_article_counts(corpus_index):
    data = forms(corpus_index, "الأمم")
    found = {f["form"]: f for f in data["forms"]}
    # With its hamza, without it (corpus/MANIFEST.md D2), vocalised (D1), with a clitic: each apart.
    assert {"الأمم", "الامم", "الأُمَمُ", "للامم"} <= set(found)
    assert {found[f]["normalized"] for f in ("الأمم", "الامم", "الأُمَمُ")} == {"الامم"}
    assert {f: v["articles"] for f, v in found.items()} == \
        {k: len(v) for k, v in articles_by_spelling(corpus_index, "الأمم").items()}
    counts = [f["articles"] for f in data["forms"]]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("word, spellings", [
    ("إسرائيل", {"اسرائيل", "إسرائيل"}),          # hamza seat (corpus/MANIFEST.md D3)
    ("المباراة", {"المباراه", "المباراة"}),        # teh marbuta written as heh (D4)
    ("الرئيس", {"الـــرئيس", "الرئيس"}),           # tatweel (D6)
])
def test_each_spelling_normalisation_folds_is_listed_apart(corpus_index, word, spellings):
    found = {f["form"]: f for f in forms(corpus_index, word)["forms"]}
    assert spellings <= set(found)
    assert len({found[s]["normalized"] for s in spellings}) == 1
    assert all(found[s]["exact"] for s in spellings)


@pytest.mark.parametrize("word", ["الأمم", "الامم", "إسرائيل", "الأُمَمُ", "كَتَبَ", "المتحدة"])
def test_exact_marks_the_spellings_an_exact_query_keeps(corpus_index, word):
    listed = forms(corpus_index, word)["forms"]
    writing = articles_by_spelling(corpus_index, word)
    kept = {h["id"] for h in cli_json("search", "=" + word, "--index", corpus_index, "--limit", "100")["hits"]}
    exact = [f["form"] for f in listed if f["exact"]]
    assert exact and kept == set().union(*(writing[f] for f in exact))


def test_typed_harakat_narrow_the_exact_spellings(corpus_index):
    bare = {f["form"] for f in forms(corpus_index, "الامم")["forms"] if f["exact"]}
    voweled = {f["form"] for f in forms(corpus_index, "الأُمَمُ")["forms"] if f["exact"]}
    assert voweled == {"الأُمَمُ"} and {"الأمم", "الامم", "الأُمَمُ"} <= bare


def test_the_text_output_shows_each_spelling_and_what_it_is_read_as(corpus_index):
    result = run_cli("forms", "إسرائيل", "--index", corpus_index)
    assert result.exit_code == 0
    line = next(row for row in result.output.splitlines() if row.split()[1:2] == ["إسرائيل"])
    assert "*" in line and "(read as اسرائيل)" in line


def test_other_scripts(corpus_index):
    data = cli_json("forms", "elections", "--index", corpus_index)
    assert {"election", "elections"} <= {f["form"] for f in data["forms"]}


def test_unknown_word_and_empty_word(corpus_index):
    result = run_cli("forms", "زززز", "--index", corpus_index)
    assert result.exit_code == 0 and "No forms" in result.output
    result = run_cli("forms", "  ", "--index", corpus_index)
    assert result.exit_code == 2 and "give a WORD" in result.output
