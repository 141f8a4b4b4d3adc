"""akhbar's own exceptions: what the Python API raises and the command line prints.

Each is also the engine's exception it stands for (``akhbar.QueryError`` is a
``search.query.syntax.QueryError``, ``akhbar.IndexNotFound`` a
``FileNotFoundError``), so code that caught those still does.  The message
of each is the one the command line prints after ``Error:``; both faces take
it from ``translated`` below, so they cannot drift apart.
"""
import contextlib

from indexer.build import NotAnIndex as _NotAnIndex
from indexer.lock import IndexLocked as _IndexLocked
from indexer.schema import IndexVersionError as _IndexVersionError
from indexer.shards import ShardLayoutError as _ShardLayoutError
from search.query.syntax import QueryError as _QueryError
from search.searcher import ShardsUnavailable as _ShardsUnavailable
from search.views.export import ExportBroken as _ExportBroken
from transport.dask import ClusterError as _ClusterError


class Error(Exception):
    """Every error akhbar raises on purpose; ``str()`` is the message the command line prints."""

    def __init__(self, message):
        Exception.__init__(self, message)

    def __str__(self):
        return self.args[0] if self.args else ""


class QueryError(Error, _QueryError):
    """A query, filter or option that cannot be read (the message says what to write instead)."""


class IndexNotFound(Error, FileNotFoundError):
    """No index where one was asked for."""


class IndexVersionError(Error, _IndexVersionError):
    """The index was built by another version of the analysis: rebuild it."""


class IndexLayoutError(Error, _ShardLayoutError):
    """A sharded index whose layout cannot be read."""


class IndexDamaged(Error):
    """A file of the index is damaged on disk: rebuild it."""


class IndexLocked(Error, _IndexLocked):
    """Another process is writing to the index."""


class NotAnIndex(Error, _NotAnIndex):
    """The index folder holds something other than an akhbar index."""


class IndexWriteError(Error, OSError):
    """The index could not be written (a full disk, no permission); the last commit stays searchable."""


class ShardsUnavailable(Error, _ShardsUnavailable):
    """No shard of the index answered."""


class ClusterError(Error, _ClusterError):
    """The Dask cluster cannot be used: the extra missing, the scheduler unreachable, a worker blind."""


class ExportBroken(Error, _ExportBroken):
    """A shard stopped answering in the middle of an export."""


def _made(cls, message, original):
    error = cls(message)
    # The original's facts (a lock's holder, the missing shards) stay readable on ours.
    for name, value in vars(original).items():
        if not name.startswith("_") and name not in vars(error):
            setattr(error, name, value)
    return error


def translated(e, index_dir, paths=None, opening=False):
    """akhbar's Error for exception ``e`` of the engine or the indexer, or None for any other.

    ``paths``: the folders of a build, named in the rebuild hint; ``opening``:
    ``e`` came from opening the index, where a missing file is a missing index.
    """
    if isinstance(e, Error):
        return e
    rebuild = "akhbar index %s --index %s --rebuild" % (" ".join(paths) if paths else "PATH", index_dir)
    if isinstance(e, _QueryError):
        return _made(QueryError, "%s\nSee: akhbar search --help" % e, e)
    if isinstance(e, _ShardsUnavailable):
        return _made(ShardsUnavailable, "%s; try again once its workers are back" % e, e)
    if isinstance(e, _ExportBroken):
        return _made(ExportBroken, "the export is incomplete: %s" % e, e)
    if isinstance(e, _IndexVersionError):
        return _made(IndexVersionError, "%s. Rebuild it: %s" % (e, rebuild), e)
    if isinstance(e, _IndexLocked):
        return _made(IndexLocked, "%s. Wait for it to finish and try again." % e.describe(), e)
    if isinstance(e, _NotAnIndex):
        return _made(NotAnIndex, "%s; choose another --index directory" % e, e)
    if isinstance(e, (_ShardLayoutError, _ClusterError)):
        return _made(IndexLayoutError if isinstance(e, _ShardLayoutError) else ClusterError, str(e), e)
    if isinstance(e, FileNotFoundError) and opening:
        return _made(IndexNotFound, "no index in %s. Build one first: akhbar index PATH --index %s"
                     % (index_dir, index_dir), e)
    return None


def write_error(e):
    """The IndexWriteError of an OSError met while building."""
    return _made(IndexWriteError, "cannot write the index: %s. Searches see the index as last committed; "
                 "free the space and run the same command again to finish" % (e.strerror or e), e)


def damage_of(e, index_dir):
    """IndexDamaged when ``e`` (an error reading the index) came from a damaged file; else None."""
    from indexer.store.check import READ_ERRORS, find_damage
    if not isinstance(e, READ_ERRORS) or isinstance(e, (BrokenPipeError, ConnectionError)):
        return None
    damage = find_damage(index_dir)
    if damage is None:
        return None
    return IndexDamaged("the index in %s is damaged: %s. Rebuild it: akhbar index PATH --index %s --rebuild"
                        % (index_dir, damage, index_dir))


@contextlib.contextmanager
def raising(index_dir, paths=None, opening=False):
    """Inside: the engine's and indexer's errors come out as akhbar's (the original as ``__cause__``)."""
    try:
        yield
    except Error:
        raise
    except Exception as e:
        ours = translated(e, index_dir, paths, opening) or damage_of(e, index_dir)
        if ours is None:
            raise
        raise ours from e
