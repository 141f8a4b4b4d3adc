"""Processes of `akhbar index` clean up after themselves: workers die with the
writing process, interruptions exit promptly, and a lock left by a process
that is gone is taken over."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from helpers import ROOT, run_cli
from indexer.lock import IndexLock, IndexLocked, lock_path


def _archive(folder, count):
    """``count`` small files with long names, so the queue of work outgrows a pipe."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / ("a-long-file-name-so-that-queued-work-fills-the-pipe-%05d.txt" % n)).write_text(
            "Story %d\n\nThe walrus report number %d, item%d.\n" % (n, n, n), encoding="utf-8")


def _start(archive, ix):
    """`akhbar index` with two workers, returned once they are both running."""
    proc = subprocess.Popen([sys.executable, "-m", "akhbar", "index", str(archive), "--index", str(ix),
                             "--workers", "2", "--commit-every", "200"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        kids = _children(proc.pid)
        building = str(ix) + ".building"
        if len(kids) == 2 and os.path.isdir(building) and any(
                n.endswith(".seg") for n in os.listdir(building)):
            return proc, kids
        if proc.poll() is not None:
            pytest.fail("the build ended before it could be interrupted")
        time.sleep(0.02)
    proc.kill()
    pytest.fail("the workers did not start")


def _stderr_once_exited(proc, seconds, failure):
    """What ``proc`` wrote to stderr, once it has exited; the test fails if it takes over ``seconds``."""
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(failure)
    return proc.stderr.read().decode()


def _children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _running(pid):
    """True while ``pid`` runs (a zombie waiting to be reaped has finished)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            return "\nState:\tZ" not in f.read()
    except FileNotFoundError:
        return False


def _all_gone(pids, seconds=10):
    deadline = time.monotonic() + seconds
    while any(map(_running, pids)):
        if time.monotonic() > deadline:
            for pid in pids:
                if _running(pid):
                    os.kill(pid, signal.SIGKILL)
            return False
        time.sleep(0.05)
    return True


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self") or sys.platform != "linux",
                                reason="watches processes through /proc")


@pytest.mark.crash
@needs_proc
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "kill-TERM"])
def test_killed_build_leaves_no_worker_holding_the_lock(tmp_path, sig):
    archive, ix = tmp_path / "archive", tmp_path / "ix"
    _archive(archive, 3000)
    proc, workers = _start(archive, ix)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert _all_gone(workers), "workers outlived the build"
    with IndexLock(str(ix), wait=0):
        pass
    if sig == signal.SIGTERM:
        err = proc.stderr.read().decode()
        assert proc.returncode == 1 and "interrupted" in err and "Traceback" not in err


@pytest.mark.crash
@needs_proc
@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_with_much_work_queued_exits_promptly_and_quietly(tmp_path, presses):
    archive, ix = tmp_path / "archive", tmp_path / "ix"
    _archive(archive, 3000)
    proc, workers = _start(archive, ix)
    for _ in range(presses):
        proc.send_signal(signal.SIGINT)
        time.sleep(0.2)
    err = _stderr_once_exited(proc, 30, "the build did not exit after Ctrl-C")
    assert "Traceback" not in err
    assert proc.returncode != 0
    if presses == 1:
        assert proc.returncode == 1 and "interrupted" in err
    assert _all_gone(workers)


@pytest.mark.crash
@needs_proc
def test_ctrl_c_stops_the_batches_running_instead_of_waiting_for_them(tmp_path):
    """Two batches of 8,000 files take far longer than the build may take to exit: each stops before its next file."""
    archive, ix = tmp_path / "archive", tmp_path / "ix"
    _archive(archive, 16000)
    proc = subprocess.Popen([sys.executable, "-m", "akhbar", "index", str(archive), "--index", str(ix),
                             "--workers", "2", "--commit-every", "8000"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    building = str(ix) + ".building"

    def filing():
        """The private folders of segments in progress: one per batch once it has filed an article."""
        names = os.listdir(building) if os.path.isdir(building) else []
        return [n for n in names if n.startswith(".w-") and os.path.isdir(os.path.join(building, n))]
    deadline = time.monotonic() + 60
    while len(filing()) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, "the batches did not start"
        time.sleep(0.02)
    asked = time.monotonic()
    proc.send_signal(signal.SIGINT)
    err = _stderr_once_exited(proc, 60, "the build did not exit after Ctrl-C")
    assert time.monotonic() - asked < 5, "the build waited for its batches to end"
    assert proc.returncode == 1 and "interrupted" in err and "Traceback" not in err
    assert filing() == [] and not [n for n in os.listdir(building) if n.endswith(".seg")]


def test_a_forked_child_does_not_keep_the_lock(tmp_path):
    ix = str(tmp_path / "ix")
    lock = IndexLock(ix, wait=0).acquire()
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:                      # the child outlives the parent's hold on the lock
        os.write(ready_w, b"1")
        time.sleep(3)
        os._exit(0)
    try:
        os.read(ready_r, 1)           # the child runs (its fork hooks have run)
        lock.release()
        with IndexLock(ix, wait=0):
            pass
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _dead_pid():
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


HOLD = """
import fcntl, json, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
os.ftruncate(fd, 0)
os.write(fd, sys.argv[2].encode())
print("held", flush=True)
time.sleep(60)
"""


@pytest.fixture
def stale_lock(tmp_path):
    """A lock held by a live process on behalf of one that is gone (an orphan's inheritance)."""
    ix = tmp_path / "ix"
    holder = {"pid": _dead_pid(), "host": socket.gethostname(), "started": "2020-01-01T00:00:00+00:00"}
    proc = subprocess.Popen([sys.executable, "-c", HOLD, lock_path(str(ix)), json.dumps(holder)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    yield ix, holder
    proc.kill()
    proc.wait()


def test_stale_lock_is_taken_over_and_then_held(stale_lock):
    ix, holder = stale_lock
    with IndexLock(str(ix), wait=2) as lock:
        assert lock.took_over == holder
        with pytest.raises(IndexLocked) as e:
            IndexLock(str(ix), wait=0).acquire()
        assert e.value.holder["pid"] == os.getpid()


def test_index_says_it_took_over_a_stale_lock(stale_lock, tmp_path):
    ix, holder = stale_lock
    archive = tmp_path / "archive"
    _archive(archive, 3)
    result = run_cli("index", archive, "--index", ix)
    assert result.exit_code == 0, result.output
    assert "note: took over the index lock from pid %d" % holder["pid"] in result.output


def test_live_holder_of_another_host_is_never_taken_over(tmp_path):
    ix = tmp_path / "ix"
    holder = {"pid": _dead_pid(), "host": "another-host.example", "started": "2020-01-01T00:00:00+00:00"}
    proc = subprocess.Popen([sys.executable, "-c", HOLD, lock_path(str(ix)), json.dumps(holder)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(IndexLocked):
            IndexLock(str(ix), wait=0.3).acquire()
    finally:
        proc.kill()
        proc.wait()


FULL_DISK = """
import errno, sys
import indexer.batch as batch
real = batch.prepare_file
seen = []

def prepare_file(task, field_map):
    seen.append(task)
    if len(seen) > 40:               # the disk fills up in the middle of the work
        raise OSError(errno.ENOSPC, "No space left on device")
    return real(task, field_map)

batch.prepare_file = prepare_file
from akhbar.cli import main
main(sys.argv[1:])
"""


@pytest.mark.crash
@needs_proc
def test_full_disk_with_much_work_queued_exits_promptly_with_its_message(tmp_path):
    archive, ix = tmp_path / "archive", tmp_path / "ix"
    _archive(archive, 3000)
    proc = subprocess.Popen([sys.executable, "-c", FULL_DISK, "index", str(archive), "--index", str(ix),
                             "--workers", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = _stderr_once_exited(proc, 60, "the build did not exit after the disk filled up")
    assert proc.returncode == 1 and "No space left on device" in err and "Traceback" not in err
