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

from collections.abc import Mapping, Sequence
from dataclasses import replace

from bot.core.entities import CITY, YEAR, PlaceRef
from bot.core.table import KIND_CUES, ORDER_CUES, Lexicon
from bot.core.understand import TOPIC, Query, Synonyms
from bot.knowledge import KnowledgeBase

#: Cue labels that only say "this goes on from before"; they are dropped from a merged reading.
LINK_CUES = frozenset({"refer", "continue"})


def remember(query: Query, cities: Sequence[str], kb: KnowledgeBase) -> Query:
    """The reading kept for the next message: everything but the words as typed, and the member
    cities its answer named."""
    named = tuple(PlaceRef(c.short, c.id, c.province) for c in kb.cities if c.id in cities)
    return replace(query, text="", named=named)


def merge(context: Query, query: Query, lexicon: Lexicon, cue_map: Mapping[str, Synonyms]) -> list[Query]:
    """The questions a follow-up may ask, read against the context, likeliest first; none when it
    is not a follow-up."""
    tokens = _without_links(query.tokens, cue_map)
    names = bool(query.places or query.years)
    lang = query.lang if any(ch.isalpha() for ch in query.text) else context.lang
    asks = bool(query.asks or query.cues & (ORDER_CUES | KIND_CUES | {"same"}))
    refers = "refer" in query.cues and not query.places
    if refers and (context.places or context.named or context.years):
        return _fill(query, tokens, context, lang, refers=True)
    if not all(_fragment_word(t, lexicon) for t in query.tokens):
        return []          # words of its own: a question in its own right
    if names and not asks:
        if (query.places and not context.places) or (query.years and not context.years):
            return []      # "and Khon Kaen?" after a question about a year asks about Khon Kaen itself
        return [replace(context, text=query.text, lang=lang,
                        places=query.places or context.places, years=query.years or context.years,
                        slipped=query.slipped)]
    if (asks or query.cues & {"yesno"}) and not names:
        return _fill(query, tokens, context, lang, refers=False)
    return []


def bare(query: Query, lexicon: Lexicon) -> bool:
    """Whether a message is little more than a question word, a cue or a name ("since when?",
    "how many?", "and Yala?"): such a message is read as a follow-up even when it could be
    answered alone, since alone it says too little to be what was meant."""
    content = [t for t in query.tokens if t not in lexicon.light]
    return len(content) <= 1 or bool(query.cues & LINK_CUES)


def _fill(query: Query, tokens: tuple[str, ...], context: Query, lang: str, *, refers: bool) -> list[Query]:
    """The follow-up's own question with the places and years it lacks taken from the context;
    then, in case its words alone say too little, the context's question with its words added
    ("which ones?" after "how many Thai cities joined in 2022?")."""
    places = query.places or context.places or (context.named if refers else ())
    years = query.years or (context.years if not query.present else ())
    added = (CITY,) * (len(places) - len(query.places)) + (YEAR,) * (len(years) - len(query.years))
    cues = query.cues - LINK_CUES
    own = replace(query, tokens=tokens + added, places=places, years=years, lang=lang, cues=cues)  # type: ignore[arg-type]
    joint = replace(context, text=query.text, tokens=context.tokens + tokens, places=places, years=years, lang=lang,
                    asks=query.asks or context.asks, cues=cues | (context.cues & KIND_CUES), named=())
    return [own, joint]


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
