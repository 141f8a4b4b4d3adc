"""How search results look in a terminal, and as a TREC run."""
import re
import sys
from html import unescape

import click

from search.syntax import QueryError

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
FACET_ROWS = 8
FACET_NAMES = (("source", "sources"), ("lang", "languages"), ("month", "months"))


def _unmark(html, color):
    """Snippet HTML as terminal text: matches bold yellow on a terminal, plain otherwise."""
    if color:
        return unescape(_MARK.sub(lambda m: click.style(unescape(m.group(1)), bold=True, fg="yellow"), html))
    return unescape(_MARK.sub(r"\1", html))


def _print_hit(n, hit, color):
    click.echo("")
    title = _unmark(hit.title_html, color) if hit.title_html else hit.title
    click.echo("%d. %s" % (n, click.style(title, bold=True) if color else title))
    meta = " · ".join(x for x in (hit.date or "no date", hit.source or "unknown source", hit.lang, hit.id) if x)
    click.echo("   " + (click.style(meta, dim=True) if color else meta))
    if hit.snippet_html:
        click.echo("   " + _unmark(hit.snippet_html, color))
    if hit.also:
        click.echo("   also: " + ", ".join(
            "%s (%s)" % (a["id"], a["source"]) if a.get("source") else a["id"] for a in hit.also))


def print_facets(facets, color=False):
    """One line per facet: the commonest values with their counts."""
    for key, label in FACET_NAMES:
        counts = facets.get(key) or {}
        if not counts:
            continue
        items = list(counts.items())
        shown = ", ".join("%s %d" % kv for kv in items[:FACET_ROWS])
        more = " (+%d more)" % (len(items) - FACET_ROWS) if len(items) > FACET_ROWS else ""
        name = "%-10s" % (label + ":")
        click.echo((click.style(name, dim=True) if color else name) + " " + shown + more)


def print_results(results, explain=False, color=False):
    """A page of results as a person reads it."""
    if explain:
        click.echo("query read as: %s" % results.interpretation)
    if results.suggestion:
        line = "did you mean: %s" % results.suggestion
        click.echo(click.style(line, fg="cyan") if color else line)
    partial = " (partial: the time limit was reached; there may be more)" if results.partial else ""
    shown_from = (results.page - 1) * results.limit + 1
    if not results.hits:
        if results.total:
            click.echo("%d articles%s; page %d is past the last page (%d)." % (
                results.total, partial, results.page, results.pages))
        else:
            click.echo("No articles match %s%s." % (results.query, partial))
        return
    click.echo("%d articles%s; showing %d-%d (page %d of %d), %.0f ms" % (
        results.total, partial, shown_from, shown_from + len(results.hits) - 1, results.page,
        results.pages, results.seconds * 1000))
    for n, hit in enumerate(results.hits, shown_from):
        _print_hit(n, hit, color)
    if results.facets:
        click.echo("")
        print_facets(results.facets, color)


def print_similar(article_id, hits, color=False):
    """The articles closest to one article."""
    if not hits:
        click.echo("No articles resemble %s." % article_id)
        return
    click.echo("%d articles like %s:" % (len(hits), article_id))
    for n, hit in enumerate(hits, 1):
        _print_hit(n, hit, color)


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
            results = searcher.search(query, page=1, limit=limit, facets=False, suggestions=False, **options)
        except QueryError as e:
            click.echo("line %d (%s): %s" % (lineno, qid, e), err=True)
            continue
        for rank, hit in enumerate(results.hits, 1):
            if fmt == "trec":
                click.echo("%s Q0 %s %d %.4f akhbar" % (qid, hit.id, rank, hit.score))
            else:
                click.echo("%s\t%d\t%s\t%s" % (qid, rank, hit.id, hit.title))
    sys.stdout.flush()
