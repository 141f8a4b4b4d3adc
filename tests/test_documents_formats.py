"""Every archive format and encoding the reader detects, from files written here."""
import json

import pytest

from indexer.dates import parse_date
from indexer.documents import UnreadableFile, read_file
from indexer.encoding import NotText, decode

ARABIC = ("أعلنت بلدية صفاقس عن نتائج الانتخابات المحلية، وقالت إن نسبة المشاركة بلغت "
          "أربعين في المئة، وهي أعلى نسبة منذ عشر سنوات.\nوأضافت أن الفرز انتهى مساء الأحد.")


def _read(tmp_path, name, data, **kw):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    problems = []
    return read_file(str(p), name, problems=problems, **kw), problems


# ---------------------------------------------------------------- TREC

TREC = """<DOC>
<DOCNO>XX-1</DOCNO>
<URL>https://example.org/1</URL>
<SRC>وكالة</SRC>
<CAT>politics</CAT>
<TITLE>عنوان أول</TITLE>
<TIME>Sun, 15 Jul 2018 21:56:56 +0400</TIME>
<AUTHOR>كاتب</AUTHOR>
<ABSTRACT>ملخص</ABSTRACT>
<TEXT>
نص الخبر الأول.
</TEXT>
</DOC>
<DOC>
<DOCNO>XX-2</DOCNO>
<HEADLINE>Second headline</HEADLINE>
<DATE>2019-02-03</DATE>
<SOURCE>Wire</SOURCE>
<TEXT>Body two.</TEXT>
</DOC>
"""


def test_trec_one_file_many_docs(tmp_path):
    (a, b), _ = _read(tmp_path, "x.sgml", TREC)
    assert (a.id, a.title, a.date, a.sources, a.category, a.author, a.abstract, a.url) == (
        "XX-1", "عنوان أول", "2018-07-15", ["وكالة"], "politics", "كاتب", "ملخص", "https://example.org/1")
    assert a.body == "نص الخبر الأول."
    assert (b.id, b.title, b.date, b.sources, b.body) == ("XX-2", "Second headline", "2019-02-03", ["Wire"], "Body two.")


def test_trec_truncated_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="DOC"):
        _read(tmp_path, "t.txt", TREC[:60])


# ---------------------------------------------------------------- JSON, JSONL, CSV

def test_json_object_and_array(tmp_path):
    obj = {"headline": "H", "content": "C", "published": "2020-05-06", "keywords": ["k1", "k2"],
           "author": ["A", "B"], "lang": "fr", "id": "j1"}
    [a], _ = _read(tmp_path, "o.json", json.dumps(obj))
    assert (a.id, a.title, a.body, a.date, a.tags, a.author, a.lang) == (
        "j1", "H", "C", "2020-05-06", ["k1", "k2"], "A, B", "fr")
    arts, _ = _read(tmp_path, "a.json", json.dumps([{"title": "T1", "text": "B1"}, {"title": "T2", "article": "B2"}]))
    assert [(x.id, x.title, x.body) for x in arts] == [("a.json", "T1", "B1"), ("a.json#2", "T2", "B2")]


def test_jsonl_with_a_malformed_line_keeps_the_others(tmp_path):
    data = '{"title": "one", "text": "x"}\n{"title": broken\n{"title": "three", "body": "z"}\n'
    arts, problems = _read(tmp_path, "n.jsonl", data)
    assert [a.title for a in arts] == ["one", "three"]
    assert len(problems) == 1 and "n.jsonl: line 2" in problems[0]


def test_csv_with_usual_names_and_a_bad_record(tmp_path):
    data = "id,title,text,date,source\nc1,Title one,Body one,03/04/2021,Agence\nc2,,,,\n"
    arts, problems = _read(tmp_path, "f.csv", data)
    assert [(a.id, a.title, a.date, a.sources) for a in arts] == [("c1", "Title one", "2021-04-03", ["Agence"])]
    assert len(problems) == 1 and "record 2" in problems[0]


def test_field_map_reads_other_names(tmp_path):
    data = "ref,titre,corps\nr1,Mapped title,Mapped body\n"
    with pytest.raises(UnreadableFile):
        _read(tmp_path, "m.csv", data)
    [a], _ = _read(tmp_path, "m2.csv", data, field_map={"title": "titre", "body": "corps"})
    assert (a.title, a.body) == ("Mapped title", "Mapped body")


