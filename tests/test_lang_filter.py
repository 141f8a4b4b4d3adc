"""``lang:`` reads the codes the index stores, ``und`` among them (issue #28: ``stats``
listed articles as ``und`` and ``lang:und`` was refused)."""
import pytest

from helpers import cli_json, run_cli
from search.query.compile import language_code


@pytest.fixture(scope="module")
def archive_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("langs")
    (folder / "numbers.txt").write_text("2023 - 45 / 67\n\n12 34 56 78 90\n", encoding="utf-8")
    (folder / "olive.txt").write_text("Olive harvest\n\nThe olive harvest was good and the exports rose.\n",
                                      encoding="utf-8")
    (folder / "export.jsonl").write_text(
        '{"id": "de-1", "title": "Olivenernte", "text": "Die Ernte war gut", "lang": "de-AT"}\n'
        '{"id": "und-1", "title": "Olive", "text": "olive", "lang": "und"}\n', encoding="utf-8")
    index_dir = folder / "ix"
    result = run_cli("index", str(folder), "--index", str(index_dir))
    assert result.exit_code == 0, result.output
    return str(index_dir)


def test_every_language_stats_lists_can_be_searched_with_lang(archive_index):
    languages = cli_json("stats", "--index", archive_index)["languages"]
    assert "und" in languages and "de" in languages
    for code, count in languages.items():
        found = cli_json("search", "lang:%s" % code, "--index", archive_index)
        assert found["total"] == count, code
        assert {h["lang"] for h in found["hits"]} == {code}


def test_a_record_that_says_und_is_not_stored_as_un(archive_index):
    # "und" cut to two letters was stored as "un", a language no one could ask for.
    languages = cli_json("stats", "--index", archive_index)["languages"]
    assert "un" not in languages and languages["und"] == 2


@pytest.mark.parametrize("value,code", [("und", "und"), ("UND", "und"), ("de", "de"), ("english", "en"),
                                        ("الانجليزية", "en"), ("fa", "fa")])
def test_codes_and_names_are_read(value, code):
    assert language_code(value) == code


@pytest.mark.parametrize("value", ["xx", "klingon", "un", "english1", ""])
def test_what_names_no_language_is_refused(value):
    assert language_code(value) is None
