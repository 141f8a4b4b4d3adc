"""The ``akhbar`` command line: index, search, similar, serve, analyze, stats (and akhbar.research)."""
import json
import os
import sys
import time

import click

from indexer.analysis import LANGUAGES, analyze_stages
from indexer.build import COMMIT_EVERY, LOCK_WAIT_SECONDS, build_index
from indexer.lock import IndexLocked
from indexer.schema import IndexVersionError
from search.searcher import DEFAULT_TIME_LIMIT, MAX_LIMIT, MAX_PAGE, SORTS

from .guards import TEXT, interrupt_once_then_quit, reports_damage

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
    from indexer.shards import ShardLayoutError, is_sharded
    from search.engine.engine import open_searcher as open_any
    from transport.dask import ClusterError
    try:
        searcher = open_any(index_dir, cluster=cluster or "")
    except FileNotFoundError:
        raise click.ClickException(
            "no index in %s. Build one first: akhbar index PATH --index %s" % (index_dir, index_dir))
    except IndexVersionError as e:
        raise click.ClickException("%s. Rebuild it: akhbar index PATH --index %s --rebuild" % (e, index_dir))
    except (ShardLayoutError, ClusterError) as e:
        raise click.ClickException(str(e))
    if is_sharded(index_dir):
        # Its shard processes (or cluster connection) end with the command.
        click.get_current_context().call_on_close(searcher.close)
    return searcher


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="akhbar")
def main():
    """akhbar: search a multilingual news archive, Arabic first."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@index_option
@click.option("--rebuild", is_flag=True, help="Start the index over instead of updating it.")
@click.option("--map", "field_map", multiple=True, metavar="OURS=THEIRS",
              help="Read JSON/CSV field THEIRS as OURS (title, body, date, source, ...). Repeatable.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes reading, analysing and filing articles (default: one per core).")
@click.option("--commit-every", type=click.IntRange(1), default=COMMIT_EVERY, show_default=True,
              help="Commit after this many articles, so an interrupted run keeps its work.")
@click.option("--lock-wait", type=click.FloatRange(0), default=LOCK_WAIT_SECONDS, show_default=True, metavar="SECONDS",
              help="How long to wait for another akhbar writing to the same index.")
@click.option("--shards", type=click.IntRange(1, 256), default=None,
              help="Split a new index (or a --rebuild) into N shards, searched in parallel; "
                   "an existing index keeps its layout.")
@cluster_option
@reports_damage
def index(paths, index_dir, rebuild, field_map, workers, commit_every, lock_wait, shards, cluster):
    """Build or update the index from files and folders.

    Unchanged files are skipped, changed ones re-read, and articles of files
    that are gone are removed. Reads scraped news pages, TREC <DOC> files,
    JSON, JSON Lines, CSV and plain text, in UTF-8, UTF-16 or legacy Arabic
    encodings. Files that cannot be read are reported and skipped; the exit
    status is then 3.
    """
    from indexer.build import NotAnIndex
    from indexer.shards import ShardLayoutError
    from transport.dask import ClusterError
    from .progress import BuildProgress, summary_line
    mapping = {}
    for item in field_map:
        ours, sep, theirs = item.partition("=")
        if not sep or not ours or not theirs:
            raise click.BadParameter("expected OURS=THEIRS, e.g. body=story", param_hint="--map")
        mapping[ours.strip()] = theirs.strip()
    started = time.perf_counter()
    progress = BuildProgress(sys.stderr.isatty())
    restore = interrupt_once_then_quit()
    try:
        summary = _build(paths, index_dir, shards, cluster, rebuild=rebuild, field_map=mapping, workers=workers,
                         commit_every=commit_every, lock_wait=lock_wait, on_start=progress.on_start,
                         on_file=progress.on_file)
    except IndexLocked as e:
        raise click.ClickException("%s. Wait for it to finish and try again." % e.describe())
    except IndexVersionError as e:
        raise click.ClickException("%s. Rebuild it: akhbar index %s --index %s --rebuild" % (
            e, " ".join(paths), index_dir))
    except NotAnIndex as e:
        raise click.ClickException("%s; choose another --index directory" % e)
    except (ShardLayoutError, ClusterError) as e:
        raise click.ClickException(str(e))
    except KeyboardInterrupt:
        raise click.ClickException(
            "interrupted: searches see the index as last committed; run the same command again to finish")
    except OSError as e:
        raise click.ClickException(
            "cannot write the index: %s. Searches see the index as last committed; free the space "
            "and run the same command again to finish" % (e.strerror or e))
    finally:
        progress.close()
        restore()
    for note in summary.notes:
        click.echo("note: %s" % note, err=True)
    for problem in summary.problems:
        click.echo("skipped: %s" % problem, err=True)
    for article_id, files in summary.shared_ids.items():
        click.echo("warning: id %s is used by more than one article (%s): searches find each, but the "
                   "id leads to only one; give them distinct ids" % (article_id, ", ".join(files)), err=True)
    click.echo(summary_line(summary, time.perf_counter() - started, index_dir))
    if summary.files_skipped or summary.problems or summary.shared_ids:
        sys.exit(3)


def _build(paths, index_dir, shards, cluster, **options):
    """build_index, its batch tasks on the Dask cluster at ``cluster`` when one is given."""
    if not cluster:
        return build_index(paths, index_dir, shards=shards, **options)
    from transport.dask import Dask
    # The workers write the index's segments: they must see its folder.
    transport = Dask(cluster, sees=os.path.dirname(os.path.abspath(index_dir)))
    try:
        return build_index(paths, index_dir, shards=shards, transport=transport, **options)
    finally:
        transport.close()


SEARCH_HELP = """Search the index.

