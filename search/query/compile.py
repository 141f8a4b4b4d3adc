"""A query tree (``search.query.syntax``) turned into a Whoosh query over one index.

Words are looked up as the indexer analysed them (``indexer.analysis``):
each word in its exact and stemmed forms, weighted by ``search.query.ranking``;
``word*`` and ``word~`` are expanded against the index's own vocabulary, so
the expansion is capped and the cap reported in the notes.  The builder also
collects the terms a snippet should mark.

A name also matches its other spellings and scripts (``search.query.variants``):
each variant's terms join the word's clause, weighted so that a variant
never outweighs the typed form unless the typed form is rare.  ``=word``
and ``="…"`` match the written form only; harakat typed with them are
looked up in the ``written`` field (``indexer.analysis.marks``).
"""
from functools import lru_cache

from indexer.store import query as iq
from indexer.store import terms
from indexer.store.query import edit_distance

from indexer.analysis import normalize_word, query_stems, tokens
from indexer.analysis.arabic import normalize
from indexer.analysis.marks import SEPARATOR, carries, has_marks, marked_form
from indexer.analysis.tags import tag_term

from search.query.date_ranges import date_range
from search.query.deadline import past
from search.query.ranking import WEIGHTS, free_words_query, word_query
from search.query.syntax import LANG_NAMES, Bool, Filter, Not, Phrase, QueryError, Word
from search.query.variants import idf

# A variant weighs this much beside the typed form (each term also capped at
# the typed form's idf), unless the typed form is rare: found in fewer than
# RARE_TYPED_SHARE of the articles its commonest variant is found in.
VARIANT_WEIGHT = 0.5
RARE_TYPED_SHARE = 0.1

PREFIX_EXPANSION_CAP = 64
PREFIX_SCAN_CAP = 5000      # words looked at before choosing the commonest
_CHECK_EVERY = 256          # lexicon words read between looks at the clock


def date_query(value):
    """A Whoosh query for date:VALUE (a day, month, year, or a .. range of them)."""
    return iq.DateRange("date", *date_range(value))


def language_code(value):
    """The code a ``lang:`` value names: one of LANG_NAMES, or an ISO 639 code CLDR knows
    (``und``, undetermined, is what the index stores for a language it could not tell,
    and what ``stats`` lists); None when it names no language."""
    value = value.strip().lower()
    code = LANG_NAMES.get(normalize(value), LANG_NAMES.get(value))
    return code if code is not None else value if value in _iso_639_codes() else None


@lru_cache(maxsize=1)
def _iso_639_codes():
    from babel import Locale
    return frozenset(c for c in Locale.parse("en").languages if c.isalpha() and 2 <= len(c) <= 3)


