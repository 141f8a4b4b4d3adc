"""A concordance (key word in context) of a query over its whole result set.

Every occurrence of a matched word or phrase becomes a line: the context
before it, the match as the article wrote it (diacritics kept), the context
after it.  A match is always a whole word: ``وبالانتخابات`` for ``انتخابات``
is shown whole, with the part the query met marked inside it.

"Left" and "right" are the reader's: the left context is what is read before
the match and the right context what is read after it, whatever side of the
screen a right-to-left line puts them on.  Sorting by either compares the
three nearest words, nearest first, in normalised form, so spelling
variants sort together.
"""
import heapq
import time
from array import array
from operator import itemgetter

import numpy as np

from indexer.analysis import normalize_word, tokens

from search.views.occurrences import near_words, occurrences, target_of, word_spans
from search.engine.collector import Collector
from search.query.options import DEFAULT_TIME_LIMIT

SORTS = ("date", "left", "right")
DEFAULT_WIDTH = 50
MAX_WIDTH = 300
DEFAULT_LIMIT = 100
MAX_LIMIT = 10000
_CHECK_EVERY = 64


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
    """Lines in order: by the nearest words read before (left) or after (right) the match, or by date.

    Then by date (undated last when sorted by date), id and place in the article.
    """
    if sort == "date":
        return (line["date"] is None, line["date"] or "", line["id"], line["_at"])
    return (line["_near"], line["date"] or "", line["id"], line["_at"])


def _texts(fields):
    return (("title", fields.get("title_text") or ""), ("body", fields.get("body_text") or ""))


class _Reader:
    """Stored articles to occurrences and lines, with the counts the answer reports."""

    def __init__(self, result_set, target, width, reads):
        self.searcher = result_set.searcher
        self.target, self.width, self.reads = target, width, reads
        self.total = self.articles = 0

    def occurrences(self, docnum):
        """(stored fields, [(field, words, [(i, n)])]) of one article, every occurrence counted."""
        f = self.searcher.stored_fields(docnum)
        self.articles += 1
        found, count = [], 0
        for field, text in _texts(f):
            words = tokens(text)
            occ = occurrences(words, self.target)
            count += len(occ)
            if occ:
                found.append((field, words, occ))
        self.total += count
        if self.reads is not None:
            self.reads.extend((docnum, count))
        return f, found

    def lines(self, f, wanted, read):
        """{(field, i): line} of one article (the ``read``-th read) for ``wanted`` {field: {i: n}}."""
        out = {}
        for field, text in _texts(f):
            if not wanted.get(field):
                continue
            for i, (start, end) in word_spans(text, wanted[field]).items():
                match = text[start:end]
                left, right = context(text, start, end, self.width)
                mark = marked_part(match, self.target.marks) if " " not in match else (0, len(match))
                out[field, i] = {"id": f["id"], "date": f.get("date_iso"),
                                 "source": ", ".join(f.get("sources") or []), "lang": f.get("lang") or "und",
                                 "in": field, "left": left, "match": match, "right": right, "mark": list(mark),
                                 "_at": (field != "title", i), "_n": read}
        return out


def _by_date(result_set, reader, limit, out_of_time):
    """The first ``limit`` lines oldest first, and the lines of the articles read for them."""
    def lines():
        docs = result_set.ranked("oldest")
        last_date = None
        for n, d in enumerate(docs.tolist()):
            if n % _CHECK_EVERY == 0 and out_of_time():
                return
            if reader.total >= limit and reader.searcher.stored_fields(d).get("date_iso") != last_date:
                return
            f, found = reader.occurrences(d)
            last_date = f.get("date_iso")
            built = reader.lines(f, {field: dict(occ) for field, _, occ in found}, n)
            yield from built.values()

    return heapq.nsmallest(limit, lines(), key=lambda line: sort_key(line, "date"))


def _by_context(result_set, reader, limit, sort, out_of_time):
    """The first ``limit`` lines by the words before (left) or after (right) the match.

    Every matching article is read once for the sort key of each occurrence
    (its nearest words, normalised); whole lines are then built only for
    the ``limit`` occurrences kept, a second read of their articles.
    """
    def keyed():
        for n, d in enumerate(result_set.docnums().tolist()):
            if n % _CHECK_EVERY == 0 and out_of_time():
                return
            f, found = reader.occurrences(d)
            date, ident = f.get("date_iso") or "", f["id"]
            for field, words, occ in found:
                for i, k in occ:
                    near = near_words(words, i - 1, -1) if sort == "left" else near_words(words, i + k, 1)
                    yield (near, date, ident, (field != "title", i)), d, n, field, i, k

    kept = heapq.nsmallest(limit, keyed(), key=itemgetter(0))
    wanted = {}
    for _, d, n, field, i, k in kept:
        wanted.setdefault((d, n), {}).setdefault(field, {})[i] = k
    built = {}
    for d, n in sorted(wanted):
        for (field, i), line in reader.lines(reader.searcher.stored_fields(d), wanted[d, n], n).items():
            built[d, field, i] = line
    lines = []
    for key, d, _, field, i, _ in kept:
        line = built[d, field, i]
        line["_near"] = key[0]
        lines.append(line)
    return lines


