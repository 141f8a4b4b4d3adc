"""Tags as terms: the one spelling an article's tags are indexed under and a
``tag:`` query is looked up by, so both sides always agree."""
from . import normalize_word, tokens


def tag_words(tag):
    """The normalised words of a tag."""
    return [w for w in map(normalize_word, tokens(tag)) if w]


def tag_term(tag):
    """The indexed form of a tag (and of a ``tag:`` query): its normalised words joined by spaces."""
    return " ".join(tag_words(tag))


def tag_terms(tags):
    """Every ``tag:`` term of an article's tags.

    Besides each tag as written, a tag of several words is also findable by
    each word and each pair of neighbouring words: a tag line that does not
    separate its tags ("كورونا الأمم المتحدة") is stored as one tag, and its
    parts must still be reachable.
    """
    out = []
    for tag in tags:
        words = tag_words(tag)
        if not words:
            continue
        out.append(" ".join(words))
        if len(words) > 1:
            out.extend(words)
            out.extend(" ".join(pair) for pair in zip(words, words[1:]))
    seen = set()
    return [t for t in out if not (t in seen or seen.add(t))]
