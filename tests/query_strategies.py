"""Hypothesis strategies for what people (and attackers) type into akhbar.

Queries mix the whole language: operators in English and Arabic, fields in
both, the three kinds of quotes, dates (real, impossible, far), ``*`` and
``~``, Arabic letters with marks, tatweel and direction marks, Latin and
Cyrillic words, long words and many words.  Used by the fuzz tests and by
bench/bench_fuzz.py, which searches a sample of them on a large index.
"""
from hypothesis import strategies as st

ARABIC = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"      # harakat, shadda, sukun, tatweel
DIRECTION = "\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2069\u061c"
LATIN = "abcdefghijklmnopqrstuvwxyzéàç"
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщыьэюя"
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩"

OPERATORS = ["AND", "OR", "NOT", "أو", "او", "ليس", "-", "+", "(", ")", "((", "))"]
FIELDS = ["title:", "source:", "lang:", "tag:", "date:", "عنوان:", "مصدر:", "لغة:", "وسم:", "تاريخ:",
          "nosuch:", ":"]
QUOTES = [('"', '"'), ("«", "»"), ("“", "”"), ('"', ""), ("«", ""), ("“", "")]
COMMON = ["الأمم", "المتحدة", "الحكومة", "الرئيس", "الاقتصاد", "زيت", "الزيتون", "olive", "water",
          "выборы", "élections", "ال", "في", "من", "the"]

letters = st.sampled_from(ARABIC)
arabic_word = st.lists(st.one_of(letters, letters, letters, st.sampled_from(MARKS + DIRECTION)),
                       min_size=1, max_size=14).map("".join)
other_word = st.one_of(st.text(LATIN, min_size=1, max_size=12), st.text(CYRILLIC, min_size=1, max_size=12))
long_word = st.builds(lambda c, n: c * n, st.sampled_from(ARABIC + LATIN), st.integers(20, 400)) | \
    st.text(ARABIC, min_size=25, max_size=300)
date_value = st.one_of(
    st.text(DIGITS + "-.", min_size=1, max_size=12),
    st.sampled_from(["2018", "2018-03", "2018-3-1", "9999", "9999-12-31", "0000", "2018-02-30",
                     "..2018", "2018..", "..", "2020..9999-12-31", "٢٠١٨", "10000"]),
)


@st.composite
def word(draw):
    w = draw(st.one_of(st.sampled_from(COMMON), arabic_word, other_word, long_word))
    suffix = draw(st.sampled_from(["", "", "", "*", "~", "**", "~~", "*~"]))
    return w + suffix


@st.composite
def clause(draw):
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return draw(st.sampled_from(OPERATORS))
    if kind == 1:
        opening, closing = draw(st.sampled_from(QUOTES))
        inside = draw(st.lists(st.one_of(word(), st.sampled_from(MARKS + DIRECTION)), max_size=5))
        return opening + " ".join(inside) + closing
    if kind == 2:
        field = draw(st.sampled_from(FIELDS))
        value = draw(date_value) if field in ("date:", "تاريخ:") else draw(word())
        return field + value
    return draw(word())


queries = st.one_of(
    st.lists(clause(), max_size=12).map(" ".join),
    st.lists(clause(), min_size=40, max_size=120).map(" ".join),           # many words
    st.text(ARABIC + MARKS + DIRECTION + LATIN + ' "«»“”()*~:-+.', max_size=300),
)
