"""How search results look in a terminal, as JSON, and as a TREC run."""
import sys

import click

from search.query.syntax import QueryError
from web.display import hit_json

from .runs import search_topic

FACET_ROWS = 8
FACET_NAMES = (("source", "sources"), ("lang", "languages"), ("month", "months"))


def terminal_text(marked, color):
    """``Marked`` text for a terminal: the marked words bold yellow on a terminal, plain otherwise."""
    if not color:
        return marked.text
    return "".join(click.style(piece, bold=True, fg="yellow") if is_marked else piece
                   for piece, is_marked in marked.pieces())


def hit_lines(n, hit, color=False):
    """The lines of hit number ``n`` as a person reads them in a terminal."""
    yield ""
    title = terminal_text(hit.marked_title, color)
    yield "%d. %s" % (n, click.style(title, bold=True) if color else title)
    meta = " · ".join(x for x in (hit.date or "no date", hit.source or "unknown source", hit.lang, hit.id) if x)
    yield "   " + (click.style(meta, dim=True) if color else meta)
    if hit.snippet.text:
        yield "   " + terminal_text(hit.snippet, color)
    if hit.also:
        yield "   also: " + ", ".join("%s (%s)" % (c.id, c.source) if c.source else c.id for c in hit.also)


def _print_hit(n, hit, color):
    for line in hit_lines(n, hit, color):
        click.echo(line)


def results_json(results):
    """A page of results as ``akhbar search --json`` writes it."""
    return {
        "query": results.query, "total": results.total, "page": results.page, "limit": results.limit,
        "hits": [hit_json(h) for h in results.hits], "facets": results.facets,
        "interpretation": results.interpretation, "suggestion": results.suggestion,
        "expansions": results.expansions, "partial": results.partial, "seconds": results.seconds,
        "pages": results.pages, "missing": results.missing,
    }


def facet_lines(facets, color=False):
    """One line per facet: the commonest values with their counts."""
    for key, label in FACET_NAMES:
        counts = facets.get(key) or {}
        if not counts:
            continue
        items = list(counts.items())
        shown = ", ".join("%s %d" % kv for kv in items[:FACET_ROWS])
        more = " (+%d more)" % (len(items) - FACET_ROWS) if len(items) > FACET_ROWS else ""
        name = "%-10s" % (label + ":")
        yield (click.style(name, dim=True) if color else name) + " " + shown + more


def print_facets(facets, color=False):
    for line in facet_lines(facets, color):
        click.echo(line)


def results_lines(results, explain=False, color=False):
    """A page of results as a person reads it, line by line (``print_results`` and the API's repr)."""
    if explain:
        yield "query read as: %s" % results.interpretation
        yield from expansion_lines(results.expansions)
    if results.suggestion:
        line = "did you mean: %s" % results.suggestion
        yield click.style(line, fg="cyan") if color else line
    partial = " (partial: the time limit was reached; there may be more)" if results.partial else ""
    if results.missing:
        partial = " (partial: %s did not answer; their articles are missing)" % ", ".join(results.missing)
    shown_from = (results.page - 1) * results.limit + 1
    if not results.hits:
        if results.total:
            yield "%d articles%s; page %d is past the last page (%d)." % (
                results.total, partial, results.page, results.pages)
        elif results.partial:
            yield ("No articles found for %s before the time limit (partial: some may match; try "
                   "fewer words, fewer * and ~, or a longer --time-limit)." % results.query)
        else:
            yield "No articles match %s." % results.query
        return
    yield "%d articles%s; showing %d-%d (page %d of %d), %.0f ms" % (
        results.total, partial, shown_from, shown_from + len(results.hits) - 1, results.page,
        results.pages, results.seconds * 1000)
    for n, hit in enumerate(results.hits, shown_from):
        yield from hit_lines(n, hit, color)
    if results.facets:
        yield ""
        yield from facet_lines(results.facets, color)


def print_results(results, explain=False, color=False):
    """A page of results as a person reads it."""
    for line in results_lines(results, explain, color):
        click.echo(line)


def expansion_lines(expansions):
    """One line per expanded query word: its variants with their article counts."""
    out = []
    for e in expansions:
        shown = ", ".join("%s%s %d%s" % (v["form"], " with proclitics" if v["proclitics"] else "",
                                         v["articles"], "" if v["used"] else " (dropped)")
                          for v in e["variants"])
        out.append("name variants of %s (%d articles, by %s): %s" % (e["word"], e["articles"], e["evidence"], shown))
    return out


def print_similar(article_id, hits, color=False):
    """The articles closest to one article."""
    if not hits:
        click.echo("No articles resemble %s." % article_id)
        return
    click.echo("%d articles like %s:" % (len(hits), article_id))
    for n, hit in enumerate(hits, 1):
        _print_hit(n, hit, color)


def print_batch(searcher, lines, limit, fmt, options):
    """One search per 'qid<TAB>query' line; a TREC run with --format trec.

    A line that cannot be searched is reported on stderr and the batch goes
    on; returns how many lines were skipped.
    """
    skipped = 0
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        problem = _batch_line(searcher, line, limit, fmt, options)
        if problem:
            skipped += 1
            click.echo("line %d%s, skipped" % (lineno, problem), err=True)
    sys.stdout.flush()
    return skipped


def _batch_line(searcher, line, limit, fmt, options):
    """Search one batch line and print its hits; what went wrong, or None."""
    if any("\udc80" <= c <= "\udcff" for c in line):
        return ": not UTF-8 text"
    qid, sep, query = line.partition("\t")
    if not sep:
        return ": expected qid<TAB>query"
    try:
        results = search_topic(searcher, query, limit, options)
    except QueryError as e:
        return " (%s): %s" % (qid, e)
    except (ValueError, OverflowError) as e:
        # A query the searcher failed on must not cost the rest of the batch.
        return " (%s): cannot be searched (%s: %s)" % (qid, type(e).__name__, e)
    for rank, hit in enumerate(results.hits, 1):
        if fmt == "trec":
            click.echo("%s Q0 %s %d %.4f akhbar" % (qid, hit.id, rank, hit.score))
        else:
            click.echo("%s\t%d\t%s\t%s" % (qid, rank, hit.id, hit.title))
    return None
