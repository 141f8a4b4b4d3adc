"""Snippets: the passages of an article around the words that matched.

Matching is decided on analysed forms (a word matches when its normalised form
or its stem is one the query asked for) but the passage is cut from the
original text, so diacritics and spelling are shown as the article wrote them.
"""
from bisect import bisect_left
from html import escape
from itertools import islice

from indexer.analysis import WORD_RE, normalize_word, query_stems, tokens, tokens_with_offsets


class Matcher:
    """Decides whether a word of the text is one the query looked for."""

    def __init__(self, exact_terms, stem_terms, lang=None):
        self.exact = set(exact_terms)
        self.stems = set(stem_terms)
        self.lang = lang
        # Articles repeat their words; one verdict per distinct spelling.
        self._seen = {}

    def __bool__(self):
        return bool(self.exact or self.stems)

    def matches(self, word):
        """Whether ``word`` (as written) is one the query looked for."""
        verdict = self._seen.get(word)
        if verdict is None:
            verdict = self._seen[word] = self._matches(word)
        return verdict

    def _matches(self, word):
        n = normalize_word(word)
        if n in self.exact:
            return True
        if not self.stems:
            return False
        # The same stems the query was built from: a Latin word is stemmed as
        # English and as French, so a French match is marked as well.
        return not self.stems.isdisjoint(query_stems(n, self.lang))


def _mark(text, spans, html):
    out, last = [], 0
    for start, end in spans:
        if html:
            out.append(escape(text[last:start]))
            out.append("<mark>%s</mark>" % escape(text[start:end]))
        else:
            out.append(text[last:start])
            out.append(text[start:end])
        last = end
    out.append(escape(text[last:]) if html else text[last:])
    return "".join(out)


def highlight(text, matcher):
    """The whole of a short text (a title) with matches marked: (plain, html)."""
    spans = [(s, e) for w, s, e in tokens_with_offsets(text) if matcher and matcher.matches(w)]
    return text, _mark(text, spans, True)


def snippet(text, matcher, window=28, fragments=2, max_words_scanned=6000):
    """(plain, html) snippet of up to ``fragments`` passages of ``window`` words."""
    # Words are listed by the regex engine and judged once per distinct
    # spelling; offsets are found only as far as the chosen passages reach.
    wordlist = tokens(text)[:max_words_scanned]
    if not wordlist:
        return "", ""
    if not matcher:
        hits = []
    else:
        wanted = {w for w in set(wordlist) if matcher.matches(w)}
        hits = [i for i, w in enumerate(wordlist) if w in wanted] if wanted else []
    hitset = set(hits)
    if not hits:
        words = _offsets(text, min(len(wordlist), window))
        end = words[-1][2]
        plain = text[:end] + (" …" if end < len(text) else "")
        return plain, escape(plain)
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
    plain_parts, html_parts = [], []
    for start in chosen:
        stop = min(len(wordlist), start + window)
        words = [(m.group(), m.start(), m.end()) for m in islice(found, start - read, stop - read)]
        read = stop
        a, b = words[0][1], words[-1][2]
        spans = [(s - a, e - a) for i, (w, s, e) in enumerate(words, start) if i in hitset]
        piece = text[a:b].replace("\n", " ")
        prefix = "… " if a > 0 else ""
        suffix = " …" if b < len(text) else ""
        plain_parts.append(prefix + piece + suffix)
        html_parts.append(escape(prefix) + _mark(piece, spans, True) + escape(suffix))
    return " ".join(plain_parts).replace("… …", "…"), " ".join(html_parts).replace("… …", "…")


def _offsets(text, n):
    """(word, start, end) of the first ``n`` words of ``text``, as tokens_with_offsets gives them."""
    return [(m.group(), m.start(), m.end()) for m in islice(WORD_RE.finditer(text), n)]
