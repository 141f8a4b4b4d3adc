"""How a build's memory grows with the archive: the writing process and its workers, sampled.

    python bench/bench_build_memory.py /tmp/ant /tmp/a-mid /tmp/a-11x --out /tmp/bench-mem

For each folder in turn, ``akhbar index FOLDER --index OUT/N --rebuild``
runs in a child process while this script reads the resident memory of
that process and of each of its workers from ``/proc`` every half second
(Linux only).  It prints, per archive: articles, wall time, the writing
process's memory when the workers start (its imports and the list of files
to read done) and at its peak, that growth per article, the peak of the
largest worker, and the 1-minute load average seen while it ran.  Memory
is resident and, in brackets, resident anonymous: the part that is the
process's own, without the pages of files it mapped and read.  ``--trace FILE`` writes every sample.

A peak between two samples can be missed by up to half a second's worth of
growth; ``/usr/bin/time -v`` gives the exact peak of one process.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INTERVAL = 0.5


def resident_mb(pid):
    """(resident, resident anonymous) memory of ``pid`` in MB; zeros once it has gone.

    Resident memory counts the pages of memory-mapped files that were read
    (the index's segments, at the end of a build), which the kernel can drop
    at will; anonymous memory is the process's own.
    """
    found = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(("VmRSS:", "RssAnon:")):
                    found[line.split(":")[0]] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return found.get("VmRSS", 0.0), found.get("RssAnon", 0.0)


def children_of(pid):
    kids = []
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                kids += [int(k) for k in f.read().split()]
    except OSError:
        pass
    return kids


def measure(folder, out, workers, trace):
    """Run one build; a dict of its figures."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "akhbar", "index", folder, "--index", out, "--rebuild"]
    if workers:
        cmd += ["--workers", str(workers)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    main_first = None
    main_peak = worker_peak = (0.0, 0.0)
    loads = []
    while proc.poll() is None:
        now = time.perf_counter() - started
        main = resident_mb(proc.pid)
        main_peak = tuple(map(max, main_peak, main))
        kids = [resident_mb(k) for k in children_of(proc.pid)]
        if kids and main_first is None:
            main_first = main     # the workers have started: imports and the list of files are done
        for kid in kids:
            worker_peak = tuple(map(max, worker_peak, kid))
        loads.append(os.getloadavg()[0])
        if trace:
            trace.write("%s %.1f main %.0f/%.0f workers %s load %.2f\n" % (
                os.path.basename(folder), now, main[0], main[1], " ".join("%.0f/%.0f" % k for k in kids), loads[-1]))
        time.sleep(INTERVAL)
    wall = time.perf_counter() - started
    main_first = main_first or main_peak
    output = proc.stdout.read()
    if proc.returncode != 0:
        raise SystemExit("akhbar index %s failed:\n%s" % (folder, output[-2000:]))
    found = re.search(r"(\d+) articles in ", output)
    return {"articles": int(found.group(1)) if found else 0, "wall": wall, "main_first": main_first,
            "main_peak": main_peak, "worker_peak": worker_peak, "loads": loads or [os.getloadavg()[0]]}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("folders", nargs="+")
    p.add_argument("--out", default="/tmp/bench-mem", help="Where the indexes are written (one after another).")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--trace", help="Write every sample to this file.")
    p.add_argument("--keep", action="store_true", help="Keep the indexes built.")
    args = p.parse_args()
    if not os.path.isdir("/proc/self/task"):
        sys.exit("this measurement reads /proc (Linux only)")
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    print("%s UTC, commit %s, %d cores" % (time.strftime("%Y-%m-%d %H:%M", time.gmtime()), commit, os.cpu_count()))
    trace = open(args.trace, "w") if args.trace else None
    print("Memory in MB, resident (anonymous); growth: the writing process's anonymous peak over its start, per article.")
    print("| archive | articles | wall | writing process at start | its peak | growth per article | largest worker peak "
          "| load (1 min) mean, max |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for i, folder in enumerate(args.folders):
        out = os.path.join(args.out, str(i))
        r = measure(os.path.abspath(folder), out, args.workers, trace)
        grown = r["main_peak"][1] - r["main_first"][1]
        print("| %s | %d | %.1f s | %.0f (%.0f) | %.0f (%.0f) | %.0f bytes | %.0f (%.0f) | %.1f, %.1f |" % (
            folder, r["articles"], r["wall"], *r["main_first"], *r["main_peak"],
            grown * 2**20 / max(1, r["articles"]), *r["worker_peak"], sum(r["loads"]) / len(r["loads"]),
            max(r["loads"])), flush=True)
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    if trace:
        trace.close()


if __name__ == "__main__":
    main()
