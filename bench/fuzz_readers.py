"""The file readers under fire: seeded hostile files of every format; every good record kept, memory bounded.

    python bench/fuzz_readers.py [--seed 1] [--files 200] [--giant 3] [--big] [--formats csv,json] [--keep DIR]

For each format (csv, json, jsonl, trec, text) it writes ``--files`` files of
1 to 12 good records (an article, with a marker word of its own in its id,
title and text; CSV rows with quoted fields over several lines, commas and
doubled quotes; JSON compact or indented, escaped or not, with nested values;
a text file is one article) and damages each file in one way, drawn:

- ``none``: left whole;
- ``cut``: truncated at a random byte;
- ``flips``: 1 to 4 bytes set to random values (NUL, quotes, newlines and
  brackets among them);
- ``giant``: a record of its own holding a field of up to three times the
  record limit (``indexer.documents.MAX_RECORD_CHARS``), of lines shaped like
  the file's records (``--giant`` files per format; they are large);
- ``deep``: 100,000 levels of nesting (JSON brackets; CSV quotes; TREC
  ``<DOC>`` and ``<TEXT>`` tags; blank lines and language-switcher tokens in text);
- ``garbage``: lines of random text between the records.

A record is *good* when the damage left its bytes, and the separators around
it, untouched (the CSV header too: a file whose header is damaged has no good
record).  Each file is read with ``read_file``, timed, then again under tracemalloc; the script
counts good records kept and lost, articles that carry no marker (junk read
from inside a damaged record), files refused, and the peak of memory
allocated while reading one file, against the bound stated in README
(``MEMORY_BOUND``).  Any exception but UnreadableFile is a failure.  Exit
status 1 when a good record is lost, junk is read, or the bound is passed.

``--big`` also reads, each in a fresh child process whose resident peak is
measured (the interpreter and the reader's imports included), the issue's
extremes: a CSV with a 100 MB field and a JSON Lines file with a
10^9-character line between good records (1 GB on disk for a moment).
"""
import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from indexer import documents  # noqa: E402
from indexer.documents import UnreadableFile, read_file  # noqa: E402

FORMATS = ("csv", "json", "jsonl", "trec", "text")
DAMAGES = ("none", "cut", "flips", "giant", "deep", "garbage")
# Reading one file allocates at most this much (README, "Bad input"): about
# seven copies of the record being read (the window and the chunk joining it,
# its text, its fields or value, the article's paragraphs), at four bytes a
# character when one of them is outside the BMP (an emoji), plus the articles kept.
MEMORY_BOUND = 30 * documents.MAX_RECORD_CHARS
# Garbage lines are lines of the file (a CSV row, a line of text), not junk:
# they share no character but space and comma with the words of the records.
GARBAGE = "#~^|!?&* ,"
WORDS = ("olive", "harvest", "زيت", "الزيتون", "تونس", "exports", "دولار", "rain", "Москва", "récolte", "é", "a,b",
         'say "hi"', "x\ty", "50%", "{braces}", "[list]", "<tag>", "\\back", "emoji 🫒")


def _article(rng, n):
    marker = "mk%dq%d" % (n, rng.randrange(10 ** 6))
    title = "%s %s" % (" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))), marker)
    # The marker ends every paragraph: a paragraph read as an article of its own is seen.
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 30))) + " " + marker
                  for _ in range(rng.randint(1, 4))]
    return {"id": marker, "title": title, "text": "\n\n".join(paragraphs), "date": "2023-0%d-1%d" % (
        rng.randint(1, 9), rng.randint(0, 9)), "source": rng.choice(["Wire", "وكالة", "Agence"])}, marker


def _csv_field(value):
    return '"%s"' % value.replace('"', '""') if any(c in value for c in ',"\n\r') else value


