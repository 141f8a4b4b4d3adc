"""search.snippets on its own: passages, marked spans, diacritics kept."""
from search.results import Marked
from search.snippets import Matcher, _offsets, highlight, snippet
from indexer.analysis import tokens, tokens_with_offsets

TEXT = ("قالت وزارة الزراعة إن صادراتِ زيتِ الزيتونِ تراجعت هذا الموسم. " * 3
        + "وأضافت أن الأسعار ارتفعت في الأسواق العالمية بسبب الجفاف، بـ4 مليارات. " * 20
        + "وختمت بأن زيت الزيتون يبقى أهم صادرات البلاد.")


def test_offsets_agree_with_the_tokenizer():
    assert _offsets(TEXT, 10_000) == tokens_with_offsets(TEXT)
    assert [w for w, _, _ in _offsets(TEXT, 7)] == tokens(TEXT)[:7]


def test_snippet_marks_diacritised_words_and_keeps_their_marks():
    marked = snippet(TEXT, Matcher({"زيت", "الزيتون"}, set()))
    assert "زيتِ الزيتونِ" in marked.text
    words = [marked.text[s:e] for s, e in marked.spans]
    assert "زيتِ" in words and "الزيتونِ" in words
    assert set(words) <= {"زيتِ", "الزيتونِ", "زيت", "الزيتون"}


def test_snippet_cuts_at_word_boundaries_and_says_so():
    plain = snippet(TEXT, Matcher({"البلاد"}, set())).text
    assert plain.startswith("… ") and plain.rstrip(" …").endswith("البلاد")
    words = plain[2:].split()
    assert words[0] in tokens(TEXT) and len(words) <= 28


def test_snippet_without_matches_is_the_opening():
    assert snippet(TEXT, Matcher(set(), set()), window=5) == Marked("قالت وزارة الزراعة إن صادراتِ …")


def test_two_passages_at_most():
    plain = snippet(TEXT, Matcher({"زيت"}, set())).text
    passages = [p for p in plain.split("…") if p.strip()]
    assert 1 <= len(passages) <= 2


def test_french_stem_matches_are_marked(corpus_index):
    """"économique" finds "l'économie" through its French stem; the snippet must mark it too."""
    from helpers import cli_json
    data = cli_json("search", "économique", "--lang", "fr", "--index", corpus_index)
    assert data["hits"], "the French article should be found"
    assert any("<mark>économie</mark>" in h["snippet_html"] for h in data["hits"])


def test_window_choice_counts_distinct_words():
    text = " ".join(["زيت"] * 40 + ["كلام"] * 60 + ["زيت", "الزيتون"] + ["كلام"] * 60)
    plain = snippet(text, Matcher({"زيت", "الزيتون"}, set()), fragments=1).text
    assert "زيت الزيتون" in plain


def test_spans_stay_on_their_words_where_two_passages_meet():
    # Two passages whose ellipses meet ("… …") are joined by one "…"; the marks
    # of the second passage must move with its text.
    text = " ".join(["كلام"] * 30 + ["زيت"] + ["كلام"] * 40 + ["الزيتون"] + ["كلام"] * 30)
    marked = snippet(text, Matcher({"زيت", "الزيتون"}, set()))
    assert "… …" not in marked.text and marked.text.count("…") == 3
    assert [marked.text[s:e] for s, e in marked.spans] == ["زيت", "الزيتون"]


def test_highlight_marks_every_matching_word_of_a_title():
    title = "زيتُ الزيتون: صادرات زيت تونس"
    marked = highlight(title, Matcher({"زيت"}, set()))
    assert marked.text == title
    assert [title[s:e] for s, e in marked.spans] == ["زيتُ", "زيت"]
    assert [p for p, m in marked.pieces() if m] == ["زيتُ", "زيت"]
    assert "".join(p for p, _ in marked.pieces()) == title