def concordance(result_set, width=DEFAULT_WIDTH, limit=DEFAULT_LIMIT, sort="date", time_limit=DEFAULT_TIME_LIMIT,
                reads=None):
    """The ``kwic --json`` shape: the first ``limit`` lines by ``sort``, and how many there are.

    Articles are read oldest first.  Sorted by date, reading stops after the
    articles of the date that completes ``limit`` lines (later ones cannot
    come earlier; every article of that date is read, so which lines and
    total come out does not depend on the order an index happened to store
    articles of one date in); sorted by context, every article is read once
    for the keys and the articles of the lines kept once more
    (``_by_context``).  ``complete`` says whether every matching article was
    read, so that ``total`` counts every occurrence.  Past the time limit
    the result says partial.  Memory holds ``limit`` lines at most.
    ``reads``, an array('q'), receives (document, occurrences) of each
    article read; the lines then keep their places for a merge.
    """
    if sort not in SORTS:
        raise ValueError("sort must be one of %s" % ", ".join(SORTS))
    width = max(1, min(int(width), MAX_WIDTH))
    limit = max(1, min(int(limit), MAX_LIMIT))
    deadline = time.perf_counter() + time_limit
    reader = _Reader(result_set, target_of(result_set.tree, result_set.matcher), width, reads)
    late = {"partial": result_set.partial}

    def out_of_time():
        if time.perf_counter() > deadline:
            late["partial"] = True
            return True
        return False

    if not result_set.total:
        kept = []
    elif sort == "date":
        kept = _by_date(result_set, reader, limit, out_of_time)
    else:
        kept = _by_context(result_set, reader, limit, sort, out_of_time)
    if reads is None:
        _drop_places(kept)
    return {"query": result_set.query, "total": reader.total, "articles": result_set.total,
            "articles_read": reader.articles, "complete": reader.articles == result_set.total,
            "partial": late["partial"], "sort": sort,
            "width": width, "lines": kept}


def _drop_places(lines):
    for line in lines:
        for key in ("_at", "_n", "_near"):
            line.pop(key, None)


def kwic(engine, options, width=DEFAULT_WIDTH, limit=DEFAULT_LIMIT, sort="date"):
    """The concordance of QueryOptions ``options`` over every shard of ``engine``.

    Each shard makes its own concordance of its articles; the lines merge by
    the same sort.  Sorted by date, one index stops reading after the articles
    of the date that completes ``limit`` lines: the shards report what they
    read, and the total counts the occurrences of the articles one index
    would have read.  ``missing`` names the shards that did not answer.
    """
    if sort not in SORTS:
        raise ValueError("sort must be one of %s" % ", ".join(SORTS))
    deadline = engine.deadline(options)          # one for the request: reading the query and the articles
    prepared = engine.read(options, deadline)
    left = max(0.0, deadline - time.perf_counter())
    return engine.collect(Concordance(prepared, width, limit, sort, left), wait=left)


class Concordance(Collector):
    """One shard's concordance of a prepared query, with the places of its lines and, sorted by
    date, what it read; merged as one index's."""

    def __init__(self, prepared, width, limit, sort, time_limit):
        self.prepared, self.width, self.limit, self.sort = prepared, width, limit, sort
        self.time_limit = time_limit

    def collect(self, shard):
        matched = shard.match(self.prepared, time.perf_counter() + self.time_limit)
        reads = array("q")
        data = concordance(matched, width=self.width, limit=self.limit, sort=self.sort,
                           time_limit=self.time_limit, reads=reads)
        read = np.frombuffer(reads, dtype=np.int64).reshape(-1, 2)
        if self.sort != "date":
            read = read[:0]             # every article is read; the counts add up
        docs, dated = read[:, 0], matched.table.dated[read[:, 0]]
        data["read"] = {"undated": ~dated, "date": np.where(dated, matched.table.date[docs], 0),
                        "count": read[:, 1].copy()}
        return data

    def merge(self, parts, missing):
        return merged_concordance([part for _, part in parts], missing, self.limit, self.sort)


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
