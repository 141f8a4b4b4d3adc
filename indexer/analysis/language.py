"""Language of an article or a query: script first, then function words.

Arabic and Cyrillic are told by their script.  Latin-script text is told apart
by which language's commonest function words it uses; a query too short to
carry any is reported as ``None`` and the caller searches every Latin language.
"""
import re

from .tokenize import tokens

LANGUAGES = ("ar", "en", "fr", "ru")

# Short, high-frequency words that are distinctive per language (shared words
# such as "a" or "on" are left out on purpose).
_MARKERS = {
    "en": frozenset("the and of to is was that for with are this have from by be has were which their".split()),
    "fr": frozenset("le la les des du et est une dans pour que qui sur par au aux pas sont avec cette été".split()),
    "de": frozenset("der die das und ist nicht mit den dem ein eine zu von auf für sich".split()),
    "es": frozenset("el los las del y es en una por con para que se su al como".split()),
}


def script_of(word):
    """'arabic', 'cyrillic', 'latin' or None for the first letter of ``word``."""
    for ch in word:
        o = ord(ch)
        if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
            return "arabic"
        if 0x0400 <= o <= 0x04FF:
            return "cyrillic"
        if ch.isalpha():
            return "latin" if o < 0x0250 or 0x1E00 <= o <= 0x1EFF else None
    return None


_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def detect_language(text, sample=4000):
    """Best guess among ar/en/fr/ru (or another Latin language), else None."""
    # Letters are counted per script with one C-speed pass each rather than
    # word by word: this runs once per article in the indexer.
    text = text[:sample]
    counts = {"arabic": len(_ARABIC_LETTER.findall(text)),
              "cyrillic": len(_CYRILLIC_LETTER.findall(text)),
              "latin": len(_LATIN_LETTER.findall(text))}
    script = max(counts, key=counts.get)
    if not counts[script]:
        return None
    if script == "arabic":
        return "ar"
    if script == "cyrillic":
        return "ru"
    lowered = [w.lower() for w in tokens(text)]
    votes = {lang: sum(1 for w in lowered if w in marks) for lang, marks in _MARKERS.items()}
    best = max(votes, key=votes.get)
    return best if votes[best] else None
