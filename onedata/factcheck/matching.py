"""Claim matching for Indonesian rumours: normalise, stem, correct typos, score.

Pure Python (PySastrawi, rapidfuzz); no Django. The engine adapter (``search.py``) asks
the database's full-text index for candidates with the terms made here, then ranks them
with ``score``.

The steps, in order:

1. ``normalise``: lower case, Unicode NFKC, links and e-mail addresses removed, leetspeak
   inside words (``c0vid`` -> ``covid``), letters repeated three times or more collapsed
   (``bahayaaaa`` -> ``bahaya``), punctuation and emoji to spaces, chat slang and common
   misspellings spelled out (``yg`` -> ``yang``, ``gak`` -> ``tidak``, ``vaksim`` -> ``vaksin``).
2. ``terms``: stop words and forwarded-message chatter dropped (``sebarkan``, ``grup``),
   every word stemmed with Sastrawi (``divaksin`` -> ``vaksin``), then synonyms folded to
   one term (``korona``/``corona`` -> ``covid``, ``mikrocip`` -> ``chip``).
3. ``correct``: a term the index does not know is replaced by the closest known term
   (rapidfuzz ratio >= 80 and the same first letter), so ``vaksn`` still finds ``vaksin``.
4. ``score``: how much of the claim's weight (inverse document frequency) the message
   covers, how much of the message the claim covers, and a fuzzy string score, mixed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

MAX_QUERY_TERMS = 40  # the most informative terms of a long forwarded message

_URL = re.compile(r"(?:https?://|www\.)\S+|\b\S+@\S+\.\w+\b", re.IGNORECASE)
_REPEATS = re.compile(r"([a-z])\1{2,}")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
_LEET_WORD = re.compile(r"\b(?=[a-z0-9@]*[a-z])(?=[a-z0-9@]*[013457@])[a-z0-9@]+\b")
_KEEP_DIGITS = {"5g", "4g", "3g", "o2", "covid19", "covid-19", "h1n1", "b117", "g20"}

# Chat spellings and frequent misspellings, word for word (applied before stemming).
SLANG: dict[str, str] = {
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "krn": "karena",
    "karna": "karena",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "tdk": "tidak",
    "g": "tidak",
    "sdh": "sudah",
    "udah": "sudah",
    "udh": "sudah",
    "blm": "belum",
    "org": "orang",
    "orng": "orang",
    "aja": "saja",
    "jgn": "jangan",
    "tp": "tapi",
    "dr": "dari",
    "bgt": "banget",
    "bs": "bisa",
    "bisa2": "bisa",
    "hrs": "harus",
    "skrg": "sekarang",
    "skrng": "sekarang",
    "dpt": "dapat",
    "spt": "seperti",
    "kyk": "seperti",
    "kayak": "seperti",
    "pd": "pada",
    "tsb": "tersebut",
    "sm": "sama",
    "jd": "jadi",
    "klo": "kalau",
    "kalo": "kalau",
    "bnyk": "banyak",
    "byk": "banyak",
    "msh": "masih",
    "trs": "terus",
    "lg": "lagi",
    "dlm": "dalam",
    "kmrn": "kemarin",
    "tlg": "tolong",
    "mnrt": "menurut",
    "pemda": "pemerintah",
    "pemprov": "pemerintah",
    "rs": "rumahsakit",
    "rsup": "rumahsakit",
    "rsud": "rumahsakit",
    "hoax": "hoaks",
    "vaksim": "vaksin",
    "faksin": "vaksin",
    "vaxin": "vaksin",
    "vaccine": "vaksin",
    "vaksinasi": "vaksin",
    "divaksinasi": "vaksin",
    "corona": "covid",
    "korona": "covid",
    "covid19": "covid",
    "coronavirus": "covid",
    "kovid": "covid",
    "cobid": "covid",
    "microchip": "chip",
    "mikrochip": "chip",
    "mikrocip": "chip",
    "microcip": "chip",
    "cip": "chip",
    "cipnya": "chip",
    "chipnya": "chip",
    "oxygen": "oksigen",
    "oksijen": "oksigen",
    "o2": "oksigen",
    "tabung": "tabung",
    "mask": "masker",
    "hp": "ponsel",
    "handphone": "ponsel",
    "wa": "whatsapp",
    "whatsap": "whatsapp",
    "watsap": "whatsapp",
    "medsos": "mediasosial",
    "obat2an": "obat",
    "rempah2": "rempah",
    "mati": "meninggal",
    "tewas": "meninggal",
    "wafat": "meninggal",
    "ninggal": "meninggal",
    "sembuh": "sembuh",
    "menyembuhkan": "sembuh",
    "ampuh": "sembuh",
    "mujarab": "sembuh",
    "manjur": "sembuh",
    "penuh": "penuh",
    "habis": "habis",
    "kosong": "habis",
    "langka": "habis",
    "gratis": "gratis",
    "cuma2": "gratis",
}

# Stems folded to one term after stemming (paraphrases that use another word).
SYNONYMS: dict[str, str] = {
    "korona": "covid",
    "corona": "covid",
    "cip": "chip",
    "lacak": "lacak",
    "pantau": "lacak",
    "awas": "lacak",
    "sadap": "lacak",
    "obat": "obat",
    "tangkal": "cegah",
    "halau": "cegah",
    "lindung": "cegah",
    "kebal": "cegah",
    "bunuh": "mati",
    "matikan": "mati",
    "meninggal": "meninggal",
    "isoman": "isolasi",
    "karantina": "isolasi",
    "sinyal": "sinyal",
    "menara": "tower",
    "bts": "tower",
    "rumahsakit": "rumahsakit",
    "ponsel": "ponsel",
    "minum": "minum",
    "konsumsi": "minum",
    "teguk": "minum",
    "kumur": "kumur",
    "suntik": "vaksin",
    "imunisasi": "vaksin",
    "mandul": "mandul",
    "subur": "mandul",
    "ubah": "ubah",
    "dna": "dna",
    "genetik": "dna",
    "gen": "dna",
    "lockdown": "tutup",
    "psbb": "tutup",
    "ppkm": "tutup",
    "panas": "panas",
    "hangat": "panas",
    "jemur": "panas",
    "matahari": "matahari",
    "bawang": "bawang",
    "lada": "merica",
    "cabai": "cabe",
    "cabe": "cabe",
}

# Sastrawi's list misses chat chatter and forwarded-message boilerplate, and holds a
# few words that carry a rumour's meaning ("tidak" is kept out of matching anyway).
CHATTER = {
    "sebar",
    "sebarkan",
    "share",
    "bagi",
    "bagikan",
    "forward",
    "forwarded",
    "terus",
    "info",
    "infonya",
    "informasi",
    "grup",
    "group",
    "tolong",
    "mohon",
    "penting",
    "viral",
    "beredar",
    "kabar",
    "berita",
    "katanya",
    "kata",
    "dengar",
    "dengarlah",
    "teman",
    "sahabat",
    "saudara",
    "keluarga",
    "bapak",
    "ibu",
    "semua",
    "semuanya",
    "hati",
    "copas",
    "copy",
    "paste",
    "dari",
    "sebelah",
    "banget",
    "sekali",
    "sangat",
    "benar",
    "betul",
    "apa",
    "apakah",
    "ini",
    "itu",
    "nih",
    "tuh",
    "dong",
    "deh",
    "sih",
    "kok",
    "lho",
    "loh",
    "ya",
    "yah",
    "wkwk",
    "hehe",
    "amin",
    "aamiin",
    "sebanyak",
    "banyaknya",
    "hoaks",
    "fakta",
    "cek",
    "tidak",
    "bukan",
    "jangan",
    "orang",
    "bisa",
    "ada",
    "akan",
    "harus",
    "sudah",
    "saja",
    "juga",
    "lagi",
    "mau",
    "yang",
    "dan",
    "di",
    "ke",
    "the",
    "of",
    "and",
    "is",
    "a",
    "to",
}


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    # Sastrawi's list includes words that change a rumour's subject; keep those.
    keep = {"baru", "tanpa", "masuk", "keluar", "mati", "hidup", "panas", "dingin"}
    words = set(StopWordRemoverFactory().get_stop_words()) - keep
    return frozenset(words | CHATTER)


def _unleet(match: re.Match) -> str:
    word = match.group(0)
    if word in _KEEP_DIGITS or word.isdigit():
        return word
    return word.translate(_LEET)


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces; chat spelling made standard."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = _URL.sub(" ", text)
    text = _LEET_WORD.sub(_unleet, text)
    text = _REPEATS.sub(r"\1", text)
    words = []
    for word in _NON_WORD.sub(" ", text).split():
        if word.isdigit():
            continue
        word = SLANG.get(word, word)
        # Reduplication written with a 2 ("obat2", "anak2"): the plain word.
        if len(word) > 3 and word.endswith("2") and word[:-1].isalpha():
            word = SLANG.get(word[:-1], word[:-1])
        words.append(word)
    return " ".join(words)


def _standard_forms(word: str) -> list[str]:
    """Jakarta-style colloquial affixes spelled the standard way: ``ngelacak`` ->
    ``melacak``, ``nyembuhin`` -> ``menyembuhkan``, ``ngobatin`` -> ``mengobatkan``."""
    forms = []
    base = word[:-2] + "kan" if word.endswith("in") and len(word) > 5 else word
    if base.startswith("nge") and len(base) > 5:
        forms.append("me" + base[3:])
    elif base.startswith("ny") and len(base) > 4 or base.startswith("ng") and len(base) > 4:
        forms.append("me" + base)
    if base != word:
        forms.append(base)
    return forms


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    if not word.isalpha() or len(word) <= 3:
        return word
    stemmer = _stemmer()
    stemmed = stemmer.stem(word) or word
    if stemmed == word:
        for form in _standard_forms(word):
            candidate = stemmer.stem(form)
            if candidate and candidate != form and len(candidate) >= 3:
                stemmed = candidate
                break
    return SYNONYMS.get(stemmed, stemmed)


def terms(text: str) -> list[str]:
    """The meaningful stems of a text, in order, without repeats."""
    stops = stop_words()
    seen: dict[str, None] = {}
    for word in normalise(text).split():
        if word in stops or len(word) < 2:
            continue
        term = stem(SYNONYMS.get(word, word))
        if term in stops or len(term) < 2:
            continue
        seen.setdefault(term, None)
    return list(seen)


def index_text(text: str) -> str:
    """What the full-text index stores for a claim: its terms, space-separated."""
    return " ".join(terms(text))


def fingerprint(text: str) -> str:
    """Equal for texts that differ only in spelling, word order, chatter and repeats."""
    return " ".join(sorted(set(terms(text))))[:500]


def correct(
    query_terms: Iterable[str], vocabulary: Mapping[str, int], *, cutoff: float = 80.0
) -> list[str]:
    """Replace each unknown term by the closest known one (same first letter); a term with
    no close known term stays as it is (it matches nothing, and so lowers the score)."""
    known = vocabulary.keys()
    by_initial: dict[str, list[str]] = {}
    corrected: dict[str, None] = {}
    for term in query_terms:
        if term in vocabulary:
            corrected.setdefault(term, None)
            continue
        if len(term) < 4:
            corrected.setdefault(term, None)
            continue
        choices = by_initial.get(term[0])
        if choices is None:
            choices = by_initial[term[0]] = [w for w in known if w[:1] == term[0]]
        best = process.extractOne(term, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        corrected.setdefault(best[0] if best is not None else term, None)
    return list(corrected)


def idf(term: str, vocabulary: Mapping[str, int], documents: int) -> float:
    """Smoothed inverse document frequency; unknown terms weigh like the rarest."""
    frequency = vocabulary.get(term, 0)
    return math.log((documents + 1) / (frequency + 0.5)) + 1.0


def strongest(
    query_terms: list[str], vocabulary: Mapping[str, int], documents: int, limit: int
) -> list[str]:
    """The ``limit`` most informative terms (highest idf), in their original order."""
    if len(query_terms) <= limit:
        return query_terms
    ranked = sorted(query_terms, key=lambda t: -idf(t, vocabulary, documents))[:limit]
    keep = set(ranked)
    return [t for t in query_terms if t in keep]


@dataclass(frozen=True)
class Scored:
    key: object
    score: float  # 0..1
    coverage: float  # share of the claim's weight found in the message


def _near(a: str, b: str) -> bool:
    """Two different terms close enough to count as the same word (a typo the correction
    step could not settle): both at least 5 letters, same first letter, ratio >= 85."""
    return len(a) >= 5 and len(b) >= 5 and a[0] == b[0] and fuzz.ratio(a, b) >= 85


def _matched(term: str, others: set[str]) -> bool:
    if term in others:
        return True
    if len(term) < 5:
        return False
    return any(_near(term, other) for other in others)


def score(
    query_terms: list[str],
    claim_terms: list[str],
    vocabulary: Mapping[str, int],
    documents: int,
) -> tuple[float, float]:
    """(score, coverage) of a claim for a message, both in 0..1.

    coverage: the claim's idf-weighted share of terms found in the message (a long
    forwarded text that contains the rumour covers it fully). precision: the message's
    share found in the claim (a short question about exactly this claim). Fuzzy: rapidfuzz
    token-set ratio of the two term strings, for what stemming missed.
    """
    return QueryScorer(query_terms, vocabulary, documents).score(claim_terms)


class QueryScorer:
    """``score`` for one message against many claims, with the per-message work done once:
    the message's term weights, and which claim terms are near which message terms
    (claims share most of their words, so each distinct claim term is compared once).
    Gives exactly the numbers ``score`` defines."""

    def __init__(self, query_terms: list[str], vocabulary: Mapping[str, int], documents: int):
        self.query_terms = query_terms
        self.query_set = set(query_terms)
        self.query_string = " ".join(query_terms)
        self.vocabulary = vocabulary
        self.documents = documents
        self.weight = {t: idf(t, vocabulary, documents) for t in self.query_set}
        self.query_total = sum(self.weight.values())
        self.long_query = [q for q in self.query_set if len(q) >= 5]
        # claim term -> (its weight, the message terms near it)
        self._seen: dict[str, tuple[float, frozenset[str]]] = {}

    def _term(self, term: str) -> tuple[float, frozenset[str]]:
        weight = self.weight.get(term)
        if weight is None:
            weight = self.weight[term] = idf(term, self.vocabulary, self.documents)
        if len(term) < 5:
            near = frozenset()
        else:
            near = frozenset(q for q in self.long_query if _near(term, q))
        found = self._seen[term] = (weight, near)
        return found

    def score(self, claim_terms: list[str]) -> tuple[float, float]:
        if not self.query_terms or not claim_terms:
            return 0.0, 0.0
        query_set = self.query_set
        claim_set = set(claim_terms)
        claim_total = claim_hit = 0.0
        near_query: set[str] = set()
        seen = self._seen
        for term in claim_set:
            weight, near = seen.get(term) or self._term(term)
            claim_total += weight
            if near:
                near_query |= near
                claim_hit += weight
            elif term in query_set:
                claim_hit += weight
        coverage = claim_hit / claim_total
        query_hit = sum(self.weight[q] for q in query_set if q in claim_set or q in near_query)
        precision = query_hit / self.query_total
        fuzzy = fuzz.token_set_ratio(self.query_string, " ".join(claim_terms)) / 100.0
        # A long message is mostly other words: judge it by how well it covers the claim.
        long_message = len(query_set) > 2 * len(claim_set) + 4
        if long_message:
            mixed = 0.75 * coverage + 0.10 * precision + 0.15 * fuzzy
        else:
            mixed = 0.45 * coverage + 0.35 * precision + 0.20 * fuzzy
        return round(mixed, 4), round(coverage, 4)


def rank(
    query_terms: list[str],
    candidates: Iterable[tuple[object, list[str]]],
    vocabulary: Mapping[str, int],
    documents: int,
    *,
    limit: int = 10,
    min_score: float = 0.3,
) -> list[Scored]:
    """Candidates (key, terms) scored and sorted best first, weak ones left out."""
    scorer = QueryScorer(query_terms, vocabulary, documents)
    scored = []
    for key, claim_terms in candidates:
        value, coverage = scorer.score(claim_terms)
        if value >= min_score:
            scored.append(Scored(key=key, score=value, coverage=coverage))
    scored.sort(key=lambda s: (-s.score, -s.coverage, str(s.key)))
    return scored[:limit]
