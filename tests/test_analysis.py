from indexer.analysis import analyze, detect_language, normalize, tokens


def test_diacritics_stay_inside_the_word():
    assert tokens("كَتَبَ الرَّئِيسُ") == ["كَتَبَ", "الرَّئِيسُ"]


def test_arabic_punctuation_splits_words():
    assert tokens("قال،ثم؛سأل؟«نعم»") == ["قال", "ثم", "سأل", "نعم"]


def test_arabic_indic_and_persian_digits_are_the_same_number():
    assert analyze("٢٠٢٢") == analyze("2022") == analyze("۲۰۲۲") == ["2022"]


def test_un_spelling_variants_meet():
    assert analyze("الأُمَمُ المتّحدة") == analyze("الامم المتحده") == ["امم", "متحد"]


def test_tatweel_and_joiners_removed():
    assert normalize("اقتصـــاد") == "اقتصاد"
    assert analyze("الر\u200cئيس") == analyze("الرئيس")


def test_persian_letter_forms_folded():
    assert normalize("الولایات") == "الولايات"
    assert normalize("کتاب") == "كتاب"


def test_lam_alef_ligature_decomposed():
    assert normalize("\ufefb") == "لا"


def test_russian_inflections_meet():
    assert analyze("выборы в Киргизии") == analyze("выборов в Киргизию")


def test_languages_detected():
    assert detect_language("الأمم المتحدة تدعو إلى الحوار") == "ar"
    assert detect_language("Выборы прошли спокойно") == "ru"
    assert detect_language("The minister said that the talks were over") == "en"
    assert detect_language("Le ministre a dit que les négociations sont terminées") == "fr"


def test_isolated_haraka_forms_do_not_split_a_word():
    # U+FE70..FE7F decompose (NFKC) to a space and the mark.
    assert normalize("ك\ufe70تب") == "كتب"
    assert normalize("a\ufe72 b") == "a b"
