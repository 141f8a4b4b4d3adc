"""Spellings as the articles wrote them, beside the normalised words searched.

Normalisation folds hamza seats, teh marbuta and alef maksura and deletes
harakat and tatweel, so ``الإنتخابات`` and ``الانتخابات``, or ``كَتَبَ`` (he
wrote), ``كُتُب`` (books) and ``كُتِبَ`` (was written), are one term
everywhere else.  The ``written`` field keeps, for each article, every word
normalisation changes (besides case) as ``normalised=written``: the
normalised word, then the word as written.  When the article also writes
such a word plainly, ``normalised=normalised`` is kept too, so the articles
writing each spelling can be counted (those holding the word and no
``written`` term of it write it only plainly).  One prefix lookup
(``normalised=``) then lists a word's spellings: ``akhbar forms`` shows
them, and a query ``=كُتُب`` keeps the spellings that carry every mark the
reader typed (``search.compile``).
"""
import re

from .arabic import NORMALIZE_TABLE, normalize
from .tokenize import WORD_RE

# Fathatan to sukun: the vowel, nunation, doubling and silence marks.
HARAKAT = "".join(chr(c) for c in range(0x064B, 0x0653))
_HARAKA = re.compile("[%s]" % HARAKAT)
_KEEP_MARKS = dict(NORMALIZE_TABLE)
for _c in HARAKAT:
    _KEEP_MARKS.pop(ord(_c), None)
SEPARATOR = "="


def has_marks(word):
    return _HARAKA.search(word) is not None


def marked_form(word):
    """The word with letters normalised as usual but its harakat kept."""
    return word.translate(_KEEP_MARKS).lower()


def written_terms(text):
    """The ``written`` terms of a text (empty when normalisation changes none of its words)."""
    words = list(set(WORD_RE.findall(text)))
    if not words:
        return set()
    # One normalisation pass over the distinct words joined (no word holds a newline).
    joined = "\n".join(words).lower()
    written = joined.split("\n")
    changed = [(n, w) for n, w in zip(normalize(joined).split("\n"), written) if n != w and n]
    if not changed:
        return set()
    out = {n + SEPARATOR + w for n, w in changed}
    plain = {n for n, _ in changed}.intersection(written)
    out.update(n + SEPARATOR + n for n in plain)
    return out


def _letters(marked):
    """[(letter, set of its marks)] of a marked form."""
    out = []
    for c in marked:
        if c in HARAKAT:
            if out:
                out[-1][1].add(c)
        else:
            out.append((c, set()))
    return out


def carries(typed, written):
    """Whether a word ``written`` (marked form) carries every haraka of ``typed`` on the same letters."""
    a, b = _letters(typed), _letters(written)
    if [c for c, _ in a] != [c for c, _ in b]:
        return False
    return all(ma <= mb for (_, ma), (_, mb) in zip(a, b))
