"""bench/make_archive.py: archives of the asked size whose copies are all distinct articles."""
import json
import math
import random
from collections import Counter
from types import SimpleNamespace

from bench.make_archive import base_articles, records, write_archive
from indexer.prepare import dedup_key

WORDS = ("river port grain tariff council storm harvest bridge strike court "
         "minister railway drought festival museum election").split()


def _sentence(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize() + "."


def _write_articles(folder):
    """Articles of every shape: two or three sentences in one paragraph (few
    variants), several paragraphs (many), one sentence (no copy), and one
    whose sentences all repeat (its variants fold together)."""
    rng = random.Random(7)
    folder.mkdir()
    shapes = [[2]] * 6 + [[3]] * 4 + [[1, 1]] * 2 + [[2, 3, 1, 2]] * 3 + [[1]] * 2
    for n, shape in enumerate(shapes):
        paras = [" ".join(_sentence(rng) for _ in range(k)) for k in shape]
        (folder / ("%02d.txt" % n)).write_text("Report %d\n\n%s\n" % (n, "\n\n".join(paras)), encoding="utf-8")
    same = "The ferry left the port at noon."
    (folder / "repeats.txt").write_text("Ferry\n\n%s %s\n\n%s\n" % (same, same, same), encoding="utf-8")


def _key(rec):
    return dedup_key(SimpleNamespace(title=rec["title"], body=rec["text"]))


def test_every_copy_is_a_distinct_article(tmp_path):
    _write_articles(tmp_path / "src")
    base = base_articles([str(tmp_path / "src")])
    assert len(base) == 18
    count = 12 * len(base)
    recs = list(records(base, count, "s"))
    assert len(recs) == count
    assert len({r["id"] for r in recs}) == count
    assert len({_key(r) for r in recs}) == count
    copies = Counter(r["id"].split("~")[0] for r in recs)
    # A one-paragraph article of S sentences has S! variants (S to drop, the
    # rest in any order); one sentence, none.
    for article in base:
        paras = article.body.split("\n\n")
        sentences = sum(p.count(".") for p in paras)
        if article.id.endswith("repeats.txt"):
            assert copies[article.id] == 1 + 1     # whichever sentence goes, two alike remain
        elif len(paras) == 1:
            assert copies[article.id] == 1 + (math.factorial(sentences) if sentences > 1 else 0)
    # The missing count came from the longer articles.
    assert copies[base[0].id] == 3 and max(copies.values()) > 12


def test_copies_keep_the_articles_words_but_drop_one_sentence(tmp_path):
    _write_articles(tmp_path / "src")
    base = {a.id: a for a in base_articles([str(tmp_path / "src")])}
    for rec in records(list(base.values()), 100, "s"):
        if "~" not in rec["id"]:
            continue
        original = base[rec["id"].split("~")[0]]
        source = Counter(s for p in original.body.split("\n\n") for s in p.split(". "))
        kept = Counter(s for p in rec["text"].split("\n\n") for s in p.split(". "))
        assert rec["title"] == original.title and sum((source - kept).values()) >= 1
        assert set(rec["text"].split()) <= set(original.body.split())


def test_same_command_writes_same_bytes(tmp_path):
    _write_articles(tmp_path / "src")
    base = base_articles([str(tmp_path / "src")])
    outs = []
    for name in ("one", "two"):
        out = str(tmp_path / name)
        assert write_archive(base, out, 150, 40, "s")[0] == 4
        outs.append(b"".join((tmp_path / name / ("part-%04d.jsonl" % i)).read_bytes() for i in range(4)))
    assert outs[0] == outs[1]
    assert sum(1 for line in outs[0].splitlines() if json.loads(line)) == 150
    other = tmp_path / "other"
    write_archive(base, str(other), 150, 40, "another seed")
    assert b"".join((other / ("part-%04d.jsonl" % i)).read_bytes() for i in range(4)) != outs[0]


def test_asking_for_more_than_the_variants_allow_says_so(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text("Port\n\nShips wait. Cranes stop.\n", encoding="utf-8")
    base = base_articles([str(folder)])
    try:
        list(records(base, 10, "s"))
    except SystemExit as stop:
        assert "only 3 distinct articles" in str(stop)
    else:
        raise AssertionError("no message")