\b
Query syntax (spelling-insensitive: hamza, teh marbuta, diacritics, tatweel):
  words                 ranked; articles with most of the words first
  "a phrase"            also «…» and “…”; diacritised or not, either way
  a OR b   a أو b       either word
  a AND b               both words (so does +a +b)
  NOT a  ليس a  -a      exclude
  ( … )                 grouping: (a OR b) AND c
  title:word            only in titles                 (عنوان:)
  source:name           source name contains name      (مصدر:)
  lang:ar               ar, en, fr, ru                 (لغة:)
  tag:word              articles tagged word           (وسم:)
  date:2018             also date:2018-03, date:2018-03-01..2018-04-15,
                        date:2018-03.. and date:..2018-06; Arabic-Indic
                        digits too (تاريخ:٢٠١٨)
  word*                 words starting with word (the 64 commonest)
  word~                 words within one or two letters of word
  =word  ="a phrase"    this written form only: no stemming, no name variants;
                        harakat typed must be there (=كَتَبَ, not كُتُب)

\b
Facets (counts by source, language and month) are shown under the hits.
When little is found a corrected query is suggested ("did you mean").
--explain shows how the query was read.
"""


@main.command(help=SEARCH_HELP)
@click.argument("query", required=False, type=TEXT)
@index_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, MAX_LIMIT), help="Hits per page.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, MAX_PAGE), help="Page of results.")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Only articles in this language.")
@click.option("--source", type=TEXT, help="Only articles from a source whose name contains this.")
@click.option("--from", "date_from", type=TEXT, metavar="DATE",
              help="Only articles on or after DATE (2018, 2018-03, 2018-03-01).")
@click.option("--to", "date_to", type=TEXT, metavar="DATE", help="Only articles on or before DATE.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--batch", type=click.File("r", encoding="utf-8", errors="surrogateescape"),
              help="Run every 'qid<TAB>query' line of a file; bad lines are reported and skipped (exit status 3).")
@click.option("--format", "fmt", type=click.Choice(["text", "trec", "csv", "jsonl"]), default="text",
              help="Output for --batch (text, trec) or --all (csv, jsonl).")
@click.option("--all", "everything", is_flag=True,
              help="Write every matching article (with --format csv or jsonl), the count first on stderr.")
@click.option("--explain", is_flag=True, help="Show how the query was read, name variants included.")
@click.option("--no-variants", "no_variants", is_flag=True, help="Names only as typed: by default a name also "
              "finds its other spellings and scripts (ترامب: ترمب, Trump, Трампа), listed by --explain and --json.")
@click.option("--time-limit", type=click.FloatRange(0, 600), default=None, metavar="SECONDS",
              help="Stop matching after SECONDS and show the partial results (default %g)." % DEFAULT_TIME_LIMIT)
@click.option("--html", "html_file", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Also write the results as one self-contained web page that opens from disk.")
@cluster_option
@json_option
@reports_damage
def search(query, index_dir, limit, page, lang, source, date_from, date_to, sort, batch, fmt, everything,
           explain, no_variants, time_limit, as_json, html_file=None, cluster=None):
    from search.engine.engine import ShardsUnavailable
    from search.query.syntax import QueryError
    from .output import print_batch, print_results, results_json
    searcher = open_searcher(index_dir, cluster=cluster)
    options = dict(lang=lang, source=source, date_from=date_from, date_to=date_to, sort=sort,
                   time_limit=time_limit, variants=not no_variants)
    if batch is not None:
        if print_batch(searcher, batch, limit, fmt, options):
            sys.exit(3)
        return
    if not query and not (lang or source or date_from or date_to):
        raise click.UsageError("give a QUERY (or a filter such as --lang), or --batch FILE")
    if everything or fmt in ("csv", "jsonl"):
        from .research import export_all
        export_all(searcher, query, fmt, everything, options)
        return
    try:
        results = searcher.search(query, page=page, limit=limit, **options)
    except QueryError as e:
        raise click.ClickException("%s\nSee: akhbar search --help" % e)
    except ShardsUnavailable as e:
        raise click.ClickException("%s; try again once its workers are back" % e)
    if html_file:
        write_html_export(html_file, results, query, index_dir, options)
    if as_json:
        emit_json(results_json(results))
    else:
        print_results(results, explain=explain, color=sys.stdout.isatty())


@main.command()
@click.argument("article_id", metavar="ID", type=TEXT)
@index_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100), help="How many articles.")
@cluster_option
@json_option
@reports_damage
def similar(article_id, index_dir, limit, as_json, cluster):
    """List the articles closest to article ID (the id shown with each hit)."""
    from .output import hit_json, print_similar
    searcher = open_searcher(index_dir, cluster=cluster)
    hits = searcher.similar(article_id, limit=limit)
    if hits is None:
        raise click.ClickException("no article with id %s. Ids are shown with each search hit "
                                   "(and in --json as \"id\")" % article_id)
    if as_json:
        emit_json({"id": article_id, "similar": [hit_json(h) for h in hits]})
    else:
        print_similar(article_id, hits, color=sys.stdout.isatty())


def write_html_export(path, results, query, index_dir, options):
    """The --html page of a search; a file that cannot be written is a user error."""
    from web.export import write_results_page
    filters = {"lang": options.get("lang"), "source": options.get("source"),
               "from": options.get("date_from"), "to": options.get("date_to")}
    try:
        write_results_page(path, results, query, index_dir=index_dir, sort=options.get("sort", "relevance"),
                           filters=filters)
    except OSError as e:
        raise click.ClickException("cannot write %s: %s" % (path, e.strerror or e))
    click.echo("results page written to %s" % path, err=True)


@main.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(2, 64),
              help="Requests served at once; searches take at most all but one, so pages and "
                   "static files are always served.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests addressed to NAME (a host name this machine is reached by). "
                   "Repeatable.")
@click.option("--get", "get_path", metavar="PATH", help="Print the page at PATH (e.g. '/?q=word') and exit.")
@cluster_option
@reports_damage
def serve(index_dir, host, port, threads, allow_hosts, get_path, cluster):
    """Serve the results page on this machine (127.0.0.1 unless --host says otherwise).

    Only requests addressed to 127.0.0.1, localhost, [::1], the --host address
    and the --allow-host names are answered (others get 400), so a web page
    elsewhere cannot reach the archive by pointing a name of its own here.
    """
    from web.app import create_app
    if cluster:
        os.environ["AKHBAR_CLUSTER"] = cluster     # the page's searchers go through the same scheduler
    open_searcher(index_dir, cluster=cluster).close()      # fail early with a clear message
    app = create_app(index_dir, hosts=served_names(host) + list(allow_hosts), searches_at_once=threads - 1)
    if get_path is None:
        click.echo("akhbar: loading %s" % index_dir, err=True)
        app.extensions["akhbar"].warm_up()
    if get_path is not None:
        response = app.test_client().get(get_path)
        click.echo(response.get_data(as_text=True))
        sys.exit(0 if response.status_code < 400 else 1)
    from waitress import create_server
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="akhbar")
    except OSError as e:
        raise click.ClickException("cannot listen on %s:%d: %s" % (host, port, e.strerror or e))
    shown = "[%s]" % host if ":" in host else host
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo("note: listening on %s, so other machines can reach this page" % host, err=True)
    click.echo("akhbar: serving %s on http://%s:%s/  (Ctrl-C to stop)" % (index_dir, shown, server.effective_port))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        app.extensions["akhbar"].close()
    click.echo("stopped")


def served_names(host):
    """The names a server listening on ``host`` is addressed by: the address itself, and
    for the any-address (0.0.0.0, ::) this machine's own name."""
    import socket
    names = [host]
    if host in ("0.0.0.0", "::", ""):
        names += [socket.gethostname(), socket.getfqdn()]
    return names


