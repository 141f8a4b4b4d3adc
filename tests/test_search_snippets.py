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
