"""Page latency and load of the results page, through a running `akhbar serve`.

    python bench/bench_web.py --index /tmp/web-ant            # starts and stops the server itself
    python bench/bench_web.py --url http://127.0.0.1:8000     # or measures one already running

1. Every query of the topics file, one after another: p50/p95 time of the
   whole page (request sent to last byte read), first page of results.
   Then the article page of the first hit of each (whole text, highlighting,
   other places, more like this), reached from the search as a reader would.
2. N clients (default 8) for S seconds (default 30), each looping over the
   queries and their second pages: requests done, errors, latency under load.

Loopback addresses only: this is not a tool for loading other people's servers.
The default topics are ../shared/eval/ant-dev.topics.tsv (qid<TAB>kind<TAB>query).
"""
import argparse
import html
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TOPICS = os.path.join(ROOT, "..", "shared", "eval", "ant-dev.topics.tsv")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def read_queries(path):
    queries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[-1].strip():
                queries.append(parts[-1].strip())
    return queries


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def page_path(query, page=1):
    return "/?" + urlencode([("q", query)] + ([("page", page)] if page > 1 else []))


FIRST_ARTICLE = re.compile(r'<li class="hit"[^>]*>\s*<h2 class="title"><a href="(/article\?[^"]+)"')


class Client:
    """One keep-alive HTTP connection, reopened after any failure."""

    def __init__(self, host, port):
        self.host, self.port, self.conn = host, port, None
        self.last_body = b""

    def get(self, path):
        """(status, seconds, bytes); status 0 when the request failed outright."""
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            body = response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            status, body = 0, b""
        self.last_body = body
        return status, time.perf_counter() - started, len(body)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def sequential(host, port, queries, articles=True):
    """Result pages of every query, then (``articles``) the article page of each first hit."""
    client = Client(host, port)
    times, errors, sizes, articles = [], 0, [], []
    for q in queries:
        status, seconds, size = client.get(page_path(q))
        if status != 200:
            errors += 1
        times.append(seconds)
        sizes.append(size)
        m = articles and FIRST_ARTICLE.search(client.last_body.decode("utf-8", "replace"))
        if m:
            articles.append(html.unescape(m.group(1)))
    article_times, article_errors = [], 0
    for path in articles:
        status, seconds, _ = client.get(path)
        article_errors += status != 200
        article_times.append(seconds)
    client.close()
    return times, errors, sizes, article_times, article_errors


