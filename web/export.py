"""A results page written to one file: ``akhbar search QUERY --html FILE``.

The file must open from disk with no server and no network, so the stylesheet
is inlined, a Content-Security-Policy forbids every outside request, and
nothing links back to the (absent) server: titles link to the article's
original web address when it has one.
"""
import os
import re
from datetime import datetime

from flask import render_template

from .app import create_app, search_context
from .display import web_url
from .params import SearchParams

ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
STYLESHEET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static", "style.css")


def results_page(results, query, index_dir="", sort="relevance", filters=None):
    """The HTML text of a self-contained page showing ``results`` of ``query``."""
    with open(STYLESHEET, encoding="utf-8") as f:
        css = f.read()
    p = SearchParams(q=query or "", page=results.page, sort=sort,
                     filters={k: v for k, v in (filters or {}).items() if v})
    app = create_app(index_dir)
    # Labels in Arabic for an Arabic query, as a reader of one would expect.
    ui = "ar" if ARABIC_LETTER.search(query or "") else "en"
    with app.test_request_context("/", query_string={"ui": ui}):
        return render_template(
            "pages/export.html", inline_css=css, article_url=lambda hit: web_url(hit.url),
            generated=datetime.now().strftime("%Y-%m-%d %H:%M"), index_dir=index_dir,
            **search_context(p, results))


def write_results_page(path, results, query, **kwargs):
    """Write ``results_page(...)`` to ``path`` (UTF-8), replacing any file there."""
    html = results_page(results, query, **kwargs)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(html)
    os.replace(tmp, path)
