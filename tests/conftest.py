"""Shared fixtures: one index of the bundled corpus for the whole session."""
import json
import os

import pytest
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


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """Path of an index built from corpus/ with `akhbar index`."""
    return build_corpus(tmp_path_factory, "corpus-index")


@pytest.fixture(scope="session")
def searcher(corpus_index):
    from search.searcher import Searcher
    s = Searcher(corpus_index)
    yield s
    s.close()
