"""Scraped news pages and plain-text articles, as text files.

A scraped page carries boilerplate around its article: a language switcher
("Ru En") above the headline, photo credits, source lines (``المصدر:``), a tag
line (``كلمات دلالية:``), a "read also" box holding a *different* article, and
a related-articles list.  The page's article gets the headline, date, sources
and tags; the "read also" article becomes an article of its own (``PATH#2``);
the related headlines are kept apart from the body.

Some pages have no headline line at all: the lead paragraph comes first.  Such
a page is titled with the opening words of its lead, cut at a word boundary
and marked with an ellipsis, so the reader sees where the title came from;
the lead itself stays whole in the body.
"""
import re

from .dates import looks_like_date_line, parse_date

# Each pattern below is matched against every line of every page, so none may
# backtrack more than linearly: a separator is either spaces, or spaces around
# one mark, never two optional runs of spaces that can split one gap two ways
# (which made ``Ab Ab … x`` exponential).
_LANG_SWITCHER = re.compile(r"^(?:[A-Z][a-z]|[A-Z]{2})(?:\s*+(?:[|/·]\s*+)?(?:[A-Z][a-z]|[A-Z]{2}))*+$")
_SWITCHER_MAX_CHARS = 60        # "Ar | En | Fr | Ru" is short; longer lines are never one
_SOURCE = re.compile(r"^\s*(?:المصدر|مصدر الخبر|Source|Источник)\s*[:：]\s*(.+)$")
_TAGS = re.compile(r"^\s*(?:كلمات دلالية|كلمات مفتاحية|الكلمات المفتاحية|الوسوم|وسوم|Tags|Теги)\s*[:：]\s*(.*)$")
_PHOTO = re.compile(r"^\s*[(\[]?\s*(?:الصورة|صورة|الصور|تصوير|مصدر الصورة|Photo|Image|Фото)\s*[:：]")
_READ_ALSO = re.compile(r"^\s*[إا]قر[أا]\s+[أا]يض[ًاٌٍ]*\s*[:：]?\s*(.*)$")
_RELATED = re.compile(r"^\s*(?:مقالات|أخبار|اخبار|مواضيع)\s+(?:مشابهة|ذات صلة|متعلقة)\s*[:：]?\s*$")
_BULLET = re.compile(r"^\s*[•·\-\*▪●◦»]\s*")
_TAG_SEPARATORS = re.compile(r"\s*[،,;؛|#]\s*|\t|\s{2,}")
_SENTENCE_END = re.compile(r"[.!؟?…]['\"”»)]*$")

LEAD_TITLE_WORDS = 12


def paragraphs(lines):
    """Lines to text: paragraphs joined by a blank line, lines inside one by a space."""
    text = "\n".join(lines)
    # Lines stripped and joined rather than re.sub(r"\s*\n\s*"): that pattern
    # rescans a long run of spaces from each of its positions (quadratic).
    paras = [" ".join(line.strip() for line in p.split("\n")).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paras if p)


def looks_like_lead(line):
    """True when a first line is a paragraph of prose rather than a headline."""
    words = line.split()
    return len(words) > 30 or (len(words) > 15 and _SENTENCE_END.search(line) is not None)


def title_from_lead(lead, max_words=LEAD_TITLE_WORDS):
    """The opening words of a lead, as the title of a page that has none."""
    words = lead.split()
    if len(words) <= max_words:
        return lead.strip()
    return " ".join(words[:max_words]).rstrip("،,:;؛-–") + "…"


def split_tags(value):
    """Tags of a tag line; one tag, the whole line, when nothing separates them.

    A line like ``كورونا الأمم المتحدة انترنت`` does not say where one tag
    ends: rather than invent boundaries, it is kept as written (the index
    still makes each of its words and word pairs searchable with ``tag:``).
    """
    value = value.strip()
    if not value:
        return []
    return [t.strip() for t in _TAG_SEPARATORS.split(value) if t.strip()]


def _skip_blank(lines, i):
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _is_switcher(line):
    return len(line) <= _SWITCHER_MAX_CHARS and _LANG_SWITCHER.match(line) is not None


def split_title_date(lines, allow_lead_title=False):
    """(title, ISO date or None, remaining lines) of one article's lines."""
    i = _skip_blank(lines, 0)
    if i < len(lines) and _is_switcher(lines[i].strip()):
        i = _skip_blank(lines, i + 1)
    if i >= len(lines):
        return "", None, []
    first = lines[i].strip()
    if allow_lead_title and looks_like_lead(first):
        title, rest_from = title_from_lead(first), i
    else:
        title, rest_from = first, i + 1
    date = None
    j = _skip_blank(lines, rest_from)
    if j < len(lines) and looks_like_date_line(lines[j].strip()):
        date = parse_date(lines[j].strip())
        rest_from = j + 1
    return title, date, lines[rest_from:]


def _drop_caption_before_credit(lines):
    """A short line right above a photo credit is the photo's caption."""
    if lines and lines[-1].strip() and len(lines[-1].split()) <= 15 and not _SENTENCE_END.search(lines[-1].strip()):
        lines.pop()


def parse_page(text, path, make_article):
    """Articles of a scraped news page: its own, then each "read also" one."""
    main, blocks, related, sources, tags = [], [], [], [], []
    target = main
    in_related = False
    for line in text.splitlines():
        s = line.strip()
        m = _READ_ALSO.match(s)
        if m:
            target, in_related = [], False
            blocks.append(target)
            if m.group(1):
                target.append(m.group(1))
            continue
        if _RELATED.match(s):
            in_related = True
            continue
        m_source, m_tags = _SOURCE.match(s), _TAGS.match(s)
        if in_related and s and not (m_source or m_tags):
            related.append(_BULLET.sub("", s).strip())
            continue
        if m_source:
            in_related = False
            sources.extend(x for x in (p.strip() for p in re.split(r"\s*[،,]\s*", m_source.group(1))) if x)
            continue
        if m_tags:
            in_related = False
            tags.extend(split_tags(m_tags.group(1)))
            continue
        if _PHOTO.match(s):
            _drop_caption_before_credit(target)
            continue
        target.append(line)

    articles = []
    title, date, rest = split_title_date(main, allow_lead_title=True)
    body = paragraphs(rest)
    if title or body:
        articles.append(make_article(id=path, title=title, body=body, path=path, date=date,
                                     sources=_unique(sources), tags=_unique(tags), related=related))
    for n, block in enumerate(blocks, 2):
        b_title, b_date, b_rest = split_title_date(block)
        b_body = paragraphs(b_rest)
        if b_title and b_body:
            articles.append(make_article(id="%s#%d" % (path, n), title=b_title, body=b_body,
                                         path=path, date=b_date))
    return articles


def parse_plain(text, path, make_article):
    """Plain text whose first non-empty line is the title."""
    title, date, rest = split_title_date(text.splitlines())
    body = paragraphs(rest)
    if not title and not body:
        return []
    return [make_article(id=path, title=title, body=body, path=path, date=date)]


# Leading blanks without newlines: ``^\s*`` under re.M rescans every blank
# line that follows each line start (quadratic in a run of empty lines).
_PAGE_MARKS = re.compile(r"^[^\S\n]*(?:المصدر\s*:|كلمات دلالية\s*:|[إا]قر[أا]\s+[أا]يض|مقالات مشابهة)", re.M)


def is_scraped_page(text):
    """True when the text carries a news site's boilerplate around its article."""
    return _PAGE_MARKS.search(text) is not None


def _unique(items):
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out
