"""Words written with Arabic diacritics, for ``=كَتَبَ``: match only what carries them.

Normalisation deletes the harakat, so ``كَتَبَ`` (he wrote), ``كُتُب`` (books)
and ``كُتِبَ`` (was written) are one term everywhere else.  The ``marked``
field keeps, for each article, the words it wrote with harakat, as
``bare=marked``: the normalised word, then the word with its letters
normalised the same way but its harakat kept.  A query ``=كُتُب`` then reads
the few marked spellings of ``كتب`` with one prefix lookup and keeps those
that carry every mark the reader typed (``search.compile``).  News text is
mostly unvocalised, so the field is small (``bench/RESULTS.md``).
"""
import re

from .arabic import NORMALIZE_TABLE
from .tokenize import WORD_RE

# Fathatan to sukun: the vowel, nunation, doubling and silence marks.
HARAKAT = "".join(chr(c) for c in range(0x064B, 0x0653))
_HARAKA = re.compile("[%s]" % HARAKAT)
# A run of non-space characters holding a haraka, each run tried from its start only.
_MARKED_RUN = re.compile(r"(?<!\S)\S*?[%s]\S*" % HARAKAT)
_KEEP_MARKS = dict(NORMALIZE_TABLE)
for _c in HARAKAT:
    _KEEP_MARKS.pop(ord(_c), None)
SEPARATOR = "="


def has_marks(word):
    return _HARAKA.search(word) is not None


def marked_form(word):
    """The word with letters normalised as usual but its harakat kept."""
    return word.translate(_KEEP_MARKS).lower()


def marked_term(word):
    """``bare=marked`` for a word written with harakat, else None."""
    if not has_marks(word):
        return None
    marked = marked_form(word)
    bare = _HARAKA.sub("", marked)
    return bare + SEPARATOR + marked if bare else None


def marked_terms(text):
    """The distinct ``marked`` terms of a text (empty for unvocalised text)."""
    if not _HARAKA.search(text):
        return set()
    out = set()
    for run in _MARKED_RUN.findall(text):
        for word in WORD_RE.findall(run):
            term = marked_term(word)
            if term:
                out.add(term)
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
