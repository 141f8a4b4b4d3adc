"""Write what akhbar answers to a fixed set of searches, so two versions can be diffed.

A change meant to leave behaviour alone (a reshaping of the code) is checked
by running this once with the code before it and once after, then comparing
the two folders byte for byte:

    python bench/check_same_results.py --repo /path/to/old-checkout --out /tmp/before --ant-index DIR
    python bench/check_same_results.py --out /tmp/after --ant-index DIR
    diff -r /tmp/before /tmp/after && echo same

It writes, into ``--out``:

- ``ant-dev.trec``: the TREC run of the 300 ANT dev queries over ``--ant-index``
  (as ``bench/eval_relevance.py`` makes it: ``--limit 10 --time-limit 60``);
  skipped without ``--ant-index``.
- for each query of ``QUERIES`` on the sample corpus (indexed first, by the
  code under test, with one worker so document order is fixed): the
  ``--json`` output, the terminal output plain and coloured, and the results
  page; plus article pages, ``similar`` lists, error messages and every
  command's ``--help``.

Timings are the only thing removed (``seconds`` in JSON, ``N ms`` in text,
the minute an ``--html`` page was written).
Everything runs in one process with the code of ``--repo`` on ``sys.path``.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_EVAL = os.path.normpath(os.path.join(REPO, "..", "shared", "eval"))

# (name, command-line arguments after ``akhbar search``); the names become file names.
QUERIES = [
    ("ar-words", ["الأمم المتحدة"]),
    ("ar-spelling", ["الامم المتحده"]),
    ("ar-stem", ["اتفاقيات"]),
    ("ar-olive", ["زيت الزيتون تونس"]),
    ("ar-phrase", ['"زيت الزيتون"']),
    ("ar-phrase-guillemets", ["«الأمم المتحدة»"]),
    ("ar-phrase-diacritics", ['"زَيْتِ الزَّيْتُونِ"']),
    ("or", ["زيت OR نفط"]),
    ("or-arabic", ["زيت أو مياه"]),
    ("and", ["زيت AND تونس"]),
    ("plus", ["+الانتخابات +البلدية"]),
    ("not", ["الانتخابات NOT موريتانيا"]),
    ("not-arabic", ["الانتخابات ليس موريتانيا"]),
    ("minus", ["الأمم المتحدة -المياه"]),
    ("group", ["(زيت OR مياه) AND تونس"]),
    ("title", ["title:زيت"]),
    ("title-arabic", ["عنوان:الانتخابات"]),
    ("source", ["source:الشروق"]),
    ("source-arabic", ["مصدر:الخليج البنوك"]),
    ("lang", ["lang:en bank"]),
    ("lang-arabic", ["لغة:ru"]),
    ("tag", ["tag:البنوك"]),
    ("tag-arabic", ["وسم:الامم المتحده"]),
    ("date-year", ["date:2023"]),
    ("date-month", ["الأمم date:2024-02"]),
    ("date-range", ["date:2023-03-01..2023-06-30"]),
    ("date-open", ["date:..2023-06 الأمم"]),
    ("date-arabic-digits", ["تاريخ:٢٠٢٤"]),
    ("prefix", ["زيت*"]),
    ("fuzzy", ["صفاقص~"]),
    ("no-hit", ["قرنبيط مسلوق"]),
    ("did-you-mean", ["الانتخبات البلديه"]),
    ("en", ["olive oil exports"]),
    ("en-phrase", ['"central bank"']),
    ("ru", ["ключевая ставка"]),
    ("ru-stem", ["засухи"]),
    ("fr", ["sécheresse barrages"]),
    ("fr-elections", ["élections municipales"]),
    ("page-2", ["الأمم المتحدة", "--limit", "3", "--page", "2"]),
    ("sort-newest", ["الأمم المتحدة", "--sort", "newest", "--limit", "5"]),
    ("sort-oldest", ["date:2024", "--sort", "oldest", "--limit", "5"]),
    ("filters", ["--lang", "ar", "--from", "2023-03", "--to", "2024-02", "--source", "الشروق"]),
    ("slips", ['AND (زيت OR "تونس foo:bar title: )']),
    ("bad-date", ["date:2023-13"]),
    ("bad-lang", ["lang:xx"]),
]
ARTICLE_PAGES = [("ar/pages/tunisia-olive-oil-exports.txt", "زيت الزيتون"),
                 ("madar-2024-0218-e-counting", "الامم المتحده الانتخابات"),
                 ("ar/pages/un-cybercrime-convention-vienna.txt", "")]
PAGES = ["/help", "/?q=%D8%B2%D9%8A%D8%AA+OR+x&sort=newest", "/?q=&lang=fr", "/?q=date:2099",
         "/article?id=nonexistent"]
_MS = re.compile(r"\b\d+ ms\b")


def clean(text, index_dir):
    return _MS.sub("N ms", text.replace(index_dir, "INDEX"))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="folder to write the answers to (emptied first)")
    p.add_argument("--repo", default=REPO, help="checkout whose code answers (default: this one)")
    p.add_argument("--ant-index", help="index of the ANT corpus for the dev-query TREC run")
    p.add_argument("--eval-dir", default=DEFAULT_EVAL, help="folder with ant-dev.topics.tsv")
    args = p.parse_args(argv)

    repo = os.path.abspath(args.repo)
    sys.path.insert(0, repo)
    os.chdir(repo)
    from click.testing import CliRunner
    import akhbar.cli as cli
    import akhbar.output as output
    from web.app import create_app

    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    runner = CliRunner()

    def run(argv, color=False):
        result = runner.invoke(cli.main, argv, color=color, catch_exceptions=False)
        return "exit %d\n%s" % (result.exit_code, result.output)

    def write(name, text):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            f.write(text)

    if args.ant_index:
        from bench.eval_relevance import read_topics
        topics = read_topics(os.path.join(args.eval_dir, "ant-dev.topics.tsv"))
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as f:
            for qid, (_, query) in sorted(topics.items()):
                f.write("%s\t%s\n" % (qid, query))
        try:
            write("ant-dev.trec", run(["search", "--index", args.ant_index, "--batch", f.name,
                                       "--format", "trec", "--limit", "10", "--time-limit", "60"]))
        finally:
            os.unlink(f.name)

    work = tempfile.mkdtemp(prefix="check-same-")
    index_dir = os.path.join(work, "sample-index")
    try:
        write("index.txt", re.sub(r"\d+(\.\d+)? ?(s|MB/s)\b", "T", clean(
            run(["index", os.path.join(repo, "corpus"), "--index", index_dir, "--workers", "1"]), index_dir)))
        # The terminal's colours are only used on a terminal; the wrapper asks for them.
        plain_results, plain_similar = output.print_results, output.print_similar
        for name, argv in QUERIES:
            base = ["search", "--index", index_dir] + argv
            data = run(base + ["--json"])
            head, _, body = data.partition("\n")
            if body.startswith("{"):
                parsed = json.loads(body)
                parsed.pop("seconds", None)
                data = head + "\n" + json.dumps(parsed, ensure_ascii=False, indent=2) + "\n"
            write("search-%s.json" % name, data)
            write("search-%s.txt" % name, clean(run(base + ["--explain"]), index_dir))
            output.print_results = lambda r, explain=False, color=False: plain_results(r, explain, True)
            try:
                write("search-%s.color" % name, clean(run(base, color=True), index_dir))
            finally:
                output.print_results = plain_results
        app = create_app(index_dir)
        client = app.test_client()
        from urllib.parse import urlencode
        for n, (name, argv) in enumerate(QUERIES):
            if argv[0].startswith("-"):
                continue
            response = client.get("/?" + urlencode({"q": argv[0]}))
            write("page-%s.html" % name, "%d\n%s" % (response.status_code,
                                                     clean(response.get_data(as_text=True), index_dir)))
        for n, (article_id, q) in enumerate(ARTICLE_PAGES):
            response = client.get("/article?" + urlencode({"id": article_id, "q": q}))
            write("article-%d.html" % n, "%d\n%s" % (response.status_code,
                                                     clean(response.get_data(as_text=True), index_dir)))
            write("similar-%d.json" % n, run(["similar", article_id, "--index", index_dir, "--json"]))
            output.print_similar = lambda i, h, color=False: plain_similar(i, h, True)
            try:
                write("similar-%d.color" % n, run(["similar", article_id, "--index", index_dir], color=True))
            finally:
                output.print_similar = plain_similar
        for n, path in enumerate(PAGES):
            response = client.get(path)
            write("other-%d.html" % n, "%d\n%s" % (response.status_code,
                                                   clean(response.get_data(as_text=True), index_dir)))
        export = os.path.join(work, "export.html")
        run(["search", "--index", index_dir, "الأمم المتحدة", "--html", export])
        with open(export, encoding="utf-8") as f:
            # The page says when it was written; that minute is not compared.
            write("export.html", re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "WRITTEN", clean(f.read(), index_dir)))
        write("stats.json", run(["stats", "--index", index_dir, "--json"]))
        write("help.txt", run(["--help"]))
        for command in sorted(cli.main.commands):
            write("help-%s.txt" % command, run([command, "--help"]))
        # Where the app keeps its Searcher changed with the reshaping of web/; either way, close it.
        state = getattr(app, "extensions", {}).get("akhbar")
        (state.close if state is not None else app.close_searchers)()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("wrote %d files to %s" % (len(os.listdir(args.out)), args.out))


if __name__ == "__main__":
    main()
