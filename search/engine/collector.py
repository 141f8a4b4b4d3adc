"""A view of the archive as one piece of work over shards: a part per shard, one merge.

Every view (the results page, timeline, concordance, forms, export,
similar articles, counts) is a ``Collector``, in the manner of tantivy's
``Collector``/``merge_fruits`` and Lucene's ``CollectorManager``:
``collect(shard)`` runs where each shard is kept open (search.engine.shard)
and returns its part as plain data; ``merge(parts, missing)`` runs once,
where the engine was asked, and makes the answer.  The engine decides which
shards are asked and the transport where they run, so a new view is one
collector and works on one index, on local shards and on a cluster alike.

A collector travels to the shards by pickling: keep it a plain object of
plain data (a prepared query, numbers, strings), defined at module level.
"""


class Collector:
    """One view's work: ``collect`` per shard, ``merge`` once."""

    def collect(self, shard):
        """This shard's part of the answer (plain, picklable data)."""
        raise NotImplementedError

    def merge(self, parts, missing):
        """The answer from ``parts``, [(shard number, part)] in shard order; ``missing``
        names the shards that did not answer (say so in the answer)."""
        raise NotImplementedError


def collect_at(shard, collector):
    """Run ``collector`` over ``shard`` (what the transport calls where the shard is kept)."""
    return collector.collect(shard)
