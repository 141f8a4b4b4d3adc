"""Larger archives from real news, for measuring how costs grow with the archive.

    python bench/make_archive.py --out /tmp/scale            # a-3x/, a-11x/, a-32x/
    python bench/make_archive.py --out /tmp/scale --sizes 11

Each archive holds ``size`` times as many articles as ANT (31,525), as JSON
Lines files of ``--per-file`` articles.  It starts with every article of ANT
and of the multilingual sample as read by akhbar's own readers; then, round
after round, a further copy of each article, until the count is reached.  A
copy keeps the article's metadata, gets a new id, has its paragraphs in
another order and one of its sentences dropped, while its words, their
Zipf distribution and the growth of postings stay those of real news.

Every copy is distinct from the originals and from every earlier copy by
akhbar's own duplicate key (the index would otherwise fold them together).
An article's variants are numbered: variant v drops the sentence chosen
(v - 1) mod S of its S sentences and puts the rest in the
((v - 1) div S)-th arrangement of its paragraphs (after a seeded shuffle),
or, for an article of one paragraph, of its sentences (after their own
order: most of ANT's articles are one paragraph, and paragraph orders alone
would give them no more copies than sentences).  A variant whose key was
already written is skipped; an article whose variants run out (two
sentences give two) is copied no further, and the rounds go on with the
longer articles until the count is reached.  Articles with fewer than two
sentences have nothing to drop and are not copied.
Everything is decided by seeded generators per article: the same command
writes the same bytes.

Archives written before this rule (copies chosen at random each round) held
many repeated copies of short articles: 110,896 of the 346,775 articles of
that 11x archive were duplicates of another.
"""
import argparse
import math
import hashlib
import json
import os
import random
import re
import shutil
import sys
import time
from array import array
from types import SimpleNamespace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.corpora import add_corpus_options, require_corpora  # noqa: E402

ANT_ARTICLES = 31525
# A sentence ends at . ! ? or the Arabic question mark, before a space.
_SENTENCE_END = re.compile(r"(?<=[.!?\u061f])\s+")


def base_articles(folders):
    """Every article of the corpus folders, in a fixed order."""
    from indexer.build import discover
    from indexer.documents import UnreadableFile, read_file
    out = []
    for folder in folders:
        for full, rel in discover([folder]):
            try:
                out.extend(read_file(full, rel))
            except UnreadableFile:
                continue
    return out


def _sentences(paragraph):
    return [s for s in _SENTENCE_END.split(paragraph) if s.strip()]


def copyable(article):
    return sum(len(_sentences(p)) for p in article.body.split("\n\n")) >= 2


# A variant whose key was already written is skipped; this many skips in a
# row (an article of repeated sentences) ends that article's copies.
MAX_SKIPS = 50


def _arrangement(n, q):
    """The ``q``-th arrangement of range(n) in lexicographic order, or None past the last."""
    tail = 1
    while tail <= n and math.factorial(tail) <= q:
        tail += 1
    if tail > n:
        return None
    rest = list(range(n - tail, n))
    order = list(range(n - tail))
    for k in range(tail - 1, -1, -1):
        digit, q = divmod(q, math.factorial(k))
        order.append(rest.pop(digit))
    return order


def variant_body(body, v, rng):
    """The ``v``-th variant (v >= 1) of ``body``, or None when it has no more.

    ``rng`` is the article's own seeded generator, fresh for each call:
    the same shuffles every time.  The units put in another order are the
    paragraphs (starting from a seeded shuffle), or the sentences of an
    article of one paragraph (starting from their own order)."""
    paras = [_sentences(p) for p in body.split("\n\n") if p.strip()]
    places = [(i, j) for i, sents in enumerate(paras) for j in range(len(sents))]
    q, r = divmod(v - 1, len(places))
    drops = list(range(len(places)))
    rng.shuffle(drops)
    drop_i, drop_j = places[drops[r]]
    paras[drop_i] = paras[drop_i][:drop_j] + paras[drop_i][drop_j + 1:]
    if len(paras) == 1:
        units, sep = paras[0], " "
    else:
        shuffled = list(range(len(paras)))
        rng.shuffle(shuffled)
        units, sep = [" ".join(paras[k]) for k in shuffled if paras[k]], "\n\n"
    order = _arrangement(len(units), q)
    return None if order is None else sep.join(units[k] for k in order)


