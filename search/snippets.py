"""Snippets: the passages of an article around the words that matched.

Matching is decided on analysed forms (a word matches when its normalised form
or its stem is one the query asked for) but the passage is cut from the
original text, so diacritics and spelling are shown as the article wrote them.
Both come back as ``Marked`` text: the words to highlight are spans, for each
face to render.
"""
import re
from bisect import bisect_left
from functools import lru_cache
from itertools import islice

from indexer.analysis import WORD_RE, normalize_word, query_stems, tokens, tokens_with_offsets

from search.results import Marked

_TWO_ELLIPSES = re.compile("… …")


class Matcher:
    """Decides whether a word of the text is one the query looked for."""

    def __init__(self, exact_terms, stem_terms, lang=None):
        self.exact = set(exact_terms)
        self.stems = set(stem_terms)
        self.lang = lang
        # Articles repeat their words; one verdict per distinct spelling,
        # kept as two sets so a hit's words are sorted by set operations.
        self._seen = {}
        self._yes, self._no = set(), set()

    def __bool__(self):
        return bool(self.exact or self.stems)

    def matches(self, word):
        """Whether ``word`` (as written) is one the query looked for."""
        verdict = self._seen.get(word)
        if verdict is None:
            verdict = self._seen[word] = self._matches(word)
        return verdict

    def matching(self, words):
        """The subset of the set ``words`` (as written) that the query looked for."""
        for word in words - self._yes - self._no:
            (self._yes if self.matches(word) else self._no).add(word)
        return words & self._yes

    def _matches(self, word):
        n, stems = _forms(word, self.lang)
        if n in self.exact:
            return True
        # The same stems the query was built from: a Latin word is stemmed as
        # English and as French, so a French match is marked as well.
        return not self.stems.isdisjoint(stems)


# Each hit's text holds a few hundred distinct words, mostly the archive's
# common ones: their analysis is kept across queries rather than redone for
# every hit.  An entry is about 400 bytes, so the cache stays under ~13 MB.
WORD_FORMS_CACHED = 32768


@lru_cache(maxsize=WORD_FORMS_CACHED)
def _forms(word, lang):
    """(normalised form, stems) of a word as written."""
    n = normalize_word(word)
    return n, frozenset(query_stems(n, lang))


def highlight(text, matcher):
    """The whole of a short text (a title) with its matches marked."""
    return Marked(text, tuple((s, e) for w, s, e in tokens_with_offsets(text) if matcher and matcher.matches(w)))


def snippet(text, matcher, window=28, fragments=2, max_words_scanned=6000, max_chars_scanned=60_000):
    """Up to ``fragments`` passages of ``window`` words, with the matches marked.

    Passages are looked for in the first ``max_chars_scanned`` characters (and
    ``max_words_scanned`` words): an article of any length costs no more.
    """
    text = text[:max_chars_scanned]
    # Words are listed by the regex engine and judged once per distinct
    # spelling; offsets are found only as far as the chosen passages reach.
    wordlist = tokens(text)[:max_words_scanned]
    if not wordlist:
        return Marked("")
    if not matcher:
        hits = []
    else:
        wanted = matcher.matching(set(wordlist))
        hits = [i for i, w in enumerate(wordlist) if w in wanted] if wanted else []
    hitset = set(hits)
    if not hits:
        words = _offsets(text, min(len(wordlist), window))
        end = words[-1][2]
        return Marked(text[:end] + (" …" if end < len(text) else ""))
    # Score each window by the number of distinct matched words it holds;
    # the hits inside a window are a slice of the sorted hit list.
    hit_forms = [normalize_word(wordlist[i]) for i in hits]

    def distinct_in(start):
        return len(set(hit_forms[bisect_left(hits, start):bisect_left(hits, start + window)]))

    chosen = []
    candidates = sorted(set(max(0, h - window // 3) for h in hits), key=lambda start: -distinct_in(start))
    for start in candidates:
        if len(chosen) == fragments:
            break
        if all(abs(start - c) >= window for c in chosen):
            chosen.append(start)
    chosen.sort()
    # Chosen passages never overlap, so one pass of the regex serves them all;
    # the words between passages are skipped inside islice, never listed.
    found = WORD_RE.finditer(text)
    read = 0
    parts, spans = [], []
    for start in chosen:
        stop = min(len(wordlist), start + window)
        words = [(m.group(), m.start(), m.end()) for m in islice(found, start - read, stop - read)]
        read = stop
        a, b = words[0][1], words[-1][2]
        if parts:
            parts.append(" ")
        parts.append("… " if a > 0 else "")
        at = sum(map(len, parts)) - a
        spans.extend((s + at, e + at) for i, (w, s, e) in enumerate(words, start) if i in hitset)
        parts.append(text[a:b].replace("\n", " "))
        parts.append(" …" if b < len(text) else "")
    return _one_ellipsis("".join(parts), spans)


def _one_ellipsis(text, spans):
    """``text`` with each "… …" (one passage's end meeting the next one's start) made one "…".

    The spans are moved with the text; no span holds an ellipsis (they mark words).
    """
    cuts = [m.start() for m in _TWO_ELLIPSES.finditer(text)]
    if not cuts:
        return Marked(text, tuple(spans))
    shift = len(_TWO_ELLIPSES.pattern) - 1
    moved = [(s - shift * bisect_left(cuts, s), e - shift * bisect_left(cuts, e)) for s, e in spans]
    return Marked(text.replace(_TWO_ELLIPSES.pattern, "…"), tuple(moved))


def _offsets(text, n):
    """(word, start, end) of the first ``n`` words of ``text``, as tokens_with_offsets gives them."""
    return [(m.group(), m.start(), m.end()) for m in islice(WORD_RE.finditer(text), n)]
