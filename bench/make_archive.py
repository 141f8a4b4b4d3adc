"""Larger archives from real news, for measuring how costs grow with the archive.

    python bench/make_archive.py --out /tmp/scale            # a-3x/, a-11x/, a-32x/
    python bench/make_archive.py --out /tmp/scale --sizes 11

Each archive holds ``size`` times as many articles as ANT (31,525), as JSON
Lines files of ``--per-file`` articles.  It starts with every article of ANT
and of the multilingual sample as read by akhbar's own readers; then, round
after round, a further copy of each article, until the count is reached.  A
copy keeps the article's metadata, gets a new id, has its paragraphs in
another order and one of its sentences dropped, so it is no duplicate (the
index would otherwise fold it into the original) while its words, their
Zipf distribution and the growth of postings stay those of real news.
Articles with fewer than two sentences have nothing to drop and are not
copied.  Everything is decided by a seeded random generator per article and
round: the same command writes the same bytes.
"""
import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
import time

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


def variant_body(body, rng):
    """``body`` with its paragraphs shuffled and one sentence dropped."""
    paras = [_sentences(p) for p in body.split("\n\n") if p.strip()]
    places = [(i, j) for i, sents in enumerate(paras) for j in range(len(sents))]
    drop_i, drop_j = places[rng.randrange(len(places))]
    del paras[drop_i][drop_j]
    paras = [" ".join(s) for s in paras if s]
    rng.shuffle(paras)
    return "\n\n".join(paras)


def record(article, copy, seed):
    """The JSON record of ``article``, or of its ``copy``-th variant."""
    body, rid = article.body, article.id
    if copy:
        digest = hashlib.blake2b(("%s|%s|%d" % (seed, article.id, copy)).encode("utf-8"), digest_size=8)
        body = variant_body(body, random.Random(int.from_bytes(digest.digest(), "big")))
        rid = "%s~%d" % (article.id, copy)
    rec = {"id": rid, "title": article.title, "text": body, "date": article.date,
           "source": article.sources, "tags": article.tags, "url": article.url,
           "lang": article.lang, "author": article.author, "abstract": article.abstract,
           "category": article.category}
    return {k: v for k, v in rec.items() if v not in (None, "", [])}


def records(base, count, seed):
    """``count`` records: the originals, then rounds of copies."""
    copyables = [a for a in base if copyable(a)]
    n, copy = 0, 0
    while n < count:
        for article in (base if copy == 0 else copyables):
            if n >= count:
                return
            yield record(article, copy, seed)
            n += 1
        copy += 1


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
