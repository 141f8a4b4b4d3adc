"""akhbar: search for multilingual news archives, Arabic first.

The Python API (the command line is ``akhbar``; see README's "Python API")::

    import akhbar
    akhbar.index("corpus/", "akhbar-index")          # build or update, with a progress bar
    archive = akhbar.open("akhbar-index")             # one index, shards, or cluster="tcp://..."
    results = archive.search("الأمم المتحدة", limit=5, lang="ar")
    results.total, results.facets, [hit.title for hit in results]
    results.to_frame()                                # pandas: pip install 'akhbar[notebook]'
    archive.timeline("الانتخابات", by="year").to_frame()
    archive.kwic("الأمم المتحدة"), archive.forms("انتخاب"), archive.export("زيت")
    run = archive.run(topics, limit=100)              # qid, docno, rank, score, query
    akhbar.evaluate(run, "qrels.txt", "MAP nDCG@10 MRR@10 R@100")   # pip install 'akhbar[eval]'

What ``__all__`` lists is the API; every other name may change.  Errors are
``akhbar.Error`` subclasses, with the messages the command line prints.
"""
__version__ = "0.1.0"

from .archive import Archive, open  # noqa: E402,A001  (akhbar.open, as the issue names it)
from .building import SourceNotFound, index  # noqa: E402
from .errors import (ClusterError, Error, ExportBroken, IndexDamaged, IndexLayoutError, IndexLocked,  # noqa: E402
                     IndexNotFound, IndexVersionError, IndexWriteError, NotAnIndex, QueryError, ShardsUnavailable)
from .evaluation import MeasureError, evaluate  # noqa: E402
from .hits import Export, Hit, MarkedText, Results  # noqa: E402
from .views import Concordance, Forms, Timeline  # noqa: E402

__all__ = [
    "__version__", "open", "index", "evaluate",
    "Archive", "Results", "Hit", "MarkedText", "Export", "Timeline", "Concordance", "Forms",
    "Error", "QueryError", "IndexNotFound", "IndexVersionError", "IndexLayoutError", "IndexDamaged",
    "IndexLocked", "NotAnIndex", "IndexWriteError", "ShardsUnavailable", "ClusterError", "ExportBroken",
    "SourceNotFound", "MeasureError",
]


def __getattr__(name):
    # akhbar.pyterrier needs the optional PyTerrier: imported when first named, never by `import akhbar`.
    if name == "pyterrier":
        import importlib
        return importlib.import_module(".pyterrier", __name__)
    raise AttributeError("module 'akhbar' has no attribute %r" % name)
