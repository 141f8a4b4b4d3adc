"""Per-article facts kept in memory for counting, collapsing and date sorting.

Whoosh's own grouping scores every match and its collapse arithmetic miscounts
totals when a duplicate replaces an earlier one, so the whole result set is
handled here instead, with array operations over one small array per fact,
indexed by document number and read once per index generation from the
postings and the date column (indexer.store.arrays):

- ``lang`` and ``month``: a small integer code per document (uint8 / uint16)
  and the list of names the codes stand for;
- ``sources``: a code per distinct combination of sources (int32), and the
  combinations; an article's copies share one code naming every source any
  copy appeared in;
- duplicates: ``group`` (int32, -1 for an article with no copy) numbers each
  set of documents sharing a duplicate key; ``members`` lists each group's
  documents in CSR form (offsets + document numbers), in the order of
  preference ``rank`` gives (int32, 0 for the copy shown): the copy from the
  first file in path order, and within one file the first copy in it.  The
  rule depends on the archive alone, never on the order a build happened to
  file documents in, so one index and its shards show the same copy;
- ``date``: the raw sortable date value (uint64) and whether there is one;
- ``order``: where an article stands among articles that tie (on score or
  date): the first 63 bits of its duplicate key, a digest of its text (int64).
  Ties are broken by it everywhere (the page, date sorts, exports), so one
  index and its shards list tied articles in the same order; copies of one
  article share it, and the copy rule above chooses among them.

Memory is a fixed number of bytes per document (about 20), plus lookup tables
that grow with the number of distinct values, not with the archive.
"""
import numpy as np

from indexer.store import arrays

_NONE = -1


def _text(term):
    return term.decode("utf-8") if isinstance(term, bytes) else term


