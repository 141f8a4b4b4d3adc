"""The research pages: a timeline, a concordance, a word's forms, whole result sets out.

They read the same URL parameters as the results page (``q`` and the
filters), go through the same shared Searcher (one index or a sharded one,
local or on a cluster), and refuse bad input the same way: a page saying
what is wrong, with status 400.  Downloads are streamed a batch at a time,
the searcher held per batch, never for a whole download.
"""

from flask import Blueprint, Response, current_app, render_template, request, stream_with_context, url_for

from search.query.syntax import QueryError
from search.views.export import ExportBroken, csv_text, lines as export_lines, totals_line
from search.views.kwic import DEFAULT_WIDTH, MAX_LIMIT as KWIC_MAX_LINES, MAX_WIDTH, SORTS as KWIC_SORTS, kwic_rows
from search.views.timeline import BY, timeline_rows

from .display import hit_json, month_label
from .i18n import choose_ui
from .params import BadParameter, SearchParams, read_params
from .timeline_chart import build_chart

blueprint = Blueprint("research", __name__)
# The pages whose link to the other interface language keeps their parameters, and those parameters.
RESEARCH_PAGES = ("research.timeline_page", "research.kwic_page", "research.forms_page")
RESEARCH_PARAMS = ("vs", "by", "show", "width", "w")
MAX_VS = 4
KWIC_LINES = 200
FORM_WORDS = 3          # query words whose forms the concordance page lists


def _run(work, *args):
    return current_app.extensions["akhbar"].run(work, *args)


def _asked_ui():
    return request.args.get("ui", "") if request.args.get("ui", "") in ("en", "ar") else ""


def _refuse(template, message, **ctx):
    p = SearchParams(q=request.args.get("q", "")[:200], ui=_asked_ui())
    return render_template(template, p=p, error=message, **ctx), 400


def _params(allowed_sorts=None):
    """SearchParams of the request; a sort outside the search's own is read by the caller."""
    args = request.args.to_dict()
    sort = args.pop("sort", "") if allowed_sorts else None
    if allowed_sorts and sort and sort not in allowed_sorts:
        raise BadParameter("sort must be one of %s, not “%s”" % (", ".join(allowed_sorts), sort[:40]))
    return read_params(args), sort or (allowed_sorts[0] if allowed_sorts else None)


def _choice(name, allowed, default):
    value = request.args.get(name, "") or default
    if value not in allowed:
        raise BadParameter("%s must be one of %s, not “%s”" % (name, ", ".join(allowed), value[:40]))
    return value


