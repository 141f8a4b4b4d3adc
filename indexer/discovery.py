"""Which archive files a build reads: found under the folders given, compared with what the index holds.

A file's signature is its modification time and size.  An update reads the
files whose signature differs from the one the index recorded (or that the
index does not hold), and removes the articles of files that are gone.
"""
import os
import re
import stat
from typing import NamedTuple

from .encoding import printable

SIG_SEP = "\x1f"

# An archive's own documentation, not news: a dataset's README.TXT, its licence.
_DOC_NAMES = {"readme", "license", "licence", "copying", "changelog", "authors", "notice"}


class FileTask(NamedTuple):
    """One archive file to read, as the committing process hands it to the workers."""
    path: str          # where to open it (may hold bytes that are not UTF-8)
    file: str          # its name in the index: ``path`` with undecodable bytes written \\xNN
    rel: str           # the same, relative to the folder given: shown to users, the article id
    sig: str           # modification time and size, to see later whether it changed
    size: int
    replacing: bool    # an older version of the file is in the index


def discover(paths, skip=()):
    """(full path, path relative to the folder given) of every file to read."""
    skip = tuple(os.path.normpath(os.path.abspath(s)) for s in skip)
    for given in paths:
        given = os.path.abspath(given)
        if os.path.isfile(given):
            yield given, os.path.basename(given)
            continue
        for dirpath, dirnames, filenames in os.walk(given):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                 and os.path.join(dirpath, d) not in skip)
            for name in sorted(filenames):
                if name.startswith(".") or name.endswith(("~", ".md")) or _is_documentation(name):
                    continue
                full = os.path.join(dirpath, name)
                if full in skip:
                    continue
                yield full, os.path.relpath(full, given).replace(os.sep, "/")


def _is_documentation(name):
    return os.path.splitext(name)[0].lower() in _DOC_NAMES


def file_signature(full):
    """(signature, size) of a regular file; OSError for anything else."""
    st = os.stat(full)
    if not stat.S_ISREG(st.st_mode):
        raise OSError(0, "not a regular file")
    return "%d%s%d" % (st.st_mtime_ns, SIG_SEP, st.st_size), st.st_size


def files_to_read(paths, live, summary, skip=()):
    """(tasks of the files under ``paths`` that are new or changed, every file seen).

    ``live`` maps each indexed file to its signature (a file mapped to None
    is read again); ``skip`` are paths never read (the index's own folders);
    counts and unreadable files go into ``summary``.
    """
    todo, seen = [], set()
    for full, rel in discover(paths, skip=skip):
        file = printable(full)
        if file in seen:
            continue
        seen.add(file)
        summary.files_seen += 1
        try:
            sig, size = file_signature(full)
        except OSError as e:
            summary.files_skipped += 1
            summary.problems.append("%s: cannot read: %s" % (printable(rel), e.strerror or e))
            continue
        if live.get(file) == sig:
            summary.files_unchanged += 1
            continue
        todo.append(FileTask(path=full, file=file, rel=printable(rel), sig=sig, size=size,
                             replacing=file in live))
    return todo, seen


_ESCAPED_BYTE = re.compile(r"\\x([89a-f][0-9a-f])")


def still_exists(file):
    """Whether the file an index entry names is still there (``\\xNN`` read back as the byte)."""
    return os.path.exists(file) or ("\\x" in file and os.path.exists(
        _ESCAPED_BYTE.sub(lambda m: chr(0xdc00 + int(m.group(1), 16)), file)))