def load(host, port, queries, clients, seconds, max_requests_per_client=100_000):
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    times, statuses = [], {}

    def worker(n):
        client = Client(host, port)
        mine, codes = [], {}
        i = n * 37
        # Bounded twice over: by the clock and by a request count.
        for _ in range(max_requests_per_client):
            if time.perf_counter() >= deadline:
                break
            q = queries[i % len(queries)]
            status, took, _ = client.get(page_path(q, 1 + (i // len(queries)) % 2))
            mine.append(took)
            codes[status] = codes.get(status, 0) + 1
            i += 1
        client.close()
        with lock:
            times.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    return times, statuses, time.perf_counter() - started


def start_server(index_dir, threads):
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "akhbar", "serve", "--index", index_dir, "--port", "0", "--threads", str(threads)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    line = proc.stdout.readline()
    proc.ready_s = time.perf_counter() - started
    if "http://" not in line:
        proc.kill()
        sys.exit("akhbar serve did not start: %s%s" % (line, proc.stderr.read()))
    return proc, "http://" + line.split("http://", 1)[1].split()[0].rstrip("/")


def add_server_options(ap, threads):
    """--url or --index (with --threads) and --topics: the page to measure and the queries to ask it."""
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running akhbar serve on this machine")
    where.add_argument("--index", help="start `akhbar serve --index INDEX` for the run, stop it after")
    ap.add_argument("--threads", type=int, default=threads,
                    help="server threads when --index (default %d)" % threads)
    ap.add_argument("--topics", default=DEFAULT_TOPICS)


@contextmanager
def served(args):
    """(host, port, url, server process or None) for the options of add_server_options.

    A server started for --index is stopped (Ctrl-C, then kill) when the block ends;
    anything but a loopback address is refused.
    """
    if not os.path.exists(args.topics):
        sys.exit("no topics file at %s (it lives in ../shared/eval; pass --topics)" % args.topics)
    proc = None
    if args.index:
        proc, url = start_server(args.index, args.threads)
    else:
        url = args.url
    try:
        parts = urlsplit(url)
        if parts.hostname not in LOOPBACK:
            sys.exit("refusing %s: only loopback addresses are measured" % url)
        yield parts.hostname, parts.port or 80, url, proc
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def server_memory(proc):
    """"VmRSS (RssAnon private)" of the server process, MB, or None."""
    found = {}
    try:
        with open("/proc/%d/status" % proc.pid) as f:
            for line in f:
                key = line.split(":")[0]
                if key in ("VmRSS", "RssAnon"):
                    found[key] = round(int(line.split()[1]) / 1024)
    except OSError:
        return None
    return "%s MB (%s MB private)" % (found.get("VmRSS"), found.get("RssAnon"))


def ms(x):
    return "%.1f" % (x * 1000)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_server_options(ap, threads=4)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--warmup", type=int, default=20, help="queries sent first and not timed")
    ap.add_argument("--no-articles", action="store_true", help="time result pages only, not article pages")
    args = ap.parse_args()
    queries = read_queries(args.topics)
    with served(args) as (host, port, url, proc):
        print("server %s, %d queries from %s" % (url, len(queries), os.path.relpath(args.topics, ROOT)))
        if proc is not None:
            # From starting the process to its "serving" line: the index opened and its tables built.
            print("ready to serve after %.1f s; memory %s" % (proc.ready_s, server_memory(proc)))
        sequential(host, port, queries[:args.warmup])
        times, errors, sizes, atimes, aerrors = sequential(host, port, queries, not args.no_articles)
        print("sequential: %d pages, %d errors, p50 %s ms, p95 %s ms, mean %s ms, max %s ms, "
              "median page %.1f KB" % (len(times), errors, ms(percentile(times, 50)), ms(percentile(times, 95)),
                                        ms(statistics.mean(times)), ms(max(times)),
                                        statistics.median(sizes) / 1024))
        if atimes:
            print("article pages (first hit of each): %d pages, %d errors, p50 %s ms, p95 %s ms, max %s ms" % (
                len(atimes), aerrors, ms(percentile(atimes, 50)), ms(percentile(atimes, 95)), ms(max(atimes))))
        errors += aerrors
        wtimes, werrors = sequential(host, port, queries, False)[:2]
        print("sequential again (warm): %d pages, %d errors, p50 %s ms, p95 %s ms, mean %s ms, max %s ms" % (
            len(wtimes), werrors, ms(percentile(wtimes, 50)), ms(percentile(wtimes, 95)),
            ms(statistics.mean(wtimes)), ms(max(wtimes))))
        errors += werrors
        ltimes, statuses, elapsed = load(host, port, queries, args.clients, args.seconds)
        done = len(ltimes)
        bad = sum(v for k, v in statuses.items() if k != 200)
        print("load: %d clients for %.1f s: %d pages (%.1f/s), errors %d, statuses %s, "
              "p50 %s ms, p95 %s ms, max %s ms" % (
                  args.clients, elapsed, done, done / elapsed, bad,
                  dict(sorted(statuses.items())), ms(percentile(ltimes, 50)), ms(percentile(ltimes, 95)),
                  ms(max(ltimes) if ltimes else 0)))
        if proc is not None:
            print("server memory after all requests: %s" % server_memory(proc))
        return 1 if errors or bad else 0


if __name__ == "__main__":
    sys.exit(main())
