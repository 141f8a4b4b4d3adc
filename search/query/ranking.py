"""How matches are scored: the BM25F model and what each field's evidence weighs.

Kept apart from query parsing so the ranking can be tuned (bench/) without
touching the syntax, and so the syntax cannot change how a plain query ranks.
The figures here were chosen on the ANT dev set (bench/eval_relevance.py;
bench/RESULTS.md records the runs).
"""
from math import log

from indexer.store import query as iq
from indexer.store.scoring import bm25f_model

# Boost of each field's evidence.  Exact (normalised, unstemmed) forms weigh
# more than shared stems; the title more than the body; a related-articles
# list barely counts.
WEIGHTS = {"title_exact": 3.0, "title": 2.0, "body_exact": 1.5, "body": 1.0, "related": 0.1}

# Free words are OR-ed, then each article's score is multiplied by the share
# of the query's words it matched, to this power.  A reader's remembered words
# are partly misspelt or inflected differently, so requiring all of them (AND)
# loses the article; plain OR lets one frequent word in a long body outrank
# the article that has every word.  On the dev set plain OR gave 0.973 MRR@10
# and this coordination factor 0.992 (bench/RESULTS.md).
COORDINATION_POWER = 1.0


def ranking_model():
    """BM25F with the parameters tuned in bench/."""
    return bm25f_model(B=0.75, K1=1.2)


def word_query(norm, stems, fields=("title", "body")):
    """The scored clause of one query word: its exact form and each of its stems."""
    clauses = [iq.Term(f + "_exact", norm, boost=WEIGHTS[f + "_exact"]) for f in fields]
    for s in stems:
        clauses.extend(iq.Term(f, s, boost=WEIGHTS[f]) for f in fields)
    return iq.Or(clauses)


def free_words_query(clauses):
    """How the clauses of ranked free words combine (the default operator)."""
    return iq.CoordinatedOr(clauses, power=COORDINATION_POWER) if len(clauses) > 1 else clauses[0]


# ---------------------------------------------------------------- the arithmetic, on arrays

def idf(docs, df):
    """BM25F's idf of a term in ``df`` of ``docs`` documents: the one formula every score uses
    (Whoosh's ``WeightingModel.idf``, so scores equal Whoosh's own)."""
    return log(docs / (df + 1)) + 1


class Statistics:
    """What BM25F reads of a collection; a subclass says where the figures come from
    (``doc_count``, ``doc_frequency(field, btext)``, ``field_length(field)``)."""

    def idf(self, field, btext):
        return idf(self.doc_count(), self.doc_frequency(field, btext))

    def avg_field_length(self, field):
        return (self.field_length(field) / (self.doc_count() or 1)) or 1


class CollectionStats(Statistics):
    """The collection-wide figures BM25F needs, read from one index reader.

    Scoring takes them as an explicit input so that an archive split into
    several indexes can pass the figures of the whole archive instead, and
    rank exactly as one index would.  The formulas are Whoosh's (idf as in
    ``WeightingModel.idf``, the average length as in
    ``Searcher.avg_field_length``), so scores equal Whoosh's own.
    """

    def __init__(self, reader):
        self.reader = reader

    def doc_count(self):
        """Documents, deleted ones included, as Whoosh counts them for idf."""
        return self.reader.doc_count_all()

    def doc_frequency(self, field, btext):
        return self.reader.doc_frequency(field, btext)

    def field_length(self, field):
        """Total length of ``field`` over all documents."""
        return self.reader.field_length(field)


def bm25f(tf, lengths, idf, avgfl, B, K1):
    """BM25F of every posting of one term: ``tf`` and ``lengths`` are arrays.

    The same operations in the same order as ``whoosh.scoring.bm25``, so each
    element is the float Whoosh computes for that document.
    """
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / avgfl)))