class ArticleTable:
    """Language, month, sources, duplicate group and date of every document."""

    def __init__(self, reader):
        segments = arrays.segments(reader)
        n = reader.doc_count_all()
        self.size = n
        lang, self.lang_names = _codes(segments, "lang", n, np.uint8)
        month, self.month_names = _codes(segments, "month", n, np.uint16)
        self.lang_code, self.month_code = lang, month
        self.own_source_code, self.source_names, self.own_source_combos, pairs = _membership(
            segments, "source", n)
        # Duplicate groups: documents sharing a key held by more than one.
        self.group, self.member_offsets, self.member_ids, self.rank, self.order = _groups(segments, n)
        # Every source an article appeared in, its copies' included.
        self.source_code, self.source_combos = _group_sources(
            self.group, self.member_offsets, self.member_ids, pairs, n, self.source_names)
        # Raw column values order correctly; a document without a month has no date.
        self.date = np.zeros(n, dtype=np.int64)
        for seg, offset in segments:
            values = arrays.numeric_column(seg, "date")
            if values is not None:
                self.date[offset:offset + len(values)] = values
        self.dated = month != _NONE_CODE[month.dtype.type]
        # Few documents differ in (language, month, sources), so facets count
        # one small integer per document and expand the counts per combination
        # afterwards.
        keys = (lang.astype(np.int64) << 48) | (month.astype(np.int64) << 32) | self.source_code
        combos, code = np.unique(keys, return_inverse=True)
        self.facet_code = code.reshape(-1).astype(np.int32)
        self.facet_combos = np.stack([combos >> 48, (combos >> 32) & 0xFFFF, combos & 0xFFFFFFFF], axis=1)

    # ------------------------------------------------------------ per document

    def lang(self, docnum):
        return _name(self.lang_names, self.lang_code[docnum])

    def month(self, docnum):
        return _name(self.month_names, self.month_code[docnum])

    def sources(self, docnum):
        """The sources this document itself was filed under."""
        return self.own_source_combos[self.own_source_code[docnum]]

    def copies(self, docnum):
        """Every document that carries the article of ``docnum`` (itself included), preferred first."""
        g = self.group[docnum]
        if g < 0:
            return [int(docnum)]
        return self.member_ids[self.member_offsets[g]:self.member_offsets[g + 1]].tolist()

    def others(self, docnum):
        """The other documents that carry the same article."""
        g = self.group[docnum]
        if g < 0:
            return []
        members = self.member_ids[self.member_offsets[g]:self.member_offsets[g + 1]]
        return [int(d) for d in members if d != docnum]

    # ------------------------------------------------------------ result sets

    def collapse(self, docnums):
        """``docnums`` (in rank order) with every later copy of an article already seen dropped."""
        docnums = np.asarray(docnums, dtype=np.int64)
        if not len(docnums):
            return []
        groups = self.group[docnums]
        grouped = groups >= 0
        if not grouped.any():
            return docnums.tolist()
        # Keep the first occurrence of each group in the given order.
        _, first = np.unique(groups[grouped], return_index=True)
        keep = ~grouped
        keep[np.flatnonzero(grouped)[first]] = True
        return docnums[keep].tolist()

    def distinct(self, docnums):
        """Sorted ``docnums`` with one document kept per article (its preferred copy among them).

        ``docnums`` is an ascending array, or any iterable of document numbers.
        """
        if not isinstance(docnums, np.ndarray):
            docnums = np.unique(np.fromiter(docnums, dtype=np.int64))
        if not len(docnums):
            return docnums
        groups = self.group[docnums]
        grouped = groups >= 0
        if not grouped.any():
            return docnums
        # The preferred copy of each group among those given: the least
        # (rank, position) per group, in one pass over a table of groups
        # (cheaper than sorting the groups).
        groups, at = groups[grouped], np.flatnonzero(grouped)
        key = self.rank[docnums[at]].astype(np.int64) * len(docnums) + at
        best = np.full(len(self.member_offsets) - 1, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, groups, key)
        keep = ~grouped
        keep[best[groups] % len(docnums)] = True
        return docnums[keep]

    def facets(self, docnums):
        """Counts by source, language and month over distinct articles ``docnums``.

        A collapsed article counts once for each source it appeared in.
        """
        per_combo = np.bincount(self.facet_code[docnums], minlength=len(self.facet_combos))
        present = np.flatnonzero(per_combo)
        counts = per_combo[present]
        combos = self.facet_combos[present]
        langs = _tally(combos[:, 0], counts, self.lang_names)
        months = _tally(combos[:, 1], counts, self.month_names)
        sources = {}
        for code, c in zip(combos[:, 2].tolist(), counts.tolist()):
            for name in self.source_combos[code]:
                sources[name] = sources.get(name, 0) + c
        return {"source": _ordered(sources), "lang": _ordered(langs), "month": _ordered(months)}

    def by_date(self, docnums, newest):
        """``docnums`` ordered by date; articles without a date come last either way.

        Dated articles are ordered by (date, tie order, document number),
        reversed for newest first; undated ones by (tie order, document number).
        """
        docnums = np.asarray(docnums, dtype=np.int64)
        dated = docnums[self.dated[docnums]]
        undated = docnums[~self.dated[docnums]]
        undated = undated[np.lexsort((undated, self.order[undated]))]
        order = np.lexsort((dated, self.order[dated], self.date[dated]))
        if newest:
            order = order[::-1]
        return np.concatenate([dated[order], undated]).tolist()


def preferred(table, found, docnum, score):
    """The copy of ``docnum``'s article to show: its preferred copy (search.engine.table) among the
    copies matched with the same score (which copy comes first among equal scores is otherwise the
    order a build filed them in)."""
    if table.rank[docnum] == 0:
        return docnum
    ids, scores = found
    for copy in table.copies(docnum):
        at = int(np.searchsorted(ids, copy))
        if at < len(ids) and ids[at] == copy and scores[at] == score:
            return copy
    return docnum


_NONE_CODE = {np.uint8: np.iinfo(np.uint8).max, np.uint16: np.iinfo(np.uint16).max}


