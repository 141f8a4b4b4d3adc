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
reader typed (``search.query.compile``).
"""
import re
from itertools import chain
from operator import itemgetter

from .arabic import NORMALIZE_TABLE, normalize
from .tokenize import RUN_RE, WORD_RE

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


_CACHE_LIMIT = 400_000
_run_cache = {}


def _run_written(run):
    """(``written`` terms, their normalised words, words written plainly) of one run of word characters.

    The plain words are listed only for a run of several words (letters
    touching digits): a run of one plain word is itself the word.
    """
    words = WORD_RE.findall(run)
    terms, norms, plain = [], [], []
    for w in words:
        n, low = normalize(w).lower(), w.lower()
        if n != low and n:
            terms.append(n + SEPARATOR + low)
            norms.append(n)
        elif len(words) > 1:
            plain.append(low)
    return tuple(terms), tuple(norms), tuple(plain)


def written_terms(text):
    """The ``written`` terms of a text (empty when normalisation changes none of its words)."""
    # As index_terms: the distinct runs of word characters are looked up in
    # a cache, so a text costs a few calls that do not step through its words.
    global _run_cache
    if len(_run_cache) > _CACHE_LIMIT:
        _run_cache = {}
    runs = set(RUN_RE.findall(text))
    found = list(map(_run_cache.get, runs))
    if None in found:
        found = [f if f is not None else _run_cache.setdefault(r, _run_written(r)) for r, f in zip(runs, found)]
    out = set(chain.from_iterable(map(itemgetter(0), found)))
    if out:
        # Normalised words the text also writes plainly.
        norms = set(chain.from_iterable(map(itemgetter(1), found)))
        plain = (norms & runs) | norms.intersection(chain.from_iterable(map(itemgetter(2), found)))
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
