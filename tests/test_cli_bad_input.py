"""Command lines and batch files holding what a terminal or script should not
have sent: a clear message, never a traceback, and the rest of the work done."""
import pytest

from helpers import run_cli


@pytest.mark.parametrize("args", [
    ["search", "olive \udcff"],                 # how Python keeps the byte \xff of an argument
    ["similar", "\udcff"],
    ["search", "olive", "--source", "x\udce9"],
    ["search", "olive", "--from", "2020\udcff"],
], ids=["query", "similar-id", "source", "from"])
def test_argument_that_is_not_utf8_is_refused_with_a_message(corpus_index, args):
    result = run_cli(*args, "--index", corpus_index)
    assert result.exit_code == 2
    assert "is not UTF-8 text" in result.output and "Traceback" not in result.output
    assert "\\x" in result.output          # the byte is shown, not a replacement character


def test_batch_reports_bad_lines_and_searches_the_others(corpus_index, tmp_path):
    batch = tmp_path / "topics.tsv"
    batch.write_bytes("q1\tolive\n"
                      "q2\tdate:9999-12-31\n".encode("utf-8")
                      + b"q3\tolive \xff\n"
                      + "no tab on this line\n"
                        "q5\tزيت الزيتون\n".encode("utf-8"))
    result = run_cli("search", "--batch", batch, "--index", corpus_index)
    assert "Traceback" not in result.output
    assert result.exit_code == 3
    searched = {line.split("\t")[0] for line in result.output.splitlines() if "\t" in line}
    assert {"q1", "q5"} <= searched
    assert "line 3: not UTF-8 text, skipped" in result.output
    assert "line 4: expected qid<TAB>query, skipped" in result.output
    # q5 was searched, so line 2 (a far date) did not end the batch either.
