"""More like this: the articles that share an article's most distinctive terms.

The index stores no term vectors, so the article's stored title and body are
analysed again (the same analysis that indexed them); its stem terms are
weighted by tf-idf over the body field and the strongest few become one ranked
OR query.  On the ANT archive that is a few milliseconds per article.
"""
import math
from collections import Counter

from whoosh import query as wq
from whoosh.collectors import TopCollector

from indexer.analysis import index_terms

TERMS = 25
TITLE_BOOST = 2.0
# An article's distinctive terms are read from this much of its text, so a very
# long one costs its page no more than the part the page shows.
CHARS_READ = 200_000


def distinctive_terms(reader, title, body, lang, k=TERMS):
    """[(stem, weight)] of the ``k`` stems of an article with the highest tf-idf."""
    counts = Counter(index_terms(body[:CHARS_READ], lang)[1])
    for stem in index_terms(title[:CHARS_READ], lang)[1]:
        counts[stem] += TITLE_BOOST
    n = max(reader.doc_count(), 1)
    weighted = []
    for stem, tf in counts.items():
        df = reader.doc_frequency("body", stem)
        if df <= 1 and not reader.doc_frequency("title", stem):
            continue          # shared with no other article: cannot find a neighbour
        idf = math.log(1 + n / (1 + df))
        weighted.append((stem, (1 + math.log(tf)) * idf))
    weighted.sort(key=lambda sw: (-sw[1], sw[0]))
    return weighted[:k]


def similar_query(reader, fields):
    """The ranked OR query of an article's most distinctive stems (None when it has none).

    ``fields`` are the article's stored fields; ``reader`` gives the
    frequencies (the whole archive's, for a shard of a sharded index).
    """
    terms = distinctive_terms(reader, fields.get("title_text") or "", fields.get("body_text") or "",
                              fields.get("lang"))
    if not terms:
        return None
    clauses = []
    for stem, weight in terms:
        clauses.append(wq.Term("body", stem, boost=weight))
        clauses.append(wq.Term("title", stem, boost=weight))
    return wq.Or(clauses)


def best_matches(searcher, table, q, skip, limit):
    """[(docnum, score)] of the ``limit`` best articles ``q`` finds, copies collapsed, ``skip`` left out."""
    collector = TopCollector(limit=limit + len(skip) + 10)
    searcher.search_with_collector(q, collector)
    top = collector.results().top_n
    scores = {d: score for score, d in top}
    kept = [d for d in table.collapse([d for score, d in top]) if d not in skip]
    return [(d, scores[d]) for d in kept[:limit]]


def similar_articles(searcher, table, docnum, limit=10, lexicon=None):
    """[(docnum, score)] of the articles closest to ``docnum``, its copies excluded."""
    q = similar_query(lexicon or searcher.reader(), searcher.stored_fields(docnum))
    if q is None:
        return []
    return best_matches(searcher, table, q, {docnum, *table.others(docnum)}, limit)