def _tally(codes, counts, names):
    """{name: count} from parallel arrays of codes and counts (unknown codes left out)."""
    out = {}
    for code, c in zip(codes.tolist(), counts.tolist()):
        if code < len(names):
            out[names[code]] = out.get(names[code], 0) + c
    return out


def _ordered(counts):
    return dict(sorted(((k, v) for k, v in counts.items() if k), key=lambda kv: (-kv[1], kv[0])))


def _name(names, code):
    return names[code] if code < len(names) else None


def _terms(segments, field):
    """(names sorted as the index sorts them, document numbers, name index per document).

    Every (document, term) pair of ``field`` over all segments, deleted
    documents left out.
    """
    found = {}
    for seg, offset in segments:
        for term in arrays.field_terms(seg, field):
            ids, _ = arrays.term_postings(seg, field, term)
            found.setdefault(term, []).append(ids.astype(np.int64) + offset)
    terms = sorted(found)
    names = [_text(t) for t in terms]
    docs = [np.concatenate(found[t]) for t in terms]
    which = [np.full(len(d), i, dtype=np.int64) for i, d in enumerate(docs)]
    if not docs:
        return names, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return names, np.concatenate(docs), np.concatenate(which)


def _codes(segments, field, n, dtype):
    """(code per document, names): each document's one term of ``field``.

    A document without the field gets the dtype's largest value.
    """
    names, docs, which = _terms(segments, field)
    codes = np.full(n, _NONE_CODE[dtype], dtype=dtype)
    codes[docs] = which
    return codes, names


def _membership(segments, field, n):
    """(combination code per document, names, combinations, pairs).

    For a field a document may hold several terms of (sources): each distinct
    set of terms is one combination, a tuple of names; code 0 is the empty
    one.  ``pairs`` are the (documents, name indexes) read.
    """
    names, docs, which = _terms(segments, field)
    code, combos = _combinations(docs, which, n, names)
    return code, names, combos, (docs, which)


def _combinations(keys, terms, n, names):
    """Code per key (0..n-1) of the set of ``terms`` paired with it, and the sets.

    Pairs may repeat.  Keys with one term (nearly all) are coded with array
    operations; only keys with several terms are looked at one by one.
    """
    order = np.lexsort((terms, keys))
    keys, terms = keys[order], terms[order]
    if len(keys):
        fresh = np.ones(len(keys), dtype=bool)
        fresh[1:] = (keys[1:] != keys[:-1]) | (terms[1:] != terms[:-1])
        keys, terms = keys[fresh], terms[fresh]
    combos = [()] + [(name,) for name in names]
    code = np.zeros(n, dtype=np.int32)
    per_key = np.bincount(keys, minlength=n)
    single = per_key[keys] == 1
    code[keys[single]] = terms[single] + 1
    several, several_terms = keys[~single], terms[~single]
    if len(several):
        index = {}
        starts = np.flatnonzero(np.concatenate(([True], several[1:] != several[:-1])))
        ends = np.concatenate((starts[1:], [len(several)]))
        for key, a, b in zip(several[starts].tolist(), starts.tolist(), ends.tolist()):
            combo = tuple(names[t] for t in several_terms[a:b].tolist())
            if combo not in index:
                index[combo] = len(combos)
                combos.append(combo)
            code[key] = index[combo]
    return code, combos


