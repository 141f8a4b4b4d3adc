"""Committing a build's batches into the shards of the folder it writes, one writer per shard.

A batch's results (``indexer.batch``) go into their shards one shard after
another.  In each shard, one commit adds the batch's first segment there
together with the deletion of the older versions of the batch's files that
the shard holds; further segments of the batch follow in commits of their
own.  Only results that reached this process are committed, and each once,
so a batch task that died and was run again elsewhere adds its articles
exactly once.

Between a batch's first commit and its last, its files are listed in
``pending.json`` in the folder written: a run killed there reads them again
next time, since the shards committed so far hold their new versions and the
others may still lack them.  The files a killed run left there stay listed
until this run has committed them.
"""
import json
import os
import shutil
from collections import Counter

import numpy as np

from .holdings import index_state
from .ids import shared_ids
from .lock import IndexLocked
from .store.reading import collection_reader
from .store.segments import WriterLocked, commit, open_for_writing

PENDING = "pending.json"


class Shards:
    """The shards of the folder a build writes (``folder``: the index or its staging sibling),
    open for committing.  ``pending``: files a killed run left half committed."""

    def __init__(self, folder, shards, lock_wait):
        self.folder = folder
        self.folders = shards
        self.indexes = [open_for_writing(f) for f in shards]
        self.lock_wait = lock_wait
        self.pending = read_pending(folder)

    def holdings(self):
        """(``{file: signature}`` of the files the shards hold, None where shards disagree; Holders;
        duplicates; articles) as the shards stand."""
        live, holders, duplicates, articles = {}, Holders(len(self.indexes)), 0, 0
        for i, ix in enumerate(self.indexes):
            files, dups, count = index_state(ix)
            duplicates += dups
            articles += count
            holders.add(i, files)
            if not live:
                live = files
                continue
            for f, sig in files.items():
                # Shards that disagree about a file were caught between two commits.
                live[f] = sig if live.get(f, sig) == sig else None
        return live, holders, duplicates, articles

    def commit_batch(self, result, holders):
        """Commit a BatchResult into the shards; returns {file: older articles deleted}.

        ``holders`` says which shards hold an older version of each file.
        """
        files = [o.task.file for o in result.outcomes]
        plans = []
        for i, segments in enumerate(result.segments):
            mine = [f for f in files if holders.holds(f, i)]
            if segments or mine:
                plans.append((i, segments or [None], mine))
        if sum(len(segments) for _, segments, _ in plans) > 1:
            write_pending(self.folder, self.pending | set(files))
        deleted = Counter()
        for i, segments, mine in plans:
            # The older versions go with the first commit; the shard's further segments follow.
            for segment in segments:
                deleted.update(self.commit(i, segment, mine))
                mine = ()
        self._committed(files)
        for private in result.folders:
            shutil.rmtree(private, ignore_errors=True)
        return deleted

    def _committed(self, files):
        """``files`` are in every shard they belong to: pending no more."""
        self.pending.difference_update(files)
        if self.pending:
            write_pending(self.folder, self.pending)
        else:
            clear_pending(self.folder)

    def commit(self, i, segment=None, delete=(), merge=False):
        """One commit into shard ``i`` (``indexer.store.segments.commit``); {file: articles deleted}."""
        try:
            return commit(self.indexes[i], self.folders[i], segment, delete, merge, timeout=self.lock_wait)
        except WriterLocked:
            raise IndexLocked(self.folders[i])

    def finish(self, gone, holders):
        """The run's last commit in every shard: the files that are gone deleted, small segments
        merged (many small updates leave them behind).  Returns {file: articles deleted}."""
        deleted = Counter()
        for i in range(len(self.indexes)):
            deleted.update(self.commit(i, delete=[f for f in gone if holders.holds(f, i)], merge=True))
        self._committed(gone)
        return deleted

    def counts(self):
        """(duplicates, articles) the shards hold now."""
        duplicates = articles = 0
        for ix in self.indexes:
            _, dups, count = index_state(ix, files=False)
            duplicates += dups
            articles += count
        return duplicates, articles

    def shared_ids(self, hashes):
        """``indexer.ids.shared_ids`` over every shard: {id: files} of the ids of ``hashes`` that
        more than one live article carries."""
        readers = [ix.reader() for ix in self.indexes]
        try:
            return shared_ids(collection_reader(readers), np.frombuffer(hashes, dtype=np.uint64))
        finally:
            for r in readers:
                r.close()


class Holders:
    """Which shards hold a version of each file: a bit mask a file, or for one shard the
    shard's own {file: signature} (no second dictionary of every file)."""

    def __init__(self, shards):
        self.shards = shards
        self.files = {}

    def add(self, i, files):
        """Shard ``i`` holds ``files``."""
        if self.shards == 1:
            self.files = files
            return
        for f in files:
            self.files[f] = self.files.get(f, 0) | (1 << i)

    def holds(self, file, i):
        if self.shards == 1:
            return file in self.files
        return bool(self.files.get(file, 0) >> i & 1)

    def __iter__(self):
        return iter(self.files)


def read_pending(folder):
    """The files of a batch whose commits a killed run left unfinished."""
    try:
        with open(os.path.join(folder, PENDING), encoding="utf-8") as f:
            return set(json.load(f))
    except (OSError, ValueError):
        return set()


def clear_pending(folder):
    """Forget the files a killed run left pending, once a run has committed them all."""
    try:
        os.remove(os.path.join(folder, PENDING))
    except FileNotFoundError:
        pass


def write_pending(folder, files):
    tmp = os.path.join(folder, PENDING + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(sorted(files), f)
    os.replace(tmp, os.path.join(folder, PENDING))
