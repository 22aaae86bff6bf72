"""Messages that ask two things at once: "when did Yala join and who announced it?".

People in chats pack questions together ("ตากกับระยองเข้าปีไหน แล้วตอนนี้ทั้งหมดมีกี่เมือง").
Read whole, such a message is answered for one half, or for neither. Here it is cut where a new
question starts: at a question mark or a line break, or at a joining word ("and", "แล้ว", matcher.yaml
`cues: split`) that stands apart and is followed by a question of its own. Each part is then
answered in turn, a later part following up the earlier ones as in a conversation, by `answer.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache

#: Where sentences end: a question mark (either script's), an exclamation, a semicolon, a line break.
_SENTENCE_END = re.compile(r"(?<=[?？!;])\s*|\s*\n+\s*")
#: At most this many parts: a longer message is a paragraph, not a list of questions.
MAX_PARTS = 3
#: ...and a message longer than this is not cut at all (each cut tried reads the text again).
MAX_CHARS = 300


def split(text: str, joiners: Iterable[str], asks: Callable[[str], bool]) -> list[str]:
    """The questions a message holds, in order, when it holds more than one; else [].

    `joiners` are the words that may join two questions; `asks` tells whether a piece of text is
    a question by itself (it has a question word, or is a yes/no question).

    >>> asks = lambda s: bool({"when", "who"} & set(s.split()))
    >>> split("when did Yala join and who announced it?", ["and"], asks)
    ['when did Yala join', 'and who announced it?']
    >>> split("Khon Kaen and Yala: when?", ["and"], asks)
    []
    """
    if len(text) > MAX_CHARS:
        return []
    pieces = [p for p in _SENTENCE_END.split(text.strip()) if p and p.strip(" ,.?？!;")]
    if len(pieces) > MAX_PARTS:
        return []
    parts: list[str] = []
    for piece in pieces:
        cut = _at_joiners(piece, joiners, asks)
        parts.extend(cut if len(cut) > 1 else _at_thai_spaces(piece, asks))
    if not 2 <= len(parts) <= MAX_PARTS or not all(asks(p) for p in parts):
        return []
    return parts


def _at_joiners(piece: str, joiners: Iterable[str], asks: Callable[[str], bool]) -> list[str]:
    """A sentence cut before each joining word that starts a question of its own, keeping the word
    (it tells the later part to follow up the earlier one). A cut is made only when both sides are
    questions: "Khon Kaen and Yala: when?" is one question about two cities."""
    pattern = _joiner_pattern(tuple(joiners))
    if pattern is None:
        return [piece]
    return _cut_at(piece, list(pattern.finditer(piece))[:2 * MAX_PARTS], asks)


@lru_cache(maxsize=4)
def _joiner_pattern(joiners: tuple[str, ...]) -> re.Pattern[str] | None:
    """Where a joining word stands apart (after a space or a comma, before a space, the end or Thai text)."""
    words = sorted({w.strip() for w in joiners if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?:,\s*|\s+)(?=(?:" + "|".join(re.escape(w) for w in words) + r")(?:\s|$|[\u0e00-\u0e7f]))",
                      re.IGNORECASE)


#: A space between two runs of Thai: Thai writes no spaces between words, but between clauses.
_THAI_SPACE = re.compile(r"(?<=[\u0e00-\u0e7f])\s+(?=[\u0e00-\u0e7f])")


def _at_thai_spaces(piece: str, asks: Callable[[str], bool]) -> list[str]:
    """A Thai sentence cut at a space between two questions ("ยะลาเข้าปีไหน ใครประกาศ"): Thai
    separates clauses with a space where English would put a comma or "and"."""
    spaces = list(_THAI_SPACE.finditer(piece))
    if len(spaces) > 2 * MAX_PARTS:
        return [piece]
    return _cut_at(piece, spaces, asks)


def _cut_at(piece: str, bounds: Sequence[re.Match[str]], asks: Callable[[str], bool]) -> list[str]:
    """The piece cut at those of `bounds` (in order) that have a question on both sides, from the
    last one back, so that what is left before a cut is what the next cut is tried on."""
    parts: list[str] = []
    rest = piece
    for bound in reversed(bounds):
        head, tail = rest[:bound.start()], rest[bound.end():]
        if head.strip() and asks(head) and asks(tail):
            parts.insert(0, tail)
            rest = head
    return [rest, *parts]


#: Thai months, written out and abbreviated: a date is written after a space ("รอบ ธ.ค. 68",
#: "เมื่อ 14 กุมภาพันธ์"), and that space goes on with the clause rather than ending it.
_THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
                "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.", "มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา",
                "กรกฎา", "สิงหา", "กันยา", "ตุลา", "พฤศจิกา", "ธันวา")
#: Where a sentence or a Thai clause ends: after ". ! ?" and a space, at a line break, or at a
#: space between two runs of Thai that is not the space before a month...
#: ...nor after a month's abbreviation ("ธ.ค. 68"), whose last dot ends no sentence.
_CLAUSE_END = re.compile(r"(?<=[.!?？])" + "".join(f"(?<!{re.escape(m)})" for m in _THAI_MONTHS if m.endswith("."))
                         + r"\s+|\s*\n+\s*|" + _THAI_SPACE.pattern
                         + "(?!" + "|".join(re.escape(m) for m in _THAI_MONTHS) + ")"
                         # ...and at a comma or a dash between words, where a scene is set in passing
                         # ("heading to Yala next month, is it a learning city?")
                         + r"|(?<=\w),\s+|\s+[-–—]\s+"
                         # ...and after a colon that ends a heading ("My kid's school project: what is ...")
                         + r"|(?<=[A-Za-z\u0e00-\u0e7f]):\s+"
                         # ...and at emoji, which end a phrase as punctuation does ("ถามแทนสมาชิกนะคะ 🙏 ตอนนี้...")
                         + r"|\s*[\U0001F000-\U0001FAFF\u2600-\u27BF][\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]*\s*")


def clauses(text: str, reports: Iterable[str] = ()) -> list[str]:
    """The sentences of a message, and the clauses of its Thai ("I live in Khon Kaen. Is my city a
    member?", "ดิฉันเป็นเจ้าหน้าที่เทศบาลนครยะลา ขอสอบถามว่า..."): where a question may follow words
    that only set the scene. Empty when the message is too long to be a question with a preface.

    A question reported by someone ("my guests ask when Sukhothai joined", "ลูกทัวร์ถามว่า...") is
    a clause of its own after the words that report it (`reports`, matcher.yaml `cues: report`):
    who asks sets the scene, what they ask is the question.

    >>> clauses("Hello, I live in Khonkaen. Is my city a member?")
    ['Hello', 'I live in Khonkaen.', 'Is my city a member?']
    >>> clauses("Tour guide here - my guests ask when Sukhothai joined", ["ask"])
    ['Tour guide here', 'my guests ask', 'when Sukhothai joined']
    """
    if len(text) > MAX_CHARS:
        return []
    found = [c for c in _CLAUSE_END.split(text.strip()) if c.strip(" ,.?？!;")]
    pattern = _report_pattern(tuple(reports))
    if pattern is None:
        return found
    return [piece for clause in found for piece in _cut_after(clause, pattern)]


#: The words that open a reported question in English ("asked me whether ...").
_REPORTED = ("when", "which", "what", "who", "whom", "whose", "whether", "if", "how", "where", "why")


@lru_cache(maxsize=4)
def _report_pattern(reports: tuple[str, ...]) -> re.Pattern[str] | None:
    """Where a reported question starts: after a reporting word, before an English question word, or
    straight after a Thai one ("ถามว่า" ends in the word that opens what was asked)."""
    words = sorted({w.strip() for w in reports if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    latin = [re.escape(w) for w in words if w.isascii()]
    thai = [re.escape(w) for w in words if not w.isascii()]
    alternatives = []
    if latin:
        alternatives.append(r"\b(?:" + "|".join(latin) + r")\s+(?=(?:" + "|".join(_REPORTED) + r")\b)")
    if thai:
        alternatives.append(r"(?:" + "|".join(thai) + r")\s*(?=\S)")
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _cut_after(clause: str, pattern: re.Pattern[str]) -> list[str]:
    """A clause cut after the first reporting word that has words before it (the reporter) and a
    question after it; a bare "ask when ..." has no one reporting and stays whole."""
    match = pattern.search(clause)
    if match is None or not clause[:match.start()].strip(" ,.:-") or not clause[match.end():].strip(" ,.?？!;"):
        return [clause]
    return [clause[:match.end()].strip(), clause[match.end():].strip()]


#: A letter of the Thai script.
_THAI_LETTER = re.compile(r"[\u0e00-\u0e7f]")


def after_endings(clause: str, words: Callable[[str], list[str]], endings: Collection[str]) -> list[str]:
    """A clause of Thai typed without a space, cut after each particle that closes a sentence
    (`endings`, matcher.yaml) where Thai words of another sentence follow: "ใครเป็นคนประกาศนะลูกยาย
    ฟังไม่ทัน" is a question, then the asker's excuse. `words` segments text as the reader does.

    >>> after_endings("ใครประกาศนะยายฟังไม่ทัน", lambda s: ["ใคร", "ประกาศ", "นะ", "ยาย", "ฟัง", "ไม่", "ทัน"], {"นะ"})
    ['ใครประกาศนะ', 'ยายฟังไม่ทัน']
    """
    if not endings or not _THAI_LETTER.search(clause):
        return [clause]
    tokens = words(clause)
    pieces: list[str] = []
    start = at = 0
    for i, token in enumerate(tokens):
        found = clause.find(token, at)
        if found < 0:
            return [clause]         # the reader's spelling is not the text's: leave it whole
        at = found + len(token)
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in endings and after not in endings and _THAI_LETTER.match(after) \
                and clause[start:found].strip() and not clause[at:at + 1].isspace():
            pieces.append(clause[start:at].strip())
            start = at
    return [*pieces, clause[start:].strip()] if pieces else [clause]
