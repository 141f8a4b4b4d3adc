"""Building and updating an index: ``akhbar.index`` in Python and ``akhbar index`` run this one build."""
import os
import sys

from indexer.build import COMMIT_EVERY, LOCK_WAIT_SECONDS, build_index

from .errors import Error, translated, write_error
from .options import DEFAULT_INDEX
from .progress import BuildProgress


class SourceNotFound(Error, FileNotFoundError):
    """A file or folder given to index does not exist."""


def build(paths, index_dir, shards=None, cluster=None, commit_every=COMMIT_EVERY, **options):
    """indexer.build.build_index (one index or N shards), its batch tasks on the Dask scheduler at
    ``cluster`` when one is given (the workers write the segments, so they must see the index's folder)."""
    if not cluster:
        return build_index(paths, index_dir, shards=shards, commit_every=commit_every, **options)
    from transport.dask import Dask
    transport = Dask(cluster, sees=os.path.dirname(os.path.abspath(index_dir)))
    try:
        return build_index(paths, index_dir, shards=shards, transport=transport, commit_every=commit_every,
                           **options)
    finally:
        transport.close()


def build_error(e, index_dir, paths):
    """akhbar's Error for what stopped a build (the command line prints its message); None if not ours."""
    ours = translated(e, index_dir, paths)
    if ours is None and isinstance(e, OSError):
        ours = write_error(e)
    return ours


def index(paths, index_dir=DEFAULT_INDEX, *, rebuild=False, shards=None, cluster=None, workers=None,
          field_map=None, commit_every=COMMIT_EVERY, lock_wait=LOCK_WAIT_SECONDS, progress=True):
    """Build or update the index in ``index_dir`` from ``paths`` (a folder, a file, or a list of them).

    As ``akhbar index`` does: new files are added, changed ones re-read and
    articles of files that are gone removed; ``rebuild=True`` starts over;
    ``shards=N`` makes a new index (or a rebuild) of N shards; ``cluster``
    (default ``$AKHBAR_CLUSTER``) builds on a Dask scheduler; ``field_map``
    reads other JSON/CSV field names ({"body": "story"}).  Progress shows
    as a tqdm bar (a widget in Jupyter, text in a terminal) when tqdm is
    installed, else as the command line's bar on a terminal;
    ``progress=False`` hides it.

    Returns the build's summary (``files_indexed``, ``added``, ``updated``,
    ``removed``, ``articles``, ``problems``: files skipped and why, ...).
    Raises akhbar.IndexLocked, akhbar.IndexVersionError, akhbar.NotAnIndex,
    akhbar.ClusterError, akhbar.IndexWriteError with the command line's messages.
    """
    paths = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else [os.fspath(p) for p in paths]
    for path in paths:
        if not os.path.exists(path):
            raise SourceNotFound("no such file or folder: %s" % path)
    if cluster is None:
        cluster = os.environ.get("AKHBAR_CLUSTER") or None
    bar = progress_bar() if progress else BuildProgress(False)
    try:
        return build(paths, os.fspath(index_dir), shards=shards, cluster=cluster, rebuild=rebuild,
                     field_map=dict(field_map or {}), workers=workers, commit_every=commit_every,
                     lock_wait=lock_wait, on_start=bar.on_start, on_file=bar.on_file)
    except Exception as e:
        ours = build_error(e, os.fspath(index_dir), paths)
        if ours is None:
            raise
        raise ours from e
    finally:
        bar.close()


class TqdmProgress:
    """A build's progress as a tqdm bar: files read, with articles and MB/s beside it."""

    def __init__(self, tqdm):
        self.tqdm, self.bar, self.articles, self.bytes = tqdm, None, 0, 0

    def on_start(self, files, size):
        if files:
            self.bar = self.tqdm(total=files, unit="file", desc="indexing %d files (%.1f MB)" % (files, size / 1e6))

    def on_file(self, rel, articles, size):
        self.articles += articles
        self.bytes += size
        if self.bar is not None:
            self.bar.set_postfix_str("%d articles" % self.articles, refresh=False)
            self.bar.update(1)

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def progress_bar():
    """tqdm.auto's bar (Jupyter's widget in a notebook) when tqdm is installed, else the command line's."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return BuildProgress(sys.stderr.isatty())
    return TqdmProgress(tqdm)
