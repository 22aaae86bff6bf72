"""The Reply every door renders: neutral text, never HTML, with sources and suggestions as data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bot.core.understand import Query
from bot.knowledge import Lang

Kind = Literal["answer", "fallback", "smalltalk"]
#: Telegram's limit for one message; no reply is ever longer.
MAX_REPLY_CHARS = 4096


@dataclass(frozen=True)
class SourceRef:
    """A cited page: the full title for plain-text doors and /sources, a short label for chat lines."""

    title: str
    url: str
    label: str = ""       # "MOE, Feb 2024"; empty: the title is all there is
    note: str = ""        # the page is only in the other language: "(อังกฤษ)" for a Thai reader

    @property
    def short(self) -> str:
        """What a one-line list of sources shows: the label (or title) and the language note.

        >>> SourceRef("UNESCO: 64 new members", "https://unesco.org", "UNESCO, 14 Feb 2024", "(อังกฤษ)").short
        'UNESCO, 14 Feb 2024 (อังกฤษ)'
        """
        return f"{self.label or self.title} {self.note}".strip()


@dataclass(frozen=True)
class Suggestion:
    entry: str
    title: str


@dataclass(frozen=True)
class Reply:
    kind: Kind
    lang: Lang
    body: str                                  # the answer itself, without the sources line
    text: str                                  # what a person reads: body and sources line
    entry: str | None = None
    score: float = 0.0
    sources: tuple[SourceRef, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()   # "did you mean" (fallback) choices
    follow_ups: tuple[Suggestion, ...] = ()    # related entries worth offering after an answer
    sources_label: str = ""
    #: The reading to remember for a follow-up in the same conversation (kept only by the doors).
    context: Query | None = None
    #: Ids of the member cities the answer is about.
    cities: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The `ask --json` contract: one object per reply."""
        return {
            "kind": self.kind,
            "lang": self.lang,
            "text": self.text,
            "entry": self.entry,
            "score": round(self.score, 4),
            "sources": [{"title": s.title, "url": s.url} for s in self.sources],
            "suggestions": [{"entry": s.entry, "title": s.title} for s in self.suggestions],
        }


def fit(text: str, limit: int = MAX_REPLY_CHARS) -> str:
    """Cut text to the limit at a line or word boundary, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    for sep in ("\n", " "):
        at = cut.rfind(sep)
        if at > limit // 2:
            cut = cut[:at]
            break
    return cut.rstrip() + "…"
