"""Opening an index for searching, and what its files say without opening it."""
import os
import re

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import MultiReader

from . import mapped  # noqa: F401  (a mapped segment's files are read from the map, not copied)

_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")


class ReadIndex(whoosh_index.FileIndex):
    """A Whoosh index for searching whose refreshed readers see only live segments.

    whoosh-reloaded 2.7.5, asked for a reader that reuses an older one (as
    ``Searcher.refresh`` does), adds the older reader's segments to the new
    ones: after a commit that merged or replaced segments, a refreshed
    searcher would count deleted and replaced articles again.  Opening the
    current segments afresh costs little and is always right.
    """

    def reader(self, reuse=None):
        return super().reader(reuse=None)


def open_for_search(index_dir):
    """The Whoosh index in ``index_dir``, read-only, with ``ReadIndex``'s readers.

    Files are read, not memory-mapped: a segment truncated under a mapping
    (a disk error, a stray ``truncate``) kills the whole process with SIGBUS
    when the lost part is touched, where a read fails with an error the
    server can answer (see indexer.store.check).  Cost: bench/RESULTS.md.
    """
    return ReadIndex(FileStorage(index_dir, readonly=True, supports_mmap=False))


def latest_generation(index_dir):
    """The newest generation number of the index in ``index_dir`` (-1 if none), read
    from its file names only: an index written by another format is never unpickled."""
    gens = [int(m.group(1)) for m in map(_TOC.match, os.listdir(index_dir)) if m]
    return max(gens, default=-1)


def index_exists(index_dir):
    """Whether ``index_dir`` holds a Whoosh index, judged by its files alone.

    Whoosh's own ``exists_in`` unpickles the table of contents, which fails
    for an index whose segments name a codec this version no longer has;
    such an index must still be found, so that it can be refused with a
    request to rebuild, and rebuilt.
    """
    return os.path.isdir(index_dir) and latest_generation(index_dir) >= 0


def collection_reader(readers):
    """One reader over several shards' readers: lexicon, frequencies and lengths of them all.

    The segments are listed flat, so document frequencies, document counts and
    field lengths add up as over one index holding the same segments.
    """
    leaves = []
    for reader in readers:
        leaves.extend(r for r, _ in reader.leaf_readers())
    if len(leaves) == 1:
        return leaves[0]
    return MultiReader(leaves)