def test_malformed_json_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="malformed JSON"):
        _read(tmp_path, "bad.json", '{"title": "x", ')


# ---------------------------------------------------------------- plain text

def test_plain_text_first_line_title(tmp_path):
    [a], _ = _read(tmp_path, "bbc.txt", "Ad sales boost profits\n\nProfits rose.\nSales too.\n\nSecond para.\n")
    assert a.title == "Ad sales boost profits"
    assert a.body == "Profits rose. Sales too.\n\nSecond para."


# ---------------------------------------------------------------- encodings

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256", "iso8859_6"])
def test_arabic_in_every_encoding_reads_back_exactly(tmp_path, encoding):
    text = "عنوان الخبر\n\n" + ARABIC
    [a], _ = _read(tmp_path, "enc.txt", text.encode(encoding))
    assert a.title == "عنوان الخبر"
    assert a.body == ARABIC.replace("\n", " ")


def test_stray_byte_costs_one_character_not_the_article(tmp_path):
    data = ("Title\n\nThe caf" + "\u00e9" + " opened in 2004 and is still busy.\n").encode("utf-8")
    data = data.replace("\u00e9".encode("utf-8"), b"\xe9")       # a lone Latin-1 byte
    data = data + ("بقية النص " * 50).encode("utf-8")
    text, encoding = decode(data)
    assert encoding.startswith("utf-8")
    assert "The caf opened in 2004" in text
    assert "بقية النص" in text


def test_binary_bytes_are_not_text():
    with pytest.raises(NotText):
        decode(bytes(range(256)) * 20)


def test_empty_and_binary_files_are_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="empty"):
        _read(tmp_path, "e.txt", b"  \n\n")
    with pytest.raises(UnreadableFile, match="binary"):
        _read(tmp_path, "b.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("written,iso", [
    ("٠٩ ديسمبر ٢٠٢٢", "2022-12-09"),
    ("9 كانون الأول 2022", "2022-12-09"),
    ("الجمعة 9 ديسمبر/كانون الأول 2022", "2022-12-09"),
    ("١٤ آذار ٢٠٢٣", "2023-03-14"),
    ("Sun, 15 Jul 2018 21:56:56 +0400", "2018-07-15"),
    ("2018-07-15T10:00:00Z", "2018-07-15"),
    ("15/07/2018", "2018-07-15"),
    ("October 3, 2023", "2023-10-03"),
    ("3 октября 2023", "2023-10-03"),
])
def test_dates_read_to_iso(written, iso):
    assert parse_date(written) == iso


@pytest.mark.parametrize("written", ["", "yesterday", "31/02/2020", "الأسبوع الماضي", "2023"])
def test_unreadable_dates_are_none(written):
    assert parse_date(written) is None


def test_json_lines_saved_as_dot_json(tmp_path):
    """Exports often call JSON Lines ".json"; it was rejected as malformed JSON."""
    data = '{"id": "a", "title": "T1", "text": "B1"}\n{"id": "b", "title": "T2", "text": "B2"}\n'
    articles, problems = _read(tmp_path, "export.json", data)
    assert [a.id for a in articles] == ["a", "b"] and problems == []


def test_non_string_record_fields_do_not_lose_the_file(tmp_path):
    """A list summary or a numeric description once made the whole file unreadable."""
    data = ('{"id": "a", "title": "T1", "text": "B1", "summary": ["one", "two"]}\n'
            '{"id": "b", "title": "T2", "text": "B2", "description": 5, "url": 7}\n')
    (a, b), problems = _read(tmp_path, "export.jsonl", data)
    assert problems == []
    assert a.abstract == "one, two"
    assert b.abstract == "5" and b.url == "7"


@pytest.mark.parametrize("line", ["اجتماع مجلس الأمن يوم 12 مايو 2023", "The council met on 3 October 2023"])
def test_a_sentence_with_a_date_is_body_not_the_date_line(tmp_path, line):
    (article,), _ = _read(tmp_path, "story.txt", "Title of the story\n%s\n\nSecond paragraph.\n" % line)
    assert article.date is None
    assert line in article.body