def serialise(fmt, rng, articles):
    """(header, [record text], separator, footer) of ``articles`` in ``fmt``."""
    if fmt == "csv":
        names = ["id", "title", "text", "date", "source"]
        return ",".join(names) + "\n", [",".join(_csv_field(a[k]) for k in names) for a in articles], "\n", "\n"
    if fmt == "jsonl":
        ascii_ = rng.random() < 0.5
        return "", [json.dumps(a, ensure_ascii=ascii_) for a in articles], "\n", "\n"
    if fmt == "json":
        indent, ascii_ = rng.choice([None, 2]), rng.random() < 0.5
        items = [dict(a, meta={"authors": [{"name": "x"}, {"name": "y"}], "n": [1, [2, 3]]}) for a in articles]
        sep = ",\n" if indent else ", "
        return "[\n" if indent else "[", [json.dumps(i, indent=indent, ensure_ascii=ascii_) for i in items], sep, \
            "\n]\n" if indent else "]"
    if fmt == "trec":
        return "", ["<DOC>\n<DOCNO>%s</DOCNO>\n<DATE>%s</DATE>\n<TITLE>%s</TITLE>\n<TEXT>\n%s\n</TEXT>\n</DOC>" % (
            a["id"], a["date"], a["title"].replace("<", "("), a["text"].replace("<", "(")) for a in articles], "\n", "\n"
    a = articles[0]
    return "", ["%s\n\n%s" % (a["title"], a["text"])], "", "\n"


