"""`akhbar serve`, the static export, threads and reopening the index after a build."""
import http.client
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request

from bs4 import BeautifulSoup

from helpers import run_cli
from web.app import create_app

UN = "الأمم المتحدة"


def test_export_writes_one_self_contained_page(corpus_index, tmp_path):
    out = tmp_path / "un.html"
    result = run_cli("search", UN, "--index", corpus_index, "--html", out)
    assert result.exit_code == 0, result.output
    page = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert page.find("style") and "font-family" in page.find("style").get_text()
    # Nothing is fetched when the file opens: no stylesheet link, script, image or frame.
    assert not page.find_all(["link", "script", "img", "iframe", "object", "embed"])
    assert "default-src 'none'" in page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    hits = page.select("ol.hits > li.hit")
    assert len(hits) == 10 and all(h["dir"] == "rtl" and h["lang"] == "ar" for h in hits)
    assert hits[0].select(".snippet mark")
    # No links back to a server that will not be there; original web addresses only.
    for a in page.find_all("a"):
        assert a["href"].startswith("https://"), a
    assert UN in page.select_one(".exported").get_text()


def test_export_of_a_filtered_search_shows_its_filters(corpus_index, tmp_path):
    out = tmp_path / "fr.html"
    result = run_cli("search", "Sfax OR صفاقس", "--index", corpus_index, "--lang", "fr", "--html", out)
    assert result.exit_code == 0, result.output
    page = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert "Français" in page.select_one("ul.filters").get_text()
    assert {h["lang"] for h in page.select("li.hit")} == {"fr"}


def test_export_to_an_unwritable_place_is_a_clear_error(corpus_index, tmp_path):
    result = run_cli("search", UN, "--index", corpus_index, "--html", tmp_path / "no" / "such" / "dir.html")
    assert result.exit_code != 0 and "cannot write" in result.output


def test_serve_get_prints_one_page(corpus_index):
    result = run_cli("serve", "--index", corpus_index, "--get", "/?q=" + UN)
    assert result.exit_code == 0
    page = BeautifulSoup(result.output, "html.parser")
    assert page.select("li.hit[dir=rtl]")
    assert run_cli("serve", "--index", corpus_index, "--get", "/?page=-3&q=x").exit_code == 1


def test_serve_without_an_index_says_how_to_build_one(tmp_path):
    result = run_cli("serve", "--index", tmp_path / "missing")
    assert result.exit_code != 0 and "akhbar index" in result.output


def test_serve_prints_its_address_answers_and_stops_on_ctrl_c(corpus_index):
    # Ctrl-C at a terminal: a suite started in the background (`pytest &`) runs
    # with SIGINT ignored, which its children would inherit.
    proc = subprocess.Popen(
        [sys.executable, "-m", "akhbar", "serve", "--index", corpus_index, "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = proc.stdout.readline()
        assert "http://127.0.0.1:" in line, line + proc.stderr.read()
        url = line.split("http://", 1)[1].split()[0]
        with urllib.request.urlopen("http://%s?q=%s" % (url, urllib.request.quote(UN)), timeout=30) as r:
            assert r.status == 200
            assert BeautifulSoup(r.read(), "html.parser").select("li.hit")
        # Raw paths, not cleaned up by a client library, cannot leave the static folder.
        host, port = url.rstrip("/").rsplit(":", 1)
        for path in ("/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/setup.cfg",
                     "/static/../../setup.cfg"):
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            conn.close()
            assert response.status == 404 and b"create_app" not in body and b"[metadata]" not in body
        # A 100 KB query is refused by the page; one too big for a request line by waitress.
        for query, status in (("x" * 100_000, 400), ("ب" * 100_000, 431)):
            try:
                urllib.request.urlopen("http://%s?q=%s" % (url, urllib.request.quote(query)), timeout=30)
                code = 200
            except urllib.error.HTTPError as e:
                code = e.code
            assert code == status
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


def test_concurrent_requests_from_several_threads_all_succeed(corpus_index):
    app = create_app(corpus_index)
    queries = [UN, "Sfax OR صفاقس", "election", "выборы", "المياه", "olive"]
    failures = []

    def worker(n):
        client = app.test_client()
        for i in range(6):
            r = client.get("/", query_string={"q": queries[(n + i) % len(queries)], "page": 1 + i % 2})
            if r.status_code != 200 or b'class="hit"' not in r.data and b"notice" not in r.data:
                failures.append((n, i, r.status_code))

    seen = set()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    threads += [threading.Thread(target=lambda: seen.add(app.extensions["akhbar"].run(id))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    app.extensions["akhbar"].close()
    assert not failures
    assert len(seen) == 1, "every thread uses the one Searcher, whose index tables are built once"


def test_the_page_sees_a_new_build_without_a_restart(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "one.txt").write_text("Harbour reopens\n\nThe old harbour reopened to ships today.\n",
                                     encoding="utf-8")
    index_dir = str(tmp_path / "ix")
    assert run_cli("index", archive, "--index", index_dir).exit_code == 0
    app = create_app(index_dir)
    client = app.test_client()

    def found(word):
        page = BeautifulSoup(client.get("/", query_string={"q": word}).data, "html.parser")
        return len(page.select("li.hit"))

    assert found("harbour") == 1 and found("lighthouse") == 0
    (archive / "two.txt").write_text("Lighthouse restored\n\nThe lighthouse shines again.\n",
                                     encoding="utf-8")
    assert run_cli("index", archive, "--index", index_dir).exit_code == 0
    assert found("lighthouse") == 1
    app.extensions["akhbar"].close()


def test_the_package_ships_every_template_and_the_stylesheet():
    # An installed (non-editable) akhbar only has the files setup.cfg's package_data names.
    import configparser
    import fnmatch
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(root, "setup.cfg"))
    globs = [g.strip() for g in cfg["options.package_data"]["web"].split(",")]
    web = os.path.join(root, "web")
    for folder in ("templates", "static"):
        for dirpath, _, files in os.walk(os.path.join(web, folder)):
            for name in files:
                rel = os.path.relpath(os.path.join(dirpath, name), web).replace(os.sep, "/")
                assert any(fnmatch.fnmatch(rel, g) and rel.count("/") == g.count("/") for g in globs), rel
