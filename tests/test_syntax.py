"""search.query.syntax on its own: what each piece of the query language is read as."""
import os
import subprocess
import sys

import pytest

from search.query.syntax import QUERY_CHARS_READ, Bool, Filter, Not, Phrase, Word, describe, parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tree(text):
    node, notes = parse(text)
    return node


def test_free_words_are_one_ranked_group():
    node = tree("زيت الزيتون تونس")
    assert isinstance(node, Bool) and node.op == "soft"
    assert [w.text for w in node.nodes] == ["زيت", "الزيتون", "تونس"]
    assert node.required == []


@pytest.mark.parametrize("text", ['"زيت الزيتون"', "«زيت الزيتون»", "“زيت الزيتون”"])
def test_three_kinds_of_quotes_make_a_phrase(text):
    node = tree(text)
    assert isinstance(node, Phrase) and node.words == ["زيت", "الزيتون"]


def test_unclosed_quote_is_a_phrase_to_the_end():
    assert tree('"زيت الزيتون') == Phrase(["زيت", "الزيتون"])


@pytest.mark.parametrize("word", ["OR", "أو", "او"])
def test_or_words(word):
    node = tree("زيت %s انتخابات" % word)
    assert node.op == "or" and len(node.nodes) == 2


def test_and_requires_only_its_neighbours():
    node = tree("زيت AND تونس صادرات")
    assert [w.text for w in node.required] == ["زيت", "تونس"]
    assert [w.text for w in node.nodes] == ["صادرات"]


@pytest.mark.parametrize("text", ["زيت NOT تونس", "زيت ليس تونس", "زيت -تونس"])
def test_not_forms(text):
    node = tree(text)
    assert node.nodes[0] == Word("زيت")
    assert node.nodes[1] == Not(Word("تونس"))


def test_plus_requires():
    node = tree("+زيت تونس")
    assert node.required == [Word("زيت")] and node.nodes == [Word("تونس")]


def test_minus_before_a_phrase_a_group_and_a_field_excludes_them():
    # Bug fixed: "-" used to be read as a word of its own, so the phrase,
    # group or field after it was required instead of excluded.
    assert tree('تونس -"زيت الزيتون"').nodes[1] == Not(Phrase(["زيت", "الزيتون"]))
    assert isinstance(tree("تونس -(زيت OR انتخابات)").nodes[1].node, Bool)
    assert tree("تونس -title:زيت").nodes[1] == Not(Word("زيت", "title"))
    assert tree("تونس +source:الشروق").required == [Filter("source", "الشروق")]


def test_hyphen_inside_a_word_is_not_an_operator():
    node = tree("covid-19")
    assert all(not isinstance(n, Not) for n in node.nodes)


def test_parentheses_group():
    node = tree("(زيت OR انتخابات) AND تونس")
    assert node.required[0].op == "or"
    assert node.required[1] == Word("تونس")


@pytest.mark.parametrize("name,field", [
    ("title", "title"), ("عنوان", "title"), ("source", "source"), ("مصدر", "source"),
    ("lang", "lang"), ("لغة", "lang"), ("tag", "tag"), ("وسم", "tag"), ("date", "date"), ("تاريخ", "date"),
])
def test_english_and_arabic_field_names(name, field):
    node = tree("%s:2018" % name)
    if field == "title":
        assert node == Word("2018", "title")
    else:
        assert node == Filter(field, "2018")


def test_title_phrase():
    assert tree('title:"زيت الزيتون"') == Phrase(["زيت", "الزيتون"], "title")


def test_prefix_and_fuzzy_marks():
    assert tree("زيت*") == Word("زيت", prefix=True)
    assert tree("زيتون~") == Word("زيتون", fuzzy=True)


@pytest.mark.parametrize("text,note", [
    ('"', None),
    ("(زيت", "unclosed"),
    ("زيت)", "unmatched"),
    ("OR", "nothing before"),
    ("AND زيت", "nothing before"),
    ("زيت AND", "nothing after"),
    ("NOT", "NOT with nothing"),
    ("foo:bar", "not a field"),
    ("title:", "nothing after"),
])
def test_malformed_input_is_read_with_a_note(text, note):
    node, notes = parse(text)
    if note:
        assert any(note in n for n in notes), notes


def test_unknown_field_is_searched_as_words():
    node, notes = parse("foo:bar")
    assert [w.text for w in node.nodes] == ["foo", "bar"]


def test_very_long_query_is_cut_with_a_note():
    node, notes = parse("زيت " * 2500)
    assert any(str(QUERY_CHARS_READ) in n for n in notes)
    assert len(node.nodes) <= 64


def test_deep_parentheses_do_not_overflow():
    node, notes = parse("(" * 5000 + "زيت" + ")" * 5000)
    assert describe(node)


def test_describe_shows_stems_and_stopwords():
    assert describe(tree("في")) == "في[stopword]"
    assert "title:" in describe(tree("title:زيت"))


def test_the_parser_and_the_dates_load_without_whoosh():
    code = ("import sys, search.query.syntax, search.query.date_ranges; "
            "sys.exit(1 if any(m.split('.')[0] == 'whoosh' for m in sys.modules) else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO)
    assert done.returncode == 0
