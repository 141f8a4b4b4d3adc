"""How search results look in a terminal, and as a TREC run."""
import re
import sys

import click

from search.query import QueryError

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _unmark(html, color):
    from html import unescape
    if color:
        return unescape(_MARK.sub(lambda m: click.style(m.group(1), bold=True, fg="yellow"), html))
    return unescape(_MARK.sub(r"\1", html))


def print_results(results, explain=False, color=False):
    if explain:
        click.echo("query read as: %s" % results.interpretation)
    shown_from = (results.page - 1) * results.limit + 1
    if not results.hits:
        click.echo("No articles match %s." % results.query)
    else:
        click.echo("%d articles%s; showing %d-%d (page %d of %d), %.0f ms" % (
            results.total, " (partial: time limit reached)" if results.partial else "",
            shown_from, shown_from + len(results.hits) - 1, results.page, results.pages,
            results.seconds * 1000))
    for n, hit in enumerate(results.hits, shown_from):
        click.echo("")
        title = _unmark(hit.title_html, color)
        click.echo("%d. %s" % (n, click.style(title, bold=True) if color else title))
        meta = " · ".join(x for x in (hit.date or "no date", hit.source or "unknown source", hit.lang, hit.id) if x)
        click.echo("   " + (click.style(meta, dim=True) if color else meta))
        click.echo("   " + _unmark(hit.snippet_html, color))
        if hit.also:
            click.echo("   also: " + ", ".join(a["id"] for a in hit.also))


def print_batch(searcher, lines, limit, fmt, options):
    """One search per 'qid<TAB>query' line; a TREC run with --format trec."""
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        qid, sep, query = line.partition("\t")
        if not sep:
            click.echo("line %d: expected qid<TAB>query, skipped" % lineno, err=True)
            continue
        try:
            results = searcher.search(query, page=1, limit=limit, facets=False, **options)
        except QueryError as e:
            click.echo("line %d (%s): %s" % (lineno, qid, e), err=True)
            continue
        for rank, hit in enumerate(results.hits, 1):
            if fmt == "trec":
                click.echo("%s Q0 %s %d %.4f akhbar" % (qid, hit.id, rank, hit.score))
            else:
                click.echo("%s\t%d\t%s\t%s" % (qid, rank, hit.id, hit.title))
    sys.stdout.flush()
