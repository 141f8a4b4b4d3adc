"""A text stream read a chunk at a time, holding only what a reader still needs.

The record readers (``indexer.records``) scan a ``Window`` with regular
expressions and ask for more text as they go; the text before the record
being read is let go, and a record that grows past the limit stops being
held, so a file of any size, or one giant record, is read in bounded memory.
"""

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

    def drop(self, pos):
        """Let the text before ``pos`` go now."""
        self.line_at(pos)
        self.buf, self.base = self.buf[pos - self.base:], pos

    def held(self, start, end):
        """The text from ``start`` to ``end``, or None when it was too long to be kept."""
        if self.keep is None or self.keep > start or end - start > self.limit:
            return None
        return self.buf[start - self.base:end - self.base]
