"""Building and updating the index from archive files.

An update looks at each file's size and modification time: unchanged files are
skipped, changed ones re-read (their old articles deleted first), and articles
of files that no longer exist are removed.  Everything happens inside one
Whoosh commit, so a search during the build sees the last committed index and
an interrupted build leaves it as it was.
"""
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import List

from whoosh import index as whoosh_index
from whoosh.index import LockError

from .analysis import detect_language, index_terms, normalize_word, tokens
from .documents import UnreadableFile, dedup_key, read_file
from .schema import check_meta, make_schema, write_meta

SIG_SEP = "\x1f"
LOCK_WAIT_SECONDS = 5.0


class IndexLocked(Exception):
    """Another process is writing to the index."""


@dataclass
class BuildSummary:
    files_seen: int = 0
    files_indexed: int = 0
    files_unchanged: int = 0
    files_skipped: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    duplicates: int = 0
    bytes_read: int = 0
    problems: List[str] = field(default_factory=list)


def discover(paths):
    """(full path, path relative to the folder given) of every file to read."""
    for given in paths:
        given = os.path.abspath(given)
        if os.path.isfile(given):
            yield given, os.path.basename(given)
            continue
        for dirpath, dirnames, filenames in os.walk(given):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or name.endswith(("~", ".md")):
                    continue
                full = os.path.join(dirpath, name)
                yield full, os.path.relpath(full, given).replace(os.sep, "/")


def file_signature(full):
    st = os.stat(full)
    return SIG_SEP.join((full, str(st.st_mtime_ns), str(st.st_size))), st.st_size


def open_index(index_dir):
    """The index in ``index_dir`` for reading; checks it was built by this analysis."""
    if not whoosh_index.exists_in(index_dir):
        raise FileNotFoundError("no akhbar index in %s" % index_dir)
    check_meta(index_dir)
    return whoosh_index.open_dir(index_dir, readonly=True)


def _open_for_writing(index_dir, rebuild):
    if rebuild or not whoosh_index.exists_in(index_dir):
        os.makedirs(index_dir, exist_ok=True)
        if whoosh_index.exists_in(index_dir):
            ix = whoosh_index.open_dir(index_dir)
            try:
                # Take the lock before wiping anything.
                ix.writer(timeout=LOCK_WAIT_SECONDS).cancel()
            except LockError:
                raise IndexLocked(index_dir)
        ix = whoosh_index.create_in(index_dir, make_schema())
        write_meta(index_dir)
        return ix
    check_meta(index_dir)
    return whoosh_index.open_dir(index_dir)


def article_document(article, full, sig):
    """The Whoosh document of one article."""
    lang = article.lang or detect_language(article.title + "\n" + article.body[:4000])
    title_exact, title_stems = index_terms(article.title, lang)
    body_exact, body_stems = index_terms(article.body, lang)
    related_stems = index_terms("\n".join(article.related), lang)[1] if article.related else []
    doc = dict(
        id=article.id, file=full, filesig=sig, path=article.path,
        dupkey=dedup_key(article),
        title=title_stems, title_exact=title_exact,
        body=body_stems, body_exact=body_exact,
        lang=lang or "und",
        title_text=article.title, body_text=article.body,
        date_iso=article.date, sources=article.sources, tag_list=article.tags,
        related_list=article.related, url=article.url, author=article.author,
        category=article.category, abstract=article.abstract,
    )
    if related_stems:
        doc["related"] = related_stems
    if article.tags:
        doc["tags"] = ",".join(tag_term(t) for t in article.tags)
    if article.sources:
        # Raw names: the facet shows them as written; ``source:`` queries
        # match them through their normalised form (search.query).
        doc["source"] = ",".join(s.replace(",", " ") for s in article.sources)
    if article.date:
        doc["date"] = datetime.fromisoformat(article.date)
        doc["month"] = article.date[:7]
    return doc


def tag_term(tag):
    """The indexed form of a tag: its normalised words joined by spaces."""
    return " ".join(normalize_word(w) for w in tokens(tag))


def build_index(paths, index_dir, rebuild=False, field_map=None, on_file=None):
    """Build or update the index in ``index_dir`` from ``paths``; returns a BuildSummary."""
    summary = BuildSummary()
    ix = _open_for_writing(index_dir, rebuild)
    try:
        writer = ix.writer(timeout=LOCK_WAIT_SECONDS)
    except LockError:
        raise IndexLocked(index_dir)
    try:
        with ix.reader() as reader:
            known_sigs = {t.decode("utf-8") for t in reader.lexicon("filesig")}
            known_files = {t.decode("utf-8") for t in reader.lexicon("file")}
            known_dups = {t.decode("utf-8") for t in reader.lexicon("dupkey")}
        seen = set()
        for full, rel in discover(paths):
            if os.path.abspath(full).startswith(os.path.abspath(index_dir) + os.sep):
                continue
            summary.files_seen += 1
            seen.add(full)
            try:
                sig, size = file_signature(full)
            except OSError as e:
                summary.files_skipped += 1
                summary.problems.append("%s: cannot read: %s" % (rel, e.strerror))
                continue
            if sig in known_sigs:
                summary.files_unchanged += 1
                if on_file:
                    on_file(rel, 0, size)
                continue
            problems = []
            try:
                articles = read_file(full, rel, field_map=field_map, problems=problems)
            except UnreadableFile as e:
                summary.files_skipped += 1
                summary.problems.append("%s: %s" % (rel, e))
                if on_file:
                    on_file(rel, 0, size)
                continue
            summary.problems.extend(problems)
            replacing = full in known_files
            if replacing:
                writer.delete_by_term("file", full)
            for article in articles:
                doc = article_document(article, full, sig)
                if doc["dupkey"] in known_dups:
                    summary.duplicates += 1
                known_dups.add(doc["dupkey"])
                writer.add_document(**doc)
            summary.files_indexed += 1
            summary.bytes_read += size
            if replacing:
                summary.updated += len(articles)
            else:
                summary.added += len(articles)
            if on_file:
                on_file(rel, len(articles), size)
        for full in known_files - seen:
            if not os.path.exists(full):
                summary.removed += writer.delete_by_term("file", full) or 0
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return summary