def _csv(rows, filename):
    return Response(csv_text(rows), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=%s" % filename})


# ---------------------------------------------------------------- timeline

def _timeline_request():
    p, _ = _params()
    if not p.active:
        raise BadParameter("give a query to chart, e.g. /timeline?q=الانتخابات")
    by = _choice("by", BY, "month")
    show = _choice("show", ("count", "share"), "count")
    others = [v for v in request.args.getlist("vs") if v.strip()][:MAX_VS]
    if any(len(v) > 2000 for v in others):
        raise BadParameter("a compared query is too long")
    return p, by, show, others


@blueprint.route("/timeline")
def timeline_page():
    try:
        p, by, show, others = _timeline_request()
        data = _run(lambda s: s.timeline([p.q, *others], p.options(), by=by))
    except (BadParameter, QueryError) as e:
        return _refuse("pages/timeline.html", str(e))

    def period_url(series, point):
        first, last = point["first"], point["last"]
        changes = {"month": point["period"]} if by == "month" else {"from": first, "to": last}
        return SearchParams(q=series["query"], filters=dict(p.filters), ui=p.ui, variants=p.variants,
                            drop=p.drop).url(**changes)

    rtl = request_ui() == "ar"

    def name(label):
        return month_label(label, request_ui()) if by == "month" else label

    def value_text(series, point):
        return "%s · %s: %d (%.2f%%)" % (series["query"], name(point["period"]), point["count"],
                                          100 * point["share"])

    chart = build_chart(data, show, rtl, name, period_url, value_text)
    base = dict(q=p.q, by=by, vs=others or None, ui=p.ui or None, **p.carried())
    return render_template("pages/timeline.html", p=p, data=data, chart=chart, by=by, show=show, others=others,
                           name=name, periods=BY,
                           url_with=lambda **changes: url_for("research.timeline_page", **dict(base, **changes)),
                           csv_url=url_for("research.timeline_csv", **dict(base)))


def request_ui():
    """The interface language of this request ('ar' or 'en')."""
    return choose_ui(request.args.get("ui", ""), request.accept_languages)


@blueprint.route("/timeline.csv")
def timeline_csv():
    try:
        p, by, _, others = _timeline_request()
        data = _run(lambda s: s.timeline([p.q, *others], p.options(), by=by))
    except (BadParameter, QueryError) as e:
        return _refuse("pages/timeline.html", str(e))
    return _csv(timeline_rows(data), "timeline.csv")


# ---------------------------------------------------------------- concordance

def _kwic_request():
    p, sort = _params(KWIC_SORTS)
    if not p.q.strip():
        raise BadParameter("give a query, e.g. /kwic?q=الانتخابات")
    raw = request.args.get("width", "").strip() or str(DEFAULT_WIDTH)
    if not raw.isdigit() or not 10 <= int(raw) <= MAX_WIDTH:
        raise BadParameter("width must be a number of characters from 10 to %d" % MAX_WIDTH)
    return p, sort, int(raw)


def _concordance(p, sort, width, limit):
    return _run(lambda s: s.kwic(p.options(), width=width, limit=limit, sort=sort))


@blueprint.route("/kwic")
def kwic_page():
    try:
        p, sort, width = _kwic_request()
        data = _concordance(p, sort, width, KWIC_LINES)
    except (BadParameter, QueryError) as e:
        return _refuse("pages/kwic.html", str(e))
    words = [w for w in dict.fromkeys(_plain_words(p.q))][:FORM_WORDS]
    panels = _run(lambda s: [s.forms(w, limit=12, time_limit=1.0) for w in words])
    base = dict(q=p.q, width=width if width != DEFAULT_WIDTH else None, ui=p.ui or None, **p.carried())
    groups = {"rtl": [], "ltr": []}
    for line in data["lines"]:
        groups["rtl" if line["lang"] in ("ar", "fa", "ur", "he") else "ltr"].append(line)
    return render_template("pages/kwic.html", p=p, data=data, sort=sort, sorts=KWIC_SORTS, groups=groups,
                           sort_labels={"date": "date", "left": "word before", "right": "word after"},
                           forms=panels, width=width,
                           url_with=lambda **changes: url_for("research.kwic_page", **dict(base, **changes)),
                           csv_url=url_for("research.kwic_csv", sort=sort, **base))


def _plain_words(q):
    from search.query.syntax import Bool, Phrase, Word, parse
    words = []

    def walk(node):
        if isinstance(node, Word) and not node.prefix and not node.fuzzy:
            words.append(node.text)
        elif isinstance(node, Phrase):
            words.extend(node.words)
        elif isinstance(node, Bool):
            for n in list(node.nodes) + list(node.required):
                walk(n)
    walk(parse(q)[0])
    return words


@blueprint.route("/kwic.csv")
def kwic_csv():
    try:
        p, sort, width = _kwic_request()
        data = _concordance(p, sort, width, KWIC_MAX_LINES)
    except (BadParameter, QueryError) as e:
        return _refuse("pages/kwic.html", str(e))
    return _csv(kwic_rows(data), "concordance.csv")


# ---------------------------------------------------------------- forms

@blueprint.route("/forms")
def forms_page():
    word = request.args.get("w", "").strip()
    if len(word) > 200:
        return _refuse("pages/forms.html", "the word is too long (at most 200 characters)")
    data = _run(lambda s: s.forms(word)) if word else None
    return render_template("pages/forms.html", p=SearchParams(q=word, ui=_asked_ui()), word=word, data=data)


# ---------------------------------------------------------------- whole result sets

@blueprint.route("/export.<fmt>")
def export(fmt):
    if fmt not in ("csv", "jsonl"):
        return _refuse("pages/kwic.html", "downloads are export.csv or export.jsonl")
    try:
        p, _ = _params()
        if not p.active:
            raise BadParameter("give a query or a filter to download its articles")
        matched = _run(lambda s: s.export(p.options()))
    except (BadParameter, QueryError) as e:
        return _refuse("pages/kwic.html", str(e))
    chunks = export_lines(matched, fmt, hit_json, batches=lambda read: _run(lambda s: read()))

    def written():
        # Headers are sent: a shard lost for good ends the download short of its announced total.
        try:
            yield from chunks
        except ExportBroken as e:
            current_app.logger.warning("download cut short: %s", e)
    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    return Response(stream_with_context(written()), mimetype=mimetype, headers={
        "Content-Disposition": "attachment; filename=akhbar-results.%s" % fmt,
        "X-Akhbar-Total": str(matched.total), "X-Akhbar-Partial": "yes" if matched.partial else "no",
        "X-Akhbar-Summary": totals_line(matched).encode("ascii", "replace").decode("ascii")})
