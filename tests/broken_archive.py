"""A folder of deliberately broken archive files, beside a few good ones.

``write_broken_archive(folder)`` fills ``folder`` and returns what indexing it
must do: which files must be reported (with a word of the reason), and which
articles must be searchable afterwards (by a word only they contain).

Run it directly to make such a folder by hand:
``python tests/broken_archive.py /tmp/broken``.
"""
import json
import os
import sys

GOOD = {
    # relative path: (bytes, article id, a word only that article holds)
    "good/page.txt": ("Ru En\n\nعنوان خبر سليم عن الزعفران\n\n١٢ كانون الثاني ٢٠٢٤\n\nقال مزارعو الزعفران "
                      "في تالوين إن المحصول تضاعف.\n\nالمصدر: وكالة تجريبية\n".encode("utf-8"),
                      "good/page.txt", "الزعفران"),
    "good/legacy-1256.txt": ("خبر بترميز قديم\n\nتحدث التقرير عن القرنفل في زنجبار.\n".encode("cp1256"),
                             "good/legacy-1256.txt", "القرنفل"),
    "good/legacy-8859-6.txt": ("خبر آخر بترميز قديم\n\nتحدث التقرير عن الهيل في كيرالا.\n".encode("iso8859_6"),
                               "good/legacy-8859-6.txt", "الهيل"),
    "good/utf16.txt": ("Utf sixteen story\n\nThe quokka census finished.\n".encode("utf-16"),
                       "good/utf16.txt", "quokka"),
    "good/stray-byte.txt": (b"Cafe story\n\nThe caf\xe9 served aardvark-shaped biscuits.\n",
                            "good/stray-byte.txt", "biscuits"),
    "good/one.trec": ("<DOC>\n<DOCNO>GOOD-TREC-1</DOCNO>\n<TITLE>خبر الأرشيف</TITLE>\n<TEXT>\nنص عن "
                      "السنجاب الطائر.\n</TEXT>\n</DOC>\n".encode("utf-8"), "GOOD-TREC-1", "السنجاب"),
}

# A JSON Lines export with one good line, one broken line, one record without text.
MIXED_JSONL = ('{"id": "JL-1", "title": "Pelican survey", "text": "Pelicans counted on the lake."}\n'
               '{"id": "JL-2", "title": "broken\n'
               '{"id": "JL-3", "lang": "en"}\n').encode("utf-8")

BAD = {
    # relative path: (bytes or None for a dangling link, a word of the reason)
    "bad/empty.txt": (b"", "empty"),
    "bad/blank.txt": (b"  \n\n \t\n", "empty"),
    "bad/image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    "bad/truncated.trec": ("<DOC>\n<DOCNO>CUT-1</DOCNO>\n<TITLE>مقطوع</TITLE>\n<TEXT>\nنص لم".encode("utf-8"), "DOC"),
    "bad/malformed.json": (b'{"title": "never closed", "text": ', "malformed JSON"),
    "bad/numbers.json": (b"[1, 2, 3]", "no article"),
    "bad/deep.json": (b"[" * 200000 + b"]" * 200000, "nested too deep"),
    "bad/no-columns.csv": (b"colour,size\nred,3\nblue,4\n", "no article"),
    "bad/dangling-link.txt": (None, "cannot read"),
}


def write_broken_archive(folder):
    """Write the archive; returns (good: {id: word}, bad: {relpath: reason word}, line_problems)."""
    for rel, (data, _id, _word) in GOOD.items():
        _write(folder, rel, data)
    _write(folder, "good/mixed.jsonl", MIXED_JSONL)
    for rel, (data, _reason) in BAD.items():
        if data is None:
            path = os.path.join(folder, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.symlink(os.path.join(folder, "does-not-exist.txt"), path)
        else:
            _write(folder, rel, data)
    good = {art_id: word for _data, art_id, word in GOOD.values()}
    good["JL-1"] = "pelicans"
    bad = {rel: reason for rel, (_data, reason) in BAD.items()}
    line_problems = ["good/mixed.jsonl: line 2", "good/mixed.jsonl: record 3"]
    return good, bad, line_problems


def _write(folder, rel, data):
    path = os.path.join(folder, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else "broken-archive"
    good, bad, lines = write_broken_archive(target)
    print(json.dumps({"folder": target, "good": good, "bad": bad, "line_problems": lines},
                     ensure_ascii=False, indent=2))
