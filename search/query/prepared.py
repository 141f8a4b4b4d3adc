"""A query read once: parsed, analysed, expanded and given the archive's statistics.

``prepare`` turns the text a reader typed (and the page's filters) into a
``PreparedQuery``: the Whoosh query to match, the words a snippet marks, the
interpretation shown, the name variants used.  Everything in it depends on
the archive's lexicon, never on where its articles are stored, so one
preparation serves every shard of a sharded index: the caller prepares,
sends the (picklable) result to each shard, and the shards only match,
score and return their part (search.engine.engine, search.engine.shard).

``stats`` carries the figures BM25F needs for exactly the query's terms
(``QueryStats``), read from the whole archive, so a shard scores a document
as one index of all the articles would without reading the other shards.
"""
import time
from dataclasses import dataclass, field
from typing import Optional

from indexer.store import query as iq
from indexer.store import terms
from indexer.store.query import query_terms

from search.query.compile import QueryBuilder, date_query, source_query
from search.query.ranking import Statistics
from search.snippets import Matcher
from search.query.syntax import QueryError, describe, parse

# Expanding * and ~ may take this share of the time left, so that matching
# what was expanded still has time to find something.
EXPANSION_SHARE = 0.5


@dataclass
class QueryStats(Statistics):
    """The archive's document count, field lengths and the document frequencies of some terms.

    The formulas are Whoosh's (``WeightingModel.idf``,
    ``Searcher.avg_field_length``), as in search.query.ranking.CollectionStats,
    whose interface this shares: a document scores exactly as in one index.
    """
    docs: int                             # documents, deleted ones included (Whoosh's idf count)
    lengths: dict                         # field -> total length over the archive
    frequencies: dict                     # (field, term bytes) -> document frequency
    generation: tuple = ()                # the archive's state these were read from

    def doc_count(self):
        return self.docs

    def doc_frequency(self, fieldname, btext):
        try:
            return self.frequencies[(fieldname, btext)]
        except KeyError:
            raise KeyError("the query's statistics lack %s:%r; prepare it with every term it scores"
                           % (fieldname, btext))

    def field_length(self, fieldname):
        return self.lengths.get(fieldname, 0)


def query_stats(reader, queries, generation=()):
    """QueryStats of the scored terms of ``queries`` (Whoosh queries, None skipped) over ``reader``."""
    scored = set(terms.scorable_fields(reader))
    frequencies = {}
    for q in queries:
        if q is None:
            continue
        for fieldname, text in query_terms(q):
            if fieldname not in scored:
                continue
            btext = terms.term_bytes(reader, fieldname, text)
            if btext is terms.FIELD_MISSING:
                continue
            if (fieldname, btext) not in frequencies:
                frequencies[(fieldname, btext)] = reader.doc_frequency(fieldname, btext)
    lengths = {name: reader.field_length(name) for name in sorted(scored)}
    return QueryStats(reader.doc_count_all(), lengths, frequencies, tuple(generation))


@dataclass
class PreparedQuery:
    text: str
    query: Optional[object]               # the Whoosh query, filters included; None: nothing to search for
    interpretation: str
    tree: Optional[object] = None         # the parsed query (search.query.syntax)
    exact_terms: frozenset = frozenset()  # what snippets mark
    stem_terms: frozenset = frozenset()
    expansions: list = field(default_factory=list)   # name variants, as Searcher.search shows them
    cut: bool = False                     # an expansion was stopped by the time limit
    unsure: bool = False                  # ... inside a NOT: its matches cannot be trusted
    stats: Optional[QueryStats] = None    # the archive's figures; None: the searched index's own

    def matcher(self):
        return Matcher(self.exact_terms, self.stem_terms)

    def __hash__(self):
        # A shard keeps the ordered set of an export's query between its batches, keyed by it.
        return hash((self.text, self.interpretation, self.stats.generation if self.stats else ()))


def prepare(options, lexicon, deadline, variants=None):
    """The PreparedQuery of QueryOptions ``options`` (its text and filters), read against ``lexicon``
    (an index reader).

    ``variants`` is a search.query.variants.NameVariants, or None for no name
    variants (the options' dropped variants are left out of it); ``deadline``
    is a time.perf_counter() instant.  Raises search.query.syntax.QueryError
    for what cannot be read.
    """
    text, lang, source, date_from, date_to = (options.text, options.lang, options.source, options.date_from,
                                              options.date_to)
    tree, notes = parse(text or "")
    now = time.perf_counter()
    builder = QueryBuilder(lexicon, now + max(0.0, deadline - now) * EXPANSION_SHARE, variants,
                           options.drop_variants)
    q = builder.build(tree)
    notes.extend(builder.notes)
    filters = []
    if lang:
        filters.append(iq.Term("lang", lang))
    if source:
        filters.append(source_query(lexicon, source))
    if date_from or date_to:
        filters.append(date_query("%s..%s" % (date_from or "", date_to or "")))
    if filters:
        # Never And(Every, ...): Whoosh's And.normalize reads it as Every.
        q = iq.And(([q] if q is not None else []) + filters)
    return PreparedQuery(
        text=text, query=q, tree=tree,
        interpretation=describe(tree) + ("" if not notes else " — " + "; ".join(notes)),
        exact_terms=frozenset(builder.exact_terms), stem_terms=frozenset(builder.stem_terms),
        expansions=expansions(builder), cut=builder.cut, unsure=builder.unsure)


def expansions(builder):
    """The name variants of each expanded query word, each marked used or dropped."""
    out = []
    for expansion, kept in builder.expansions:
        entry = expansion.to_json()
        for v in entry["variants"]:
            v["used"] = v["form"] in kept
        out.append(entry)
    return out




def query_marks(reader, q):
    """The search.snippets.Matcher of a query's words (for an article page), or None when there is none."""
    if not (q or "").strip():
        return None
    try:
        tree, _ = parse(q)
        builder = QueryBuilder(reader)
        builder.build(tree)
    except QueryError:
        return None
    return Matcher(builder.exact_terms, builder.stem_terms) or None