@main.command()
@click.argument("text", type=TEXT)
@click.option("--lang", type=click.Choice(LANGUAGES), help="Analyse as this language (default: detect).")
@json_option
def analyze(text, lang, as_json):
    """Show the terms the indexer makes of TEXT, stage by stage."""
    stages = analyze_stages(text, lang)
    if as_json:
        emit_json(stages)
        return
    click.echo("language:   %s%s" % (stages["language"] or "unknown",
                                    "" if lang else " (detected)"))
    for key in ("tokens", "normalized", "stopwords_removed", "terms"):
        click.echo("%-11s %s" % (key.replace("_", " ") + ":", " | ".join(stages[key])))


@main.command()
@index_option
@cluster_option
@json_option
@reports_damage
def stats(index_dir, as_json, cluster):
    """Articles in the index, by language and by source (and by shard, for a sharded index)."""
    data = open_searcher(index_dir, cluster=cluster).stats()
    if as_json:
        emit_json(data)
        return
    click.echo("%d articles in %s" % (data["articles"], index_dir))
    if "shards" in data:
        click.echo("shards: %d" % (len(data["shards"]) + len(data["missing"])))
        for shard in data["shards"]:
            click.echo("  shard-%d  %6d articles  %8.1f MB  %s" % (
                shard["shard"], shard["articles"], shard["bytes"] / 1e6, shard["path"]))
        for name in data["missing"]:
            click.echo("  %s  did not answer" % name)
    click.echo("languages: " + ", ".join("%s %d" % kv for kv in data["languages"].items()))
    click.echo("sources:")
    for name, n in data["sources"].items():
        click.echo("  %6d  %s" % (n, name))


# Commands over a query's whole result set live in their own module.
from .research import COMMANDS as _RESEARCH  # noqa: E402

for _command in _RESEARCH:
    main.add_command(_command)
