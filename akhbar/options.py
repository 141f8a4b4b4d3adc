"""What the commands share: the index, cluster, JSON, CSV and filter options, and opening an index."""
import json
import sys

import click

from indexer.analysis import LANGUAGES
from search.query.options import DEFAULT_TIME_LIMIT

from .guards import TEXT

DEFAULT_INDEX = "akhbar-index"


def index_option(f):
    return click.option(
        "--index", "index_dir", envvar="AKHBAR_INDEX", default=DEFAULT_INDEX, show_default=True,
        type=click.Path(file_okay=False), help="Index directory (or set AKHBAR_INDEX).")(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON object for scripts.")(f)


def emit_json(data):
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def cluster_option(f):
    return click.option(
        "--cluster", envvar="AKHBAR_CLUSTER", default=None, metavar="ADDRESS",
        help="Work on a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (or set AKHBAR_CLUSTER); "
             "needs pip install 'akhbar[cluster]'.")(f)


def open_searcher(index_dir, cluster=None):
    """A Searcher (a sharded one for a sharded index), or a ClickException saying what to do."""
    from indexer.shards import is_sharded
    from search.searcher import open_searcher as open_any
    from .errors import Error, raising
    try:
        with raising(index_dir, opening=True):
            searcher = open_any(index_dir, cluster=cluster or "")
    except Error as e:
        raise click.ClickException(str(e))
    if is_sharded(index_dir):
        # Its shard processes (or cluster connection) end with the command.
        click.get_current_context().call_on_close(searcher.close)
    return searcher


def filter_options(f):
    """The filters and time limit of ``akhbar search``, for commands over a result set."""
    for option in reversed((
        click.option("--lang", type=click.Choice(LANGUAGES), help="Only articles in this language."),
        click.option("--source", type=TEXT, help="Only articles from a source whose name contains this."),
        click.option("--from", "date_from", type=TEXT, metavar="DATE", help="Only articles on or after DATE."),
        click.option("--to", "date_to", type=TEXT, metavar="DATE", help="Only articles on or before DATE."),
        click.option("--time-limit", type=click.FloatRange(0, 600), default=None, metavar="SECONDS",
                     help="Stop matching after SECONDS and say the result is partial (default %g)."
                     % DEFAULT_TIME_LIMIT),
        click.option("--no-variants", "no_variants", is_flag=True,
                     help="Names only as typed, as akhbar search --no-variants counts them."),
    )):
        f = option(f)
    return f


def csv_option(f):
    return click.option("--csv", "as_csv", is_flag=True, help="Print CSV (with a header row).")(f)


def reading(work):
    """``work()``, with a query that cannot be read turned into a message, as ``search`` does."""
    from search.searcher import ShardsUnavailable
    from search.query.syntax import QueryError
    from .errors import translated
    try:
        return work()
    except (QueryError, ShardsUnavailable) as e:
        raise click.ClickException(str(translated(e, None)))


def write_csv(rows):
    from search.views.export import write_csv_rows
    write_csv_rows(sys.stdout, rows)


def partial_note(data):
    if data.get("missing"):
        click.echo("partial: %s of the index did not answer" % ", ".join(data["missing"]), err=True)
    elif data["partial"]:
        click.echo("partial: the time limit was reached; there may be more (--time-limit)", err=True)


def query_options(query, lang=None, source=None, date_from=None, date_to=None, time_limit=None, no_variants=False,
                  **more):
    """The QueryOptions of a command's query, filters and options (one value from here down)."""
    from search.query.options import QueryOptions
    return QueryOptions(text=query, lang=lang, source=source, date_from=date_from, date_to=date_to,
                        time_limit=time_limit, variants=not no_variants, **more)
