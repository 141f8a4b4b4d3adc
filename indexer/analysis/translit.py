"""How a name sounds, written in any of the archive's scripts: transliteration rules.

A name crosses scripts by sound.  Arabic writes consonants and long vowels
only, Latin and Cyrillic write every vowel, and each script spells the same
consonant its own way (``ch``, ``ш``, ``ش``).  So a word is reduced to a
*sound signature*: its consonants, each folded to a class that the
transliteration conventions between the three scripts treat as one
(``p``/``b``/``ب``, ``g``/``j``/``غ``/``ج``/``г``/``ж``, ``sh``/``ch``/``ش``/``ш``),
and, around them, which vowel sounds each gap may write: ``A`` (a), ``I``
(i, e), ``U`` (u, o), as the three long vowels Arabic writes (``ا``, ``ي``,
``و``); an empty gap writes none.

Two signatures are compatible when the consonants agree, both words start
(and end) with a vowel or both do not, and every vowel the Arabic side writes
stands where the other side has a vowel of the same sound: Arabic may leave
a short vowel unwritten (``ترمب`` for Trump) but does not invent one.
Between Latin and Cyrillic, which both write vowels, the gaps must agree.
That separates ``بوش`` (Bush) from ``Buschmann`` (two more consonants),
``بوتين`` (Putin) from ``Béthune`` (``و`` is not ``é``) and ``ميركل`` (Merkel)
from ``Markle``.  What the rules cannot tell apart (``Hollande``/``Holland``,
``Bush``/``Bosch``) the archive's statistics judge (``search.query.variants``).

Arabic signatures can also be *generated* (``arabic_spellings``): the Arabic
spellings a signature allows, to look up in the archive's vocabulary instead
of scanning it.
"""
import itertools
import re
from typing import NamedTuple, Tuple

from .language import script_of

A, I, U = frozenset("A"), frozenset("I"), frozenset("U")
# "a": a sound Arabic writes with ا although the script itself counts it as
# another vowel (English u in Trump ترامب, Russian unstressed о).
AR_A = frozenset("a")
NONE = frozenset()


class Signature(NamedTuple):
    script: str               # "arabic", "latin", "cyrillic"
    consonants: str           # one class letter per consonant
    lead: bool                # written vowel before the first consonant
    trail: bool               # written vowel after the last consonant
    gaps: Tuple[frozenset, ...]   # vowel sounds written between consonant i and i+1


# Consonant classes: B P-B, T, D, S (s z c ث ص ز), X (sh ch), G (g j gh), K (k q c),
# H (h kh ح خ), F (f v ф в), L, M, N, R.  "Z" stands for ts (ц) kept whole.
_ARABIC = {
    "ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "T", "د": "D", "ض": "D", "ذ": "D", "ظ": "D",
    "س": "S", "ص": "S", "ز": "S", "ش": "X", "ج": "G", "غ": "G", "گ": "G", "ك": "K", "ق": "K",
    "ح": "H", "خ": "H", "ه": "H", "ف": "F", "ڤ": "F", "ل": "L", "م": "M", "ن": "N", "ر": "R",
    "ا": A, "و": U, "ي": I, "ى": I, "ئ": I, "ؤ": U,
    "ء": "", "ع": "",
}
_CYRILLIC = {
    "б": "B", "п": "B", "в": "F", "ф": "F", "г": "G", "ж": "G", "д": "D", "т": "T",
    "з": "S", "с": "S", "ц": "Z", "к": "K", "х": "H", "л": "L", "м": "M", "н": "N", "р": "R",
    "ш": "X", "щ": "X", "ч": "X", "ь": "", "ъ": "",
    "а": A, "я": A, "о": U | AR_A, "у": U, "ю": U, "ё": U, "и": I, "ы": I, "е": I, "э": I, "й": I,
}
_LATIN = {
    "b": "B", "p": "B", "t": "T", "d": "D", "s": "S", "z": "S", "ç": "S", "g": "G", "j": "G",
    "k": "K", "q": "K", "c": "K", "h": "H", "f": "F", "v": "F", "l": "L", "m": "M", "n": "N",
    "r": "R", "x": "KS",
    # Arabic writes English and French u as و or ا (Putin بوتين, Trump ترامب), e as ي.
    "a": A, "à": A, "â": A, "ä": A, "e": I, "é": I, "è": I, "ê": I, "ë": I, "i": I, "î": I,
    "ï": I, "y": I, "œ": I, "æ": A | I, "o": U, "ô": U, "ö": U, "u": U | AR_A, "û": U, "ù": U,
    "ü": U, "w": U,
}
# Latin letter groups read as one sound, longest first.
_LATIN_GROUPS = (("sch", "X"), ("tch", "X"), ("dzh", "G"), ("ch", "X"), ("sh", "X"),
                 ("zh", "G"), ("dj", "G"), ("kh", "H"), ("gh", "G"), ("ph", "F"), ("th", "T"),
                 ("ck", "K"), ("qu", "K"), ("ts", "Z"), ("tz", "Z"))