class QueryBuilder:
    """Turns a query tree into a Whoosh query over one index reader."""

    def __init__(self, reader, deadline=None, variants=None, dropped=()):
        self.reader = reader
        self.deadline = deadline
        self.exact_terms = set()      # for snippets
        self.stem_terms = set()
        self.notes = []
        self.variants = variants      # search.query.variants.NameVariants, or None: no expansion
        self.dropped = set(dropped)   # variant forms the reader turned off
        self.expansions = []          # (Expansion, forms kept) per expanded word
        # The time limit stopped an expansion: the query asks for less than
        # was typed (``cut``), or, inside a NOT, excludes less (``unsure``),
        # so its matches cannot be trusted at all.
        self.cut = False
        self.unsure = False

    def _out_of_time(self, i, word):
        """Whether an expansion reading its ``i``-th lexicon word must stop for the time limit."""
        if i % _CHECK_EVERY or not past(self.deadline):
            return False
        if not self.cut:
            self.notes.append("the time limit stopped the expansion of “%s”; more words may match" % word)
        self.cut = True
        return True

    def _word(self, w):
        n = normalize_word(w.text)
        if not n:
            return None
        fields = ("title",) if w.field == "title" else ("title", "body")
        if w.exact:
            return self._exact_word(w.text, n, fields)
        if w.prefix:
            return self._prefix(n, fields)
        if w.fuzzy:
            return self._fuzzy(n, fields)
        stems = query_stems(n)
        self.exact_terms.add(n)
        self.stem_terms.update(stems)
        return self._with_variants(n, word_query(n, stems, fields), fields)

    def _with_variants(self, n, q, fields):
        """The word's clause, joined by the terms of its name variants (if any)."""
        expansion = self.variants.expand(n) if self.variants is not None else None
        if expansion is None:
            return q
        kept = [v for v in expansion.variants if v.form not in self.dropped]
        self.expansions.append((expansion, [v.form for v in kept]))
        if not kept:
            return q
        rare = expansion.typed_articles < RARE_TYPED_SHARE * max(v.articles for v in kept)
        weight = 1.0 if rare else VARIANT_WEIGHT
        ceiling = idf(self.reader, "body_exact", n)
        clauses = [q]
        for v in kept:
            for fname, words, highlight in (("_exact", v.exact, self.exact_terms), ("", v.stems, self.stem_terms)):
                highlight.update(words)
                for t in words:
                    b = weight * min(1.0, ceiling / idf(self.reader, "body" + fname, t))
                    clauses.extend(iq.Term(f + fname, t, boost=WEIGHTS[f + fname] * b) for f in fields)
        return iq.Or(clauses)

    def _exact_word(self, text, n, fields):
        """``=word``: the normalised written form only, carrying any harakat typed."""
        self.exact_terms.add(n)
        q = iq.Or([iq.Term(f + "_exact", n, boost=WEIGHTS[f + "_exact"]) for f in fields])
        marks = self._marks(text, n)
        return q if marks is None else iq.And([q, marks])

    def _marks(self, text, n):
        """Articles writing ``n`` with (at least) the harakat of ``text``; None if it has none."""
        if not has_marks(text):
            return None
        typed = marked_form(text)
        head = n + SEPARATOR
        found = []
        for t in terms.words_starting(self.reader, "written", head):
            if carries(typed, marked_form(t[len(head):])):
                found.append(iq.Term("written", t))
        return iq.Or(found) if found else iq.NullQuery

    def _prefix(self, n, fields):
        """The commonest words starting with ``n`` (at most PREFIX_EXPANSION_CAP of them)."""
        found = {}
        for f in fields:
            fname = f + "_exact"
            for i, t in enumerate(terms.words_starting(self.reader, fname, n)):
                if i >= PREFIX_SCAN_CAP or self._out_of_time(i, n + "*"):
                    break
                found[t] = found.get(t, 0) + self.reader.doc_frequency(fname, t)
        if len(found) > PREFIX_EXPANSION_CAP:
            self.notes.append("“%s*” matches many words; used the %d commonest" % (n, PREFIX_EXPANSION_CAP))
        kept = sorted(found, key=lambda t: (-found[t], t))[:PREFIX_EXPANSION_CAP]
        self.exact_terms.update(kept)
        clauses = [iq.Term(f + "_exact", t, boost=WEIGHTS[f + "_exact"]) for f in fields for t in kept]
        return iq.Or(clauses) if clauses else iq.NullQuery

    def _fuzzy(self, n, fields):
        """Words within one edit (two for long words) of ``n``, in exact and stem forms."""
        maxdist = 1 if len(n) < 6 else 2
        wanted = [(f + "_exact", n, self.exact_terms) for f in fields]
        wanted += [(f, s, self.stem_terms) for s in query_stems(n) for f in fields]
        clauses = []
        for fname, text, highlight in wanted:
            near = []
            if len(text) < 4:
                # A short stem is a letter away from dozens of unrelated ones.
                if self.reader.doc_frequency(fname, text):
                    highlight.add(text)
                    clauses.append(iq.Term(fname, text, boost=WEIGHTS[fname]))
                continue
            for t in self._within(fname, text, maxdist, n + "~"):
                near.append(t)
                if len(near) >= PREFIX_EXPANSION_CAP:
                    self.notes.append("“%s~” is near many words; used the first %d" % (n, PREFIX_EXPANSION_CAP))
                    break
            highlight.update(near)
            clauses.extend(iq.Term(fname, t, boost=WEIGHTS[fname]) for t in near)
        return iq.Or(clauses) if clauses else iq.NullQuery

    def _within(self, fname, text, maxdist, word):
        """Words of ``fname`` within ``maxdist`` edits of ``text`` sharing its first letter.

        Whoosh's own walk over several segments measures every word with that
        first letter (most of Arabic, for a word starting with alef) and cannot
        be stopped; this one skips words whose length alone rules them out and
        stops at the time limit.
        """
        low, high = len(text) - maxdist, len(text) + maxdist
        for i, t in enumerate(terms.words_starting(self.reader, fname, text[:1])):
            if self._out_of_time(i, word):
                return
            if low <= len(t) <= high and edit_distance(t, text, limit=maxdist) <= maxdist:
                yield t

    def _phrase(self, p):
        pairs = [(w, normalize_word(w)) for w in p.words]
        pairs = [(w, n) for w, n in pairs if n]
        words = [n for _, n in pairs]
        # Marks, tatweel and direction marks normalise to nothing: a phrase
        # of them alone asks for nothing, and one that keeps a word is it.
        if len(words) < 2:
            return self._word(Word(pairs[0][0], p.field, exact=p.exact)) if words else None
        self.exact_terms.update(words)
        fields = ("title",) if p.field == "title" else ("title", "body")
        q = iq.Or([iq.Phrase(f + "_exact", words, boost=WEIGHTS[f + "_exact"]) for f in fields])
        if p.exact:
            marks = [m for m in (self._marks(w, n) for w, n in pairs) if m is not None]
            if marks:
                q = iq.And([q] + marks)
        return q

    def _filter(self, f):
        if f.field == "date":
            return date_query(f.value)
        if f.field == "lang":
            code = language_code(f.value)
            if code is None:
                raise QueryError("lang:%s is not a language code or name; use ar, en, fr, ru, another ISO 639 "
                                 "code, or und for articles whose language could not be told" % f.value)
            return iq.Term("lang", code)
        if f.field == "tag":
            return iq.Term("tags", tag_term(f.value))
        if f.field == "source":
            return source_query(self.reader, f.value)
        raise QueryError("unknown field %s" % f.field)

    def build(self, node):
        if node is None:
            return None
        if isinstance(node, Word):
            return self._word(node)
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, Filter):
            return self._filter(node)
        if isinstance(node, Not):
            inner = self._build_quiet(node.node)
            return iq.Not(inner) if inner is not None else None
        if isinstance(node, Bool):
            if node.op == "or":
                parts = [q for q in map(self.build, node.nodes) if q is not None]
                return iq.Or(parts) if parts else None
            return self._soft(node)
        raise TypeError(node)

    def _build_quiet(self, node):
        """Build a subtree whose words must not be highlighted (a NOT)."""
        saved = (set(self.exact_terms), set(self.stem_terms), self.cut)
        q = self.build(node)
        self.unsure = self.unsure or (self.cut and not saved[2])
        self.exact_terms, self.stem_terms = saved[:2]
        return q

    def _soft(self, node):
        optional, required, excluded, filters = [], [], [], []
        words = [n for n in node.nodes if isinstance(n, Word) and not n.prefix and not n.fuzzy]
        # Stopwords are left out of a ranked query unless it holds nothing else.
        content = [w for w in words if w.exact or query_stems(normalize_word(w.text))]
        for n in node.nodes:
            if isinstance(n, Not):
                q = self._build_quiet(n.node)
                if q is not None:
                    excluded.append(q)
                continue
            if isinstance(n, Word) and content and n in words and n not in content:
                continue
            q = self.build(n)
            if q is None:
                continue
            (filters if isinstance(n, Filter) else optional).append(q)
        for n in node.required:
            q = self.build(n)
            if q is not None:
                (filters if isinstance(n, Filter) else required).append(q)
        if optional and required:
            q = iq.AndMaybe(iq.And(required), free_words_query(optional))
        elif required:
            q = iq.And(required)
        elif optional:
            q = free_words_query(optional)
        elif filters:
            q = None
        elif excluded:
            q = iq.Every()
        else:
            return None
        if filters:
            # Never And(Every, ...): Whoosh's And.normalize reads it as Every.
            q = iq.And(([q] if q is not None else []) + filters) if len(filters) > 1 or q is not None else filters[0]
        if excluded:
            q = iq.AndNot(q, iq.Or(excluded))
        return q


def source_query(reader, value):
    """Articles whose source name contains the words typed, spelling-insensitively."""
    wanted = " ".join(normalize_word(w) for w in tokens(value))
    matches = []
    for name in terms.words(reader, "source"):
        if wanted and wanted in " ".join(normalize_word(w) for w in tokens(name)):
            matches.append(iq.Term("source", name))
    return iq.Or(matches) if matches else iq.NullQuery
