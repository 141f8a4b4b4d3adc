"""A sharded index: several Whoosh indexes that together hold one archive.

Layout: the index folder holds ``shards.json`` and one folder per shard
(``shard-0``, ``shard-1``...), each an ordinary akhbar index with its own
version record.  An index without ``shards.json`` is today's single index and
keeps that layout.

Each article goes to the shard chosen by a stable hash of its duplicate key
(the digest of its normalised title and body, ``indexer.prepare.dedup_key``):
every copy of an article meets its other copies in one shard, so duplicates
collapse inside the shard exactly as in one index, and the result set's
totals and facets are sums over shards.  Updates and removals go by file:
the shards holding a file's articles are read from the shards themselves.

The collection's statistics (document count, document frequencies, field
lengths) are those of all shards' segments read together, which is what one
index of the same articles would report: ``indexer.store.reading.collection_reader``.
"""
import hashlib
import json
import os

MANIFEST = "shards.json"
ROUTING = "blake2b-64(dupkey) mod shards"
MAX_SHARDS = 256


class ShardLayoutError(Exception):
    """The index's layout does not allow what was asked (e.g. another shard count)."""


def shard_of(dupkey, shards):
    """The shard of an article with duplicate key ``dupkey`` (stable across runs and machines)."""
    if shards <= 1:
        return 0
    digest = hashlib.blake2b(dupkey.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def shard_name(i):
    return "shard-%d" % i


def is_sharded(index_dir):
    """Whether ``index_dir`` holds a sharded index."""
    return os.path.isfile(os.path.join(index_dir, MANIFEST))


def shard_count(index_dir):
    """How many shards the sharded index in ``index_dir`` has (ShardLayoutError if unreadable)."""
    try:
        with open(os.path.join(index_dir, MANIFEST), encoding="utf-8") as f:
            n = int(json.load(f)["shards"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ShardLayoutError("%s has an unreadable %s (%s)" % (index_dir, MANIFEST, e))
    if not 1 <= n <= MAX_SHARDS:
        raise ShardLayoutError("%s names %d shards" % (os.path.join(index_dir, MANIFEST), n))
    return n


def shard_dirs(index_dir, n=None):
    """The folders of the shards, in shard order."""
    n = shard_count(index_dir) if n is None else n
    return [os.path.join(index_dir, shard_name(i)) for i in range(n)]


def write_manifest(index_dir, n):
    tmp = os.path.join(index_dir, MANIFEST + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"shards": n, "routing": ROUTING}, f)
    os.replace(tmp, os.path.join(index_dir, MANIFEST))


def folder_bytes(path):
    """Bytes of the files in ``path`` (not recursive: a shard's files sit at its top)."""
    total = 0
    for name in os.listdir(path):
        full = os.path.join(path, name)
        if os.path.isfile(full):
            total += os.path.getsize(full)
    return total
