"""Follow-up questions: a message that names only part of a question is read against the last one.

People ask in fragments: "when did Khon Kaen join?" then "and Yala?", "which cities joined in
2022?" then "what about 2020?", "is Sukhothai a member?" then "is it a province?". The reading of
the last answered question (its tokens, places, years and cues: a `Query`) is kept by the door
that holds the conversation, and a new message is merged into it here:

- a fragment that only names places or years ("and Yala?", "แล้วปี 2563 ล่ะ") keeps what was
  asked and swaps in what it names;
- a fragment that only asks ("since when?", "how many?", "ปีไหน") or points back ("is it a
  province?", "ที่นี่เข้าร่วมปีไหน") keeps its own question and takes the places and years it
  lacks from the context.

A message with words of its own beyond those (a new topic) is never merged: context must not make
a clear question worse. Nothing here stores anything; `answer()` returns the reading to remember.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.core.entities import CITY, YEAR
from bot.core.table import KIND_CUES, ORDER_CUES, Lexicon
from bot.core.understand import TOPIC, Query, Synonyms

#: Cue labels that only say "this goes on from before"; they are dropped from a merged reading.
LINK_CUES = frozenset({"refer", "continue"})


def remember(query: Query) -> Query:
    """The reading kept for the next message: everything but the words as typed."""
    return replace(query, text="")


def merge(context: Query, query: Query, lexicon: Lexicon, cue_map: Mapping[str, Synonyms]) -> Query | None:
    """The question a follow-up asks, read against the context; None when it is not a follow-up."""
    tokens = _without_links(query.tokens, cue_map)
    names = bool(query.places or query.years)
    lang = query.lang if any(ch.isalpha() for ch in query.text) else context.lang
    asks = bool(query.asks or query.cues & (ORDER_CUES | KIND_CUES))
    if "refer" in query.cues and not query.places and (context.places or context.years):
        return _fill(query, tokens, context, lang)
    if not all(_fragment_word(t, lexicon) for t in query.tokens):
        return None        # words of its own: a question in its own right
    if names and not asks:
        if (query.places and not context.places) or (query.years and not context.years):
            return None    # "and Khon Kaen?" after a question about a year asks about Khon Kaen itself
        return replace(context, text=query.text, lang=lang,
                       places=query.places or context.places, years=query.years or context.years,
                       slipped=query.slipped)
    if asks and not names:
        return _fill(query, tokens, context, lang)
    return None


def bare(query: Query, lexicon: Lexicon) -> bool:
    """Whether a message is little more than a question word, a cue or a name ("since when?",
    "how many?", "and Yala?"): such a message is read as a follow-up even when it could be
    answered alone, since alone it says too little to be what was meant."""
    content = [t for t in query.tokens if t not in lexicon.light]
    return len(content) <= 1 or bool(query.cues & LINK_CUES)


def _fill(query: Query, tokens: tuple[str, ...], context: Query, lang: str) -> Query:
    places = query.places or context.places
    years = query.years or (context.years if not query.present else ())
    added = (CITY,) * (len(places) - len(query.places)) + (YEAR,) * (len(years) - len(query.years))
    return replace(query, tokens=tokens + added, places=places, years=years, lang=lang,  # type: ignore[arg-type]
                   cues=query.cues - LINK_CUES | (context.cues & KIND_CUES if not query.cues & KIND_CUES else frozenset()))


def _fragment_word(token: str, lexicon: Lexicon) -> bool:
    return token in lexicon.words or token.isdigit() or token in (CITY, YEAR, TOPIC) or (len(token) == 1 and not token.isascii())


def _without_links(tokens: tuple[str, ...], cue_map: Mapping[str, Synonyms]) -> tuple[str, ...]:
    """The tokens without the words that only point back ("it", "ที่นี่", "and", "แล้ว...ล่ะ")."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for variant, (label, *_) in cue_map.get(tokens[i], ()):
            if label in LINK_CUES and tokens[i:i + len(variant)] == variant:
                i += len(variant)
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)
