"""akhbar forms: the archive's forms of a word, their article counts, which an exact query keeps."""
from collections import defaultdict

from helpers import cli_json, run_cli
from indexer.analysis import normalize_word


def test_lists_the_variant_forms_the_corpus_holds(corpus_index):
    data = cli_json("forms", "الانتخابات", "--index", corpus_index)
    found = {f["form"]: f for f in data["forms"]}
    assert {"الانتخابات", "للانتخابات", "انتخابات"} <= set(found)
    assert [f["form"] for f in data["forms"] if f["exact"]] == ["الانتخابات"]
    counts = [f["articles"] for f in data["forms"]]
    assert counts == sorted(counts, reverse=True)


def test_spelling_variants_of_the_typed_word_are_one_form(corpus_index):
    typed = cli_json("forms", "الإنتخابات", "--index", corpus_index)
    plain = cli_json("forms", "الانتخابات", "--index", corpus_index)
    assert typed["forms"] == plain["forms"]


def test_article_counts_match_the_concordance(corpus_index):
    forms = cli_json("forms", "الأمم", "--index", corpus_index)["forms"]
    lines = cli_json("kwic", "الأمم", "--index", corpus_index, "--limit", "10000")["lines"]
    by_form = defaultdict(set)
    for line in lines:
        by_form[normalize_word(line["match"])].add(line["id"])
    assert {f["form"]: f["articles"] for f in forms} == {k: len(v) for k, v in by_form.items()}


def test_other_scripts(corpus_index):
    data = cli_json("forms", "elections", "--index", corpus_index)
    assert {"election", "elections"} <= {f["form"] for f in data["forms"]}


def test_unknown_word_and_empty_word(corpus_index):
    result = run_cli("forms", "زززز", "--index", corpus_index)
    assert result.exit_code == 0 and "No forms" in result.output
    result = run_cli("forms", "  ", "--index", corpus_index)
    assert result.exit_code == 2 and "give a WORD" in result.output
