"""A concordance (key word in context) of a query over its whole result set.

Every occurrence of a matched word or phrase becomes a line: the context
before it, the match as the article wrote it (diacritics kept), the context
after it.  A match is always a whole word: ``وبالانتخابات`` for ``انتخابات``
is shown whole, with the part the query met marked inside it.

"Left" and "right" are the reader's: the left context is what is read before
the match and the right context what is read after it, whatever side of the
screen a right-to-left line puts them on.  Sorting by either compares the
nearest word first, in normalised form, so spelling variants sort together.
"""
import heapq
import time
from array import array
from dataclasses import dataclass

import numpy as np

from indexer.analysis import normalize_word, tokens, tokens_with_offsets

from .searcher import DEFAULT_TIME_LIMIT
from .sharded import over_shards
from .snippets import Matcher
from .syntax import Bool, Not, Phrase, Word

SORTS = ("date", "left", "right")
DEFAULT_WIDTH = 50
MAX_WIDTH = 300
DEFAULT_LIMIT = 100
MAX_LIMIT = 10000
_CHECK_EVERY = 64


@dataclass
class Target:
    """What a concordance looks for: single words (a Matcher) and phrases (lists of normalised words)."""
    words: Matcher
    phrases: list
    marks: list            # normalised pieces to mark inside a matched word, longest first


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


def marked_part(word, marks):
    """(start, end) of the part of ``word`` (as written) that a mark meets; the whole word if none."""
    norm, origin = [], []
    for i, ch in enumerate(word):
        for out in normalize_word(ch):
            norm.append(out)
            origin.append(i)
    norm = "".join(norm)
    for m in marks:
        at = norm.find(m)
        if at >= 0:
            start = origin[at]
            end = origin[at + len(m) - 1] + 1
            # Keep the marks (harakat, shadda) that sit on the last letter.
            while end < len(word) and not normalize_word(word[end]):
                end += 1
            return start, end
    return 0, len(word)


def find_matches(text, target):
    """(start, end) offsets in ``text`` of each occurrence of the target, in text order."""
    words = tokens_with_offsets(text)
    found, i = [], 0
    phrases = target.phrases
    norms = [normalize_word(w) for w, _, _ in words] if phrases else None
    while i < len(words):
        taken = 0
        for p in phrases:
            if norms[i:i + len(p)] == p:
                taken = len(p)
                break
        if not taken and target.words and target.words.matches(words[i][0]):
            taken = 1
        if taken:
            found.append((words[i][1], words[i + taken - 1][2]))
            i += taken
        else:
            i += 1
    return found


def _flat(text):
    return " ".join(text.split())


def context(text, start, end, width):
    """(left, right): up to ``width`` characters each side, cut at a word boundary."""
    lo, hi = max(0, start - width), end + width
    left, right = text[lo:start], text[end:hi]
    # A word cut in half at either edge is dropped.
    if lo > 0 and not text[lo - 1].isspace() and not left[:1].isspace() and " " in left.strip():
        left = left[left.index(" "):]
    if hi < len(text) and not text[hi].isspace() and not right[-1:].isspace() and " " in right.strip():
        right = right[:right.rstrip().rindex(" ")]
    return _flat(left) + (" " if left[-1:].isspace() else ""), (" " if right[:1].isspace() else "") + _flat(right)


def sort_key(line, sort):
    """Nearest words first, normalised: the word read just before (left) or after (right)."""
    if sort == "left":
        return [normalize_word(w) for w in reversed(tokens(line["left"]))], line["date"] or "", line["id"]
    if sort == "right":
        return [normalize_word(w) for w in tokens(line["right"])], line["date"] or "", line["id"]
    # Date: undated articles last, then the reading order within an article.
    return (line["date"] is None, line["date"] or "", line["id"], line["_at"])


def concordance(result_set, width=DEFAULT_WIDTH, limit=DEFAULT_LIMIT, sort="date", time_limit=DEFAULT_TIME_LIMIT,
                reads=None):
    """The ``kwic --json`` shape: the first ``limit`` lines by ``sort``, and how many there are.

    Articles are read oldest first.  Sorted by date, reading stops after the
    articles of the date that completes ``limit`` lines (later ones cannot
    come earlier; every article of that date is read, so which lines and
    total come out does not depend on the order an index happened to store
    articles of one date in); sorted by context, every article is read.  ``complete`` says whether every
    matching article was read, so that ``total`` counts every occurrence.
    Past the time limit the result says partial.  Memory holds ``limit``
    lines at most.
    """
    if sort not in SORTS:
        raise ValueError("sort must be one of %s" % ", ".join(SORTS))
    width = max(1, min(int(width), MAX_WIDTH))
    limit = max(1, min(int(limit), MAX_LIMIT))
    deadline = time.perf_counter() + time_limit
    target = target_of(result_set.tree, result_set.matcher)
    s = result_set.searcher
    counted = {"total": 0, "articles": 0, "partial": result_set.partial}

    def lines():
        docs = result_set.ranked("oldest") if result_set.total else []
        last_date = None
        for n, d in enumerate(docs.tolist() if len(docs) else []):
            if n % _CHECK_EVERY == 0 and time.perf_counter() > deadline:
                counted["partial"] = True
                return
            f = s.stored_fields(d)
            if sort == "date" and counted["total"] >= limit and f.get("date_iso") != last_date:
                return
            last_date = f.get("date_iso")
            counted["articles"] += 1
            before = counted["total"]
            for field, text in (("title", f.get("title_text") or ""), ("body", f.get("body_text") or "")):
                for start, end in find_matches(text, target):
                    counted["total"] += 1
                    match = text[start:end]
                    left, right = context(text, start, end, width)
                    mark = marked_part(match, target.marks) if " " not in match else (0, len(match))
                    yield {"id": f["id"], "date": f.get("date_iso"), "source": ", ".join(f.get("sources") or []),
                           "lang": f.get("lang") or "und", "in": field, "left": left, "match": match,
                           "right": right, "mark": list(mark), "_at": (field != "title", start), "_n": n}
            if reads is not None:
                reads.extend((d, counted["total"] - before))

    kept = heapq.nsmallest(limit, lines(), key=lambda line: sort_key(line, sort))
    if reads is None:
        _drop_places(kept)
    return {"query": result_set.query, "total": counted["total"], "articles": result_set.total,
            "articles_read": counted["articles"], "complete": counted["articles"] == result_set.total,
            "partial": counted["partial"], "sort": sort,
            "width": width, "lines": kept}


