"""Bytes of an archive file to text, whatever encoding it was saved in.

UTF-8 (with or without a byte-order mark) and UTF-16 are recognised from the
bytes themselves; anything else goes to charset-normalizer, limited to the
encodings news archives are really found in, so a legacy Arabic file is read
as Windows-1256 or ISO-8859-6 rather than guessed as something exotic.  A
UTF-8 file spoiled by a few stray bytes is still UTF-8: those bytes are
dropped and the rest of the article kept.
"""
import codecs
import os

# The legacy encodings worth considering, Arabic first.
LEGACY_ENCODINGS = ["cp1256", "iso8859_6", "cp1252", "latin_1", "cp1251", "koi8_r", "iso8859_15"]

# Up to this share of undecodable bytes, a file is UTF-8 with damage, not
# another encoding: one stray Latin-1 byte must not turn Arabic into mojibake.
STRAY_BYTE_SHARE = 0.001
STRAY_BYTE_MIN = 8


class NotText(ValueError):
    """The bytes are not text in any encoding we read."""


def _utf16_without_bom(data):
    """'utf-16-le' or 'utf-16-be' when the bytes look like BOM-less UTF-16."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    # Spaces, newlines and Latin letters put a NUL in every other byte.
    if odd_nul > half * 0.05 and even_nul == 0:
        return "utf-16-le"
    if even_nul > half * 0.05 and odd_nul == 0:
        return "utf-16-be"
    return None


def _strict(data, encoding):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


# A file with up to this share (or this many) NUL bytes is text with a few
# damaged bytes: a record holding one is reported by its reader, a page or a
# text drops them.
NUL_SHARE_IN_RECORDS = 0.01
NUL_MIN_IN_RECORDS = 16


def decode(data, nul_ok=False):
    """Text of a file's bytes; raises NotText for binary data.

    Returns ``(text, encoding)`` where encoding names what was detected.
    ``nul_ok``: a few NUL bytes are damage to leave to the reader (a record
    holding one is reported), not the mark of binary data.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace").replace("\ufffd", ""), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")
        if text is None:
            text = data.decode("utf-16", errors="replace").replace("\ufffd", "")
        return text, "utf-16"
    guess = _utf16_without_bom(data)
    if guess:
        text = _strict(data, guess)
        if text is not None:
            return text, guess
    if b"\x00" in data[:8192] and not (nul_ok and data.count(b"\x00") <= max(
            NUL_MIN_IN_RECORDS, len(data) * NUL_SHARE_IN_RECORDS)):
        raise NotText("binary file, not text")
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    if bad <= max(STRAY_BYTE_MIN, len(data) * STRAY_BYTE_SHARE):
        return lossy.replace("\ufffd", ""), "utf-8 (%d stray byte%s dropped)" % (bad, "s" * (bad != 1))
    from charset_normalizer import from_bytes
    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise NotText("binary file, not text in any encoding tried (UTF-8, UTF-16, %s)" % ", ".join(LEGACY_ENCODINGS))
    text = str(best)
    if _control_share(text) > 0.01:
        raise NotText("binary file, not text")
    return text, best.encoding


# Files up to this size are read and decoded whole (decode); a larger one is
# told by its first SAMPLE_BYTES and decoded as it is read, a chunk at a time.
SAMPLE_BYTES = 4 << 20
# Bytes that are not text in the encoding told are dropped, as decode drops them.
_DROP = "akhbar-drop"
codecs.register_error(_DROP, lambda e: ("", e.end))


def open_text(path, nul_ok=lambda head: False):
    """(text stream, encoding) of the file at ``path``: its ``read(n)`` gives the text a
    chunk at a time, so a file of any size is decoded in bounded memory.

    ``nul_ok(head)`` says, from the file's first bytes, whether a few NUL
    bytes are left to a record reader (see decode).  Raises NotText, OSError.
    """
    f = open(path, "rb")
    try:
        # A small file is read whole: read(SAMPLE_BYTES) would allocate the full sample each time.
        head = f.read() if os.fstat(f.fileno()).st_size < SAMPLE_BYTES else f.read(SAMPLE_BYTES)
        if len(head) < SAMPLE_BYTES:
            text, encoding = decode(head, nul_ok=nul_ok(head))
            f.close()
            return _Whole(text), encoding
        codec, encoding = _told(head, nul_ok(head))
        f.seek(0)
    except BaseException:
        f.close()
        raise
    return _Decoding(f, codec), encoding


def _told(head, nul_ok):
    """(codec, what to call it) of a file whose first bytes are ``head``, as decode tells it."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "utf-16"
    guess = _utf16_without_bom(head)
    if guess and _strict_start(head, guess):
        return guess, guess
    if b"\x00" in head[:8192] and not (nul_ok and head.count(b"\x00") <= max(
            NUL_MIN_IN_RECORDS, len(head) * NUL_SHARE_IN_RECORDS)):
        raise NotText("binary file, not text")
    if _strict_start(head, "utf-8"):
        return "utf-8", "utf-8"
    bad = head.decode("utf-8", errors="replace").count("\ufffd")
    if bad <= max(STRAY_BYTE_MIN, len(head) * STRAY_BYTE_SHARE):
        return "utf-8", "utf-8 (stray bytes dropped)"
    from charset_normalizer import from_bytes
    best = from_bytes(head, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise NotText("binary file, not text in any encoding tried (UTF-8, UTF-16, %s)" % ", ".join(LEGACY_ENCODINGS))
    if _control_share(str(best)) > 0.01:
        raise NotText("binary file, not text")
    return best.encoding, best.encoding


def _strict_start(head, encoding):
    """Whether ``head`` is the start of text in ``encoding`` (a character cut at its end allowed)."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        return True
    except UnicodeDecodeError:
        return False


class _Whole:
    """A text already decoded, given whole by the first read."""

    def __init__(self, text):
        self.text = text

    def read(self, n):
        text, self.text = self.text, ""
        return text

    def close(self):
        self.text = ""


class _Decoding:
    """A binary file read as text in ``codec``, a chunk at a time; bytes that are not text dropped."""

    def __init__(self, f, codec):
        self.f, self.decoder = f, codecs.getincrementaldecoder(codec)(errors=_DROP)

    def read(self, n):
        while self.f is not None:
            data = self.f.read(n)
            text = self.decoder.decode(data, final=not data)
            if not data:
                self.close()
            if text:
                return text
        return ""

    def close(self):
        if self.f is not None:
            self.f.close()
            self.f = None


def _control_share(text):
    """Share of control characters other than line and tab breaks: high in binary data."""
    sample = text[:20000]
    if not sample:
        return 0.0
    controls = sum(1 for c in sample if (c < " " and c not in "\t\n\r\f\v") or "\x7f" <= c <= "\x9f")
    return controls / len(sample)


def printable(text):
    """``text`` as a string that can be stored and printed: bytes that were not
    UTF-8 (which Python keeps in file names and arguments as lone surrogates)
    written as ``\\xNN``."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