def _groups(segments, n):
    """(group per document or -1, CSR offsets, member documents, preference rank per document)
    of duplicate keys.

    A group is the set of live documents sharing a duplicate key; only keys
    held by two documents or more make one.  Members are listed, and ranked,
    by the path of their file, then by their place in it.
    """
    parts, docs = [], []
    rank = np.zeros(n, dtype=np.int32)
    ties = np.zeros(n, dtype=np.int64)
    for seg, offset in segments:
        keys = arrays.bytes_column(seg, "dupkey")
        if keys is None:
            continue
        ties[offset:offset + len(keys)] = _tie_order(keys)
        live = np.ones(len(keys), dtype=bool)
        live[arrays.deleted_docs(seg)] = False
        live &= keys.any(axis=1)
        parts.append(keys[live])
        docs.append(np.flatnonzero(live) + offset)
    group = np.full(n, _NONE, dtype=np.int32)
    if not parts or not sum(len(p) for p in parts):
        return group, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), rank, ties
    width = max(p.shape[1] for p in parts)
    keys = np.concatenate([np.pad(p, ((0, 0), (0, width - p.shape[1]))) for p in parts])
    docs = np.concatenate(docs)
    rows = np.ascontiguousarray(keys).view(np.dtype((np.void, width))).reshape(-1)
    _, key_index, counts = np.unique(rows, return_inverse=True, return_counts=True)
    key_index = key_index.reshape(-1)
    shared = counts[key_index] > 1
    # Number the shared keys 0..g-1 in order of their lowest document.
    grouped_docs, grouped_keys = docs[shared], key_index[shared]
    _, first = np.unique(grouped_keys, return_index=True)
    renumber = np.full(len(counts), _NONE, dtype=np.int64)
    renumber[grouped_keys[np.sort(first)]] = np.arange(len(first))
    group[grouped_docs] = renumber[grouped_keys]
    files = _file_order(segments, grouped_docs)
    # By group, then file, then place in the file (documents of one file are filed in its order).
    order = np.lexsort((grouped_docs, files, group[grouped_docs]))
    members = grouped_docs[order].astype(np.int32)
    sizes = np.bincount(group[grouped_docs], minlength=len(first))
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    rank[members] = np.arange(len(members)) - np.repeat(offsets[:-1], sizes)
    return group, offsets, members, rank, ties


def _tie_order(keys):
    """The first 63 bits of each duplicate key (16 hex digits as ASCII bytes) as int64; 0 for none."""
    digits = np.zeros((len(keys), 16), dtype=np.uint64)
    width = min(16, keys.shape[1])
    c = keys[:, :width].astype(np.uint64)
    digits[:, :width] = np.where(c >= ord("a"), c - (ord("a") - 10), np.where(c >= ord("0"), c - ord("0"), 0))
    value = np.zeros(len(keys), dtype=np.uint64)
    for i in range(16):
        value = (value << np.uint64(4)) | (digits[:, i] & np.uint64(15))
    return (value >> np.uint64(1)).astype(np.int64)


def _file_order(segments, docs):
    """The order of the source files of documents ``docs`` (ascending, every one grouped), as an int
    per document: equal for documents of one file, smaller for a file earlier in path order."""
    names = []
    for seg, offset in segments:
        mine = docs[(docs >= offset) & (docs < offset + seg.doc_count_all())]
        if not len(mine):
            continue
        column = arrays.bytes_column(seg, "file")
        if column is None:
            names.extend([b""] * len(mine))
            continue
        names.extend(bytes(row).rstrip(b"\0") for row in column[mine - offset])
    _, order = np.unique(np.array(names, dtype=object), return_inverse=True)
    return order.reshape(-1)


def _group_sources(group, offsets, members, pairs, n, names):
    """(code per document, combinations) of every source a document's article appeared in.

    An article with copies gets the union of its copies' sources.
    """
    docs, which = pairs
    g = group[docs]
    alone = g < 0
    # Spread each copy's sources to every member of its group.
    spread_docs, spread_terms = [docs[alone]], [which[alone]]
    if (~alone).any():
        sizes = offsets[g[~alone] + 1] - offsets[g[~alone]]
        starts = np.repeat(offsets[g[~alone]], sizes)
        step = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        spread_docs.append(members[starts + step].astype(np.int64))
        spread_terms.append(np.repeat(which[~alone], sizes))
    return _combinations(np.concatenate(spread_docs), np.concatenate(spread_terms), n, names)
