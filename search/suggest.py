"""Did you mean: the nearest query the archive can answer.

Spelling variants a reader is not to blame for (hamza seats, teh marbuta,
alef maksura, diacritics, tatweel) are already folded by normalisation, so what
is left are real slips: a missing, extra, swapped or wrong letter.  Each word
of the query that the archive does not know (or barely knows) is replaced by
the word of the exact-form lexicons nearest to it in edit distance on
normalised forms, the most frequent one among equally near candidates.
"""
import re

from indexer.analysis import normalize_word, tokens

from .query import Bool, Phrase, Word, parse

FIELDS = ("title_exact", "body_exact")
# A word this rare is worth replacing when a neighbour is this much commoner.
RARE_DF = 2
COMMONER_BY = 10


def _doc_frequency(reader, word):
    return sum(reader.doc_frequency(f, word) for f in FIELDS)


def _words(node, out):
    """The plain words of a query tree that a correction may replace."""
    if isinstance(node, Word):
        if not node.prefix and not node.fuzzy:
            out.append(node.text)
    elif isinstance(node, Phrase):
        out.extend(node.words)
    elif isinstance(node, Bool):
        for n in node.required + node.nodes:
            _words(n, out)
    # Words under NOT are left alone: they were meant to match nothing.
    return out


def nearest_word(reader, norm, rare_df=RARE_DF):
    """(word, doc frequency) of the best replacement for ``norm``, or None.

    Only a word found in at most ``rare_df`` articles is replaced.
    """
    if len(norm) < 3 or norm.isdigit():
        return None
    own = _doc_frequency(reader, norm)
    if own > rare_df:
        return None
    maxdist = 1 if len(norm) <= 4 else 2
    best = None
    for dist in range(1, maxdist + 1):
        for field in FIELDS:
            for cand in reader.terms_within(field, norm, dist, prefix=1 if len(norm) > 4 else 0):
                if isinstance(cand, bytes):
                    cand = cand.decode("utf-8")
                if cand == norm:
                    continue
                df = _doc_frequency(reader, cand)
                if best is None or df > best[1]:
                    best = (cand, df)
        if best is not None:
            break
    if best is None or (own and best[1] < own * COMMONER_BY):
        return None
    return best


def suggest(text, reader, found=0, few=3):
    """A corrected query string, or None when no word needs or has a correction.

    When the query found ``few`` articles or more, only words the archive has
    never seen are corrected: a rare name that matched is not a slip.
    """
    rare_df = RARE_DF if found < few else 0
    tree, _ = parse(text or "")
    if tree is None:
        return None
    replaced = text
    changed = False
    for word in _words(tree, []):
        norm = normalize_word(word)
        fix = nearest_word(reader, norm, rare_df)
        if fix is None:
            continue
        # Replace the word as typed (first whole-word occurrence).
        pattern = r"(?<![\w\u0600-\u06ff])%s(?![\w\u0600-\u06ff])" % re.escape(word)
        new = re.sub(pattern, lambda m: fix[0], replaced, count=1)
        if new != replaced:
            replaced, changed = new, True
    if not changed or tokens(replaced) == tokens(text):
        return None
    return replaced
