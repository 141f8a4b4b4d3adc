"""How the index scores: the BM25F model, read by the engine's array scoring, and searchers scoring
with statistics given from outside (the whole archive's, for a shard).

The engine computes BM25F over arrays of postings (search.engine.matchset)
and must use the very parameters the model holds, field by field, so that
its floats are the index's own; ``field_b`` reads them.
"""
from whoosh import scoring, searching
from whoosh.collectors import TopCollector

__all__ = ["ArchiveScoredSearcher", "bm25f_model", "field_b", "is_bm25f", "top_matches"]


def bm25f_model(B, K1):
    """The BM25F weighting model with these parameters."""
    return scoring.BM25F(B=B, K1=K1)


def is_bm25f(model):
    """Whether ``model`` is exactly BM25F (the model the engine scores as arrays)."""
    return type(model) is scoring.BM25F


def field_b(model, field):
    """BM25F's length normalisation B for ``field`` (a per-field value where one was set)."""
    return model._field_B.get(field, model.B)


def top_matches(searcher, q, limit):
    """[(score, docnum)] of the ``limit`` best documents ``q`` matches, best first (ties to the lower number)."""
    collector = TopCollector(limit=limit)
    searcher.search_with_collector(q, collector)
    return collector.results().top_n


class ArchiveScoredSearcher(searching.Searcher):
    """A searcher whose idf and average field lengths may be the whole archive's.

    BM25F reads both from the top searcher (``BM25FScorer``); ``stats`` (an
    object with ``idf(field, btext)``, ``field_length(field)`` and
    ``doc_count()``, sent with each query over several shards) holds the
    archive's counts for the query's terms, and the formulas are the model's
    own, so a document scores exactly as in one index.  Without them it
    scores with its own figures.
    """
    stats = None

    def refresh(self):
        new = super().refresh()
        new.stats = self.stats
        return new

    def idf(self, fieldname, text):
        if self.stats is None:
            return super().idf(fieldname, text)
        if isinstance(text, str):
            text = self.schema[fieldname].to_bytes(text)
        return self.stats.idf(fieldname, text)

    def avg_field_length(self, fieldname, default=None):
        if self.stats is None or not self.schema[fieldname].scorable:
            return super().avg_field_length(fieldname, default)
        return self.stats.field_length(fieldname) / (self.stats.doc_count() or 1)


def open_searcher(ix, model):
    """An ArchiveScoredSearcher over index ``ix`` (scoring with ``model``)."""
    return ArchiveScoredSearcher(ix.reader(), fromindex=ix, weighting=model)
