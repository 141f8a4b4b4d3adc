"""Language of an article or a query: script first, then function words.

Arabic and Cyrillic are told by their script.  Latin-script text is told apart
by which language's commonest function words it uses; a query too short to
carry any is reported as ``None`` and the caller searches every Latin language.
"""
from collections import Counter

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


def detect_language(text, sample=4000):
    """Best guess among ar/en/fr/ru (or another Latin language), else None."""
    words = tokens(text[:sample])
    scripts = Counter(script_of(w) for w in words)
    scripts.pop(None, None)
    if not scripts:
        return None
    script, _ = scripts.most_common(1)[0]
    if script == "arabic":
        return "ar"
    if script == "cyrillic":
        return "ru"
    lowered = [w.lower() for w in words]
    votes = {lang: sum(1 for w in lowered if w in marks) for lang, marks in _MARKERS.items()}
    best = max(votes, key=votes.get)
    return best if votes[best] else None
