"""Arabic normalisation and light stemming.

Normalisation is one ``str.translate`` pass over a table built once, so a whole
article is normalised at C speed.  Each mapping below is chosen for retrieval:
readers type bare alef for every hamza seat, heh for teh marbuta and yeh for
alef maksura, and never type diacritics or tatweel.
"""
import unicodedata

from pyarabic import araby

# Characters deleted outright: harakat, tanwin, shadda, sukun (pyarabic's
# TASHKEEL), superscript alef, tatweel, Quranic annotation marks, and the
# invisible joiners and direction marks that scraped pages carry inside words.
_DELETE = (
    "".join(araby.TASHKEEL)
    + "\u0670"                      # superscript (dagger) alef
    + araby.TATWEEL
    + "".join(chr(c) for c in range(0x0610, 0x061B))   # honorific/Quranic signs
    + "".join(chr(c) for c in range(0x0653, 0x0660))   # madda above, hamza marks, other harakat
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))   # Quranic annotation
    + "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c"  # ZWSP ZWNJ ZWJ LRM RLM WJ BOM ALM
)

# Letter foldings.  Note pyarabic's normalize_hamza maps أ to ء, which would
# split أحمد from احمد; retrieval wants the bare alef, so the table is ours.
_FOLD = {
    "\u0622": "\u0627",  # آ alef with madda      -> ا
    "\u0623": "\u0627",  # أ alef with hamza above -> ا
    "\u0625": "\u0627",  # إ alef with hamza below -> ا
    "\u0671": "\u0627",  # ٱ alef wasla           -> ا
    "\u0672": "\u0627",  # ٲ wavy hamza above      -> ا
    "\u0673": "\u0627",  # ٳ wavy hamza below      -> ا
    "\u0649": "\u064a",  # ى alef maksura         -> ي
    "\u0629": "\u0647",  # ة teh marbuta          -> ه
    "\u06a9": "\u0643",  # ک keheh (Persian kaf)  -> ك
    "\u06aa": "\u0643",  # ڪ swash kaf            -> ك
    "\u06cc": "\u064a",  # ی Farsi yeh            -> ي
    "\u06d2": "\u064a",  # ے yeh barree (Urdu)    -> ي
    "\u06d0": "\u064a",  # ې e                    -> ي
    "\u06c0": "\u0647",  # ۀ heh with yeh above   -> ه
    "\u06c1": "\u0647",  # ہ heh goal             -> ه
    "\u06d5": "\u0647",  # ە ae                   -> ه
    "\u0660": "0", "\u0661": "1", "\u0662": "2", "\u0663": "3", "\u0664": "4",
    "\u0665": "5", "\u0666": "6", "\u0667": "7", "\u0668": "8", "\u0669": "9",
    "\u06f0": "0", "\u06f1": "1", "\u06f2": "2", "\u06f3": "3", "\u06f4": "4",
    "\u06f5": "5", "\u06f6": "6", "\u06f7": "7", "\u06f8": "8", "\u06f9": "9",
}


def _build_table():
    table = {ord(c): None for c in _DELETE}
    table.update({ord(k): v for k, v in _FOLD.items()})
    # Presentation forms (lam-alef ligatures, isolated/final glyph codes) come
    # from old encodings and PDF copy-paste.  NFKC decomposes them to the plain
    # letters; it is applied only here, not to the whole text, because NFKC
    # elsewhere would rewrite things a reader typed on purpose.
    for block in (range(0xFB50, 0xFE00), range(0xFE70, 0xFEFF)):
        for cp in block:
            ch = chr(cp)
            if unicodedata.category(ch) == "Cn":
                continue
            decomposed = unicodedata.normalize("NFKC", ch)
            if decomposed != ch:
                # The isolated forms of the harakat decompose to a space and
                # the mark: the space is dropped, or a mark inside a word
                # would split it in two.
                table[cp] = "".join(table.get(ord(d), d) or "" for d in decomposed if not d.isspace())
    return table


NORMALIZE_TABLE = _build_table()


def normalize(text):
    """Arabic normalisation of a whole text; spacing and other scripts kept."""
    return text.translate(NORMALIZE_TABLE)


# Light stemming, after Larkey, Ballesteros and Connell's light10 (2002) and
# Lucene's ArabicStemmer: strip one article or conjunction prefix, then each of
# the common suffixes in turn, never leaving fewer than two letters.
#
# Beyond light10: a conjunction before a preposition and the article
# (وبالرئيس, فبالحكومة, وللحوثيين) is one prefix here.  light10 strips only
# the و of these and leaves بالرئيس, which then never meets الرئيس.  Lone
# ب, ل, ف, ك are NOT stripped: on the dev set (in a simulation of the index,
# bench/RESULTS.md) that conflated more than it found, MRR@10 0.955 against
# 0.960, since too many stems begin with those letters (فيلم, بيان, لبنان, كتاب).
PREFIXES = tuple(sorted(
    ("ال", "وال", "بال", "كال", "فال", "لل",             # light10
     "وبال", "وكال", "ولل", "فبال", "فكال", "فلل"),       # conjunction + light10 prefix
    key=len, reverse=True)) + ("و",)
# light10's list after normalisation: its ية/يه and ة/ه pairs become twins,
# kept twice so that, as in light10, a doubled ending is stripped twice.
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "يه", "ه", "ه", "ي")


# The prefixes grouped by length, longest first, for one slice-and-lookup per length.
_PREFIX_GROUPS = tuple((n, frozenset(p for p in PREFIXES if len(p) == n))
                       for n in sorted({len(p) for p in PREFIXES}, reverse=True))


def stem_normalized(word):
    """Light stem of a word that is already normalised."""
    size = len(word)
    for n, group in _PREFIX_GROUPS:
        if word[:n] in group:
            if (n == 1 and size < 4) or size < n + 2:
                continue
            word = word[n:]
            break
    for s in SUFFIXES:
        if word.endswith(s) and len(word) >= len(s) + 2:
            word = word[: -len(s)]
    return word


def light_stem(word):
    """The Arabic light stem of one word, normalising it first."""
    return stem_normalized(normalize(word))
