"""A damaged or vanished index: the command line names the damaged file and
asks for a rebuild; the page answers 503 and keeps serving until it is rebuilt."""
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from helpers import CORPUS, ROOT, run_cli


def _largest_segment(ix):
    return max((os.path.join(ix, n) for n in os.listdir(ix) if n.endswith(".seg")), key=os.path.getsize)


def _truncate(path):
    with open(path, "r+b") as f:
        f.truncate(os.path.getsize(path) // 2)


def _zero_head(path):
    with open(path, "r+b") as f:
        f.write(bytes(512))


def _flip_tail(path):
    with open(path, "r+b") as f:
        f.seek(-64, os.SEEK_END)
        tail = f.read()
        f.seek(-64, os.SEEK_END)
        f.write(bytes(b ^ 0xFF for b in tail))


@pytest.fixture
def index_copy(corpus_index, tmp_path):
    ix = str(tmp_path / "ix")
    shutil.copytree(corpus_index, ix)
    return ix


@pytest.mark.parametrize("damage", [_truncate, _zero_head, _flip_tail], ids=["truncated", "zeroed", "flipped"])
@pytest.mark.parametrize("command", [["search", "olive"], ["stats"], ["similar", "en/tunisia-olive-oil-drought.txt"]],
                         ids=["search", "stats", "similar"])
def test_damaged_segment_is_named_with_a_request_to_rebuild(index_copy, damage, command):
    segment = _largest_segment(index_copy)
    damage(segment)
    result = run_cli(*command, "--index", index_copy)
    assert result.exit_code == 1
    assert "is damaged: %s" % os.path.basename(segment) in result.output
    assert "--rebuild" in result.output
    assert "Traceback" not in result.output and "Aborted!" not in result.output


def test_damaged_table_of_contents_is_named(index_copy):
    toc = [n for n in os.listdir(index_copy) if n.endswith(".toc")][0]
    with open(os.path.join(index_copy, toc), "r+b") as f:
        f.truncate(100)
    result = run_cli("search", "olive", "--index", index_copy)
    assert result.exit_code == 1 and ("is damaged: %s" % toc) in result.output


def test_page_answers_503_while_the_index_is_damaged_or_gone_and_recovers_when_rebuilt(index_copy):
    from web.app import create_app
    client = create_app(index_copy).test_client()
    assert client.get("/?q=olive").status_code == 200
    segment = _largest_segment(index_copy)
    _truncate(segment)
    # A query not asked before: one answered wholly from what the server
    # already holds in memory (its terms' scores, their frequencies) may
    # still be answered, but one that reads the damaged file is not.
    page = client.get("/?q=drought")
    assert page.status_code == 503
    assert os.path.basename(segment) in page.get_data(as_text=True) and "--rebuild" in page.get_data(as_text=True)
    shutil.rmtree(index_copy)
    assert client.get("/?q=olive").status_code == 503
    assert client.get("/article?id=en/tunisia-olive-oil-drought.txt").status_code == 503
    assert run_cli("index", CORPUS, "--index", index_copy).exit_code == 0
    page = client.get("/?q=olive")
    assert page.status_code == 200 and "olive" in page.get_data(as_text=True)


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_server_survives_a_segment_truncated_under_it(index_copy):
    proc = subprocess.Popen([sys.executable, "-m", "akhbar", "serve", "--index", index_copy, "--port", "0"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            port = m and m.group(1)
            assert line or proc.poll() is None, "the server did not start"
        base = "http://127.0.0.1:%s" % port
        assert _get(base + "/?q=olive") == 200
        with open(_largest_segment(index_copy), "r+b") as f:
            f.truncate(1024)
        asked = ("/?q=olive", "/?q=" + urllib.parse.quote("الأمم"), "/?q=election&sort=newest",
                 "/article?id=en/tunisia-olive-oil-drought.txt")
        statuses = [_get(base + q) for q in asked]
        assert proc.poll() is None, "the server died (exit %s)" % proc.returncode
        assert set(statuses) <= {200, 503} and 503 in statuses, statuses
        assert _get(base + "/static/style.css") == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_update_of_a_damaged_index_asks_for_a_rebuild_which_repairs_it(index_copy):
    segment = _largest_segment(index_copy)
    _truncate(segment)
    result = run_cli("index", CORPUS, "--index", index_copy)
    assert result.exit_code == 1 and "is damaged: %s" % os.path.basename(segment) in result.output
    assert "Aborted!" not in result.output
    assert run_cli("index", CORPUS, "--index", index_copy, "--rebuild").exit_code == 0
    assert run_cli("search", "olive", "--index", index_copy).exit_code == 0
