"""Did you mean: the nearest query the archive can answer.

Spelling variants a reader is not to blame for (hamza seats, teh marbuta,
alef maksura, diacritics, tatweel) are already folded by normalisation, so what
is left are real slips: a missing, extra, swapped or wrong letter.  Each word
of the query that the archive does not know (or barely knows) is replaced by
the word of the exact-form lexicons nearest to it in edit distance on
normalised forms, the most frequent one among equally near candidates.
"""
import re

import numpy as np

from indexer.analysis import normalize_word, tokens
from indexer.store import arrays

from search.query.deadline import past
from search.query.lexicon import DocCounts, uncounted
from search.query.syntax import Bool, Phrase, Word, parse

FIELDS = ("title_exact", "body_exact")
# A word this rare is worth replacing when a neighbour is this much commoner.
RARE_DF = 2
COMMONER_BY = 10
# Candidates grow with a word's length (its square for two edits): no word of
# the four languages is longer than these, and longer strings are not slips.
MAX_LETTERS = 24
MAX_LETTERS_TWO_EDITS = 16


def _doc_frequency(reader, word):
    return sum(reader.doc_frequency(f, word) for f in FIELDS)


def _words(node, out):
    """The plain words of a query tree that a correction may replace."""
    if isinstance(node, Word):
        if not node.prefix and not node.fuzzy:
            out.append(node.text)
    elif isinstance(node, Phrase):
        out.extend(node.words)
    elif isinstance(node, Bool):
        for n in node.required + node.nodes:
            _words(n, out)
    # Words under NOT are left alone: they were meant to match nothing.
    return out


ARABIC_LETTERS = "ءابتثجحخدذرزسشصضطظعغفقكلمنهويؤئ"
CYRILLIC_LETTERS = "абвгдежзийклмнопрстуфхцчшщъыьэюяё"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyzéèêàâçîïôûùœ"


class KnownWords:
    """Which strings are exact forms the archive holds, checked in C.

    Candidate spellings number in the hundreds or thousands per query word:
    asking the term dictionary for each costs several microseconds per
    segment, and a Python set of every word costs around a hundred bytes a
    word.  This keeps one sorted array of the words' 64-bit hashes (8 bytes a
    word, built once per index generation from the segments' term tables with
    array operations: search.query.lexicon.DocCounts, whose document frequencies
    rank the candidates) and looks all candidates up at once; the word finally
    suggested is confirmed in the term dictionary itself, so a collision can
    never suggest a word the archive lacks.
    """

    def __init__(self, reader, counts=None):
        self.reader = reader
        self.counts = counts
        self._hashes = None

    def hashes(self):
        """The sorted, distinct hashes of every exact form (uint64)."""
        if self._hashes is None:
            if self.counts is None:
                self.counts = DocCounts(self.reader, FIELDS)
            parts = [self.counts.hashes(field) for field in FIELDS]
            self._hashes = np.unique(np.concatenate(parts))
        return self._hashes

    def nbytes(self):
        return self.hashes().nbytes

    def known(self, words):
        """The subset of ``words`` whose hash is among the archive's words (a few false hits possible)."""
        words = list(words)
        table = self.hashes()
        if not words or not len(table):
            return set()
        wanted = arrays.string_hashes([w.encode("utf-8") for w in words])
        at = np.minimum(np.searchsorted(table, wanted), len(table) - 1)
        return {w for w, hit in zip(words, (table[at] == wanted).tolist()) if hit}


def _alphabet(word):
    if any("\u0600" <= c <= "\u06ff" for c in word):
        return ARABIC_LETTERS
    if any("\u0400" <= c <= "\u04ff" for c in word):
        return CYRILLIC_LETTERS
    return LATIN_LETTERS


def _edits(word, alphabet):
    """Strings one deletion, transposition, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    out.update(a + c + b[1:] for a, b in splits if b for c in alphabet)
    out.update(a + c + b for a, b in splits for c in alphabet)
    out.discard(word)
    return out


def _shorter(word):
    """Strings one deletion or transposition away (the cheap second edit)."""
    splits = [(word[:i], word[i:]) for i in range(len(word))]
    out = {a + b[1:] for a, b in splits}
    out.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    return out


def nearest_word(reader, norm, rare_df=RARE_DF, vocabulary=None):
    """(word, doc frequency) of the best replacement for ``norm``, or None.

    Only a word found in at most ``rare_df`` articles is replaced.  Candidates
    are one edit away, or (for words of five letters or more, when nothing is
    one edit away) one edit followed by a deletion or a swap.
    """
    if not 3 <= len(norm) <= MAX_LETTERS or norm.isdigit():
        return None
    own = _doc_frequency(reader, norm)
    if own > rare_df:
        return None
    vocabulary = vocabulary or KnownWords(reader)
    near = _edits(norm, _alphabet(norm))
    found = vocabulary.known(near)
    if not found and 5 <= len(norm) <= MAX_LETTERS_TWO_EDITS:
        second = set()
        for cand in near:
            second.update(_shorter(cand))
        second.discard(norm)
        found = vocabulary.known(second)
    best = None
    for cand in sorted(found):
        df = _doc_frequency(reader, cand)
        # A word the archive lacks has no documents: a hash collision, passed over.
        if df and (best is None or df > best[1]):
            best = (cand, df)
    if best is None or (own and best[1] < own * COMMONER_BY):
        return None
    # Confirmed in the term dictionary itself: a hash clash never suggests a word the archive lacks.
    if not _doc_frequency(uncounted(reader), best[0]):
        return None
    return best


def suggest(text, reader, found=0, few=3, vocabulary=None, deadline=None):
    """A corrected query string, or None when no word needs or has a correction.

    When the query found ``few`` articles or more, only words the archive has
    never seen are corrected: a rare name that matched is not a slip.  Words
    are corrected until the ``deadline`` (time.perf_counter()) passes.
    """
    rare_df = RARE_DF if found < few else 0
    tree, _ = parse(text or "")
    if tree is None:
        return None
    replaced = text
    changed = False
    for word in _words(tree, []):
        if past(deadline):
            break
        norm = normalize_word(word)
        fix = nearest_word(reader, norm, rare_df, vocabulary)
        if fix is None:
            continue
        # Replace the word as typed (first whole-word occurrence).
        pattern = r"(?<![\w\u0600-\u06ff])%s(?![\w\u0600-\u06ff])" % re.escape(word)
        new = re.sub(pattern, lambda m: fix[0], replaced, count=1)
        if new != replaced:
            replaced, changed = new, True
    if not changed or tokens(replaced) == tokens(text):
        return None
    return replaced
