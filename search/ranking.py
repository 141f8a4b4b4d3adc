"""How matches are scored: the BM25F model and what each field's evidence weighs.

Kept apart from query parsing so the ranking can be tuned (bench/) without
touching the syntax, and so the syntax cannot change how a plain query ranks.
"""
from whoosh import query as wq
from whoosh import scoring

# Boost of each field's evidence.  Exact (normalised, unstemmed) forms weigh
# more than shared stems; the title more than the body; a related-articles
# list barely counts.
WEIGHTS = {"title_exact": 3.0, "title": 2.0, "body_exact": 1.5, "body": 1.0, "related": 0.1}


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
    return wq.Or(clauses) if len(clauses) > 1 else clauses[0]
