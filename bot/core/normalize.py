"""Turn raw message text into normalised text and tokens that fuzzy matching can compare.

Thai is written without spaces between words, and rapidfuzz's `default_process` would delete its
vowels and tone marks, so Thai runs are segmented with PyThaiNLP and every processor used here is
written out explicitly.

>>> clean("  ปี ๒๕๖๗\\x00 ")
'ปี 2567'
>>> squeeze_repeats("hiiii สวัสดีีีี 2000")
'hi สวัสดี 2000'
>>> detect_lang("Bangkok เข้าร่วมปีไหน")
'th'
>>> skeleton("เมื่อไหร่") == skeleton("เมือไหร")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from pythainlp.corpus.common import thai_stopwords, thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import (
    Trie,
    eng_to_thai,
    thai_digit_to_arabic_digit,
    thai_to_eng,
    thaiword_to_num,
)
from pythainlp.util import normalize as thai_normalize

from bot.core.lexicon import Lexicon
from bot.knowledge import Lang

#: Longest text considered for matching; a question longer than this is not a better question.
MAX_QUESTION_CHARS = 600

_THAI = re.compile(r"[\u0e00-\u0e7f]")
_LATIN = re.compile(r"[A-Za-z]")
_REPEATS = re.compile(r"([^\d\s])\1{2,}")
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
_TOKEN = re.compile(r"[\u0e00-\u0e7f]+|[^\W_\u0e00-\u0e7f]+", re.UNICODE)
# Tone marks, the thanthakhat and the maitaikhu (which shares a key row with the tone marks and is
# swapped for mai tho, "ภูเก้ต" for "ภูเก็ต") are the marks people drop or misplace most when typing fast.
_TONES = re.compile(r"[\u0e47-\u0e4c]")
_MAIYAMOK = "\u0e46"
# Long vowels typed as their short pair (or the reverse): ี/ิ, ื/ึ, ู/ุ.
_VOWEL_PAIRS = str.maketrans({"\u0e35": "\u0e34", "\u0e37": "\u0e36", "\u0e39": "\u0e38", "\u0e43": "\u0e44"})
# The "ai" sound has three spellings people mix up: ใ and ไ before a consonant (folded above), and
# ั + ย after it ("สุโขไทย" for "สุโขทัย"), which `ai_folded` reads as ไ before the consonant.
_AI_SPELT_AFTER = re.compile("([\u0e01-\u0e2e])\u0e31\u0e22")


def clean(text: str, *, limit: int = MAX_QUESTION_CHARS) -> str:
    """NFKC, Thai digits to Arabic, control and format characters removed, spaces collapsed; cut
    at `limit` characters (a question), or not (`limit=0`, the knowledge base's own answers)."""
    text = unicodedata.normalize("NFKC", text)
    text = thai_digit_to_arabic_digit(text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = " ".join(text.split())
    return text[:limit] if limit else text


#: Thai chat laughter: "555" (ห้า, "ha") typed three or more times, often with a "+".
_LAUGHTER = re.compile(r"(?<![\d.,])5{3,}\+*(?![\d.,])")


def drop_laughter(text: str) -> str:
    """A message without its laughter ("...หรือเมืองแห่งการเรียนรู้ 555"), which is no number it asks about.

    >>> drop_laughter("เป็นสมาชิกไหม 55555+")
    'เป็นสมาชิกไหม  '
    """
    return _LAUGHTER.sub(" ", text)


#: A Telegram mention ("@bot", "@gnlc_bot"): in a group, a message names whom it is for, which is no
#: part of what it asks (the Telegram layer strips the bot's own; a console or a forwarded text keeps it).
_MENTION = re.compile(r"(?<![\w.])@[A-Za-z][A-Za-z0-9_]*")


def drop_mentions(text: str) -> str:
    """A message without the people it is addressed to.

    >>> drop_mentions("โอเค งั้น @bot ประกาศตอนไหน")
    'โอเค งั้น   ประกาศตอนไหน'
    """
    return _MENTION.sub(" ", text)


#: A number spelt out in Thai words that holds a thousand: a year said aloud ("สองพันห้าร้อยหกสิบแปด").
_THAI_YEAR_WORDS = re.compile("(?:หนึ่ง|สอง)พัน(?:(?:ศูนย์|หนึ่ง|เอ็ด|สอง|ยี่|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ร้อย))*")


def spoken_years(text: str) -> str:
    """Years spelt out in Thai words, as voice typing writes them, in digits.

    >>> spoken_years("เพิ่มเมืองใหม่ในเดือนธันวาคมปีสองพันห้าร้อยหกสิบแปดกี่เมือง")
    'เพิ่มเมืองใหม่ในเดือนธันวาคมปี 2568 กี่เมือง'
    """
    def digits(match: re.Match[str]) -> str:
        try:
            return f" {thaiword_to_num(match.group(0))} "
        except ValueError:
            return match.group(0)
    return _THAI_YEAR_WORDS.sub(digits, text)


def squeeze_repeats(text: str) -> str:
    """Collapse a letter typed three or more times in a row ("helloooo", "มากกกก"); digits stay."""
    return _REPEATS.sub(r"\1", text)


def script_counts(text: str) -> tuple[int, int]:
    """Count Thai and Latin letters: the two scripts this bot reads."""
    return len(_THAI.findall(text)), len(_LATIN.findall(text))


def detect_lang(text: str, default: Lang = "en") -> Lang:
    """The language of most of the letters; a mixed question is answered in its main language."""
    thai, latin = script_counts(text)
    if thai == latin == 0:
        return default
    # Thai letters carry more per character than Latin ones (no spaces, short syllables).
    return "th" if thai * 1.5 >= latin else "en"


def skeleton(text: str) -> str:
    """Text without spaces, tone marks or repetition marks, and with long and short vowels of a pair
    alike (ยุเนสโก/ยูเนสโก, เข้ารวม/เข้าร่วม, ใ/ไ): what survives a careless Thai typist.

    >>> skeleton("ยุเนสโก") == skeleton("ยูเนสโก") and skeleton("เมือไหร") == skeleton("เมื่อไหร่")
    True
    >>> skeleton("ใหม่") == skeleton("ไหม")
    True
    """
    return _TONES.sub("", text.replace(_MAIYAMOK, "")).replace(" ", "").translate(_VOWEL_PAIRS)


def ai_folded(text: str) -> str:
    """The "ai" sound spelt ไ before its consonant, however it was typed ("สุโขไทย" for "สุโขทัย"):
    a second key for names, since folding it always would put a one-letter typo of "ัย" two away.

    >>> ai_folded("สุโขทัย")
    'สุโขไท'
    """
    return _AI_SPELT_AFTER.sub("\u0e44\\1", text)


#: Spellings of one Thai sound in Latin letters, each read as one ("bp" for ป, "ue" for ือ, "j" for จ).
_LATIN_SOUNDS = (("bp", "p"), ("dt", "t"), ("oo", "u"), ("ou", "u"), ("ue", "u"), ("eu", "u"), ("ee", "i"),
                 ("ie", "i"), ("j", "c"))
_NOT_LATIN_LETTER = re.compile(r"[^a-z]")
_DOUBLED = re.compile(r"(.)\1+")
#: A "g" that is not the end of "ng" is how informal romanisations write ก ("gee" for กี่).
_HARD_G = re.compile(r"(?<!n)g")


def latin_key(text: str) -> str:
    """Romanised Thai as it sounds, however it was spelt: letters only, an h after the first letter
    gone (kh, ph, th, ch are how romanisations mark aspiration), "oo" as "u", "ee" as "i", a "g"
    as "k", doubled letters single. What is left of a typo is then one keystroke at most.

    >>> [latin_key(n) for n in ("Satoon", "Satun", "Kohn Kaen", "Khon Kaen", "Sukhothai", "gee", "mueang")]
    ['satun', 'satun', 'konkaen', 'konkaen', 'sukotai', 'ki', 'muang']
    """
    letters = _NOT_LATIN_LETTER.sub("", text.casefold())
    for spelling, sound in _LATIN_SOUNDS:
        letters = letters.replace(spelling, sound)
    letters = letters[:1] + letters[1:].replace("h", "")
    return _DOUBLED.sub(r"\1", _HARD_G.sub("k", letters))


def normalise_text(text: str) -> str:
    """Case, Thai spelling variants and repeated characters, on already cleaned text."""
    text = squeeze_repeats(text.casefold())
    if _THAI.search(text):
        text = _THAI_RUN.sub(lambda m: thai_normalize(m.group(0)), text)
    return text


_EN_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """English words to their Snowball stem, so "members", "member" and "membership" meet.

    Thai has no inflection and placeholders or numbers are left alone.

    >>> [stem(w) for w in ("cities", "joined", "members", "ขอนแก่น", "2024")]
    ['citi', 'join', 'member', 'ขอนแก่น', '2024']
    """
    if not (token.isascii() and token.isalpha()) or token in _UNSTEMMED:
        return token
    return str(_EN_STEMMER.stemWord(token))


#: Words whose Snowball stem is another word the matcher reads as a cue: "kindly" would ask for a
#: kind of member ("could you kindly explain...").
_UNSTEMMED = frozenset({"kindly"})


@lru_cache(maxsize=1)
def base_thai_words() -> frozenset[str]:
    return frozenset(thai_words())


def make_trie(extra_words: Iterable[str], not_words: Iterable[str] = ()) -> Trie:
    """PyThaiNLP's dictionary plus the knowledge base's own words, so names segment as one token,
    less the words its questions never mean.

    A `Lexicon` (the `Trie` interface over a sorted tuple) rather than PyThaiNLP's node tree: the
    same segmentation for a tenth of the memory, built ten times faster.
    """
    words = set(base_thai_words()) | {w for w in extra_words if w and _THAI.search(w)}
    return Lexicon(words - set(not_words))


def tokenize(text: str, trie: Trie) -> list[str]:
    """Words of normalised text: Thai runs segmented by newmm, other runs split at non-letters."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        run = match.group(0)
        if _THAI.match(run):
            words = [t for t in word_tokenize(run, custom_dict=trie, engine="newmm", keep_whitespace=False) if t.strip()]
            tokens.extend(_mend_clusters(words, trie))
        else:
            tokens.append(run)
    return tokens


def _mend_clusters(words: list[str], trie: Trie) -> list[str]:
    """Move a letter or two back across a cut that newmm's character clusters put in the wrong place.

    newmm never cuts inside a Thai character cluster, and a few clusters straddle two words: the
    polite "ไหนคะ" ("which?") comes out as "ไห" (a jar) + "นคะ" (a dictionary oddity). When moving
    the first letters of the right-hand piece to the left makes two words and the right-hand piece
    was not a word, or becomes a common function word such as a polite particle, the words are taken.

    >>> from bot.core.lexicon import Lexicon
    >>> _mend_clusters(["วัน", "ไห", "นคะ"], Lexicon(["วัน", "ไห", "ไหน", "คะ", "นคะ"]))
    ['วัน', 'ไหน', 'คะ']
    """
    out = list(words)
    common = _function_words()
    for i in range(len(out) - 1):
        left, right = out[i], out[i + 1]
        for k in (1, 2):
            if len(right) > k and left + right[:k] in trie and right[k:] in trie \
                    and (right not in trie or right[k:] in common):
                out[i], out[i + 1] = left + right[:k], right[k:]
                break
    return out


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(thai_stopwords())


def thai_coverage(text: str, trie: Trie) -> float:
    """Share of Thai letters that fall in dictionary words of two or more letters.

    Thai typed on an English keyboard layout, turned back, segments into real words; English typed
    on a Thai layout segments into one-letter scraps. That difference is what detects a layout slip.
    """
    runs = _THAI_RUN.findall(text)
    total = sum(len(r) for r in runs)
    if not total:
        return 0.0
    words = base_thai_words()
    covered = 0
    for run in runs:
        for token in word_tokenize(run, custom_dict=trie, engine="newmm", keep_whitespace=False):
            if len(token) >= 2 and (token in words or token in trie):
                covered += len(token)
    return covered / total


def layout_swapped(text: str) -> str | None:
    """The same keystrokes read on the other keyboard layout (Kedmanee <-> QWERTY), if any."""
    thai, latin = script_counts(text)
    if latin and not thai:
        return eng_to_thai(text)
    if thai and not latin:
        return thai_to_eng(text)
    return None
