"""Word stems for catalog search, in Indonesian and English. Pure: no Django.

One function maps a word of either language to its stem, the same for the indexed text
and for the query, so ``kependudukan`` and ``penduduk`` meet at ``duduk``, ``kesehatan``
and ``menyehatkan`` at ``sehat``, ``hospitals`` and ``hospital`` at ``hospit``:

1. **Indonesian**, Sastrawi (PySastrawi: Nazief-Adriani with its 29,932-root dictionary):
   prefixes, suffixes, confixes and particles (``-nya``, ``-lah``) are stripped only when
   what remains is a dictionary root, so an unknown or English word comes back unchanged.
2. **Two derivations Sastrawi leaves alone**, by the same dictionary rule: the agent
   suffixes ``-wan``/``-wati`` (``wisatawan`` -> ``wisata``, ``ilmuwan`` -> ``ilmu``) and the
   prefix ``pari-`` (``pariwisata`` -> ``wisata``), taken off only when the remainder is a
   root of at least ``MIN_ROOT`` letters (``lawan``, ``kawan``, ``parit`` stay whole).
3. **English**, Porter's algorithm (M. F. Porter, "An algorithm for suffix stripping",
   1980), applied to the result of 1-2. It runs on every word because the language of a
   word is not known (Sastrawi's dictionary holds loanwords such as ``hospital``): a
   function applied after Sastrawi keeps both sides consistent, since a root and the words
   derived from it reach Porter as the same string. Porter seldom changes an Indonesian
   root (it strips English endings such as ``-s``, ``-ing``, ``-ment``); where it does,
   index and query change alike.

Words with a digit (codes, years) are kept as they are.
"""

from __future__ import annotations

import re
from functools import lru_cache

MIN_ROOT = 4
_WORD = re.compile(r"\w+")
_AGENT_SUFFIXES = ("wati", "wan")
_PARI = "pari"


@lru_cache(maxsize=1)
def _sastrawi():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # A CachedStemmer: repeated words cost a dict look-up.
    return StemmerFactory().create_stemmer()


def _is_root(word: str) -> bool:
    return _sastrawi().delegatedStemmer.dictionary.contains(word)


def indonesian_stem(word: str) -> str:
    """Sastrawi's root of ``word`` (lowercase), with the ``-wan``/``-wati``/``pari-``
    derivations it leaves alone."""
    if not (word.isascii() and word.isalpha()):
        # Sastrawi folds other letters to spaces (``naïve`` -> ``na ve``): not Indonesian.
        return word
    stem = _sastrawi().stem(word) or word
    if stem != word:
        return stem
    for suffix in _AGENT_SUFFIXES:
        root = word[: -len(suffix)]
        if word.endswith(suffix) and len(root) >= MIN_ROOT and _is_root(root):
            return root
    root = word[len(_PARI) :]
    if word.startswith(_PARI) and len(root) >= MIN_ROOT and _is_root(root):
        return root
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The search stem of one word (any case)."""
    word = word.casefold()
    if len(word) <= 2 or any(c.isdigit() for c in word) or "_" in word:
        return word
    return porter(indonesian_stem(word))


def stems(text: str) -> list[str]:
    """The stem of every word of ``text``, in order."""
    return [stem(w) for w in _WORD.findall(text or "")]


def stem_text(text: str) -> str:
    """``text`` as stems, each distinct stem once (what the search index holds)."""
    return " ".join(dict.fromkeys(stems(text)))


# --- Porter (1980) ---------------------------------------------------------------------


def _consonant(word: str, i: int) -> bool:
    letter = word[i]
    if letter in "aeiou":
        return False
    if letter == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """m in [C](VC)^m[V]: the number of vowel-consonant sequences."""
    form = "".join("c" if _consonant(stem, i) else "v" for i in range(len(stem)))
    return len(re.findall(r"v+c+", form))


def _has_vowel(stem: str) -> bool:
    return any(not _consonant(stem, i) for i in range(len(stem)))


def _double_consonant(stem: str) -> bool:
    return len(stem) >= 2 and stem[-1] == stem[-2] and _consonant(stem, len(stem) - 1)


def _cvc(stem: str) -> bool:
    """Ends consonant-vowel-consonant, the last not w, x or y (``hop``, not ``snow``)."""
    if len(stem) < 3:
        return False
    n = len(stem)
    return (
        _consonant(stem, n - 3)
        and not _consonant(stem, n - 2)
        and _consonant(stem, n - 1)
        and stem[-1] not in "wxy"
    )


_STEP2 = {
    "ational": "ate",
    "tional": "tion",
    "enci": "ence",
    "anci": "ance",
    "izer": "ize",
    "abli": "able",
    "alli": "al",
    "entli": "ent",
    "eli": "e",
    "ousli": "ous",
    "ization": "ize",
    "ation": "ate",
    "ator": "ate",
    "alism": "al",
    "iveness": "ive",
    "fulness": "ful",
    "ousness": "ous",
    "aliti": "al",
    "iviti": "ive",
    "biliti": "ble",
}
_STEP3 = {
    "icate": "ic",
    "ative": "",
    "alize": "al",
    "iciti": "ic",
    "ical": "ic",
    "ful": "",
    "ness": "",
}
_STEP4 = [
    "al",
    "ance",
    "ence",
    "er",
    "ic",
    "able",
    "ible",
    "ant",
    "ement",
    "ment",
    "ent",
    "ion",
    "ou",
    "ism",
    "ate",
    "iti",
    "ous",
    "ive",
    "ize",
]


def _longest(word: str, suffixes) -> str | None:
    found = [s for s in suffixes if word.endswith(s)]
    return max(found, key=len) if found else None


def _step1(word: str) -> str:
    if word.endswith("sses") or word.endswith("ies"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("eed"):
        if _measure(word[:-3]) > 0:
            word = word[:-1]
    else:
        for suffix in ("ed", "ing"):
            if word.endswith(suffix) and _has_vowel(word[: -len(suffix)]):
                word = _step1b_tidy(word[: -len(suffix)])
                break
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    return word


def _step1b_tidy(stem: str) -> str:
    if stem.endswith(("at", "bl", "iz")):
        return stem + "e"
    if _double_consonant(stem) and stem[-1] not in "lsz":
        return stem[:-1]
    if _measure(stem) == 1 and _cvc(stem):
        return stem + "e"
    return stem


def _replace(word: str, table: dict[str, str], minimum: int) -> str:
    suffix = _longest(word, table)
    if suffix and _measure(word[: -len(suffix)]) > minimum:
        return word[: -len(suffix)] + table[suffix]
    return word


def _step4(word: str) -> str:
    suffix = _longest(word, _STEP4)
    if not suffix:
        return word
    stem = word[: -len(suffix)]
    if _measure(stem) <= 1:
        return word
    if suffix == "ion" and not stem.endswith(("s", "t")):
        return word
    return stem


def _step5(word: str) -> str:
    if word.endswith("e"):
        stem = word[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _cvc(stem)):
            word = stem
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


def porter(word: str) -> str:
    """Porter's English stem of a lowercase word."""
    if len(word) <= 2:
        return word
    word = _step1(word)
    word = _replace(word, _STEP2, 0)
    word = _replace(word, _STEP3, 0)
    word = _step4(word)
    return _step5(word)
