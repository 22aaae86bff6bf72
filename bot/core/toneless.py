"""Thai typed without its tone marks ("หาดใหญเปนสมาชิกตังแตปีไหน" for "หาดใหญ่เป็นสมาชิกตั้งแต่ปีไหน").

Many people type Thai on a phone with the marks above the letters left out: the tone marks, and
often the short-vowel and silencing marks too. Read as written, such a message segments into
scraps, and its places are no names the bot knows. Here the knowledge base's own words are put
back: the message is cut into the words it spells once every such mark is ignored, and each word
that is not already one of the knowledge base's, as typed, is written as the knowledge base writes
it. The words are only those the bot reads (its phrasings, word lists and place names), so a
restored word is always one that means something to it, and the rest of the message is left as it
was typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from pythainlp.tokenize import word_tokenize

from bot.core.lexicon import Lexicon

#: The marks people leave out: mai han-akat, mai taikhu, the four tone marks and the thanthakhat.
_MARKS = re.compile("[\u0e31\u0e47-\u0e4c]")
#: The four tone marks: a message that has any of them was typed with its marks.
_TONES = re.compile("[\u0e48-\u0e4b]")
_THAI_RUN = re.compile("[\u0e00-\u0e7f]+")
#: A Thai message shorter than this (in Thai letters) is too short to say whether marks are missing.
MIN_LETTERS = 6
#: Typed with its marks, Thai has a tone mark every few letters; far fewer means most were left out.
SPARSE = 10


def missing_marks(text: str) -> bool:
    """Whether a text's Thai may have been typed without its marks: long enough to tell, and far
    fewer tone marks than Thai has (a particle typed with its mark, as in "...ปีไหนจ๊ะ", is no sign
    that the rest was). Cheap, so the restorer's words are gathered only for a message that needs it.

    >>> missing_marks("หาดใหญเปนสมาชิกตังแตปีไหน"), missing_marks("หาดใหญ่เป็นสมาชิกตั้งแต่ปีไหน"), missing_marks("hi")
    (True, False, False)
    """
    thai = "".join(_THAI_RUN.findall(text))
    return len(thai) >= MIN_LETTERS and len(_TONES.findall(thai)) * SPARSE < len(thai)


def bare(text: str) -> str:
    """Thai without the marks people leave out.

    >>> bare("ตั้งแต่") == "ตงแต"
    True
    """
    return _MARKS.sub("", text)


@dataclass(frozen=True)
class Restorer:
    """The knowledge base's Thai words by their spelling without marks: built on first use, as the
    romanised-Thai table is, since only a message typed without its marks ever needs it."""

    #: The knowledge base's Thai words, as often as it uses them: a bare spelling two words share is
    #: written as the more used one ("เข้า" is used more than "เขา").
    words: Callable[[], Iterable[str]]
    #: Whether a text restored reads better than as typed: a message with a tone mark or two may
    #: have been typed as Thai writes it, and then restoring only cuts its words wrong
    #: ("...ได้เป็นสมาชิกกันตอนไหน" has only two marks, and "ตอน" is no "ต" + "อัน"); so may a piece
    #: whose words need none ("ครูกำลังเตรียมสอนเด็ก").
    better: Callable[[str, str], bool] = lambda typed, restored: True
    #: How a text is cut into words, as messages are (with the reader's dictionary, already in memory:
    #: PyThaiNLP's own would cost some 60 MB more).
    cut: Callable[[str], Iterable[str]] = lambda text: text.split()

    @cached_property
    def _table(self) -> tuple[dict[str, str], frozenset[str], Lexicon]:
        """(each bare spelling's word, every word as the knowledge base writes it, a dictionary of the
        bare spellings)."""
        # Written as a message is read (NFKC): its sara am is nikhahit and sara aa ("ทำไม" is "ทําไม").
        counts = Counter(unicodedata.normalize("NFKC", w) for w in self.words() if w and _THAI_RUN.fullmatch(w))
        by_bare: dict[str, str] = {}
        for word, _ in counts.most_common():
            by_bare.setdefault(bare(word), word)
        return by_bare, frozenset(counts), Lexicon(by_bare)

    def restore(self, text: str) -> str:
        """The text with the marks of the knowledge base's words put back, when its Thai has far
        fewer tone marks than Thai has and reads better restored; otherwise the text as it is (and
        nothing is built unless marks seem missing).

        >>> r = Restorer(lambda: ["หาดใหญ่", "เป็น", "สมาชิก", "ตั้งแต่", "ปี", "ไหน"])
        >>> r.restore("หาดใหญเปนสมาชิกตังแตปีไหน") == "หาดใหญ่เป็นสมาชิกตั้งแต่ปีไหน"
        True
        >>> r.restore("หาดใหญ่เป็นสมาชิกไหม") == "หาดใหญ่เป็นสมาชิกไหม"
        True
        """
        if not missing_marks(text):
            return text
        restored = _THAI_RUN.sub(lambda m: self._run(m.group(0)), text)
        if self.better(text, restored):
            return restored
        # Read as well either way ("กีประเทศ" is "กี" + "ประเทศ" or "กี่" + "ประเทศ"), the text wins
        # that spells more of the knowledge base's own words.
        tied = not self.better(restored, text)
        return restored if tied and self._known(restored) > self._known(text) else text

    def _known(self, text: str) -> int:
        """How many of a text's words are written as the knowledge base writes them."""
        written = self._table[1]
        return sum(1 for w in self.cut(text) if w in written)

    def _run(self, run: str) -> str:
        words, written, lexicon = self._table
        # Where each letter of the bare run stands in the run as typed, to keep unknown words as typed.
        kept = [i for i, ch in enumerate(run) if not _MARKS.match(ch)]
        plain = "".join(run[i] for i in kept)
        out: list[str] = []
        at = 0
        for token in word_tokenize(plain, custom_dict=lexicon, engine="newmm", keep_whitespace=True):
            start, end = at, at + len(token)
            at = end
            typed = run[kept[start]:kept[end] if end < len(kept) else len(run)] if token else ""
            # A word the knowledge base writes this way already ("เขา") stays as typed, and so does
            # one typed with a mark the word lacks ("ลูกค้า" is not the knowledge base's "ค่า"); one
            # typed with only some of its marks ("ทังคู่") is the word.
            word = words.get(token, typed)
            out.append(typed if typed in written or _TONES.search(typed) and not _some_marks_of(word, typed) else word)
        return "".join(out)


def _some_marks_of(word: str, typed: str) -> bool:
    """Whether `typed` is `word` with some of its marks left out, and none added or changed.

    >>> _some_marks_of("ทั้งคู่", "ทังคู่"), _some_marks_of("ค่า", "ค้า")
    (True, False)
    """
    rest = iter(typed)
    want = next(rest, None)
    for ch in word:
        if ch == want:
            want = next(rest, None)
        elif not _MARKS.match(ch):
            return False
    return want is None
