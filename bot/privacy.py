"""Personal data out of stored questions: phone numbers, e-mail addresses, Thai ID numbers and links.

People type such things into a question ("... I am Somchai, 081 234 5678"); the curation loop needs
the wording, not the number. Each is replaced by a token saying what was there, before a question is
stored; Thai digits count as digits.
"""

from __future__ import annotations

import re

_D = "[0-9\u0e50-\u0e59]"       # Arabic or Thai digits
_SEP = r"[\s.\-]?"
#: (token, pattern), applied in this order: an address before the link inside it, an ID before a phone.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("[email]", re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")),
    ("[url]", re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b(?:[a-z0-9\-]+\.)+(?:com|org|net|info|io|th|me|ly|gl)\b(?:/\S*)?")),
    ("[id]", re.compile(rf"(?<![\w+]){_D}{_SEP}{_D}{{4}}{_SEP}{_D}{{5}}{_SEP}{_D}{{2}}{_SEP}{_D}(?!\w)")),
    ("[phone]", re.compile(rf"(?<![\w+])\+?(?:{_D}{_SEP}){{8,14}}{_D}(?!\w)")),
)


#: Marks that stand in for the tokens while a question is read: the reader's keyboard-slip repair
#: would turn a Latin "[id]" inside Thai text into Thai letters, and it leaves these symbols alone.
MARKS = {"[email]": "\u2709", "[url]": "\U0001f517", "[id]": "\U0001faaa", "[phone]": "\u260e"}


def mark(text: str) -> str:
    """`redact`, with symbols instead of the tokens, for text that is still to be read and normalised."""
    for token, pattern in PATTERNS:
        text = pattern.sub(f" {MARKS[token]} ", text)
    return text


def unmark(text: str) -> str:
    """The marks left by `mark` as readable tokens.

    >>> unmark(mark("โทร 0812345678 นะ"))
    'โทร  [phone]  นะ'
    """
    for token, symbol in MARKS.items():
        text = text.replace(symbol, token)
    return text


def redact(text: str) -> str:
    """The text with personal details replaced by tokens; years, counts and dates are left alone.

    >>> redact("i am somchai jaidee 0812345678, mail somchai.j@example.co.th")
    'i am somchai jaidee [phone], mail [email]'
    >>> redact("บัตร ๑-๒๓๔๕-๖๗๘๙๐-๑๒-๓ โทร +66 81 234 5678 ดู https://x.org/a?b=1 ปี 2567 มี 7 เมือง")
    'บัตร [id] โทร [phone] ดู [url] ปี 2567 มี 7 เมือง'
    """
    for token, pattern in PATTERNS:
        text = pattern.sub(token, text)
    return text
