"""The records of an archive file, found one at a time in bounded memory.

A CSV row, a JSON Lines line, a value of a JSON file (an element of its top
array) and a TREC document are each found by scanning a text stream read a
chunk at a time (``indexer.window.Window``).  Only the record being read is
held, up to ``limit`` characters; a longer one is scanned to its end without
being kept, reported, and reading goes on after it, so one giant field or
line costs that record and a bounded amount of memory, never the file.

Each reader yields ``(line, value, problem)``: the line the record starts on,
and either its value or what was wrong with it.  Damage is confined to the
records it touches: a CSV record that is malformed across several lines (a
stray quote swallowing the lines after it) is read again from its second
line; after a malformed JSON value, reading goes on at the next record's start.
"""
import csv
import json
import re


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


def json_values(w):
    """The values of a JSON file: the elements of its top array, else its top values one after
    another (one object, or JSON Lines saved as .json).

    A value over the limit is skipped by its brackets.  A value that cannot be
    read is reported, and reading goes on at the next object that starts with
    a key records start with (the first keys of those read, else the damaged
    one's): where the next record begins, not an object nested in the damaged
    one, nor text inside a string (where a quote is escaped).
    """
    decoder = json.JSONDecoder()
    w.keep = None
    first = w.search(_NOT_BLANK, 0)
    if first is None:
        return
    pos, in_array = first[0], w.char(first[0]) == "["
    pos += in_array
    n, recovering, first_keys = 0, False, set()
    while True:
        w.keep = None
        found = w.search(_VALUE_START, pos)
        if found is None:
            if in_array and not recovering:
                yield w.line_at(w.end), None, "the JSON array is cut short (no closing ])"
            return
        pos = found[0]
        if in_array and w.char(pos) == "]":
            after = w.search(_NOT_BLANK, pos + 1)
            if after is None:
                return
            if not recovering:
                yield w.line_at(after[0]), None, "text after the end of the JSON array; read on at its next record"
            recovering, pos = True, _next_record(w, pos + 1, first_keys)
            if pos is None:
                return
            continue
        n += 1
        w.keep = pos
        line = w.line_at(pos)
        if recovering and pos - w.base > 65536:
            w.drop(pos)             # a failure's message counts the lines before it in the buffer
        value, end, problem = _value_at(w, decoder, pos)
        if problem is None:
            if isinstance(value, dict) and value and len(first_keys) < 16:
                first_keys.add(next(iter(value)))
            recovering = False
            yield line, value, None
            pos = end
            continue
        yield line, None, "record %d (line %d): %s" % (n, line, problem)
        if end is not None:         # over the limit, but whole: skipped to its end
            pos = end
            continue
        keys = first_keys or {_first_key(w, pos)} - {None}
        recovering, pos = True, _next_record(w, pos + 1, keys)
        if pos is None:
            return


_FIRST_KEY = re.compile(r'\{\s*"([^"\\]{1,100})"')
_RECORD_STARTS = {frozenset(): re.compile(r'\{\s*["}]')}


def _first_key(w, pos):
    m = _FIRST_KEY.match(w.buf, pos - w.base)
    return m.group(1) if m else None


def _next_record(w, pos, first_keys):
    """Where the next object starting with one of ``first_keys`` (any object when there is
    none) is, or None."""
    first_keys = frozenset(first_keys)
    pattern = _RECORD_STARTS.get(first_keys)
    if pattern is None:
        if len(_RECORD_STARTS) > 64:
            _RECORD_STARTS.clear()
            _RECORD_STARTS[frozenset()] = re.compile(r'\{\s*["}]')
        pattern = _RECORD_STARTS[first_keys] = re.compile(
            r'\{\s*"(?:%s)"' % "|".join(re.escape(k) for k in sorted(first_keys)))
    w.keep = None
    found = w.search(pattern, pos, overlap=max(map(len, first_keys), default=0) + 64)
    return found[0] if found else None


def _value_at(w, decoder, pos):
    """(value, end, None) of the JSON value at ``pos``, or (None, end or None, the problem);
    a value over the limit is skipped to its end by its brackets."""
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
            w.keep = None
            end = _value_end(w, pos)
            if end is None:
                return None, None, too_long(w.limit, w.limit, at_least=True)
            return None, end, too_long(end - pos, w.limit)
        w.more(w.end)


_STRUCTURE = re.compile(r'["\[\]{}]')
# A string's characters up to its closing quote.  Possessive: sre keeps no
# backtracking state per escape (a few hundred MB for an escaped 6 MB string).
_STRING_BODY = re.compile(r'[^"\\]*+(?:\\.[^"\\]*+)*+')


def _value_end(w, pos):
    """Where the JSON object or array at ``pos`` ends, by its brackets outside strings, read a
    chunk at a time; None when the file ends first."""
    depth = 0
    while True:
        found = w.search(_STRUCTURE, pos)
        if found is None:
            return None
        c, pos = w.char(found[0]), found[1]
        if c == '"':
            while True:             # to the closing quote, escapes skipped, across chunks
                pos = w.base + _STRING_BODY.match(w.buf, pos - w.base).end()
                if pos < w.end and w.buf[pos - w.base] == '"':
                    pos += 1
                    break
                if not w.more(pos):
                    return None
        elif c in "[{":
            depth += 1
        else:
            depth -= 1
        if depth <= 0:
            return pos


# ---------------------------------------------------------------- CSV

# One well-formed record at the start of the text: fields quoted ("" inside
# a quoted one) or not, then its line end.  The common case, matched in C; any
# other record is found by _csv_record_end, which reads as the csv module does.
# Possessive, like _STRING_BODY: no backtracking state per field or per "".
_FIELD = r'(?:"[^"]*+(?:""[^"]*+)*+"|[^",\r\n]*+)'
_CSV_RECORD = re.compile(_FIELD + r"(?:," + _FIELD + r")*+(?:\r\n|\n|\r|\Z)")
_QUOTED_BODY = re.compile(r'[^"]*+(?:""[^"]*+)*+')     # a quoted field up to its closing quote
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
            while True:                     # to the quote that is not doubled, across chunks
                q = w.base + _QUOTED_BODY.match(w.buf, q - w.base).end()
                if q + 1 < w.end:
                    break
                if not w.more(q):
                    if q >= w.end:          # the file ends inside the quotes
                        return w.end
                    break
            nxt = w.char(q + 1)
            if nxt == "":
                return q + 1
            if nxt == ",":
                pos = q + 2
                continue
            if nxt in "\r\n":
                return _after_line_end(w, q + 1)
            pos = q + 1
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