_LATIN_GROUP_RE = re.compile("|".join(g for g, _ in _LATIN_GROUPS))
_SOFT_C = re.compile(r"c(?=[eiyéèê])")
_LATIN_GROUP_CLASS = dict(_LATIN_GROUPS)
# A final e after a consonant is silent in French and English names (Hollande, Poutine, Rice).
_SILENT_E = re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])e$")

# Arabic letters that write each consonant class, for generating spellings.
_ARABIC_OF = {
    "B": "ب", "T": "تط", "D": "دض", "S": "سزص", "X": "ش", "G": "غجك", "K": "كق",
    "H": "هحخ", "F": "ف", "L": "ل", "M": "م", "N": "ن", "R": "ر", "Z": ("تس",),
}
_ARABIC_VOWEL = {"A": "ا", "I": "ي", "U": "و"}
_ARABIC_LEADS = ("ا", "او", "اي", "ي")
_ARABIC_TRAILS = ("ا", "ي", "و", "ه", "يا", "يه")
# Beyond this many spellings a signature is too loose to look up.
MAX_SPELLINGS = 20000


def _classes(word, script):
    """The word as a list of consonant classes and vowel-sound sets."""
    if script == "arabic":
        out = []
        for i, c in enumerate(word):
            cls = _ARABIC.get(c)
            if cls is None:
                return None
            # A final ه is the folded teh marbuta: a vowel, not a consonant.
            if c == "ه" and i == len(word) - 1 and i > 0:
                cls = A
            out.append(cls)
        return out
    if script == "cyrillic":
        out = []
        for c in word:
            cls = _CYRILLIC.get(c)
            if cls is None:
                return None
            out.append(cls)
        return out
    word = _SOFT_C.sub("s", word)
    word = _SILENT_E.sub("", word) if len(word) > 3 else word
    out = []
    pos = 0
    for m in _LATIN_GROUP_RE.finditer(word):
        for c in word[pos:m.start()]:
            cls = _LATIN.get(c)
            if cls is None:
                return None
            out.extend(cls if isinstance(cls, str) else (cls,))
        out.append(_LATIN_GROUP_CLASS[m.group()])
        pos = m.end()
    for c in word[pos:]:
        cls = _LATIN.get(c)
        if cls is None:
            return None
        out.extend(cls if isinstance(cls, str) else (cls,))
    return out


def signature(word):
    """The sound signature of one normalised word, or None (digits, other scripts, no consonant)."""
    script = script_of(word)
    if script not in ("arabic", "latin", "cyrillic"):
        return None
    classes = _classes(word, script)
    if not classes:
        return None
    consonants, gaps = [], []
    lead = False
    vowel = NONE
    for cls in classes:
        if not cls:
            continue
        if isinstance(cls, frozenset):
            vowel = vowel | cls
            continue
        if consonants and consonants[-1] == cls and not vowel:
            continue                       # doubled letter: one sound
        if consonants:
            gaps.append(vowel)
        else:
            lead = bool(vowel)
        consonants.append(cls)
        vowel = NONE
    if not consonants:
        return None
    return Signature(script, "".join(consonants), lead, bool(vowel), tuple(gaps))


