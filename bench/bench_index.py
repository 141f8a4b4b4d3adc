"""Index-building speed, memory and size: akhbar beside bare Whoosh and tantivy-py.

    python bench/bench_index.py /tmp/ant --out /tmp/bench-index

Every build runs in its own child process, one after another, so each one's
peak memory is its own and they do not compete for the cores.  Figures:

- akhbar: ``akhbar index`` on the folder (worker pool, full analysis, five
  analysed fields, stored text), then the same command again on the
  unchanged folder (the incremental re-run).
- whoosh: the same articles (read by akhbar's readers), one process,
  Whoosh's ``StandardAnalyzer`` on title and body, stored, default writer.
- tantivy: the same articles into tantivy-py's default schema and writer.

Machine time is shared: compare the ratios of one run, not numbers across runs.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def _articles(folder):
    from indexer.build import discover
    from indexer.documents import UnreadableFile, read_file
    for full, rel in discover([folder]):
        try:
            yield from read_file(full, rel)
        except UnreadableFile:
            continue


def _peak_mb():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def _cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def run_akhbar(folder, out, workers):
    from indexer.build import build_index
    started = time.perf_counter()
    summary = build_index([folder], out, rebuild=True, workers=workers)
    wall = time.perf_counter() - started
    cpu = _cpu_seconds()
    own, children = _peak_mb()
    started = time.perf_counter()
    again = build_index([folder], out, workers=workers)
    rerun = time.perf_counter() - started
    return {"articles": summary.articles, "wall": wall, "cpu": cpu, "peak_mb_main": own, "peak_mb_worker": children,
            "workers": summary.workers, "rerun_wall": rerun, "rerun_files_read": again.files_indexed,
            "index_bytes": _dir_bytes(out), "skipped": summary.files_skipped}


def run_whoosh(folder, out):
    from whoosh import fields, index
    from whoosh.analysis import StandardAnalyzer
    os.makedirs(out)
    schema = fields.Schema(id=fields.ID(stored=True, unique=True),
                           title=fields.TEXT(analyzer=StandardAnalyzer(), stored=True),
                           body=fields.TEXT(analyzer=StandardAnalyzer(), stored=True))
    started = time.perf_counter()
    ix = index.create_in(out, schema)
    writer = ix.writer()
    n = 0
    for a in _articles(folder):
        writer.add_document(id=a.id, title=a.title, body=a.body)
        n += 1
    writer.commit()
    wall = time.perf_counter() - started
    own, _ = _peak_mb()
    return {"articles": n, "wall": wall, "cpu": _cpu_seconds(), "peak_mb_main": own, "index_bytes": _dir_bytes(out)}


def run_tantivy(folder, out):
    import tantivy
    os.makedirs(out)
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True)
    builder.add_text_field("body", stored=True)
    schema = builder.build()
    started = time.perf_counter()
    ix = tantivy.Index(schema, path=out)
    writer = ix.writer()
    n = 0
    for a in _articles(folder):
        writer.add_document(tantivy.Document(id=a.id, title=a.title, body=a.body))
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    wall = time.perf_counter() - started
    own, _ = _peak_mb()
    return {"articles": n, "wall": wall, "cpu": _cpu_seconds(), "peak_mb_main": own, "index_bytes": _dir_bytes(out)}


def _run_sampling_load(cmd):
    """Run ``cmd`` to the end; (completed process, 1-minute load averages seen every 5 s)."""
    loads = [os.getloadavg()[0]]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        while True:
            try:
                out, err = proc.communicate(timeout=5)
                break
            except subprocess.TimeoutExpired:
                loads.append(os.getloadavg()[0])
    loads.append(os.getloadavg()[0])
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), loads


def _machine():
    import platform
    from importlib.metadata import version
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = "?"
    return "%s UTC, commit %s, %d cores, Python %s, whoosh-reloaded %s, tantivy %s" % (
        time.strftime("%Y-%m-%d %H:%M", time.gmtime()), commit or "?", os.cpu_count(),
        platform.python_version(), version("whoosh-reloaded"), version("tantivy"))


def child(args):
    out = os.path.join(args.out, args.variant)
    shutil.rmtree(out, ignore_errors=True)
    if args.variant == "akhbar":
        result = run_akhbar(args.folder, out, args.workers)
    elif args.variant == "whoosh":
        result = run_whoosh(args.folder, out)
    else:
        result = run_tantivy(args.folder, out)
    print(json.dumps(result))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("folder")
    p.add_argument("--out", default="/tmp/bench-index", help="Where the indexes are written.")
    p.add_argument("--variants", default="akhbar,whoosh,tantivy")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--variant", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.variant:
        return child(args)
    if not os.path.isdir(args.folder):
        sys.exit("no folder %s (the ANT corpus is unpacked from ../shared/corpora, see ../shared/README.md)"
                 % args.folder)
    text_bytes = _dir_bytes(args.folder)
    os.makedirs(args.out, exist_ok=True)
    print(_machine())
    print("corpus: %s, %d files, %.1f MB" % (args.folder, sum(len(f) for _, _, f in os.walk(args.folder)),
                                              text_bytes / 1e6))
    results = {}
    for variant in args.variants.split(","):
        cmd = [sys.executable, os.path.abspath(__file__), args.folder, "--out", args.out, "--variant", variant]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        proc, loads = _run_sampling_load(cmd)
        if proc.returncode != 0:
            print("%s failed:\n%s" % (variant, proc.stderr[-2000:]))
            continue
        r = results[variant] = json.loads(proc.stdout.strip().splitlines()[-1])
        print("%-8s load average (1 min) during the build: mean %.1f, min %.1f, max %.1f" % (
            variant, sum(loads) / len(loads), min(loads), max(loads)), flush=True)
        print("%-8s %6d articles  %7.1f s wall (%6.1f s cpu)  %6.0f articles/s  %5.2f MB/s  peak %4.0f MB%s  "
              "index %6.1f MB (%.2fx text)" % (
            variant, r["articles"], r["wall"], r["cpu"], r["articles"] / r["wall"], text_bytes / 1e6 / r["wall"],
            r["peak_mb_main"], (" + worker %.0f MB" % r["peak_mb_worker"]) if r.get("peak_mb_worker") else "",
            r["index_bytes"] / 1e6, r["index_bytes"] / text_bytes), flush=True)
        if variant == "akhbar":
            print("         re-run on the unchanged folder: %.2f s (%.1f%% of the full build), %d files read" % (
                r["rerun_wall"], 100 * r["rerun_wall"] / r["wall"], r["rerun_files_read"]), flush=True)
    for a, b in (("akhbar", "whoosh"), ("tantivy", "akhbar")):
        if a in results and b in results:
            print("%s / %s speed: %.2fx by wall time, %.2fx by cpu time" % (
                a, b, results[b]["wall"] / results[a]["wall"], results[b]["cpu"] / results[a]["cpu"]))


if __name__ == "__main__":
    main()
