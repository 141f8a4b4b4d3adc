"""The folder a build writes into, in either layout, and a finished rebuild put in place.

A single index keeps its files in the index folder; an index of N shards
keeps one index per shard in ``shard-0`` ... beside ``shards.json``
(``indexer.shards``).  A new index (or a ``--rebuild``) of one shard is a
single index; an existing index keeps its layout, and another shard count
takes a rebuild.

A fresh build or a ``--rebuild`` is written into a sibling folder
(``<index>.building``) and swapped in whole when complete, so searches see the
previous index until then, and a failed or interrupted rebuild leaves it
untouched.  The next run picks the sibling up where it stopped.
"""
import ctypes
import ctypes.util
import os
import shutil
from typing import List, NamedTuple

from .schema import META_FILE, IndexVersionError, check_meta, write_meta
from .shards import ShardLayoutError, is_sharded, shard_dirs, write_manifest
from .store.reading import index_exists, latest_generation
from .store.segments import bump_generation, create_index


class NotAnIndex(Exception):
    """The index path exists and holds something other than an akhbar index."""


class Target(NamedTuple):
    """Where a build writes."""
    folder: str            # the index folder, or its staging sibling
    shards: List[str]      # the folder of each shard (``folder`` itself for a single index)


def staging_dir(index_dir):
    """Where a fresh build is written before it replaces ``index_dir``."""
    return os.path.normpath(os.path.abspath(index_dir)) + ".building"


def shard_folders(folder):
    """The shards' folders of the index in ``folder`` (``[folder]`` for a single index), None
    when it holds no index; ShardLayoutError when its list of shards is unreadable."""
    if is_sharded(folder):
        return shard_dirs(folder)
    return [folder] if index_exists(folder) else None


def _is_akhbar_index(folder):
    return os.path.exists(os.path.join(folder, META_FILE)) or index_exists(folder) or is_sharded(folder)


def _staged(staging):
    """The shards' folders of a usable build left in ``staging``, else None."""
    if not os.path.isdir(staging):
        return None
    try:
        folders = shard_folders(staging)
        if not folders:
            return None
        for f in folders:
            check_meta(f)
    except (ShardLayoutError, IndexVersionError):
        return None
    return folders if all(index_exists(f) for f in folders) else None


def choose_target(index_dir, shards, rebuild, summary):
    """The Target this run writes into: the index itself, or a staging sibling (new or resumed).

    ``shards`` is the shard count asked for (None: the index's own, or one).
    """
    staging = staging_dir(index_dir)
    if os.path.isdir(index_dir) and os.listdir(index_dir) and not _is_akhbar_index(index_dir):
        raise NotAnIndex("%s exists and is not an akhbar index" % index_dir)
    live = shard_folders(index_dir) if os.path.isdir(index_dir) else None
    staged = _staged(staging)
    if staged is not None and shards in (None, len(staged)):
        summary.rebuilt = summary.resumed = True
        return Target(staging, staged)
    if rebuild or live is None:
        summary.rebuilt = True
        return Target(staging, _create(staging, shards or (len(live) if live else 1)))
    if shards not in (None, len(live)):
        if not is_sharded(index_dir):
            raise ShardLayoutError("%s is a single index; to split it into shards, rebuild it with "
                                   "--rebuild --shards N" % index_dir)
        raise ShardLayoutError("%s has %d shards; to change to %d, rebuild it (--rebuild)" % (
            index_dir, len(live), shards))
    for f in live:
        check_meta(f)
    return Target(index_dir, live)


def _create(folder, shards):
    """A new, empty index of ``shards`` shards in ``folder`` (replacing what was there); its shards' folders."""
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    folders = [folder] if shards == 1 else shard_dirs(folder, shards)
    for f in folders:
        os.makedirs(f, exist_ok=True)
        create_index(f)
        write_meta(f)
    if shards > 1:
        write_manifest(folder, shards)
    return folders


def swap_in(target, index_dir):
    """Put the finished build in ``target`` (a staging folder) in place of ``index_dir``, in one step."""
    if not os.path.exists(index_dir):
        os.rename(target.folder, index_dir)
        return
    # An open searcher notices a new index by a different generation number.
    try:
        live = shard_folders(index_dir) or []
    except ShardLayoutError:
        live = []
    for i, folder in enumerate(target.shards):
        before = latest_generation(live[i]) if i < len(live) and os.path.isdir(live[i]) else -1
        if latest_generation(folder) == before:
            bump_generation(folder)
    replace_dir(target.folder, index_dir)


def _exchange(a, b):
    """Swap two directories in one step (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    return renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def replace_dir(staging, index_dir):
    """Put the folder ``staging`` in the place of ``index_dir``, in one step where the system allows."""
    if _exchange(staging, index_dir):
        shutil.rmtree(staging, ignore_errors=True)     # it now holds the old index
        return
    old = index_dir + ".old"
    shutil.rmtree(old, ignore_errors=True)
    os.rename(index_dir, old)
    os.rename(staging, index_dir)
    shutil.rmtree(old, ignore_errors=True)