# For consonant_keys: every Latin and Cyrillic letter to its class, vowels to "v".
_KEY_TABLE = {ord(c): (cls if isinstance(cls, str) else "v") for c, cls in {**_LATIN, **_CYRILLIC}.items()}
_KEY_SILENT_E = re.compile(r"(?m)^(\S{2,}[bcdfghjklmnpqrstvwxz])e$")
_KEY_DOUBLE = re.compile(r"([A-Z])\1+")


def consonant_keys(words):
    """``signature(w).consonants`` of many Latin or Cyrillic words at once, at C speed.

    The same rules as ``signature``, applied to the words joined into one
    text, so that indexing a whole vocabulary costs a few regex passes
    rather than a Python loop per letter.  A word with a letter the rules
    do not know gets a key holding that letter, which no signature has.
    """
    text = "\n".join(words)
    text = _SOFT_C.sub("s", text)
    text = _KEY_SILENT_E.sub(r"\1", text)
    text = _LATIN_GROUP_RE.sub(lambda m: _LATIN_GROUP_CLASS[m.group()], text)
    text = _KEY_DOUBLE.sub(r"\1", text.translate(_KEY_TABLE))
    return text.replace("v", "").split("\n")


def compatible(a, b):
    """Whether two signatures can be the same name (see the module's rules)."""
    if a.consonants != b.consonants or a.lead != b.lead or a.trail != b.trail:
        return False
    a_ar, b_ar = a.script == "arabic", b.script == "arabic"
    if a_ar and b_ar:
        return True
    if a_ar:
        return all(x & _as_arabic(y) for x, y in zip(a.gaps, b.gaps) if x)
    if b_ar:
        return all(_as_arabic(x) & y for x, y in zip(a.gaps, b.gaps) if y)
    if a.script != b.script:
        # Latin and Cyrillic hear a vowel alike (Trump, Трамп) where Arabic does.
        return all((_as_arabic(x) & _as_arabic(y)) if (x or y) else True for x, y in zip(a.gaps, b.gaps))
    # Spellings in one script (Putin, Poutine) write the same vowel sound.
    return all(((x & y) - AR_A) if (x or y) else True for x, y in zip(a.gaps, b.gaps))


def _as_arabic(gap):
    return gap | A if "a" in gap else gap


def arabic_spellings(sig):
    """Every Arabic spelling compatible with ``sig`` (empty when there would be too many)."""
    letters = [_ARABIC_OF[c] for c in sig.consonants if c in _ARABIC_OF]
    if len(letters) != len(sig.consonants):
        return []
    # An Arabic signature leaves its own gaps free (ترامب/ترمب); another
    # script's gap without a vowel must stay without one in Arabic.
    free = "AIU" if sig.script == "arabic" else None
    gap_options = [("",) + tuple(_ARABIC_VOWEL[v] for v in sorted(free or _as_arabic(g) - AR_A))
                   for g in sig.gaps]
    leads = _ARABIC_LEADS if sig.lead else ("",)
    trails = _ARABIC_TRAILS if sig.trail else ("",)
    count = len(leads) * len(trails)
    for options in letters + gap_options:
        count *= len(options)
    if count > MAX_SPELLINGS:
        return []
    out = []
    for lead in leads:
        for trail in trails:
            for combo in itertools.product(*letters):
                for gaps in itertools.product(*gap_options):
                    parts = [lead, combo[0]]
                    for g, c in zip(gaps, combo[1:]):
                        parts.append(g)
                        parts.append(c)
                    parts.append(trail)
                    out.append("".join(parts))
    return out