def _drop_places(lines):
    for line in lines:
        del line["_at"], line["_n"]


def kwic_of(searcher, query, width=DEFAULT_WIDTH, limit=DEFAULT_LIMIT, sort="date", time_limit=None, **filters):
    """The concordance of ``query`` (filters those of ``search``) over one index or a sharded one.

    Each shard makes its own concordance of its articles; the lines merge by
    the same sort.  Sorted by date, one index stops reading at the article
    that completes ``limit`` lines: the shards report what they read, and the
    total counts the occurrences of the articles one index would have read.
    ``missing`` names the shards that did not answer.
    """
    if sort not in SORTS:
        raise ValueError("sort must be one of %s" % ", ".join(SORTS))
    seconds = searcher.time_limit if time_limit is None else time_limit
    parts, missing = over_shards(searcher, shard_concordance, query, filters, width, limit, sort, seconds,
                                 wait=2 * seconds)
    return merged_concordance([part for _, part in parts], missing, limit, sort)


def shard_concordance(searcher, query, filters, width, limit, sort, time_limit):
    """One index's (or shard's) concordance with the places of its lines and, sorted by date, what it read."""
    matched = searcher.result_set(query, time_limit=time_limit, **filters)
    reads = array("q")
    data = concordance(matched, width=width, limit=limit, sort=sort, time_limit=time_limit, reads=reads)
    read = np.frombuffer(reads, dtype=np.int64).reshape(-1, 2)
    if sort != "date":
        read = read[:0]             # every article is read; the counts add up
    docs, dated = read[:, 0], matched.table.dated[read[:, 0]]
    data["read"] = {"undated": ~dated, "date": np.where(dated, matched.table.date[docs], 0),
                    "count": read[:, 1].copy()}
    return data


def merged_concordance(parts, missing, limit, sort):
    """The ``kwic --json`` shape from the shard_concordance of every shard (or of the one index)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    articles = sum(p["articles"] for p in parts)
    if sort == "date":
        # Every read article of every shard, in the order one index reads them (oldest first).
        undated = np.concatenate([p["read"]["undated"] for p in parts])
        date = np.concatenate([p["read"]["date"] for p in parts])
        count = np.concatenate([p["read"]["count"] for p in parts])
        shard = np.concatenate([np.full(len(p["read"]["count"]), k) for k, p in enumerate(parts)])
        place = np.concatenate([np.arange(len(p["read"]["count"])) for p in parts])
        order = np.lexsort((place, shard, date, undated))
        running = np.cumsum(count[order])
        reached = np.flatnonzero(running >= limit)
        cut = len(order)
        if len(reached):
            # One index reads on to the last article of the date that completes the lines.
            at = order[reached[0]]
            cut = int(np.count_nonzero((undated < undated[at]) | ((undated == undated[at]) & (date <= date[at]))))
        total = int(running[cut - 1]) if cut else 0
        read = cut
        taken = np.bincount(shard[order[:cut]], minlength=len(parts))
        pool = [line for k, p in enumerate(parts) for line in p["lines"] if line["_n"] < taken[k]]
    else:
        total = sum(p["total"] for p in parts)
        read = sum(p["articles_read"] for p in parts)
        pool = [line for p in parts for line in p["lines"]]
    kept = heapq.nsmallest(limit, pool, key=lambda line: sort_key(line, sort))
    _drop_places(kept)
    first = parts[0]
    return {"query": first["query"], "total": total, "articles": articles, "articles_read": read,
            "complete": read == articles, "partial": any(p["partial"] for p in parts) or bool(missing),
            "sort": sort, "width": first["width"], "lines": kept, "missing": list(missing)}


def kwic_rows(data):
    """CSV rows of a concordance: a header, then one row per line."""
    yield ["id", "date", "source", "lang", "in", "left", "match", "right"]
    for line in data["lines"]:
        yield [line["id"], line["date"] or "", line["source"], line["lang"], line["in"], line["left"],
               line["match"], line["right"]]
