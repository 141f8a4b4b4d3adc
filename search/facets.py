"""Per-article facts kept in memory for counting, collapsing and date sorting.

Whoosh's own grouping scores every match and its collapse arithmetic miscounts
totals when a duplicate replaces an earlier one, so the whole result set is
handled here instead: one small array per fact, indexed by document number,
read once per index generation from the postings and the date column.
"""
from collections import Counter, defaultdict


def _text(term):
    return term.decode("utf-8") if isinstance(term, bytes) else term


class ArticleTable:
    """Language, month, sources, duplicate key and date of every document."""

    def __init__(self, reader):
        n = reader.doc_count_all()
        self.size = n
        self.lang = [None] * n
        self.month = [None] * n
        self.sources = [()] * n
        self.dupkey = [None] * n
        self.members = defaultdict(list)       # dupkey -> docnums sharing it
        for field, array in (("lang", self.lang), ("month", self.month)):
            for term in reader.lexicon(field):
                value = _text(term)
                for docnum in reader.postings(field, term).all_ids():
                    array[docnum] = value
        by_doc = defaultdict(list)
        for term in reader.lexicon("source"):
            value = _text(term)
            for docnum in reader.postings("source", term).all_ids():
                by_doc[docnum].append(value)
        for docnum, names in by_doc.items():
            self.sources[docnum] = tuple(names)
        for term in reader.lexicon("dupkey"):
            value = _text(term)
            ids = list(reader.postings("dupkey", term).all_ids())
            for docnum in ids:
                self.dupkey[docnum] = value
            if len(ids) > 1:
                self.members[value] = ids
        # Raw column values order correctly; a document without a month has no date.
        column = reader.column_reader("date", translate=False)
        self.date = [column[d] if self.month[d] else None for d in range(n)]
        self.dup_docs = frozenset(d for ids in self.members.values() for d in ids)
        # Every source an article appeared in, its copies' included.
        self.group_sources = list(self.sources)
        for ids in self.members.values():
            names = tuple(sorted({s for d in ids for s in self.sources[d]}))
            for d in ids:
                self.group_sources[d] = names
        # Few documents differ in (language, month, sources), so facets count
        # one small integer per document and expand the counts per combination
        # afterwards: one C-level pass instead of three over large result sets.
        codes = {}
        self.facet_code = [codes.setdefault((self.lang[d], self.month[d], self.group_sources[d]), len(codes))
                           for d in range(n)]
        self.facet_combos = list(codes)

    def others(self, docnum):
        """The other documents that carry the same article."""
        key = self.dupkey[docnum]
        return [d for d in self.members.get(key, ()) if d != docnum] if key else []

    def collapse(self, docnums):
        """``docnums`` with every later copy of an article already seen dropped."""
        dups = self.dup_docs
        if dups.isdisjoint(docnums):
            return list(docnums)
        seen, out = set(), []
        dupkey = self.dupkey
        for d in docnums:
            if d in dups:
                key = dupkey[d]
                if key in seen:
                    continue
                seen.add(key)
            out.append(d)
        return out

    def distinct(self, docnums):
        """The set ``docnums`` with one document kept per article (the lowest numbered)."""
        docnums = set(docnums)
        copies = self.dup_docs.intersection(docnums)
        if not copies:
            return docnums
        kept = {}
        dupkey = self.dupkey
        for d in sorted(copies):
            kept.setdefault(dupkey[d], d)
        docnums.difference_update(copies.difference(kept.values()))
        return docnums

    def facets(self, docnums):
        """Counts by source, language and month over distinct articles ``docnums``.

        A collapsed article counts once for each source it appeared in.
        """
        langs, months, sources = Counter(), Counter(), Counter()
        for code, count in Counter(map(self.facet_code.__getitem__, docnums)).items():
            lang, month, names = self.facet_combos[code]
            langs[lang] += count
            months[month] += count
            for name in names:
                sources[name] += count
        return {name: _ordered(c) for name, c in (("source", sources), ("lang", langs), ("month", months))}

    def by_date(self, docnums, newest):
        """``docnums`` ordered by date; articles without a date come last either way."""
        date = self.date
        dated = [d for d in docnums if date[d] is not None]
        undated = [d for d in docnums if date[d] is None]
        dated.sort(key=lambda d: (date[d], d), reverse=newest)
        return dated + undated


def _ordered(counter):
    return dict(sorted(((k, v) for k, v in counter.items() if k), key=lambda kv: (-kv[1], kv[0])))
