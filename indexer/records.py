"""The records of an archive file, found one at a time in bounded memory.

A CSV row, a JSON Lines line, a value of a JSON file (an element of its top
array) and a TREC document are each found by scanning a text stream read a
chunk at a time (``Window``).  Only the record being read is held, up to
``limit`` characters; a longer one is scanned to its end without being kept,
reported, and reading goes on after it, so one giant field or line costs that
record and a bounded amount of memory, never the file.

Each reader yields ``(line, value, problem)``: the line the record starts on,
and either its value or what was wrong with it.  Damage is confined to the
records it touches: a CSV record that is malformed across several lines (a
stray quote swallowing the lines after it) is read again from its second
line; a malformed JSON value is left for the next object after a ``}``.
"""
import csv
import json
import re

CHUNK_CHARS = 1 << 20


class Window:
    """The part of a text stream still needed: ``buf`` holds its text from position ``base``.

    Positions are absolute (characters from the start of the stream).  Text
    from ``keep`` on is held while more is read; once more than ``limit``
    characters from ``keep`` would be held, ``keep`` becomes None and only
    what is still to be scanned stays.
    """

    def __init__(self, stream, limit, chunk=None):
        self.stream, self.limit, self.chunk = stream, limit, chunk or CHUNK_CHARS
        self.buf, self.base, self.eof = "", 0, False
        self.keep = 0
        self.line, self.line_pos = 1, 0          # the line number at position line_pos

    @property
    def end(self):
        return self.base + len(self.buf)

    def more(self, pos):
        """Read another chunk; text before ``pos`` (and before ``keep``) may be let go.
        False at the end of the stream."""
        if self.eof:
            return False
        if self.keep is not None and self.end - self.keep > self.limit:
            self.keep = None
        drop = min((pos if self.keep is None else min(pos, self.keep)) - self.base, len(self.buf))
        if drop > 0:
            self.line_at(self.base + drop)
            self.buf, self.base = self.buf[drop:], self.base + drop
        data = self.stream.read(self.chunk)
        self.buf += data
        self.eof = not data
        return bool(data)

    def line_at(self, pos):
        """The line number of position ``pos`` (never before one already asked for)."""
        if pos > self.line_pos:
            self.line += self.buf.count("\n", self.line_pos - self.base, pos - self.base)
            self.line_pos = pos
        return self.line

    def char(self, pos):
        """The character at ``pos``; "" past the end of the stream."""
        while pos >= self.end:
            if not self.more(pos):
                return ""
        return self.buf[pos - self.base]

    def search(self, pattern, pos, overlap=0):
        """(start, end) of the first match of ``pattern`` at or after ``pos``; None when there
        is none.  ``overlap``: characters a match may need from before a chunk's end."""
        while True:
            m = pattern.search(self.buf, max(pos - self.base, 0))
            if m:
                return self.base + m.start(), self.base + m.end()
            pos = max(pos, self.end - overlap)
            if not self.more(pos):
                return None

    def held(self, start, end):
        """The text from ``start`` to ``end``, or None when it was too long to be kept."""
        if self.keep is None or self.keep > start or end - start > self.limit:
            return None
        return self.buf[start - self.base:end - self.base]


def too_long(chars, limit, at_least=False):
    return "%s%s characters, over the limit of %s for one record, skipped" % (
        "more than " if at_least else "", format(chars, ","), format(limit, ","))


_NOT_BLANK = re.compile(r"[^\s]")


# ---------------------------------------------------------------- JSON Lines

_NEWLINE = re.compile("\n")


def json_lines(w):
    """Each non-blank line of JSON Lines, parsed (only a newline ends a line: U+2028 does not)."""
    pos = w.base
    while True:
        w.keep = pos
        if w.char(pos) == "":
            return
        line = w.line_at(pos)
        found = w.search(_NEWLINE, pos)
        end, after = found if found else (w.end, w.end)
        text = w.held(pos, end)
        if text is None:
            yield line, None, "line %d: %s" % (line, too_long(end - pos, w.limit))
        elif text.strip():
            value, problem = _parsed(text)
            yield line, value, problem and "line %d: %s" % (line, problem)
        pos = after


