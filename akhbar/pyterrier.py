"""akhbar as a PyTerrier retriever (``pip install 'akhbar[pyterrier]'``).

``Retriever(index_dir) % 10`` stands in a ``pt.Experiment`` beside other
systems: topics in (``qid``, ``query``), ranked documents out (the topics'
columns with ``docno``, ``score`` and ``rank``, PyTerrier's convention of
rank 0 first).  Each topic is searched as ``Archive.run`` and ``akhbar
search --batch`` search it, so the ranking is theirs.  PyTerrier's
transformer API needs no Java; akhbar never starts any.
"""
import pyterrier as pt

from .archive import Archive, open as open_archive
from .options import DEFAULT_INDEX


class Retriever(pt.Transformer):
    """Search an akhbar archive (an index folder, or an open akhbar.Archive) for each topic.

    ``limit`` results per topic (100; ``% k`` lowers it to k before searching,
    not after); ``cluster`` as in akhbar.open; ``filters`` as in Archive.run
    (lang, source, date_from, date_to, variants, time_limit).
    """

    def __init__(self, index=DEFAULT_INDEX, limit=100, cluster=None, **filters):
        self._owned = not isinstance(index, Archive)
        self.archive = open_archive(index, cluster=cluster) if self._owned else index
        self.limit, self.filters = limit, dict(filters)

    def transform(self, topics):
        """Topics (a DataFrame with qid and query) to their results, rank 0 first."""
        import pandas as pd
        pt.validate.query_frame(topics, ["query"])
        run = self.archive.run(topics[["qid", "query"]], limit=self.limit, **self.filters)
        found = {}
        for qid, docno, rank, score in zip(run["qid"], run["docno"], run["rank"], run["score"]):
            # Archive.run ranks from 1, as TREC runs do; PyTerrier from FIRST_RANK (0).
            found.setdefault(qid, []).append((docno, float(score), int(rank) - 1 + pt.model.FIRST_RANK))
        rows = [dict(topic, docno=docno, score=score, rank=rank) for topic in topics.to_dict("records")
                for docno, score, rank in found.get(str(topic["qid"]), [])]
        columns = list(topics.columns) + [c for c in ("docno", "score", "rank") if c not in topics.columns]
        out = pd.DataFrame(rows, columns=columns)
        return out.astype({"score": "float64", "rank": "int64"})

    def fuse_rank_cutoff(self, k):
        """This retriever asking for only ``k`` results (PyTerrier calls it for ``% k``)."""
        if k >= self.limit:
            return self
        fused = Retriever(self.archive, limit=k, **self.filters)
        fused._owned = False          # the archive stays this retriever's to close
        return fused

    def __repr__(self):
        return "akhbar.pyterrier.Retriever(%r, limit=%d)" % (self.archive.index_dir, self.limit)

    def close(self):
        """Let go of the archive, when this retriever opened it (an Archive given stays open)."""
        if self._owned:
            self.archive.close()
