"""Other spellings of a name, in the same script or another: chosen from the archive.

A query word is expanded only when the evidence says it is a name:

- **Latin and Cyrillic** words are names when the archive writes them with a
  capital letter where a sentence does not begin (measured on a sample of the
  articles holding the word).
- **Arabic** has no capitals.  Arabic writes foreign names without the
  article and without pronoun suffixes or verb prefixes (``ترامب``, never
  ``الترامب``, ``ترامبه`` or ``يترامب``), while its own nouns and verbs take
  them all the time (``الرئيس``, ``قاله``, ``يقول``).  An Arabic word is a name
  when those forms are rare beside it *and* a Latin or Cyrillic name of the
  same sound is in the archive.
- A **place** CLDR names (``indexer.analysis.places``) is a name, and its
  CLDR names in the other languages are its variants; sound-alikes are not.

Variants are then the archive's words whose sound signature
(``indexer.analysis.translit``) is compatible with the typed word's and which
pass the same test, with their inflected forms: Arabic proclitics
(``وترامب``, ``لترامب``) and Russian case endings (``Трампа``), the latter
through the Russian stem.  A spelling found in few articles beside the
commonest one of its script is dropped as noise.
"""
import re
import threading
from dataclasses import dataclass, field
from typing import List

import numpy as np

from indexer.analysis import query_stems, stem_word
from indexer.analysis.language import script_of
from indexer.analysis.places import territory_names
from indexer.analysis.translit import AR_A, arabic_spellings, compatible, consonant_keys, signature
from indexer.store import arrays
from indexer.store import terms as store_terms

from search.query import ranking
from search.query.lexicon import EXACT_FIELDS

# Arabic proclitics a name takes: conjunctions and prepositions, alone or together.
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")
# Forms that mark a native Arabic word: the article, pronoun suffixes, verb prefixes.
NATIVE_PREFIXES = ("ال", "وال", "بال", "لل", "ي", "ت", "ن", "سي", "ست")
NATIVE_SUFFIXES = ("ه", "ها", "هم", "هما", "كم", "نا", "ني", "ك", "وا", "ت")
NATIVE_SHARE = 0.15          # above this share of native forms, an Arabic word is not a name
CAPITALISED_SHARE = 0.8      # at least this share of mid-sentence uses capitalised
SAMPLE_ARTICLES = 25         # articles read to measure capitalisation
MIN_USES = 2                 # mid-sentence uses needed before judging
MIN_ARTICLES = 1           # a variant must be found in at least this many articles
NOISE_SHARE = 0.05           # ... nor one found this rarely beside its script's commonest
# Latin spellings that sound exactly alike (Hollande and Holland, Bush and Bosch) are
# different names: of such a set only those this common beside the commonest are kept.
HOMOPHONE_SHARE = 0.25
# Russian case endings, longest first: a Cyrillic word is also compared without them.
RUSSIAN_ENDINGS = ("ами", "ями", "ого", "его", "ому", "ему", "ой", "ей", "ом", "ем", "ам", "ям",
                   "ах", "ях", "ов", "ев", "ым", "им", "а", "я", "у", "ю", "е", "и", "ы")
_SENTENCE_END = re.compile(r"[.!?:;\"«»“”()\[\]\n\r\t]\s*$|^\s*$")


@dataclass
class Variant:
    """One other spelling of a query word, with the index terms that find it."""
    form: str                    # the spelling shown (its commonest surface form)
    script: str
    exact: List[str]             # exact-field terms
    stems: List[str] = field(default_factory=list)
    articles: int = 0


@dataclass
class Expansion:
    word: str                    # the query word, normalised
    variants: List[Variant]
    typed_articles: int = 0
    evidence: str = ""           # "sound" or "CLDR"

    def to_json(self):
        return {"word": self.word, "articles": self.typed_articles, "evidence": self.evidence,
                "variants": [{"form": v.form, "script": v.script, "articles": v.articles,
                              "terms": v.exact, "proclitics": v.form == self.word}
                             for v in self.variants]}


