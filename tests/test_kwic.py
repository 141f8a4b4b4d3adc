"""akhbar kwic: matches as written, whole clitic-bearing words, the reader's left and right."""
import csv
import io

import pytest

from helpers import cli_json, match_all, run_cli
from indexer.analysis import normalize_word, tokens
from search.views.kwic import context, marked_part
from search.views.occurrences import Target, find_matches, target_of
from search.snippets import Matcher
from search.query.syntax import parse


def kwic(index, query, *args):
    return cli_json("kwic", query, "--index", index, "--limit", "10000", *args)


def test_every_line_holds_a_match_as_written_with_diacritics(corpus_index):
    data = kwic(corpus_index, "الأمم")
    assert data["total"] == len(data["lines"]) > 5
    matches = {line["match"] for line in data["lines"]}
    assert "الأُمَمُ" in matches               # diacritised in the article, kept as written
    for line in data["lines"]:
        assert set(line) >= {"id", "date", "source", "left", "match", "right"}
        assert len(tokens(line["match"])) == 1


def test_a_clitic_bearing_word_is_shown_whole_with_the_matching_part_marked(corpus_index):
    lines = kwic(corpus_index, "الانتخابات")["lines"]
    with_clitic = [line for line in lines if line["match"] == "للانتخابات"]
    assert with_clitic
    for line in with_clitic:
        a, b = line["mark"]
        assert line["match"][a:b] == "انتخابات"


def test_marked_part_keeps_conjunction_preposition_and_harakat_outside_and_inside():
    target = target_of(parse("انتخابات")[0], Matcher({"انتخابات"}, {"انتخاب"}))
    word = "وبالانتخابات"
    a, b = marked_part(word, target.marks)
    assert word[a:b] == "انتخابات"
    voweled = "وَبِالانْتِخَابَاتِ"
    a, b = marked_part(voweled, target.marks)
    assert voweled[:a] == "وَبِال" and voweled[a:b] == "انْتِخَابَاتِ"


def test_a_phrase_is_one_line_and_its_words_alone_are_not(corpus_index):
    data = kwic(corpus_index, '"الأمم المتحدة"')
    assert data["lines"]
    for line in data["lines"]:
        assert [normalize_word(w) for w in tokens(line["match"])] == ["الامم", "المتحده"]


def test_find_matches_reads_phrases_and_words_in_text_order():
    target = Target(Matcher({"sfax"}, set()), [["municipal", "council"]], [])
    text = "The municipal council of Sfax met; the council of Sfax."
    assert [text[a:b] for a, b in find_matches(text, target)] == ["municipal council", "Sfax", "Sfax"]


def test_context_is_cut_at_word_boundaries():
    text = "alpha beta gamma delta MATCH epsilon zeta eta theta"
    start = text.index("MATCH")
    left, right = context(text, start, start + 5, 14)
    assert left == "gamma delta " and right == " epsilon zeta"


def _nearest(line, side):
    words = tokens(line[side])
    if not words:
        return ""
    return normalize_word(words[-1] if side == "left" else words[0])


@pytest.mark.parametrize("query", ["الانتخابات OR الأمم", "election OR council OR water"])
@pytest.mark.parametrize("sort, side", [("left", "left"), ("right", "right")])
def test_sorting_is_by_the_word_read_just_before_or_after(corpus_index, query, sort, side):
    lines = kwic(corpus_index, query, "--sort", sort)["lines"]
    assert len(lines) > 3
    nearest = [_nearest(line, side) for line in lines]
    assert nearest == sorted(nearest)
    assert len(set(nearest)) > 2


def test_date_sort_is_oldest_first_with_undated_last(corpus_index):
    dates = [line["date"] for line in kwic(corpus_index, "الأمم OR election")["lines"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated)
    assert dates == dated + [None] * (len(dates) - len(dated))


def test_limit_and_width_bound_the_lines(corpus_index):
    everything = kwic(corpus_index, "الأمم")
    data = cli_json("kwic", "الأمم", "--index", corpus_index, "--limit", "3", "--width", "20", "--sort", "left")
    assert len(data["lines"]) == 3 and data["total"] == everything["total"] > 3 and data["complete"]
    assert all(len(line["left"]) <= 21 and len(line["right"]) <= 21 for line in data["lines"])


def test_by_date_reading_stops_once_the_first_lines_are_found(corpus_index):
    everything = kwic(corpus_index, "الأمم")
    data = cli_json("kwic", "الأمم", "--index", corpus_index, "--limit", "3")
    assert data["lines"] == everything["lines"][:3]
    assert not data["complete"] and 3 <= data["total"] < everything["total"]
    assert data["articles_read"] < data["articles"]


def test_csv_and_json_agree(corpus_index):
    data = kwic(corpus_index, "الانتخابات")
    result = run_cli("kwic", "الانتخابات", "--index", corpus_index, "--limit", "10000", "--csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["id"], r["left"], r["match"], r["right"]) for r in rows] == \
        [(line["id"], line["left"], line["match"], line["right"]) for line in data["lines"]]


def test_excluded_words_are_not_lines(corpus_index):
    lines = kwic(corpus_index, "الأمم -الانتخابات")["lines"]
    assert lines and all(normalize_word(line["match"]).find("انتخاب") < 0 for line in lines)


def test_text_output_and_bad_input(corpus_index):
    result = run_cli("kwic", "الانتخابات", "--index", corpus_index)
    assert result.exit_code == 0 and "للانتخابات" in result.output
    result = run_cli("kwic", "الأمم lang:klingon", "--index", corpus_index)
    assert result.exit_code == 1 and "not a language" in result.output and "Traceback" not in result.output
    result = run_cli("kwic", "الأمم", "--sort", "middle", "--index", corpus_index)
    assert result.exit_code == 2


@pytest.mark.parametrize("query", ["الانتخابات", "الأمم المتحدة", "مياه OR زيت", "election OR water", "Кольбек"])
def test_judge_sets_aside_only_words_that_cannot_match(searcher, query):
    # The concordance judges each spelling once and skips stemming Arabic
    # words that hold none of the query's forms: it must agree with the
    # matcher itself on every word of the corpus.
    matched = match_all(searcher, query)
    target = target_of(matched.tree, matched.matcher)
    s = matched.searcher
    words = set()
    for d in range(s.doc_count_all()):
        f = s.stored_fields(d)
        words.update(tokens((f.get("title_text") or "") + "\n" + (f.get("body_text") or "")))
    expected = {w for w in words if target.words.matches(w)}
    assert expected and target.judge.matching(words) == expected


@pytest.mark.parametrize("sort, side", [("left", "left"), ("right", "right")])
def test_context_sort_is_by_three_nearest_words_and_a_short_page_is_its_head(corpus_index, sort, side):
    query = "الأمم OR الانتخابات OR المياه"
    whole = kwic(corpus_index, query, "--sort", sort, "--width", "300")
    keys = []
    for line in whole["lines"]:
        words = [normalize_word(w) for w in tokens(line[side])]
        keys.append(tuple(w for w in (reversed(words) if side == "left" else words) if w)[:3])
    assert keys == sorted(keys) and len(set(keys)) > 5
    head = cli_json("kwic", query, "--index", corpus_index, "--limit", "4", "--sort", sort, "--width", "300")
    assert head["lines"] == whole["lines"][:4] and head["total"] == whole["total"]