def _parsed(text):
    """(value, None) of one JSON text, or (None, what is wrong with it)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as e:
        return None, "malformed JSON (%s)" % e.msg
    except RecursionError:
        return None, "JSON nested too deep"


# ---------------------------------------------------------------- JSON

_VALUE_START = re.compile(r"[^\s,]")
_CLOSE = re.compile(r"[}\]]")


def json_values(w):
    """The values of a JSON file: the elements of its top array, else its top values one after
    another (one object, or JSON Lines saved as .json).

    A value that cannot be read is reported and reading goes on at the next
    ``{`` that follows a ``}`` or a ``]``: where the next object of an array
    or of a line begins, whatever broke the one before.
    """
    decoder = json.JSONDecoder()
    w.keep = None
    first = w.search(_NOT_BLANK, 0)
    if first is None:
        return
    pos, in_array = first[0], w.char(first[0]) == "["
    if in_array:
        pos += 1
    n = 0
    while True:
        w.keep = None
        found = w.search(_VALUE_START, pos)
        if found is None:
            if in_array:
                yield w.line_at(w.end), None, "the JSON array is cut short (no closing ])"
            return
        pos = found[0]
        if in_array and w.char(pos) == "]":
            after = w.search(_NOT_BLANK, pos + 1)
            if after is not None:
                yield w.line_at(after[0]), None, "text after the JSON array, ignored"
            return
        n += 1
        w.keep = pos
        line = w.line_at(pos)
        value, end, problem = _value_at(w, decoder, pos)
        if problem is None:
            yield line, value, None
            pos = end
            continue
        yield line, None, "record %d (line %d): %s" % (n, line, problem)
        pos = _next_object(w, pos + 1)
        if pos is None:
            return


def _value_at(w, decoder, pos):
    """(value, end, None) of the JSON value at ``pos``, or (None, None, the problem)."""
    while True:
        try:
            value, end = decoder.raw_decode(w.buf, pos - w.base)
            end += w.base
            if end < w.end or w.eof:        # a number at the end of a chunk may go on
                return value, end, None
        except json.JSONDecodeError as e:
            # Cut by the chunk's end (within a \uXXXX escape of it, say), not malformed: read on.
            cut = e.pos >= len(w.buf) - 6 or e.msg.startswith("Unterminated string")
            if not cut or w.eof:
                return None, None, "malformed JSON (%s)" % e.msg
        except RecursionError:
            return None, None, "JSON nested too deep"
        if w.end - pos >= w.limit:
            return None, None, too_long(w.limit, w.limit, at_least=True)
        w.more(w.end)


def _next_object(w, pos):
    """The first ``{`` after a ``}`` or ``]`` at or after ``pos`` (spaces and commas between), or None."""
    w.keep = None
    while True:
        brace = w.search(_CLOSE, pos)
        if brace is None:
            return None
        nxt = w.search(_VALUE_START, brace[1])
        if nxt is None:
            return None
        if w.char(nxt[0]) == "{":
            return nxt[0]
        pos = nxt[0]


# ---------------------------------------------------------------- CSV

# One well-formed record at the start of the text: fields quoted ("" inside
# a quoted one) or not, then its line end.  The common case, matched in C; any
# other record is found by _csv_record_end, which reads as the csv module does.
_FIELD = r'(?:"[^"]*(?:""[^"]*)*"|[^",\r\n]*)'
_CSV_RECORD = re.compile(_FIELD + r"(?:," + _FIELD + r")*(?:\r\n|\n|\r|\Z)")
_QUOTE = re.compile('"')
_FIELD_END = re.compile(r"[,\r\n]")
_NOT_LINE_END = re.compile(r"[^\r\n]")


def _after_line_end(w, pos):
    return pos + 2 if w.char(pos) == "\r" and w.char(pos + 1) == "\n" else pos + 1


def _csv_record_end(w, pos):
    """Where the CSV record starting at ``pos`` ends (after its line end), as the csv module
    reads it (a quote opens a quoted field only at the start of a field; text after a
    closing quote goes on unquoted).  The record is scanned a chunk at a time."""
    while True:                             # at the start of a field
        c = w.char(pos)
        if c == "":
            return pos
        if c in "\r\n":
            return _after_line_end(w, pos)
        if c == '"':
            q = pos + 1
            while True:
                found = w.search(_QUOTE, q)
                if found is None:           # the file ends inside the quotes
                    return w.end
                nxt = w.char(found[0] + 1)
                if nxt != '"':
                    break
                q = found[0] + 2
            if nxt == "":
                return found[1]
            if nxt == ",":
                pos = found[1] + 1
                continue
            if nxt in "\r\n":
                return _after_line_end(w, found[1])
            pos = found[1]
        found = w.search(_FIELD_END, pos)
        if found is None:
            return w.end
        if w.char(found[0]) == ",":
            pos = found[1]
            continue
        return _after_line_end(w, found[0])


def _csv_span(w, pos):
    """(start, its line, end) of the next CSV record from ``pos``, blank lines skipped; None at the end."""
    w.keep = None
    found = w.search(_NOT_LINE_END, pos)
    if found is None:
        return None
    start = found[0]
    w.keep, line = start, w.line_at(start)
    m = _CSV_RECORD.match(w.buf, start - w.base)
    if m and (m.end() < len(w.buf) or w.eof) and m.end() > start - w.base:
        return start, line, w.base + m.end()
    return start, line, _csv_record_end(w, start)


_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def _lines_in(text):
    """Line breaks inside a record (its own line end left out)."""
    return len(_LINE_BREAK.findall(text.rstrip("\r\n")))


def csv_rows(w):
    """Each CSV record as its list of fields, the header first.

    A record is parsed strictly; one that is not well formed is read as the csv
    module reads it when it is one line, and read again from its second line
    when it runs over several (an unbalanced quote joins the lines after it).
    Records read again so must have as many fields as the header.
    """
    # The csv module's own limit (128 KB a field) must not cut a record the window held.
    csv.field_size_limit(max(csv.field_size_limit(), w.limit))
    pos, fields, recovering = w.base, None, False
    while True:
        span = _csv_span(w, pos)
        if span is None:
            return
        start, line, end = span
        text = w.held(start, end)
        pos = end
        if text is None:
            yield line, None, "line %d: %s" % (line, too_long(end - start, w.limit))
            continue
        if "\x00" in text:
            # A NUL byte is binary data spilled into the record, not text.
            yield line, None, "line %d: holds a NUL byte (binary data)" % line
            continue
        row, problem = _row(text)
        if problem and _lines_in(text):
            pos = start + _LINE_BREAK.search(text).end()
            recovering = True
            yield line, None, "line %d: %s over %d lines; read again from line %d" % (
                line, problem, _lines_in(text) + 1, line + 1)
            continue
        if problem is None and recovering and fields is not None and len(row) != fields:
            problem = "%d fields where the header has %d" % (len(row), fields)
        if problem is not None:
            yield line, None, "line %d: %s" % (line, problem)
            continue
        recovering = False
        if fields is None:
            fields = len(row)
        if row:
            yield line, row, None


def _row(text):
    """(fields, None) of one CSV record read strictly, else leniently when it is one line;
    (None, the problem) when it cannot be read."""
    try:
        return next(csv.reader([text], strict=True), []), None
    except csv.Error as e:
        problem = "malformed CSV (%s)" % e
    if _lines_in(text):
        return None, problem
    try:
        return next(csv.reader([text]), []), None
    except csv.Error as e:
        return None, "malformed CSV (%s)" % e


# ---------------------------------------------------------------- TREC

_DOC_OPEN = re.compile(r"<DOC>", re.I)
_DOC_TAG = re.compile(r"<(/?)DOC>", re.I)


def trec_documents(w):
    """Each ``<DOC>`` as (its text, how it ends): "closed" at its ``</DOC>``; when that is
    missing, "next" (read up to the next ``<DOC>``) or "cut" (the file ends)."""
    pos = w.base
    while True:
        w.keep = None
        found = w.search(_DOC_OPEN, pos, overlap=4)
        if found is None:
            return
        line, start = w.line_at(found[0]), found[1]
        w.keep = start
        tag = w.search(_DOC_TAG, start, overlap=5)
        if tag is None:
            end, ending, pos = w.end, "cut", w.end
        elif w.char(tag[0] + 1) == "/":
            end, ending, pos = tag[0], "closed", tag[1]
        else:
            end, ending, pos = tag[0], "next", tag[0]
        text = w.held(start, end)
        if text is None:
            yield line, None, "document at line %d: %s" % (line, too_long(end - start, w.limit))
        else:
            yield line, (text, ending), None
