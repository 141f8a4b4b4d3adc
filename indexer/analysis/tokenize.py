"""Splitting text into words.

Whoosh's default pattern splits ``كَتَبَ`` at every haraka, because combining
marks are not ``\\w`` in Python's ``re``.  Ours keeps marks, tatweel and the
zero-width joiners inside the word; normalisation removes them afterwards.
Everything else that is not a letter or digit (Arabic comma, semicolon,
question mark, guillemets, hyphens, apostrophes) separates words.
"""
import re

_IN_WORD = (
    r"\w"
    r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"   # combining Arabic marks
    r"\u0640"                                        # tatweel
    r"\u200c\u200d\u200e\u200f\u2060\ufeff"          # joiners, direction marks, BOM
    r"\u0300-\u036f"                                 # Latin combining accents
)
WORD_RE = re.compile(r"[%s]+" % _IN_WORD)


def tokens(text):
    """The words of ``text`` in order, as written (not yet normalised)."""
    return WORD_RE.findall(text)


def tokens_with_offsets(text):
    """(word, start, end) for each word of ``text``, offsets into ``text``."""
    return [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]