def _giant(fmt, rng, chars):
    """One record holding a field of ``chars`` characters of lines shaped like the format's records."""
    # Lines shaped like records, with a character outside the BMP: four bytes a character.
    line = {"csv": "JUNK,junk title 🫒,junk text,2023-01-01,Wire\n", "jsonl": '{"id": "JUNK", "title": "junk 🫒"}\\n',
            "json": '{\\"id\\": \\"JUNK\\", \\"title\\": \\"junk 🫒\\"}, ', "trec": "JUNK junk text 🫒\n",
            "text": "junk line 🫒\n"}[fmt]
    body = line * (chars // len(line) + 1)
    return serialise(fmt, rng, [{"id": "GIANT", "title": "giant", "text": body, "date": "", "source": ""}])[1][0]


def _deep(fmt):
    return {"json": '{"id": "DEEP", "title": "deep", "text": %s}' % ("[" * 100_000 + "]" * 100_000),
            "jsonl": "[" * 100_000 + "]" * 100_000,
            "csv": 'DEEP,"%s",x,,' % ('"' * 100_001),
            "trec": "<DOC>\n" * 100_000 + "<DOC><TITLE>deep</TITLE><TEXT>" + "<TEXT>" * 100_000 + "</DOC>",
            "text": "\n" * 100_000 + "Ab " * 30_000}[fmt]


def make_file(fmt, rng, damage, giant_chars):
    """(bytes, markers of the good records, markers of every record) of one damaged file."""
    articles, markers = zip(*[_article(rng, n) for n in range(1 if fmt == "text" else rng.randint(1, 12))])
    header, records, sep, footer = serialise(fmt, rng, list(articles))
    spans = []                                   # (marker, start, end) of each record, separator included
    extra = None
    if damage in ("giant", "deep", "garbage") and fmt != "text":
        extra = {"giant": lambda: _giant(fmt, rng, giant_chars), "deep": lambda: _deep(fmt),
                 "garbage": lambda: "\n".join("".join(rng.choice(GARBAGE) for _ in range(rng.randint(0, 60)))
                                              for _ in range(rng.randint(1, 5)))}[damage]()
    at = rng.randint(0, len(records)) if extra is not None else -1
    parts, pos = [header], len(header.encode("utf-8"))
    for i, (record, marker) in enumerate(zip(records, markers)):
        if i == at:
            parts.append(extra + sep)
            pos += len((extra + sep).encode("utf-8"))
        size = len((record + sep).encode("utf-8"))
        spans.append((marker, pos, pos + size))
        parts.append(record + (sep if i + 1 < len(records) or at == len(records) else ""))
        pos += size
    if at == len(records):
        parts.append(extra)
    parts.append(footer)
    if fmt == "text" and damage in ("giant", "deep"):
        parts = [records[0].replace("\n\n", "\n\n" + _deep("text") + "\n\n", 1) if damage == "deep" else
                 records[0] + " " + "word " * (giant_chars // 5)]
    data = bytearray("".join(parts).encode("utf-8"))
    touched = set()
    if damage == "cut":
        cut = rng.randint(0, len(data))
        touched = set(range(cut, len(data) + 1))
        del data[cut:]
    elif damage == "flips":
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(data))
            data[i] = rng.choice([0, 10, 13, 34, 44, 60, 62, 91, 93, 123, 125, rng.randrange(256)])
            touched.add(i)
    header_bytes = len(header.encode("utf-8"))
    if fmt == "csv" and touched and min(touched) < header_bytes + 1:
        good = []
    elif fmt == "text":
        title_end = len(records[0].split("\n", 1)[0].encode("utf-8"))
        good = [markers[0]] if damage != "giant" and not any(i <= title_end for i in touched) else []
    else:
        good = [m for m, s, e in spans if not any(s - 1 <= i <= e for i in touched)]
    return bytes(data), good, list(markers)


def read_one(path, name):
    """(articles, problems, error or None, peak bytes, seconds) of reading one file: timed
    once, then read again under tracemalloc for its peak (which slows allocations)."""
    def read():
        problems = []
        try:
            return read_file(path, name, problems=problems), problems, None
        except UnreadableFile as e:
            return [], problems, str(e)
    started = time.perf_counter()
    articles, problems, error = read()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        read()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return articles, problems, error, peak, seconds


def fuzz(seed, files, giant_files, folder, keep=None, formats=FORMATS):
    rows, failures = {}, []
    giant_chars = 3 * documents.MAX_RECORD_CHARS
    for fmt in formats:
        rng = random.Random("%d-%s" % (seed, fmt))     # each format's files whatever the others
        row = rows[fmt] = dict(files=0, records=0, good=0, kept=0, lost=0, junk=0, refused=0, problems=0,
                               peak=0, seconds=0.0, worst=0.0, slowest="", hungriest="")
        giants = 0
        for n in range(files):
            damage = rng.choice(DAMAGES)
            if damage == "giant":
                giants += 1
                if giants > giant_files:
                    damage = "flips"
            data, good, everyone = make_file(fmt, rng, damage, rng.randint(giant_chars // 6, giant_chars))
            name = "f%d.%s" % (n, "txt" if fmt == "text" else fmt)
            path = os.path.join(folder, name)
            with open(path, "wb") as f:
                f.write(data)
            try:
                articles, problems, error, peak, seconds = read_one(path, name)
            except Exception as e:          # noqa: BLE001 - anything but UnreadableFile is the finding
                failures.append("%s (%s, seed %d): %s: %s" % (name, damage, seed, type(e).__name__, e))
                continue
            finally:
                os.unlink(path)
            # A good record is kept when an article has its id (a text file: its marker in the title).
            found = {a.id for a in articles} | {m for a in articles for m in good if fmt == "text" and m in a.title}
            lost = sorted(set(good) - found)
            # Junk: an article read from inside a record that is not damaged (the lines of a
            # giant field, a paragraph of a good record), whatever id it was given.
            junk = [a.id for a in articles if a.id not in everyone and a.id != name and (
                "JUNK" in a.id + a.title or "junk" in a.title + a.body[:200] or
                any(m in a.id + a.title + a.body for m in good))]
            if lost or junk or peak > MEMORY_BOUND:
                failures.append("%s (%s): lost %s, junk %s, peak %.0f MB; problems %s; %s" % (
                    name, damage, lost, junk[:3], peak / 1e6, problems[:3], error or ""))
                if keep:
                    with open(os.path.join(keep, name), "wb") as f:
                        f.write(data)
            row["files"] += 1
            row["records"] += len(everyone)
            row["good"] += len(good)
            row["kept"] += len(set(good) & found)
            row["lost"] += len(lost)
            row["junk"] += len(junk)
            row["refused"] += error is not None
            row["problems"] += len(problems)
            row["seconds"] += seconds
            if seconds > row["worst"]:
                row["worst"], row["slowest"] = seconds, "%s (%s)" % (name, damage)
            if peak > row["peak"]:
                row["peak"], row["hungriest"] = peak, "%s (%s)" % (name, damage)
    return rows, failures


def _big_child(path, name, out):
    problems = []
    try:
        ids = [a.id for a in read_file(path, name, problems=problems)]
    except (UnreadableFile, MemoryError) as e:
        ids = ["%s: %s" % (type(e).__name__, e)]
    out.put((ids, problems, _peak_resident_kb()))


def _peak_resident_kb():
    """This process's resident peak: VmHWM, which an exec resets (ru_maxrss keeps the
    peak of the process it was forked from)."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def big(folder):
    """The issue's extremes, each read in a child process: (name, MB on disk, ids, resident peak MB, seconds)."""
    results = []
    for name, size in (("field-100MB.csv", 100_000_000), ("line-1e9.jsonl", 1_000_000_000)):
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            if name.endswith(".csv"):
                f.write(b'id,title,text\nB-1,before,kept words\nBIG,giant,"')
            else:
                f.write(b'{"id": "B-1", "title": "before", "text": "kept"}\n{"id": "BIG", "text": "')
            block = (b"JUNK,junk title,junk text\n" if name.endswith(".csv") else b"a") * (1 << 20)
            for _ in range(-(-size // len(block))):
                f.write(block)
            f.write(b'"\nB-2,after,kept too\n' if name.endswith(".csv") else
                    b'"}\n{"id": "B-2", "title": "after", "text": "kept too"}\n')
        ctx = multiprocessing.get_context("spawn")      # a fresh process: its peak is the reading's
        out = ctx.Queue()
        started = time.perf_counter()
        child = ctx.Process(target=_big_child, args=(path, name, out))
        child.start()
        ids, problems, maxrss_kb = out.get()
        child.join()
        results.append((name, os.path.getsize(path) / 1e6, ids, problems, maxrss_kb / 1024,
                        time.perf_counter() - started))
        os.unlink(path)
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--files", type=int, default=200, help="files per format")
    ap.add_argument("--giant", type=int, default=3, help="files per format with a giant record (large)")
    ap.add_argument("--big", action="store_true", help="also the issue's 100 MB field and 10^9-character line")
    ap.add_argument("--keep", metavar="DIR", help="write the files that fail here")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated (default: all)")
    args = ap.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="fuzz-readers-")
    try:
        rows, failures = fuzz(args.seed, args.files, args.giant, folder, args.keep, args.formats.split(","))
        extremes = big(folder) if args.big else []
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("seed %d, %d files per format, record limit %s characters, memory bound %.0f MB a file"
          % (args.seed, args.files, format(documents.MAX_RECORD_CHARS, ","), MEMORY_BOUND / 1e6))
    print("| format | files | records | good | kept | lost | junk | refused | problem lines | peak MB | "
          "mean ms | worst ms |")
    print("| --- " * 12 + "|")
    for fmt, r in rows.items():
        print("| %s | %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f | %.0f |" % (
            fmt, r["files"], r["records"], r["good"], r["kept"], r["lost"], r["junk"], r["refused"], r["problems"],
            r["peak"] / 1e6, 1000 * r["seconds"] / max(1, r["files"]), 1000 * r["worst"]))
    print("slowest: " + ", ".join("%s %s" % (fmt, r["slowest"]) for fmt, r in rows.items()))
    print("largest peak: " + ", ".join("%s %s" % (fmt, r["hungriest"]) for fmt, r in rows.items()))
    for name, mb, ids, problems, rss, seconds in extremes:
        print("%s: %.0f MB, articles %s, problems %s; resident peak %.0f MB, %.1f s" % (
            name, mb, ids, problems, rss, seconds))
    over = [fmt for fmt, r in rows.items() if r["peak"] > MEMORY_BOUND]
    for line in failures[:30]:
        print("FAIL", line)
    if over:
        print("FAIL memory bound passed in", ", ".join(over))
    return 1 if failures or over else 0


if __name__ == "__main__":
    sys.exit(main())
