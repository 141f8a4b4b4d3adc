"""Research commands on a query's whole result set: timeline, kwic, forms."""
import sys

import click

from indexer.analysis import LANGUAGES
from search.views import forms as forms_module
from search.views import kwic as kwic_module
from search.query.options import DEFAULT_TIME_LIMIT

from .guards import TEXT
from .options import (cluster_option, csv_option, emit_json, filter_options, index_option, json_option,
                      open_searcher, partial_note, query_options, reading, write_csv)

BAR_WIDTH = 30


@click.command()
@click.argument("query", type=TEXT)
@click.option("--vs", "others", multiple=True, type=TEXT, metavar="QUERY", help="Another query on the same timeline. Repeatable.")
@click.option("--by", type=click.Choice(["day", "week", "month", "year"]), default="month", show_default=True,
              help="Period counted.")
@filter_options
@index_option
@cluster_option
@csv_option
@json_option
def timeline(query, others, by, index_dir, cluster, as_csv, as_json, **filters):
    """Distinct articles matching QUERY per period, and their share of all articles.

    Duplicates count once; undated articles are counted apart. --vs adds
    queries to compare. The filters are those of akhbar search.
    """
    from search.views.timeline import timeline_rows
    searcher = open_searcher(index_dir, cluster=cluster)
    data = reading(lambda: searcher.timeline([query, *others], query_options("", **filters), by=by))
    partial_note(data)
    if as_json:
        emit_json(data)
    elif as_csv:
        write_csv(timeline_rows(data))
    else:
        print_timeline(data)


def print_timeline(data):
    """One line per period: each query's count and share, the first query drawn as a bar."""
    series = data["series"]
    click.echo("articles per %s (share of all articles of the %s)" % (data["by"], data["by"]))
    for n, s in enumerate(series, 1):
        click.echo("  %d. %s: %d articles, %d undated%s" % (n, s["query"], s["total"], s["undated"],
                                                          " (partial)" if s["partial"] else ""))
    if not series or not series[0]["points"]:
        click.echo("No dated articles match.")
        return
    top = max(p["count"] for s in series for p in s["points"]) or 1
    for i, point in enumerate(series[0]["points"]):
        cells = ["%7d %6.2f%%" % (s["points"][i]["count"], 100 * s["points"][i]["share"]) for s in series]
        bar = "#" * round(BAR_WIDTH * point["count"] / top)
        click.echo("%-10s %s  %s" % (point["period"], " | ".join(cells), bar))


@click.command()
@click.argument("query", type=TEXT)
@click.option("--width", type=click.IntRange(1, kwic_module.MAX_WIDTH), default=kwic_module.DEFAULT_WIDTH,
              show_default=True,
              help="Characters of context each side.")
@click.option("--limit", type=click.IntRange(1, kwic_module.MAX_LIMIT), default=kwic_module.DEFAULT_LIMIT,
              show_default=True, help="Lines listed.")
@click.option("--sort", type=click.Choice(kwic_module.SORTS), default=kwic_module.SORTS[0], show_default=True,
              help="date; left: by the words read just before the match; right: just after it.")
@filter_options
@index_option
@cluster_option
@csv_option
@json_option
def kwic(query, width, limit, sort, index_dir, cluster, as_csv, as_json, **filters):
    """Every occurrence of QUERY's words or phrases in context (a concordance).

    The match is shown as written, diacritics kept, as a whole word even when
    clitics are attached (the part the query met is marked). Left and right
    are the reader's: before and after the match in reading order.
    """
    from search.views.kwic import kwic_rows
    searcher = open_searcher(index_dir, cluster=cluster)
    data = reading(lambda: searcher.kwic(query_options(query, **filters), width=width, limit=limit, sort=sort))
    partial_note(data)
    if as_json:
        emit_json(data)
    elif as_csv:
        write_csv(kwic_rows(data))
    else:
        print_kwic(data, width, color=sys.stdout.isatty())


def print_kwic(data, width, color=False):
    """Aligned lines: the match in a column of its own, contexts padded toward it."""
    click.echo("%d occurrences in %d of %d matching articles%s; %d shown" % (
        data["total"], data["articles_read"], data["articles"], " (partial)" if data["partial"] else "",
        len(data["lines"])))
    for line in data["lines"]:
        match = line["match"]
        if color:
            a, b = line["mark"]
            match = match[:a] + click.style(match[a:b], bold=True, fg="yellow") + match[b:]
        # In logical order; a terminal's bidi display puts an Arabic line's left context on the right.
        click.echo("%s  %s  %s | %s  %s  %s" % (line["left"].rjust(width), match, line["right"].ljust(width),
                                               line["id"], line["date"] or "no date", line["source"]))


@click.command()
@click.argument("word", type=TEXT)
@click.option("--limit", type=click.IntRange(1, kwic_module.MAX_LIMIT), default=forms_module.DEFAULT_LIMIT,
              show_default=True, help="Forms listed.")
@click.option("--time-limit", type=click.FloatRange(0, 600), default=None, metavar="SECONDS",
              help="Stop after SECONDS and say the list is partial (default %g)." % DEFAULT_TIME_LIMIT)
@index_option
@cluster_option
@json_option
def forms(word, limit, time_limit, index_dir, cluster, as_json):
    """The spellings of WORD in the archive that a search for it meets, with article counts.

    A spelling is met when its normalised form shares a stem with WORD; each
    is listed as the articles wrote it (hamza seats, teh marbuta, harakat
    kept), with the form the search reads it as. "exact" (*) marks the
    spellings an exact =WORD query keeps: WORD's own normalised form, carrying
    any harakat typed with it.
    """
    if not word.strip():
        raise click.UsageError("give a WORD, e.g. akhbar forms الانتخابات")
    searcher = open_searcher(index_dir, cluster=cluster)
    data = reading(lambda: searcher.forms(word, limit=limit, time_limit=time_limit))
    partial_note(data)
    if as_json:
        emit_json(data)
        return
    if not data["forms"]:
        click.echo("No forms of %s in the archive (read as %s)." % (word, data["normalized"] or "nothing"))
        return
    click.echo("%d spellings of %s (stems: %s); * an exact =%s query keeps them" % (
        data["total_forms"], word, ", ".join(data["stems"]), word))
    for f in data["forms"]:
        read_as = "" if f["form"] == f["normalized"] else "  (read as %s)" % f["normalized"]
        click.echo("%8d  %s%s%s" % (f["articles"], f["form"], "  *" if f["exact"] else "", read_as))


def export_all(searcher, query, fmt, everything, options):
    """``akhbar search QUERY --all --format csv|jsonl``: the totals on stderr, then every article."""
    from search.views.export import ExportBroken, lines, totals_line
    from .output import hit_json
    if not everything or fmt not in ("csv", "jsonl"):
        raise click.UsageError("--all needs --format csv or --format jsonl" if everything else
                               "--format %s writes a whole result set: add --all" % fmt)
    export = reading(lambda: searcher.export(options.with_text(query)))
    click.echo(totals_line(export), err=True)
    try:
        for chunk in lines(export, fmt, hit_json):
            sys.stdout.write(chunk)
    except ExportBroken as e:
        sys.stdout.flush()
        raise click.ClickException("the export is incomplete: %s" % e)
    sys.stdout.flush()


COMMANDS = (timeline, kwic, forms)
