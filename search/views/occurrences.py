"""Where a query's words and phrases occur in an article's text.

A concordance reads every matching article, so this is done by the regular
expression engine and set operations: an article's words are listed in one
call, each distinct spelling is judged once per query, and offsets are
found only for the occurrences shown.
"""
import re
from dataclasses import dataclass, field
from itertools import islice

from indexer.analysis import normalize, normalize_word, tokens_with_offsets
from indexer.analysis.tokenize import WORD_RE

from search.snippets import Matcher
from search.query.syntax import Bool, Not, Phrase, Word

KEY_WORDS = 3          # words compared when sorting by context, nearest first

# A word whose first letter is in these ranges is light-stemmed as Arabic
# (indexer.analysis.language.script_of).
_ARABIC_FIRST = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]")


class Judge:
    """A Matcher's verdicts on sets of words, the words that cannot match set aside unanalysed.

    Judging a spelling means stemming it, and a concordance over thousands
    of articles meets tens of thousands of spellings.  An Arabic light stem
    is a piece of the normalised word (a prefix and suffixes cut off), so an
    Arabic word holding none of the query's exact forms and stems cannot
    match: it is set aside by one regular-expression search, not stemmed.
    """

    def __init__(self, matcher):
        self.matcher = matcher
        needles = sorted(set(matcher.exact) | set(matcher.stems), key=len, reverse=True)
        self.needle = re.compile("|".join(map(re.escape, needles))) if needles else None
        self.yes, self.no = set(), set()

    def __bool__(self):
        return bool(self.needle)

    def matching(self, words):
        """The subset of the set ``words`` (as written) that the query looked for."""
        new = list(words - self.yes - self.no)
        if new:
            # One normalisation pass over the new words joined (no word holds a newline).
            for w, n in zip(new, normalize("\n".join(new)).lower().split("\n")):
                if _ARABIC_FIRST.match(n) and not self.needle.search(n):
                    self.no.add(w)
                else:
                    (self.yes if self.matcher.matches(w) else self.no).add(w)
        return words & self.yes


@dataclass
class Target:
    """What a concordance looks for: single words (a Matcher) and phrases (lists of normalised words)."""
    words: Matcher
    phrases: list
    marks: list            # normalised pieces to mark inside a matched word, longest first
    judge: Judge = field(init=False)      # ``words`` judging sets of words
    starts: Judge = field(init=False)     # the written words a phrase may start with

    def __post_init__(self):
        self.judge = Judge(self.words)
        self.starts = Judge(Matcher({p[0] for p in self.phrases}, ()))


def target_of(tree, matcher):
    """The words and phrases of a parsed query, outside its NOT parts."""
    phrases, words = [], []

    def walk(node):
        if isinstance(node, Phrase):
            ws = [normalize_word(w) for w in node.words]
            if any(ws):
                phrases.append([w for w in ws if w])
        elif isinstance(node, Word):
            words.append(node)
        elif isinstance(node, Bool):
            for n in list(node.nodes) + list(node.required):
                walk(n)
        # Not: excluded words are never lines; Filter: nothing to find.

    if tree is not None and not isinstance(tree, Not):
        walk(tree)
    phrase_only = {w for p in phrases for w in p} - {normalize_word(w.text) for w in words}
    exact = set(matcher.exact) - phrase_only if matcher else set()
    stems = set(matcher.stems) if matcher else set()
    single = [p for p in phrases if len(p) == 1]
    exact.update(p[0] for p in single)
    phrases = [p for p in phrases if len(p) > 1]
    marks = set(exact) | stems
    # The article is often the query's and elided in the text (للانتخابات for الانتخابات).
    marks.update(m[2:] for m in list(marks) if m.startswith("ال") and len(m) > 4)
    return Target(Matcher(exact, stems), phrases, sorted((m for m in marks if m), key=len, reverse=True))


def occurrences(words, target):
    """(index, length in words) of each occurrence of the target in ``words`` (as written), in text order.

    A phrase is tried before a single word at each position, and an
    occurrence is never counted inside another.  The words are judged once
    per distinct spelling (set operations), so a long text costs one pass of
    set membership, not an analysis per word.
    """
    distinct = set(words)
    hits = target.judge.matching(distinct) if target.judge else set()
    if not target.phrases:
        return [(i, 1) for i, w in enumerate(words) if w in hits]
    starts = target.starts.matching(distinct)
    found, after = [], 0
    for i in [i for i, w in enumerate(words) if w in hits or w in starts]:
        if i < after:
            continue
        taken = 0
        if words[i] in starts:
            for p in target.phrases:
                if [normalize_word(w) for w in words[i:i + len(p)]] == p:
                    taken = len(p)
                    break
        if not taken and words[i] in hits:
            taken = 1
        if taken:
            found.append((i, taken))
            after = i + taken
    return found


def find_matches(text, target):
    """(start, end) offsets in ``text`` of each occurrence of the target, in text order."""
    spans = tokens_with_offsets(text)
    return [(spans[i][1], spans[i + n - 1][2]) for i, n in occurrences([w for w, _, _ in spans], target)]


def near_words(words, i, step):
    """Up to KEY_WORDS normalised words from ``words[i]`` on, going ``step`` (-1: back, 1: on)."""
    out = []
    while 0 <= i < len(words) and len(out) < KEY_WORDS:
        n = normalize_word(words[i])
        if n:
            out.append(n)
        i += step
    return tuple(out)


def word_spans(text, wanted):
    """{i: (start, end)} of the words numbered in ``wanted`` ({i: n words}), read up to the last one."""
    out, found = {}, WORD_RE.finditer(text)
    at = 0
    for i in sorted(wanted):
        # islice skips the words between in C: no Python step per word.
        first = next(islice(found, i - at, None))
        last = first if wanted[i] == 1 else next(islice(found, wanted[i] - 2, None))
        out[i] = (first.start(), last.end())
        at = i + wanted[i]
    return out