def _article_rng(article, seed):
    digest = hashlib.blake2b(("%s|%s" % (seed, article.id)).encode("utf-8"), digest_size=8)
    return random.Random(int.from_bytes(digest.digest(), "big"))


def record(article, variant=0, body=None):
    """The JSON record of ``article``, or of its ``variant``-th variant with ``body``."""
    rid = "%s~%d" % (article.id, variant) if variant else article.id
    rec = {"id": rid, "title": article.title, "text": body if variant else article.body, "date": article.date,
           "source": article.sources, "tags": article.tags, "url": article.url,
           "lang": article.lang, "author": article.author, "abstract": article.abstract,
           "category": article.category}
    return {k: v for k, v in rec.items() if v not in (None, "", [])}


def _next_copy(article, next_v, seen, seed):
    """(variant number, body) of the article's next copy not yet written, or None."""
    from indexer.prepare import dedup_key
    v = next_v
    for _ in range(MAX_SKIPS):
        body = variant_body(article.body, v, _article_rng(article, seed))
        if body is None:
            return None
        key = dedup_key(SimpleNamespace(title=article.title, body=body))
        if key not in seen:
            seen.add(key)
            return v, body
        v += 1
    return None


def records(base, count, seed):
    """``count`` records: the originals, then rounds of distinct copies."""
    from indexer.prepare import dedup_key
    seen = set()
    for n, article in enumerate(base):
        if n >= count:
            return
        seen.add(dedup_key(article))
        yield record(article)
    n = len(base)
    live = [i for i, a in enumerate(base) if copyable(a)]
    next_v = array("L", [1]) * len(base)
    while n < count:
        if not live:
            raise SystemExit("only %d distinct articles can be made from these corpora; asked for %d" % (n, count))
        still = []
        for i in live:
            if n >= count:
                return
            found = _next_copy(base[i], next_v[i], seen, seed)
            if found is None:
                continue
            next_v[i] = found[0] + 1
            yield record(base[i], *found)
            n += 1
            still.append(i)
        live = still


def write_archive(base, out, count, per_file, seed):
    """Write ``count`` records into ``out`` as part-NNNN.jsonl files; returns (files, bytes)."""
    tmp = out + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    files = size = 0
    f = None
    for i, rec in enumerate(records(base, count, seed)):
        if i % per_file == 0:
            if f:
                f.close()
            f = open(os.path.join(tmp, "part-%04d.jsonl" % files), "w", encoding="utf-8")
            files += 1
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if f:
        f.close()
    size = sum(os.path.getsize(os.path.join(tmp, n)) for n in os.listdir(tmp))
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)
    return files, size


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_corpus_options(p, "ant", "multi")
    p.add_argument("--out", required=True, help="Folder to write a-<size>x/ archives into.")
    p.add_argument("--sizes", default="3,11,32", help="Archive sizes as multiples of ANT's article count.")
    p.add_argument("--per-file", type=int, default=3000, help="Articles per JSON Lines file.")
    p.add_argument("--seed", default="akhbar")
    args = p.parse_args()
    require_corpora(args, "ant", "multi")
    started = time.perf_counter()
    base = base_articles([args.ant, args.multi])
    print("%d base articles (%d can be copied) read in %.0f s" % (
        len(base), sum(map(copyable, base)), time.perf_counter() - started), flush=True)
    for size in [int(s) for s in args.sizes.split(",")]:
        count = size * ANT_ARTICLES
        out = os.path.join(args.out, "a-%dx" % size)
        started = time.perf_counter()
        files, nbytes = write_archive(base, out, count, args.per_file, args.seed)
        print("%s: %d articles in %d files, %.2f GB, %.0f s" % (
            out, count, files, nbytes / 1e9, time.perf_counter() - started), flush=True)


if __name__ == "__main__":
    main()
