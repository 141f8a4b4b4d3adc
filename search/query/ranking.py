"""How matches are scored: the BM25F model and what each field's evidence weighs.

Kept apart from query parsing so the ranking can be tuned (bench/) without
touching the syntax, and so the syntax cannot change how a plain query ranks.
The figures here were chosen on the ANT dev set (bench/eval_relevance.py;
bench/RESULTS.md records the runs).
"""
from math import log

from whoosh import matching
from whoosh import query as wq
from whoosh import scoring

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
    return scoring.BM25F(B=0.75, K1=1.2)


def word_query(norm, stems, fields=("title", "body")):
    """The scored clause of one query word: its exact form and each of its stems."""
    clauses = [wq.Term(f + "_exact", norm, boost=WEIGHTS[f + "_exact"]) for f in fields]
    for s in stems:
        clauses.extend(wq.Term(f, s, boost=WEIGHTS[f]) for f in fields)
    return wq.Or(clauses)


def free_words_query(clauses):
    """How the clauses of ranked free words combine (the default operator)."""
    return CoordinatedOr(clauses) if len(clauses) > 1 else clauses[0]


class CoordinatedOr(wq.Or):
    """OR whose scores are scaled by the share of its clauses a document matches.

    Whoosh's own ``Or(scale=...)`` counts matched *terms*, so a word with an
    exact form and two stems would count three times; this counts clauses (one
    per query word).
    """

    def __init__(self, subqueries, boost=1.0, power=None):
        super().__init__(subqueries, boost=boost)
        self.power = COORDINATION_POWER if power is None else power

    def normalize(self):
        q = super().normalize()
        if isinstance(q, CoordinatedOr):
            q.power = self.power
        return q

    def _matcher(self, subs, searcher, context):
        scored = context.weighting is not None if context else True
        if not scored:
            return super()._matcher(subs, searcher, context)
        totals, counts = {}, {}
        for q in subs:
            m = q.matcher(searcher, context)
            while m.is_active():
                docnum = m.id()
                totals[docnum] = totals.get(docnum, 0.0) + m.score()
                counts[docnum] = counts.get(docnum, 0) + 1
                m.next()
        if not totals:
            return matching.NullMatcher()
        n, p, boost = float(len(subs)), self.power, self.boost
        ids = sorted(totals)
        weights = [boost * totals[d] * (counts[d] / n) ** p for d in ids]
        return matching.ListMatcher(ids, weights=weights)


# ---------------------------------------------------------------- the arithmetic, on arrays

class CollectionStats:
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

    def idf(self, field, btext):
        return log(self.doc_count() / (self.doc_frequency(field, btext) + 1)) + 1

    def avg_field_length(self, field):
        return (self.field_length(field) / (self.doc_count() or 1)) or 1


def bm25f(tf, lengths, idf, avgfl, B, K1):
    """BM25F of every posting of one term: ``tf`` and ``lengths`` are arrays.

    The same operations in the same order as ``whoosh.scoring.bm25``, so each
    element is the float Whoosh computes for that document.
    """
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / avgfl)))