class NameVariants:
    """The name variants of query words over one index generation (cached per word)."""

    def __init__(self, reader, known, text_of, shared=None):
        self.reader = reader
        self._maybe_known = known      # callable: the words of a list the archive may hold
        self._text_of = text_of        # callable: docnum -> the article's text
        # What is learnt of one index generation, shared by the searches (and
        # threads) that read it: the sound table, capitalisation verdicts, expansions.
        self._shared = {} if shared is None else shared
        self._capitalised = self._shared.setdefault("capitalised", {})
        self._expansions = self._shared.setdefault("expansions", {})

    # ------------------------------------------------------------ statistics

    def known(self, words):
        """The words of ``words`` the archive holds."""
        return {w for w in self._maybe_known(words) if self.df(w)}

    def df(self, term):
        return max(self.reader.doc_frequency(f, term) for f in EXACT_FIELDS)

    def arabic_native_share(self, word, enough=1.0):
        """Share of the word's uses that take the article, a pronoun suffix or a verb prefix.

        Counted in bodies only; the count stops once the share passes ``enough``.
        """
        df = self.reader.doc_frequency
        own = df("body_exact", word)
        native = 0
        for form in [p + word for p in NATIVE_PREFIXES] + [word + s for s in NATIVE_SUFFIXES]:
            native += df("body_exact", form)
            if native > enough * (own + native):
                break
        return native / float(own + native) if own + native else 1.0

    def capitalised(self, term):
        """Whether the archive writes ``term`` with a capital mid-sentence (None: too few uses)."""
        if term in self._capitalised:
            return self._capitalised[term]
        pattern = re.compile(r"(?<!\w)%s(?!\w)" % re.escape(term), re.IGNORECASE)
        upper = uses = 0
        for docnum in self._sample(term).tolist():
            text = self._text_of(docnum)
            for m in pattern.finditer(text):
                if _SENTENCE_END.search(text[max(0, m.start() - 3):m.start()]):
                    continue
                uses += 1
                upper += m.group()[0].isupper()
        verdict = None if uses < MIN_USES else upper >= CAPITALISED_SHARE * uses
        self._capitalised[term] = verdict
        return verdict

    def _sample(self, term):
        """SAMPLE_ARTICLES of the articles holding ``term``, chosen by a key of their
        text (``_sample_keys``), not by their numbers: one index and its shards number
        articles differently, and must judge a word alike."""
        docs = [arrays.term_documents(self.reader, f, store_terms.term_bytes(self.reader, f, term))
                for f in EXACT_FIELDS if self.reader.doc_frequency(f, term)]
        if not docs:
            return arrays.NO_IDS
        docs = np.unique(np.concatenate(docs))
        # Ties are copies of one text, alike for this purpose; numbers only break them.
        return docs[np.lexsort((docs, self._sample_keys()[docs]))[:SAMPLE_ARTICLES]]

    def _sample_keys(self):
        """Each article's place in the sample order: the first 8 bytes of its duplicate
        key (a digest of its text), as an integer; read once per index generation."""
        keys = self._shared.get("sample_keys")
        if keys is None:
            keys = np.zeros(self.reader.doc_count_all(), dtype=np.uint64)
            for segment, offset in arrays.segments(self.reader):
                column = arrays.bytes_column(segment, "dupkey")
                if column is None or not len(column):
                    continue
                first = np.zeros((len(column), 8), dtype=np.uint8)
                width = min(8, column.shape[1])
                first[:, :width] = column[:, :width]
                keys[offset:offset + len(column)] = first.view(">u8").ravel()
            self._shared["sample_keys"] = keys
        return keys

    def articles(self, exact, stems):
        """How many articles hold any of these exact terms or stems."""
        docs = []
        for fname, terms in (("title_exact", exact), ("body_exact", exact), ("title", stems), ("body", stems)):
            for t in terms:
                if self.reader.doc_frequency(fname, t):
                    docs.append(arrays.term_documents(self.reader, fname, store_terms.term_bytes(self.reader, fname, t)))
        if not docs:
            return 0
        docs = np.sort(np.concatenate(docs))
        return int(len(docs) and 1 + np.count_nonzero(docs[1:] != docs[:-1]))

    # ------------------------------------------------------------ candidates

    def prepare(self):
        """Build the sound table now (one to three seconds on a large archive) rather
        than on the first query that names someone."""
        self._foreign()

    def prepare_later(self):
        """``prepare`` in a helper thread, so that a server is ready before the table is;
        a query naming someone meanwhile waits for it.  If building it fails (the index
        closed or replaced meanwhile), the first query that needs it builds it and
        reports what went wrong."""
        def work():
            try:
                self._foreign()
            except Exception:
                pass
        threading.Thread(target=work, name="akhbar-names", daemon=True).start()

    def _foreign(self):
        """{consonant classes: [surface or (surface, form without its case ending)]}.

        Over the Latin and Cyrillic vocabulary; the keys are computed in bulk
        (``consonant_keys``) and full signatures only for the words a query meets.
        """
        if self._shared.get("table") is not None:
            return self._shared["table"]
        # One thread builds it (a warming one, or the first query's); others wait for it.
        with self._shared.setdefault("lock", threading.Lock()):
            if self._shared.get("table") is None:
                self._shared["table"] = self._sound_table()
        return self._shared["table"]

    def _sound_table(self):
        forms = []
        for w in self._latin_and_cyrillic():
            forms.append((w, w))
            if "\u0400" <= w[0] <= "\u04ff":
                forms.extend((w, w[:-len(e)]) for e in RUSSIAN_ENDINGS
                             if w.endswith(e) and len(w) - len(e) >= 3)
        table = {}
        for (w, form), key in zip(forms, consonant_keys([f for _, f in forms])):
            if key:
                table.setdefault(key, []).append((w, form))
        return table

    def _latin_and_cyrillic(self):
        """Every exact form in Latin or Cyrillic script (the lexicons up to the Arabic block)."""
        words = set()
        for segment, _ in arrays.segments(self.reader):
            for fname in EXACT_FIELDS:
                # b"\xd8" begins the UTF-8 of U+0600 onwards: Arabic and beyond.
                for raw in arrays.terms_before(segment, fname, b"\xd8"):
                    if raw[:1] > b"9":
                        words.add(raw.decode("utf-8"))
        return words

    def _sounding(self, sig):
        """The Latin and Cyrillic surface forms compatible with ``sig``."""
        out = []
        for w, form in self._foreign().get(sig.consonants, ()):
            s = signature(form)
            if s is not None and compatible(sig, s) and w not in out:
                out.append(w)
        return out

    def _commonest_homophones(self, words, typed=None):
        """``words`` less the Latin ones far rarer than a Latin word (or ``typed``) of the same signature."""
        def sound(w):
            # English u may be heard as a (Trump) but is written as o's sound too (Bush, Bosch).
            sig = signature(w)
            return sig._replace(gaps=tuple(g - AR_A for g in sig.gaps))
        best = {}
        for w in words + ([typed] if typed else []):
            if script_of(w) == "latin":
                best[sound(w)] = max(best.get(sound(w), 0), self.df(w))
        return [w for w in words if script_of(w) != "latin"
                or self.df(w) >= HOMOPHONE_SHARE * best[sound(w)]]

    def _is_arabic_name(self, word):
        return self.arabic_native_share(word, NATIVE_SHARE) <= NATIVE_SHARE

    def _with_proclitics(self, word):
        return [word] + sorted(self.known([p + word for p in PROCLITICS]))

    def expand(self, norm):
        """The Expansion of one normalised query word, or None when it is not a name."""
        if norm not in self._expansions:
            if len(self._expansions) > 5000:
                self._expansions.clear()
            self._expansions[norm] = self._expand(norm)
        return self._expansions[norm]

    def _expand(self, norm):
        script = script_of(norm)
        sig = signature(norm)
        if sig is None or len(norm) < 3 or not query_stems(norm):
            return None
        places = territory_names(norm)
        if places:
            evidence = "CLDR"
            found = self.known(places - {norm})
            foreign = [w for w in found if script_of(w) != "arabic"]
            arabic = [w for w in found if script_of(w) == "arabic"]
        else:
            evidence = "sound"
            if script == "arabic":
                if not self._is_arabic_name(norm):
                    return None
            elif self.df(norm) and self.capitalised(norm) is not True:
                return None
            # A place CLDR names is that place, not a sound-alike of a person (Bhutan, بوتان).
            foreign = [w for w in self._sounding(sig)
                       if w != norm and not territory_names(w) and self.capitalised(w)]
            foreign = self._commonest_homophones(foreign, norm if script == "latin" else None)
            if script == "arabic" and not foreign:
                return None          # no name of this sound outside Arabic: no evidence
            if script == "arabic":
                anchors = [signature(w) for w in foreign]
                arabic = [w for w in self.known(arabic_spellings(sig)) if w != norm
                          and any(compatible(signature(w), a) for a in anchors)]
            else:
                arabic = list(self.known(arabic_spellings(sig)))
            arabic = [w for w in arabic if self._is_arabic_name(w) and not territory_names(w)]
        groups = {}
        for w in arabic + ([norm] if script == "arabic" else []):
            forms = self._with_proclitics(w) if w != norm else self._with_proclitics(w)[1:]
            if forms:
                groups[("arabic", w)] = (forms, set())
        own_stem = stem_word(norm, "ru") if script == "cyrillic" else None
        for w in foreign:
            s = script_of(w)
            key = (s, stem_word(w, "ru")) if s == "cyrillic" else (s, w)
            if key == (script, own_stem):
                continue             # the typed word's own case forms: its stem finds them
            forms, stems = groups.setdefault(key, ([], set()))
            forms.append(w)
            # Russian case endings come through the stem; Latin names do not
            # inflect, and their stems would join Hollande to Holland.
            if s == "cyrillic":
                stems.update(query_stems(w, "ru"))
        variants = []
        for (s, base), (forms, stems) in groups.items():
            forms = sorted(forms, key=lambda t: (-self.df(t), t))
            variants.append(Variant(form=base if s == "arabic" else forms[0], script=s, exact=forms,
                                    stems=sorted(stems), articles=self.articles(forms, stems)))
        typed = self.articles([norm], query_stems(norm))
        best = {script: typed}
        for v in variants:
            best[v.script] = max(best.get(v.script, 0), v.articles)
        variants = [v for v in variants if v.articles >= MIN_ARTICLES
                    and v.articles >= NOISE_SHARE * best[v.script]]
        if not variants:
            return None
        variants.sort(key=lambda v: (-v.articles, v.form))
        return Expansion(norm, variants, typed, evidence)


def idf(reader, fname, term):
    """Whoosh's BM25F idf of a term, to keep a variant's weight under the typed word's."""
    return ranking.idf(reader.doc_count_all(), reader.doc_frequency(fname, term))
