"""Country and territory names in the archive's languages, from CLDR through Babel.

CLDR (the Unicode Common Locale Data Repository) names every territory in
every locale: ``روسيا``, ``Russia``, ``Russie``, ``Россия``.  These are
translations, not transliterations (``هولندا``, ``Netherlands``, ``Pays-Bas``),
so sound rules cannot find them; and a place CLDR names is known to be the
place, so its sound-alikes (``Rossi`` for ``روسيا``) are not needed.
Only one-word names are kept: a query word is one word.
"""
from functools import lru_cache

from .arabic import normalize

LOCALES = ("ar", "en", "fr", "ru")


def _fold(name):
    return normalize(name).lower()


@lru_cache(maxsize=1)
def _tables():
    from babel import Locale
    by_code, by_word = {}, {}
    for locale in LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if not code.isalpha():          # "001" World, "150" Europe: regions, not places
                continue
            word = _fold(name)
            if not word.isalpha() or len(word) < 3:
                continue
            by_code.setdefault(code, set()).add(word)
            by_word.setdefault(word, set()).add(code)
    return by_code, by_word


def territory_names(word):
    """Every one-word CLDR name (normalised) of the territories ``word`` names; empty if none."""
    by_code, by_word = _tables()
    out = set()
    for code in by_word.get(word, ()):
        out |= by_code[code]
    return out
