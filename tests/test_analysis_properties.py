"""Properties of the analysis that must hold for any input (hypothesis)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import (analyze, detect_language, index_terms, normalize, normalize_word,
                              query_stems, stem_word, tokens)

# Arabic letters with every seat of hamza, the letters normalisation folds,
# harakat, tatweel and invisible joiners: the alphabet readers' variants use.
ARABIC = ("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي" "ٱکیےۀ" "\u064b\u064c\u064d\u064e\u064f\u0650"
          "\u0651\u0652\u0670\u0640\u200c\u200d\u200f")
arabic_word = st.text(alphabet=ARABIC, min_size=1, max_size=12).filter(lambda w: normalize(w))
any_text = st.text(alphabet=st.characters(), max_size=200)


@given(any_text)
@settings(max_examples=400)
def test_normalisation_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(any_text)
@settings(max_examples=400)
def test_analysis_never_raises_and_gives_non_empty_terms(text):
    for lang in (None, "ar", "en", "fr", "ru"):
        terms = analyze(text, lang)
        assert all(isinstance(t, str) and t for t in terms)
    detect_language(text)


@given(any_text)
def test_normalisation_keeps_spacing(text):
    assert [c for c in normalize(text) if c.isspace()] == [c for c in text if c.isspace()]


@given(st.lists(arabic_word, min_size=1, max_size=6),
       st.sampled_from([" ", "، ", " «", "» ", "\n", " — "]))
def test_query_words_analyse_as_the_same_words_in_an_article(words, sep):
    """Whatever surrounds them in an article, a query's words give the same terms."""
    query = " ".join(words)
    article = "قال المراسل" + sep + sep.join(words) + sep + "ثم انتهى."
    q_exact = [normalize_word(w) for w in tokens(query)]
    q_exact = [w for w in q_exact if w]
    q_stems = [s for w in q_exact for s in sorted(query_stems(w))]
    a_exact, a_stems = index_terms(article, "ar")
    n = len(q_exact)
    start = a_exact.index(q_exact[0], 2)
    assert a_exact[start:start + n] == q_exact
    assert [stem_word(w, "ar") for w in q_exact if stem_word(w, "ar")] == q_stems
    assert all(s in a_stems for s in q_stems)


@given(arabic_word)
def test_stem_of_a_normalised_word_is_normalised(word):
    s = stem_word(normalize_word(word), "ar")
    assert s is None or normalize(s) == s


latin_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçôûABCDEFXYZ", min_size=1, max_size=12)
cyrillic_word = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВКМП", min_size=1, max_size=12)


@given(st.lists(cyrillic_word, min_size=1, max_size=6))
def test_a_russian_query_meets_the_stems_of_a_russian_article(words):
    for w in words:
        n = normalize_word(w)
        doc = stem_word(n, "ru")
        assert query_stems(n) == ({doc} if doc else set())


@given(st.lists(latin_word, min_size=1, max_size=6), st.sampled_from(["en", "fr"]))
def test_a_latin_query_meets_the_stems_of_an_english_or_french_article(words, lang):
    for w in words:
        n = normalize_word(w)
        doc = stem_word(n, lang)
        if doc:
            assert doc in query_stems(n)
