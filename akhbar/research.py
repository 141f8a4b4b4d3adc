"""Research commands on a query's whole result set: timeline, kwic, forms."""
import csv
import sys

import click

from indexer.analysis import LANGUAGES

from .cli import emit_json, index_option, json_option, open_searcher

BAR_WIDTH = 30


def filter_options(f):
    """The filters and time limit of ``akhbar search``, for commands over a result set."""
    for option in reversed((
        click.option("--lang", type=click.Choice(LANGUAGES), help="Only articles in this language."),
        click.option("--source", help="Only articles from a source whose name contains this."),
        click.option("--from", "date_from", metavar="DATE", help="Only articles on or after DATE."),
        click.option("--to", "date_to", metavar="DATE", help="Only articles on or before DATE."),
        click.option("--time-limit", type=click.FloatRange(0, 600), default=None, metavar="SECONDS",
                     help="Stop matching after SECONDS and say the result is partial (default 5)."),
    )):
        f = option(f)
    return f


def csv_option(f):
    return click.option("--csv", "as_csv", is_flag=True, help="Print CSV (with a header row).")(f)


def reading(work):
    """``work()``, with a query that cannot be read turned into a message, as ``search`` does."""
    from search.syntax import QueryError
    try:
        return work()
    except QueryError as e:
        raise click.ClickException("%s\nSee: akhbar search --help" % e)


def write_csv(rows):
    writer = csv.writer(sys.stdout, lineterminator="\n")
    for row in rows:
        writer.writerow(row)


def partial_note(partial):
    if partial:
        click.echo("partial: the time limit was reached; there may be more (--time-limit)", err=True)


@click.command()
@click.argument("query")
@click.option("--vs", "others", multiple=True, metavar="QUERY", help="Another query on the same timeline. Repeatable.")
@click.option("--by", type=click.Choice(["day", "week", "month", "year"]), default="month", show_default=True,
              help="Period counted.")
@filter_options
@index_option
@csv_option
@json_option
def timeline(query, others, by, lang, source, date_from, date_to, time_limit, index_dir, as_csv, as_json):
    """Distinct articles matching QUERY per period, and their share of all articles.

    Duplicates count once; undated articles are counted apart. --vs adds
    queries to compare. The filters are those of akhbar search.
    """
    from search.timeline import timeline as count, timeline_rows
    searcher = open_searcher(index_dir)
    data = reading(lambda: count(searcher, [query, *others], by=by, lang=lang, source=source,
                                 date_from=date_from, date_to=date_to, time_limit=time_limit))
    partial_note(data["partial"])
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


COMMANDS = (timeline,)
