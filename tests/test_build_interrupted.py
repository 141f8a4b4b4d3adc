"""A build killed midway (SIGKILL) loses nothing that was committed and nothing that was searchable."""
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from whoosh import index as whoosh_index

from helpers import ROOT
from indexer.build import build_index, staging_dir
from search.searcher import Searcher

N_FILES = 240
TOC = re.compile(r"_MAIN_(\d+)\.toc$")

pytestmark = pytest.mark.crash


def _archive(folder, start, count, word):
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        (folder / ("%04d.txt" % n)).write_text(
            "Story %d about %s\n\nThe %s report number %d, item%d, in full.\n" % (n, word, word, n, n),
            encoding="utf-8")


def _total(index_dir, query):
    s = Searcher(str(index_dir))
    try:
        return s.search(query, limit=1).total
    finally:
        s.close()


def _latest_generation(folder):
    try:
        names = os.listdir(str(folder))
    except FileNotFoundError:
        return -1
    gens = [int(m.group(1)) for m in map(TOC.match, names) if m]
    return max(gens, default=-1)


def _start_and_kill(args, watch_dir, generation, sig=signal.SIGKILL):
    """Run `akhbar index ARGS`, send ``sig`` once ``watch_dir`` holds a commit of ``generation``."""
    proc = subprocess.Popen([sys.executable, "-m", "akhbar", "index", *map(str, args)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    # Whoosh deletes superseded TOC files, so wait for this generation or any later one.
    while _latest_generation(watch_dir) < generation:
        if proc.poll() is not None:
            pytest.fail("the build ended before it could be interrupted: %s" % proc.stderr.read().decode())
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("no batch was committed in time")
        time.sleep(0.02)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    return proc


def test_killed_rebuild_keeps_the_old_index_and_the_next_run_completes(tmp_path):
    old, new, ix = tmp_path / "old", tmp_path / "new", tmp_path / "ix"
    _archive(old, 0, 5, "walrus")
    build_index([old], ix, workers=1)
    _archive(new, 0, N_FILES, "narwhal")
    proc = _start_and_kill([new, "--index", ix, "--rebuild", "--workers", "1", "--commit-every", "10"],
                           staging_dir(ix), 2)
    assert proc.returncode == -signal.SIGKILL
    # The previous index still answers, untouched by the half-done rebuild.
    assert _total(ix, "walrus") == 5
    assert _total(ix, "narwhal") == 0
    summary = build_index([new], ix, workers=1)
    assert summary.resumed and summary.files_unchanged >= 20
    assert summary.files_unchanged + summary.files_indexed == N_FILES
    assert _total(ix, "narwhal") == N_FILES
    assert _total(ix, "walrus") == 0
    assert not os.path.exists(staging_dir(ix))


def test_killed_update_keeps_committed_batches_and_the_next_run_completes(tmp_path):
    archive, ix = tmp_path / "archive", tmp_path / "ix"
    _archive(archive, 0, 5, "walrus")
    build_index([archive], ix, workers=1)
    searcher = Searcher(str(ix))
    try:
        _archive(archive, 5, N_FILES, "narwhal")
        two_batches_in = whoosh_index.open_dir(str(ix)).latest_generation() + 2
        _start_and_kill([archive, "--index", ix, "--workers", "1", "--commit-every", "10"], ix, two_batches_in)
        # A searcher opened before the build sees the last commit: the old
        # articles and whole batches of new ones, each exactly once.
        assert searcher.search("walrus").total == 5
        partial = searcher.search("narwhal", limit=1).total
        assert 20 <= partial < N_FILES and partial % 10 == 0
        summary = build_index([archive], ix, workers=1)
        assert summary.files_unchanged == 5 + partial and summary.added == N_FILES - partial
        assert searcher.search("narwhal", limit=1).total == N_FILES
        assert searcher.search("walrus").total == 5
    finally:
        searcher.close()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_says_so_and_the_next_run_completes(tmp_path, workers):
    archive, ix = tmp_path / "archive", tmp_path / "ix"
    _archive(archive, 0, 5, "walrus")
    build_index([archive], ix, workers=1)
    _archive(archive, 5, N_FILES, "narwhal")
    two_batches_in = whoosh_index.open_dir(str(ix)).latest_generation() + 2
    proc = _start_and_kill([archive, "--index", ix, "--workers", workers, "--commit-every", "10"], ix,
                           two_batches_in, sig=signal.SIGINT)
    err = proc.stderr.read().decode()
    assert proc.returncode == 1 and "interrupted" in err and "Traceback" not in err
    assert _total(ix, "walrus") == 5
    assert not [n for n in os.listdir(str(ix)) if n.startswith(".w-")]
    build_index([archive], ix, workers=1)
    assert _total(ix, "narwhal") == N_FILES
