"""Readers isolated: four ordinary readers of the page, alone and beside a hostile one.

    python bench/bench_isolation.py --index /tmp/web-ant              # starts and stops akhbar serve
    python bench/bench_isolation.py --url http://127.0.0.1:8000       # or measures one already running

Four clients loop over the dev queries (first result pages) for S seconds
(default 60) and their p50/p95 is taken; then the same four run again while a
fifth client sends, back to back, the worst queries we know (HOSTILE below:
did-you-mean over hundreds of letters, many fuzzy and prefix expansions,
phrases of marks, far dates, a 1,000-character query).  The rounds alternate
(alone, beside, alone, beside...) so that the load of a shared machine falls on
both, after every query has been asked once so that no round meets a colder cache.  Acceptance: the four readers' p95 beside the hostile client stays within
2x of their p95 alone, with no errors.  Loopback addresses only.
"""
import argparse
import os
import random
import sys
import threading
import time

from bench_web import Client, add_server_options, ms, page_path, percentile, read_queries, served

_rng = random.Random(11)
_ARABIC = "ءابتثجحخدذرزسشصضطظعغفقكلمنهويؤئ"
HOSTILE = [
    "ا" * 400,                                                          # did you mean, repeated letters
    "".join(_rng.choice(_ARABIC) for _ in range(300)),                  # did you mean, random letters
    " ".join("".join(_rng.choice(_ARABIC) for _ in range(24)) for _ in range(40)),   # many unknown words
    "الحكومة~ الرئيس~ الوزراء~ المتحدة~ الاقتصاد~",                   # fuzzy expansions
    "ا* ب* ت* م* ل* ع* س* ف* ق* ك*",                                   # prefix expansions
    " ".join(["правительство~"] * 64),
    " OR ".join("ال%s*" % c for c in _ARABIC[:20]),
    '"ـ ـ" "ً ٌ" title:"ً ٌ" date:9999-12-31 date:2020..9999-12-31',
    ("الأمم المتحدة OR " * 60)[:1000],
    "(" * 200 + "الأمم" + ")" * 200,
]


def clients_loop(host, port, queries, n_clients, seconds, hostile=False):
    """(latencies of the ordinary clients, their error count, hostile latencies, hostile errors)."""
    stop_at = time.perf_counter() + seconds
    lock = threading.Lock()
    times, errors = [], [0]
    bad_times, bad_errors = [], [0]

    def ordinary(n):
        client, mine, errs = Client(host, port), [], 0
        i = n * 61
        while time.perf_counter() < stop_at:
            status, took, _ = client.get(page_path(queries[i % len(queries)]))
            mine.append(took)
            errs += status != 200
            i += 1
        client.close()
        with lock:
            times.extend(mine)
            errors[0] += errs

    def attacker():
        client, i = Client(host, port), 0
        while time.perf_counter() < stop_at:
            status, took, _ = client.get(page_path(HOSTILE[i % len(HOSTILE)]))
            bad_times.append(took)
            bad_errors[0] += status != 200
            i += 1
        client.close()

    threads = [threading.Thread(target=ordinary, args=(n,)) for n in range(n_clients)]
    if hostile:
        threads.append(threading.Thread(target=attacker))
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 300)
    return times, errors[0], bad_times, bad_errors[0]


def server_memory(pid):
    """Resident size now and at its peak, from /proc (Linux)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return "resident %s, peak %s" % (fields["VmRSS"].strip(), fields["VmHWM"].strip())
    except (OSError, KeyError):
        return "unknown"


def warm_up(host, port, queries, n_clients):
    """Every query once before any round, so no round meets a colder term cache than another."""
    def run(n):
        client = Client(host, port)
        for q in queries[n::n_clients]:
            client.get(page_path(q))
        client.close()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(n_clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_server_options(ap, threads=8)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=60.0, help="length of each round")
    ap.add_argument("--rounds", type=int, default=2, help="pairs of rounds (alone, beside the hostile client)")
    args = ap.parse_args()
    queries = read_queries(args.topics)
    with served(args) as (host, port, url, proc):
        print("server %s, %d ordinary queries, %d hostile ones, load %s" % (
            url, len(queries), len(HOSTILE), " ".join("%.1f" % x for x in os.getloadavg())))
        warm_up(host, port, queries, args.clients)
        alone, beside, failures, bad_all = [], [], 0, []
        for r in range(args.rounds):
            t, e, _, _ = clients_loop(host, port, queries, args.clients, args.seconds)
            alone += t
            failures += e
            print("round %d alone:  %d pages, %d errors, p50 %s ms, p95 %s ms" % (
                r + 1, len(t), e, ms(percentile(t, 50)), ms(percentile(t, 95))))
            t, e, bad, bad_e = clients_loop(host, port, queries, args.clients, args.seconds, hostile=True)
            beside += t
            bad_all += bad
            failures += e
            print("round %d beside: %d pages, %d errors, p50 %s ms, p95 %s ms; hostile: %d requests, "
                  "%d not 200, max %s ms" % (r + 1, len(t), e, ms(percentile(t, 50)), ms(percentile(t, 95)),
                                              len(bad), bad_e, ms(max(bad) if bad else 0)))
        ratio = percentile(beside, 95) / percentile(alone, 95)
        if proc is not None:
            print("server memory: %s" % server_memory(proc.pid))
        print("four readers: p95 alone %s ms, beside the hostile client %s ms (%.2fx), p50 %s -> %s ms, "
              "errors %d; hostile requests %d, p50 %s ms, max %s ms; load %s" % (
                  ms(percentile(alone, 95)), ms(percentile(beside, 95)), ratio, ms(percentile(alone, 50)),
                  ms(percentile(beside, 50)), failures, len(bad_all), ms(percentile(bad_all, 50)),
                  ms(max(bad_all) if bad_all else 0), " ".join("%.1f" % x for x in os.getloadavg())))
        return 0 if ratio <= 2 and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
