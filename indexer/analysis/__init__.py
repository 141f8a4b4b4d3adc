"""Text to terms, identically for articles and queries.

Public API (kept stable; measurement scripts call it):

- ``normalize(text) -> str``: Arabic normalisation of a whole text, spacing kept.
- ``light_stem(word) -> str``: the Arabic light stem of one word.
- ``analyze(text, lang=None) -> list[str]``: the terms an article body is indexed
  under (stemmed, stopwords removed); the language is detected when not given.

Every article is indexed under two term streams: *exact* terms (normalised,
unstemmed, nothing dropped) and *stem* terms (stemmed, stopwords dropped), so a
query's exact form can outrank a form that merely shares its stem.
"""
from itertools import chain
from operator import itemgetter

import Stemmer

from .arabic import light_stem, normalize, stem_normalized
from .language import LANGUAGES, detect_language, script_of
from .stopwords import STOPWORDS
from .tokenize import RUN_RE, WORD_RE, tokens, tokens_with_offsets

# Bump whenever a change here alters the terms an article is indexed under:
# an index built with another version is refused until it is rebuilt.
ANALYSIS_VERSION = 3

__all__ = [
    "ANALYSIS_VERSION", "LANGUAGES", "analyze", "analyze_stages", "detect_language", "gather_runs",
    "index_terms", "run_terms", "light_stem", "normalize", "normalize_word", "query_stems",
    "stem_word", "tokens", "tokens_with_offsets",
]

_SNOWBALL_NAMES = {"en": "english", "fr": "french", "ru": "russian", "de": "german", "es": "spanish"}
_snowball = {}
_CACHE_LIMIT = 400_000
_norm_cache = {}
_stem_cache = {}
_run_cache = {}


def _stemmer(lang):
    s = _snowball.get(lang)
    if s is None:
        s = _snowball[lang] = Stemmer.Stemmer(_SNOWBALL_NAMES[lang])
    return s


def normalize_word(word):
    """One word as the exact field holds it: Arabic-normalised, case-folded."""
    n = _norm_cache.get(word)
    if n is None:
        if len(_norm_cache) > _CACHE_LIMIT:
            _norm_cache.clear()
        n = _norm_cache[word] = normalize(word).lower()
    return n


def _stem_lang(norm, lang):
    """Which stemmer a normalised word takes, from its script and the text's language."""
    script = script_of(norm)
    if script == "arabic":
        return "ar"
    if script == "cyrillic":
        return "ru"
    if script == "latin":
        return lang if lang in _SNOWBALL_NAMES and lang != "ru" else "en"
    return None


def stem_word(norm, lang):
    """Stem of a normalised word (``None`` when it is a stopword)."""
    key = (norm, lang)
    s = _stem_cache.get(key, False)
    if s is False:
        if len(_stem_cache) > _CACHE_LIMIT:
            _stem_cache.clear()
        stem_lang = _stem_lang(norm, lang)
        if stem_lang is None:
            s = norm
        elif norm in STOPWORDS.get(stem_lang, ()):
            s = None
        elif stem_lang == "ar":
            s = stem_normalized(norm)
        else:
            s = _stemmer(stem_lang).stemWord(norm)
        _stem_cache[key] = s
    return s


def run_terms(run, lang):
    """(exact terms, stems) of one run of word characters (``RUN_RE``); stopwords have no stem."""
    exact, stems = [], []
    for w in WORD_RE.findall(run):
        e = normalize_word(w)
        if e:
            exact.append(e)
            s = stem_word(e, lang)
            if s:
                stems.append(s)
    return tuple(exact), tuple(stems)


def gather_runs(text, cache, make):
    """``make(run)`` of each run of word characters in ``text``, in order, remembered in ``cache``.

    The indexer's inner loop: a news vocabulary is Zipfian, so almost every
    run has been seen; one dict lookup replaces the split, normalisation,
    stopword check and stemming, with no Python step per run that was seen.
    """
    runs = RUN_RE.findall(text)
    found = list(map(cache.get, runs))
    if None in found:
        for i, got in enumerate(found):
            if got is None:
                run = runs[i]
                got = cache.get(run)
                if got is None:
                    got = cache[run] = make(run)
                found[i] = got
    return found


_EXACT, _STEMS = itemgetter(0), itemgetter(1)


def index_terms(text, lang):
    """(exact terms, stem terms) of a text in language ``lang``."""
    cache = _run_cache.get(lang)
    if cache is None or len(cache) > _CACHE_LIMIT:
        cache = _run_cache[lang] = {}
    found = gather_runs(text, cache, lambda run: run_terms(run, lang))
    return list(chain.from_iterable(map(_EXACT, found))), list(chain.from_iterable(map(_STEMS, found)))


def analyze(text, lang=None):
    """The terms an article body is indexed under."""
    if lang is None:
        lang = detect_language(text)
    return index_terms(text, lang)[1]


def query_stems(norm, lang=None):
    """Every stem a query word may meet: one per plausible language of the word.

    A Latin-script word in a query too short to identify is stemmed as English
    and as French, so it meets either language's articles.
    """
    if lang is None and script_of(norm) == "latin":
        langs = ("en", "fr")
    else:
        langs = (lang,)
    return {s for s in (stem_word(norm, lg) for lg in langs) if s}


def analyze_stages(text, lang=None):
    """Each analysis stage of ``text``, for ``akhbar analyze``."""
    detected = detect_language(text)
    lang = lang or detected
    raw = tokens(text)
    normalized = [normalize_word(w) for w in raw]
    stemmed, stopped = [], []
    for w in normalized:
        s = stem_word(w, lang) if w else None
        if s is None:
            stopped.append(w)
        else:
            stemmed.append(s)
    return {
        "language": lang,
        "detected_language": detected,
        "tokens": raw,
        "normalized": normalized,
        "stopwords_removed": stopped,
        "terms": stemmed,
    }
