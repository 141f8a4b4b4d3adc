"""The local results page: a Flask app made by ``create_app``.

Server-rendered HTML, autoescaped, no JavaScript needed.  It reads the index
through ``search.Searcher``, exactly as the command line does.
"""
import threading

from flask import Flask, abort, render_template, request

from search.query import QueryError
from search.searcher import MAX_PAGE, SORTS, Searcher

RTL_LANGS = {"ar", "fa", "ur", "he"}
MAX_QUERY_PARAM = 2000
PAGE_SIZE = 10


def text_dir(lang):
    return "rtl" if lang in RTL_LANGS else "ltr"


def create_app(index_dir, searcher=None):
    app = Flask(__name__)
    app.config["INDEX_DIR"] = index_dir
    local = threading.local()

    def get_searcher():
        # Whoosh searchers are not shared across threads: one per thread.
        s = getattr(local, "searcher", None)
        if s is None:
            s = local.searcher = searcher or Searcher(index_dir)
        return s

    app.jinja_env.globals["text_dir"] = text_dir

    def int_param(name, default, lo, hi):
        raw = request.args.get(name, "")
        if raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            abort(400, "%s must be a whole number" % name)
        if not lo <= value <= hi:
            abort(400, "%s must be between %d and %d" % (name, lo, hi))
        return value

    @app.route("/")
    def home():
        q = request.args.get("q", "")
        if len(q) > MAX_QUERY_PARAM:
            abort(400, "the query is too long (at most %d characters)" % MAX_QUERY_PARAM)
        page = int_param("page", 1, 1, MAX_PAGE)
        sort = request.args.get("sort", "relevance")
        if sort not in SORTS:
            abort(400, "sort must be one of: %s" % ", ".join(SORTS))
        filters = {k: request.args.get(k) or None for k in ("lang", "source", "from", "to")}
        results, error = None, None
        if q.strip() or any(filters.values()):
            try:
                results = get_searcher().search(
                    q, page=page, limit=PAGE_SIZE, lang=filters["lang"], source=filters["source"],
                    date_from=filters["from"], date_to=filters["to"], sort=sort)
            except QueryError as e:
                error = str(e)
        status = 400 if error else 200
        return render_template("search.html", q=q, sort=sort, filters=filters, results=results,
                               error=error, args=request.args), status

    @app.route("/article")
    def article():
        article_id = request.args.get("id", "")
        doc = get_searcher().article(article_id) if article_id else None
        if doc is None:
            abort(404, "no article with that id")
        return render_template("article.html", doc=doc, q=request.args.get("q", ""))

    @app.route("/help")
    def help_page():
        return render_template("help.html")

    @app.errorhandler(400)
    @app.errorhandler(404)
    def client_error(e):
        return render_template("error.html", code=e.code, message=e.description), e.code

    return app
