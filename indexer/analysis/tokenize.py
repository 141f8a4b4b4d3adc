"""Splitting text into words.

Whoosh's default pattern splits ``كَتَبَ`` at every haraka, because combining
marks are not ``\\w`` in Python's ``re``.  Ours keeps marks, tatweel and the
zero-width joiners and direction marks inside the word; normalisation removes
them afterwards.  Everything else that is not a letter or digit (Arabic comma,
semicolon, question mark, guillemets, hyphens, apostrophes) separates words.

A run of digits is a word of its own even when letters touch it: Arabic news
writes ``بـ4`` and ``1800مختص``, and a reader searching ``مختص`` or ``4``
should meet them.  Digits of every script are ``\\d``, so ``٢٠٢٢`` stays one
number (normalisation makes it ``2022``).
"""
import re

_MARKS = (
    r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"   # combining Arabic marks
    r"\u0640"                                        # tatweel
    r"\u200c\u200d\u200e\u200f\u2060\ufeff\u061c"    # joiners, direction marks, BOM
    r"\u0300-\u036f"                                 # Latin combining accents
)
# One pass: a number, or a run of letters (any \w but a digit) and marks.
# Possessive (++): a long run is matched without a backtracking record per
# character (a 500,000-letter "word" took 63 MB, now 0.5 MB); the words are the same.
WORD_RE = re.compile(r"\d++|(?:[^\W\d]|[%s])++" % _MARKS)
# Letters, digits and marks in one class: three times faster than WORD_RE.
# Its runs, split by WORD_RE (memoised per run, see index_terms), give exactly
# WORD_RE's words.
RUN_RE = re.compile(r"[\w%s]+" % _MARKS)


def tokens(text):
    """The words of ``text`` in order, as written (not yet normalised)."""
    return WORD_RE.findall(text)


def tokens_with_offsets(text):
    """(word, start, end) for each word of ``text``, offsets into ``text``."""
    return [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]
