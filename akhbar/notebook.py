"""How the API's answers look in Jupyter (``_repr_html_``): marked snippets, the timeline chart, KWIC.

Right-to-left text is laid out right to left (``dir`` from the article's
language, as the page does), matched words in ``<mark>``.  The timeline is
the page's SVG bar chart: its geometry comes from web.timeline_chart, only
the styles are inline here, since a notebook has no stylesheet of ours.
"""
from html import escape

from web.display import marked_html, text_dir
from web.timeline_chart import build_chart

# The page's series colours (.bar-0 ... .bar-4 in web/static/style.css; tests/test_api_display.py checks).
COLOURS = ("#1f6f8b", "#e07a1f", "#5a9e3a", "#9c4f96", "#b3261e")
MUTED = "color:#666;font-size:90%"


def _meta(*parts):
    return '<div style="%s">%s</div>' % (MUTED, " · ".join(escape(str(p)) for p in parts if p))


def hit_html(hit):
    """One hit: its title and snippet with the matched words marked, in the article's direction."""
    return ('<div dir="%s" lang="%s" style="margin:.4em 0"><div><b>%s</b></div>%s<div>%s</div></div>' % (
        text_dir(hit.lang), escape(hit.lang), marked_html(hit.title), _meta(
            hit.date and hit.date.isoformat() or "no date", hit.source, hit.lang, hit.id,
            "score %.2f" % hit.score), marked_html(hit.snippet)))


def results_html(results):
    """A page of results: the count, each hit (see hit_html) and the facets."""
    head = "%d article%s for <bdi>%s</bdi>" % (results.total, "" if results.total == 1 else "s",
                                               escape(results.query or ""))
    if results.hits:
        head += "; %d–%d (page %d of %d)" % (results.hits[0].rank, results.hits[-1].rank, results.page, results.pages)
    if results.partial:
        head += " <em>partial%s</em>" % (": %s did not answer" % ", ".join(results.missing) if results.missing else "")
    if results.suggestion:
        head += "; did you mean <bdi>%s</bdi>?" % escape(results.suggestion)
    items = "".join("<li>%s</li>" % hit_html(h) for h in results.hits)
    facets = "".join("<div><b>%s</b>: %s</div>" % (escape(name), escape(", ".join(
        "%s %d" % kv for kv in list(counts.items())[:8]))) for name, counts in results.facets.items() if counts)
    return '<div><p>%s</p><ol start="%d">%s</ol><div style="%s">%s</div></div>' % (
        head, results.hits[0].rank if results.hits else 1, items, MUTED, facets)


def timeline_svg(data, show="count"):
    """The page's SVG bar chart of timeline ``data`` (the ``timeline --json`` shape), counts or shares."""
    def value_text(series, point):
        return "%s · %s: %d (%.2f%%)" % (series["query"], point["period"], point["count"], 100 * point["share"])

    chart = build_chart(data, show, False, str, lambda series, point: None, value_text)
    out = ['<svg viewBox="0 0 %d %d" width="%d" role="img" style="max-width:100%%;height:auto" '
           'xmlns="http://www.w3.org/2000/svg">' % (chart.width, chart.height, chart.width)]
    out += ['<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#ddd"/>' % (chart.plot[0], chart.plot[1], y, y)
            for y in chart.gridlines]
    text = '<text x="%s" y="%s" text-anchor="%s" font-size="13" fill="#666" font-family="sans-serif">%s</text>'
    out += [text % (label.x, label.y, label.anchor, escape(label.text)) for label in chart.value_labels]
    out += ['<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s</title></rect>' % (
        b.x, b.y, b.width, b.height, COLOURS[b.series % len(COLOURS)], escape(b.title)) for b in chart.bars]
    out.append('<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#333"/>' % (
        chart.plot[0], chart.plot[1], chart.axis_y, chart.axis_y))
    out += [text % (label.x, label.y, label.anchor, escape(label.text)) for label in chart.period_labels]
    out.append("</svg>")
    return "".join(out)


def timeline_html(data):
    """A legend (each query, its total and undated count) above the chart."""
    legend = "".join(
        '<li><span style="display:inline-block;width:.8em;height:.8em;background:%s"></span> <bdi>%s</bdi>: '
        '<b>%d</b> articles%s%s</li>' % (
            COLOURS[n % len(COLOURS)], escape(s["query"]), s["total"],
            ", %d undated (not drawn)" % s["undated"] if s["undated"] else "", " <em>partial</em>" if s["partial"] else "")
        for n, s in enumerate(data["series"]))
    missing = "<p><em>partial: %s did not answer</em></p>" % ", ".join(data["missing"]) if data.get("missing") else ""
    drawn = any(s["points"] for s in data["series"])
    return '<div><p>Articles per %s</p><ul style="list-style:none;padding:0">%s</ul>%s%s</div>' % (
        escape(data["by"]), legend, missing, timeline_svg(data) if drawn else "<p>No dated articles match.</p>")


def _kwic_row(line):
    a, b = line["mark"]
    match = line["match"]
    shown = "%s<mark>%s</mark>%s" % (escape(match[:a]), escape(match[a:b]), escape(match[b:]))
    return ('<tr><td style="text-align:end;white-space:nowrap">%s</td><td style="white-space:nowrap"><b>%s</b></td>'
            '<td style="text-align:start;white-space:nowrap">%s</td><td dir="ltr" style="%s">%s</td></tr>' % (
                escape(line["left"]), shown, escape(line["right"]), MUTED,
                escape(" · ".join(x for x in (line["id"], line["date"] or "no date", line["source"]) if x))))


def kwic_html(data):
    """The concordance aligned on the match: right-to-left lines and left-to-right ones in tables of their own."""
    head = "%d occurrences in %d of %d matching articles%s; %d shown" % (
        data["total"], data["articles_read"], data["articles"], " (partial)" if data["partial"] else "",
        len(data["lines"]))
    blocks = []
    for direction in ("rtl", "ltr"):
        rows = [_kwic_row(line) for line in data["lines"] if (text_dir(line["lang"]) == "rtl") == (direction == "rtl")]
        if rows:
            blocks.append('<table dir="%s" style="border-collapse:collapse">%s</table>' % (direction, "".join(rows)))
    return "<div><p>%s</p>%s</div>" % (head, "".join(blocks))


def forms_html(data):
    """A word's spellings as a table: form, articles, how it is read, whether =WORD keeps it."""
    if not data["forms"]:
        return "<p>No forms of <bdi>%s</bdi> in the archive.</p>" % escape(data["word"])
    rows = "".join('<tr><td dir="auto">%s</td><td>%d</td><td dir="auto">%s</td><td>%s</td></tr>' % (
        escape(f["form"]), f["articles"], escape(f["normalized"]), "✓" if f["exact"] else "")
        for f in data["forms"])
    return ('<div><p>%d spellings of <bdi>%s</bdi> (stems: %s)</p><table><thead><tr><th>form</th><th>articles</th>'
            '<th>read as</th><th>=%s keeps it</th></tr></thead><tbody>%s</tbody></table></div>' % (
                data.get("total_forms", len(data["forms"])), escape(data["word"]), escape(", ".join(data["stems"])),
                escape(data["word"]), rows))
