"""Language detection accuracy per article and per title-sized query.

    python bench/bench_language.py [--multi /tmp/multi] [--ant /tmp/ant] [--ant-every 10]

Articles come from the multilingual sample (``en-bbc/``, ``ru-wikinews/``,
``fr-orangesum/``: the folder gives the true language) and every Nth ANT file
(Arabic), read by akhbar's own readers.  Per article, the detector sees what
the indexer gives it: the title and the first 4,000 characters of the body.
Per query, it sees the title alone; for a Latin-script query too short to
carry a function word the detector answers "unknown" and the search stems it
as English and as French, so "unknown" is counted apart from "wrong".
"""
import argparse
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from indexer.analysis import detect_language  # noqa: E402
from indexer.documents import read_file  # noqa: E402
from corpora import add_corpus_options, require_corpora  # noqa: E402

FOLDERS = {"en-bbc": "en", "ru-wikinews": "ru", "fr-orangesum": "fr"}


def articles(multi, ant, ant_every):
    """(true language, path, Article) for every article of the sample."""
    for folder, lang in sorted(FOLDERS.items()):
        root = os.path.join(multi, folder)
        for d, _, files in sorted(os.walk(root)):
            for f in sorted(files):
                if f.upper().startswith("README"):
                    continue
                path = os.path.join(d, f)
                try:
                    for a in read_file(path, os.path.relpath(path, multi)):
                        yield lang, path, a
                except Exception as e:          # an unreadable file is reported, not fatal
                    print("skipped %s: %s" % (path, e), file=sys.stderr)
    paths = sorted(os.path.join(d, f) for d, _, files in os.walk(ant) for f in files)
    for path in paths[::ant_every]:
        for a in read_file(path, os.path.relpath(path, ant)):
            yield "ar", path, a


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_options(p, "multi", "ant")
    p.add_argument("--ant-every", type=int, default=10, help="use every Nth ANT file")
    p.add_argument("--show", type=int, default=10, help="list this many wrong articles")
    args = p.parse_args(argv)
    require_corpora(args, "multi", "ant")
    per_lang = Counter()
    wrong_articles = Counter()
    query_outcome = Counter()
    shown = []
    for truth, path, a in articles(args.multi, args.ant, max(1, args.ant_every)):
        per_lang[truth] += 1
        got = detect_language(a.title + "\n" + a.body[:4000])
        if got != truth:
            wrong_articles[truth] += 1
            if len(shown) < args.show:
                shown.append("%s: expected %s, got %s: %s" % (path, truth, got, a.title[:60]))
        q = detect_language(a.title)
        query_outcome[(truth, "right" if q == truth else "unknown" if q is None else "wrong")] += 1
    total = sum(per_lang.values())
    wrong = sum(wrong_articles.values())
    print("articles: %d, detected wrongly: %d (1 in %s)" % (total, wrong, "%d" % (total // wrong) if wrong else "none"))
    for lang in sorted(per_lang):
        n = per_lang[lang]
        print("  %s %5d articles, %3d wrong (%.2f%%); titles as queries: %d right, %d unknown "
              "(searched as en+fr), %d wrong" % (
                  lang, n, wrong_articles[lang], 100.0 * wrong_articles[lang] / n,
                  query_outcome[(lang, "right")], query_outcome[(lang, "unknown")],
                  query_outcome[(lang, "wrong")]))
    for line in shown:
        print("  " + line)


if __name__ == "__main__":
    main()
