"""Snippets on their own: passages, marks, diacritics kept."""
from search.snippets import Matcher, _offsets, snippet
from indexer.analysis import tokens, tokens_with_offsets

TEXT = ("قالت وزارة الزراعة إن صادراتِ زيتِ الزيتونِ تراجعت هذا الموسم. " * 3
        + "وأضافت أن الأسعار ارتفعت في الأسواق العالمية بسبب الجفاف، بـ4 مليارات. " * 20
        + "وختمت بأن زيت الزيتون يبقى أهم صادرات البلاد.")


def test_offsets_agree_with_the_tokenizer():
    assert _offsets(TEXT, 10_000) == tokens_with_offsets(TEXT)
    assert [w for w, _, _ in _offsets(TEXT, 7)] == tokens(TEXT)[:7]


def test_snippet_marks_diacritised_words_and_keeps_their_marks():
    plain, html = snippet(TEXT, Matcher({"زيت", "الزيتون"}, set()))
    assert "زيتِ الزيتونِ" in plain
    assert "<mark>زيتِ</mark> <mark>الزيتونِ</mark>" in html


def test_snippet_cuts_at_word_boundaries_and_says_so():
    plain, _ = snippet(TEXT, Matcher({"البلاد"}, set()))
    assert plain.startswith("… ") and plain.rstrip(" …").endswith("البلاد")
    words = plain[2:].split()
    assert words[0] in tokens(TEXT) and len(words) <= 28


def test_snippet_without_matches_is_the_opening():
    plain, html = snippet(TEXT, Matcher(set(), set()), window=5)
    assert plain == "قالت وزارة الزراعة إن صادراتِ …"
    assert "<mark>" not in html


def test_two_passages_at_most():
    plain, _ = snippet(TEXT, Matcher({"زيت"}, set()))
    passages = [p for p in plain.split("…") if p.strip()]
    assert 1 <= len(passages) <= 2


def test_french_stem_matches_are_marked(corpus_index):
    """"économique" finds "l'économie" through its French stem; the snippet must mark it too."""
    from conftest import cli_json
    data = cli_json("search", "économique", "--lang", "fr", "--index", corpus_index)
    assert data["hits"], "the French article should be found"
    assert any("<mark>économie</mark>" in h["snippet_html"] for h in data["hits"])


def test_window_choice_counts_distinct_words():
    text = " ".join(["زيت"] * 40 + ["كلام"] * 60 + ["زيت", "الزيتون"] + ["كلام"] * 60)
    plain, _ = snippet(text, Matcher({"زيت", "الزيتون"}, set()), fragments=1)
    assert "زيت الزيتون" in plain
