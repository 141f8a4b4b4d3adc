"""What several test files share: the repository's paths and the command line run as a user runs it."""
import json
import os

from click.testing import CliRunner

from akhbar.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "corpus")


def run_cli(*args, input=None):
    """Invoke the akhbar command line as a user would; returns the click Result."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def cli_json(*args):
    result = run_cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def build_corpus(tmp_path_factory, name, *options):
    """Path of an index of corpus/ built with `akhbar index` (and ``options``)."""
    index_dir = tmp_path_factory.mktemp(name) / "ix"
    result = run_cli("index", CORPUS, "--index", index_dir, *options)
    assert result.exit_code == 0, result.output
    return str(index_dir)


def one_shard(searcher, i=0):
    """Shard ``i`` of a Searcher whose shards are kept in this process (its Whoosh searcher, its tables)."""
    return searcher.engine.local(i)


def match_all(searcher, query, **options):
    """The search.engine.resultset.ResultSet of ``query`` over a single index kept in this process."""
    from search.query.deadline import deadline_in
    from search.query.options import QueryOptions
    prepared = searcher.engine.read(QueryOptions(text=query, **options))
    return one_shard(searcher).match(prepared, deadline_in(searcher.time_limit))


def shard_pid(searcher, i):
    """The process id of the process keeping shard ``i`` of ``searcher``."""
    from search.engine.shard import where
    return searcher.engine.places.call(i, where, timeout=60)["pid"]
