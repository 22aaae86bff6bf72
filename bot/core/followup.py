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

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from bot.core.entities import CITY, YEAR, PlaceRef
from bot.core.table import (
    BOUND_CUES,
    JOIN_WORDS,
    KIND_CUES,
    MEMBERS_JOINED,
    ORDER_CUES,
    TABLE_INTENTS,
    THAI_WORDS,
    Lexicon,
    covers,
    explained,
)
from bot.core.understand import TOPIC, Query, Synonyms, canonical
from bot.knowledge import BE_OFFSET, KnowledgeBase, Lang

#: Cue labels that only say "this goes on from before"; they are dropped from a merged reading.
LINK_CUES = frozenset({"refer", "continue", "then"})
#: Cues that say nothing of what a question is about: it points back, asks yes or no, or "has".
PLAIN_CUES = LINK_CUES | {"yesno", "have"}
#: Cues that say what the last question was about (a kind of member, the news): its words added to,
#: it is still about that ("date?" after who announced the news asks when the news was).
SUBJECT_CUES = KIND_CUES | {"announce"}
#: Cues that say a question is about the whole network, not Thailand's members.
SCOPE_CUES = frozenset({"worldwide"})
#: Cue labels that ask for an end of a series, the first or the latest, whatever year came before.
END_CUES = frozenset({"first", "earliest", "latest", "newest"})
#: Cue labels of a message that only says "go on" ("then?", "และ?", "ต่อ"): nothing else it asks.
GO_ON_CUES = LINK_CUES | {"onward", "split", "relate"}
#: Cue labels that step from the last question's year to the one before or after it.
STEP_CUES = frozenset({"previous", "next"})
#: Cue labels that ask which of several came first or last ("which was first?", "อันไหนก่อน"): the
#: table's order cues but "until", which bounds a time rather than comparing.
ORDER_WORDS = ORDER_CUES - {"until"}
#: Cue labels that relate places or years to each other: which came first, together, how far apart.
RELATION_CUES = frozenset({"first", "latest", "same", "gap"})
#: The word "year" as read (after synonyms), in each language: "two years later", "2 ปีต่อมา".
YEAR_WORDS = frozenset({"year", "ปี"})
#: A year as an answer writes it, in either era.
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:19\d\d|20\d\d|25\d\d)(?!\d)")


def remember(query: Query, cities: Sequence[str], kb: KnowledgeBase, body: str = "", entry: str | None = None,
             before: Query | None = None) -> Query:
    """The reading kept for the next message: everything but the words as typed, the member
    cities its answer named, the years its answer stated (the steps "the one before" takes), and
    the places the conversation named `before` it (the last two kept)."""
    members = [c for c in kb.cities if c.id in cities]
    named = tuple(PlaceRef(c.short, c.id, c.province) for c in members)
    # "that year", "รอบนั้น": the one year every city the answer named joined in, if there is one.
    years = {c.joined for c in members}
    ids = {p.city_id for p in query.places}
    earlier = tuple(p for p in (*before.earlier, *before.places) if p.city_id not in ids) if before is not None else ()
    return replace(query, text="", named=named, named_years=tuple(years) if len(years) == 1 else (),
                   shown_years=years_in(body), answered=entry, earlier=tuple(dict.fromkeys(earlier))[-2:])


def years_in(text: str) -> tuple[int, ...]:
    """The years a reply states, as Common Era years ("พ.ศ. 2567" is 2024), in order, once each."""
    found = (int(y) for y in _YEAR_IN_TEXT.findall(text))
    return tuple(sorted({y - BE_OFFSET if y > 2400 else y for y in found}))


def merge(context: Query, query: Query, lexicon: Lexicon, cue_map: Mapping[str, Synonyms],
          asks_map: Mapping[str, Synonyms], known: Callable[[str], bool] = lambda t: False,
          timeline: Iterable[int] = ()) -> list[Query]:
    """The questions a follow-up may ask, read against the context, likeliest first; none when it
    is not a follow-up. `cue_map` and `asks_map` are the reader's: the words that point back, and
    the question words (a follow-up's own question words replace the last question's); `known`
    tells a word the knowledge base uses anywhere; `timeline` holds the years the knowledge base
    has events in (intakes, members joining), the steps of "the round before".

    Each reading still names what the follow-up named that the sources mostly do not ("how far is
    it from bangkok" after Phuket is about a distance, not whether Bangkok is a member): only an
    entry that names it too may answer, as for any question."""
    readings = _merge(context, query, lexicon, cue_map, asks_map, known, timeline)
    if not query.others:
        return readings
    return [replace(r, others=tuple(dict.fromkeys((*r.others, *query.others)))) for r in readings]


def _merge(context: Query, query: Query, lexicon: Lexicon, cue_map: Mapping[str, Synonyms],
           asks_map: Mapping[str, Synonyms], known: Callable[[str], bool], timeline: Iterable[int]) -> list[Query]:
    """`merge`'s readings, before they are given the follow-up's own other things."""
    if len(query.tokens) == 1 and query.cues == {"after"} and not (query.asks or query.places or query.years):
        # "since?" alone asks since when.
        query = replace(query, asks=frozenset({"when"}), cues=frozenset())
    if "among" in query.cues and len(context.places or context.named) >= 2:
        # "which one was first?" after two places: one of those.
        query = replace(query, cues=query.cues | {"refer"})
    if query.cues & SCOPE_CUES and not any(t in THAI_WORDS for t in query.tokens):
        # "and worldwide in 2025?", "รวมแล้วตอนนี้ทั้งเครือข่ายมีกี่เมือง" after the Thai members of a
        # year: the same of the whole network, not of Thailand's members.
        context = replace(context, tokens=tuple(t for t in context.tokens if t not in THAI_WORDS))
    onward = _onward(query, context, lexicon, cue_map, timeline)
    if onward is not None:
        return [onward]
    compared = _compared(query, context, lexicon, cue_map)
    if compared is not None:
        return [compared]
    lang: Lang = query.lang if any(ch.isalpha() for ch in query.text) else context.lang
    stepped = _stepped(query, context, cue_map, () if not _tabular(context, lexicon) and context.shown_years else timeline)
    if stepped is not query:
        if (not context.years and context.named_years and context.places or "same" in context.cues and context.years) \
                and not query.places and query.asks <= {"which", "who"}:
            # "and the year before?" after when Chiang Mai joined: the members of the year before the
            # one that answer named (its city's own question has no year to step).
            # So is "and the next round after that?" after who else joined the year Phayao did, and
            # "and after that which city joined next?" after Chiang Rai.
            return [replace(context, text=query.text, lang=lang, tokens=(*MEMBERS_JOINED[lang], YEAR), places=(),
                            years=stepped.years, asks=frozenset({"which"}), cues=frozenset(), named=(), named_years=())]
        # "the one before" steps in time: the cities of the last question were those of its year.
        context = replace(context, places=(), tokens=tuple(t for t in context.tokens if t != CITY))
    query = stepped
    tokens = _without(query.tokens, cue_map, LINK_CUES)
    if query.asks:
        context = replace(context, tokens=_without(context.tokens, asks_map, None))
    names = bool(query.places or query.years)
    asks = bool(query.asks or query.cues & (ORDER_CUES | KIND_CUES | {"same", "gap"}))
    refers = "refer" in query.cues and not query.places
    # A fragment: all its words are the table's, or, after a question the table did not answer, it
    # is a few words the knowledge base uses ("how many countries?" after the network's size).
    tabular = _tabular(context, lexicon)
    fragment = covers(query.tokens, lexicon) or (not tabular and len(tokens) <= 4 and _known(query.tokens, lexicon, known))
    # "how many before that?" after how many members Thailand has now: "that" is the date the count is
    # given as of, the last its answer stated.
    then = context.years or context.named_years or (
        (max(context.shown_years),) if context.present and context.shown_years and query.cues & {"before", "after"} else ())
    if "then" in query.cues and not query.years and then and not refers:
        # "รอบนั้นทั้งโลกรับกี่เมือง": the year the last answer was about, whatever it named.
        timed = replace(query, tokens=tokens + (YEAR,) * len(then), years=then, lang=lang,
                        cues=query.cues - LINK_CUES)
        if not fragment:
            return [timed]
        joint = replace(timed, tokens=context.tokens + timed.tokens, places=query.places or context.places)
        # "and after that?" after a question about the conferences is still about the conferences.
        return [timed, joint] if tabular else [joint, timed]
    if refers and (context.places or context.named or context.years or context.named_years):
        return _fill(query, tokens, context, lang, refers=True, fragment=fragment, tabular=tabular)
    if names and fragment:
        # "แล้วเมื่อปี 2565 ล่ะ" after "how many Thai members now?" asks the same count at that date.
        # So does "and in 2024?" after "how big is the network now?": a question about now, asked of a year.
        counted = bool(query.years) and not query.places and not context.years \
            and ("count" in context.asks or context.present)
        if not asks and not counted and ((query.places and not context.places) or (query.years and not context.years)):
            if query.years and not query.places and not context.places and not tabular \
                    and set(query.years) <= set(context.shown_years):
                # "and the 2021 one?" after the conferences, whose answer listed that year's: the
                # same question, of the one that answer put in that year.
                return [replace(context, text=query.text, lang=lang, tokens=context.tokens + (YEAR,) * len(query.years),
                                years=query.years, slipped=query.slipped, named=(), named_years=())]
            return []      # "and Khon Kaen?" after a question about a year asks about Khon Kaen itself
        # The year of the places asked about before goes with them ("Lampang?" after which cities joined
        # the same year as Phayao asks about Lampang, not about 2022).
        years = query.years or (() if query.places and context.places and context.years
                                and set(context.years) <= set(context.named_years) else context.years)
        swapped = replace(context, text=query.text, lang=lang,
                          places=query.places or context.places, years=years,
                          tokens=context.tokens if years else tuple(t for t in context.tokens if t != YEAR),
                          slipped=query.slipped, named=(), named_years=())
        if counted and not tabular and set(query.years) <= set(context.shown_years) and not query.asks \
                and query.cues & BOUND_CUES:
            # "and before the 2025 intake?" after the network's size today, whose answer gave its size
            # at each intake: that answer again, not a reading of it at one date that no entry fits.
            return [replace(context, text=query.text, lang=lang, named=(), named_years=())]
        if counted:
            swapped = replace(swapped, tokens=context.tokens + (YEAR,) * len(query.years), present=False)
        if query.cues & SCOPE_CUES:
            # ("and worldwide in 2025?" keeps its own scope in every reading below.)
            swapped = replace(swapped, cues=swapped.cues | (query.cues & SCOPE_CUES))
        if not asks:
            return [swapped]
        # "and how many after the 2024 intake?": the last question about the new year, in its words too.
        # A question word of its own asks its own question: "when did Chiang Mai join?" after "is Tak a
        # province?" no longer asks for a kind.
        cues = swapped.cues - KIND_CUES if query.asks and query.asks != context.asks and not query.cues & KIND_CUES \
            else swapped.cues
        if query.cues & KIND_CUES and "same" not in query.cues:
            # "สุโขทัยเป็นสมาชิกแบบจังหวัดใช่มั้ย" after whether three cities joined the same year asks
            # its own kind, not whether they joined together.
            cues = (cues - {"same"}) | (query.cues & KIND_CUES)
        if query.cues & RELATION_CUES and not query.cues & KIND_CUES and any(t in JOIN_WORDS for t in query.tokens):
            # "did any other city come in the same year as Phayao?" after which of two came first
            # asks its own relation of the places it names, not the last one's.
            cues = (cues - RELATION_CUES - KIND_CUES) | (query.cues & RELATION_CUES)
        return [replace(swapped, tokens=swapped.tokens + tokens, asks=query.asks or context.asks, cues=cues)]
    if names and "continue" in query.cues and _known(query.tokens, lexicon, known) \
            and ((query.years and context.years) or (query.places and context.places)):
        # "ตอนปี 67 ล่ะ ใครประกาศ" after who announced the 2025 intake: the last question about the
        # new year, with the follow-up's own words, all of them words the knowledge base uses (an
        # unknown word, as in "แล้วที่เที่ยวเชียงใหม่ล่ะ", is a new question, never merged).
        # A new year replaces the last question's time, and the cities it named for that time go too
        # ("and who announced the one before?" after who announced the Tak, Rayong and Satun news).
        kept = query.places or (() if query.years and context.years else context.places)
        merged = replace(context, text=query.text, lang=lang, tokens=context.tokens + tokens, places=kept,
                         years=query.years or context.years, asks=query.asks or context.asks, named=(), named_years=())
        if len(kept) < len(context.places):
            merged = replace(merged, tokens=tuple(t for t in merged.tokens if t != CITY))
        return [merged]
    if not names and TOPIC in query.tokens and TOPIC not in context.tokens \
            and not (query.asks and context.places and query.cues & ORDER_WORDS):
        # "and the GNLC?" after what a learning city is: the same question of the network, the last
        # question's own subject left behind.
        asked = tuple(t for t in context.tokens if t in lexicon.light)
        return [replace(query, tokens=asked + tokens, asks=query.asks or context.asks, lang=lang)]
    if not names:
        # A fragment takes the names it lacks ("since when?", "any from Thailand?"); a question with
        # words of its own that names nothing may have dropped its subject, as Thai does
        # ("เป็นเมืองสร้างสรรค์ด้วยไหม" after a question about Sukhothai): it is offered the
        # context's names only as it stands, and only if read alone it was not understood.
        return _fill(query, tokens, context, lang, refers=False, fragment=fragment, tabular=tabular)
    return []


def elaboration(context: Query, query: Query, lexicon: Lexicon, known: Callable[[str], bool]) -> Query | None:
    """The last question with a short message's words added, when the message asks more about what
    was just answered ("what was his role?" after who announced the news, "ย่อมาจากอะไร" after who
    runs the network): it names nothing of its own, every word is one the knowledge base uses, and
    the last question was not one over the city table. The caller takes it only if it is answered
    by the same entry as before, or one that entry lists as related."""
    # A year the last answer stated is still what it was about ("who won it in 2024, then?" after
    # whether a Thai city has won the award, which names that year's winners); but after a question
    # of its own year, another year asks the same of that year ("and in 2021?" after 2024's winners).
    years_said = set(query.years) <= set(context.years) or not context.years and set(query.years) <= set(context.shown_years)
    # A thing of its own ("the one in Korea") is one the entry must name too, as the ranker holds; but
    # a count of it ("how many members has Viet Nam in all?") is no longer the last answer's scope.
    others = bool(query.others) and "count" in query.asks
    if context.answered is None or query.places or not years_said or others or _tabular(context, lexicon):
        return None
    # Short: function words aside ("what was his position at the time?"), a few words at most.
    if len([t for t in query.tokens if t not in lexicon.light]) > 4 or not _known(query.tokens, lexicon, known):
        return None
    return replace(context, text=query.text, tokens=context.tokens + query.tokens, lang=query.lang,
                   years=tuple(dict.fromkeys(context.years + query.years)),
                   named=(), named_years=(), shown_years=(), answered=None)


def steps(context: Query, query: Query, cue_map: Mapping[str, Synonyms], timeline: Iterable[int] = ()) -> bool:
    """Whether a message steps in time from the last question's year ("next one?", "the round
    before?"): then it is a follow-up even where, alone, it reads as a question about the future."""
    return _stepped(query, context, cue_map, timeline) is not query


def points_back(query: Query) -> bool:
    """Whether a message points at what was just said ("it", "that round", "the one before") and
    names nothing of its own to point at instead."""
    return bool(query.cues & {"refer", "then", "same"}) and not query.places and not query.years


def asks_source(query: Query, cue_map: Mapping[str, Synonyms], lexicon: Lexicon) -> bool:
    """Whether a message only asks where the last answer came from ("source?", "ขอลิงก์ด้วย"):
    every reply names its sources, so the last answer, given again, is the reply.

    It names nothing of its own: "the link between the GNLC and the SDGs" asks another question."""
    if "source" not in query.cues or query.places or query.years or query.others:
        return False
    read = canonical(query.tokens, cue_map)
    return all(t == "source" or t in lexicon.light for t in read)


def bare(query: Query, lexicon: Lexicon) -> bool:
    """Whether a message is little more than a question word, a cue or a name ("since when?",
    "how many?", "and Yala?"): such a message is read as a follow-up even when it could be
    answered alone, since alone it says too little to be what was meant."""
    content = [t for t in query.tokens if t not in lexicon.light]
    linked = bool(query.cues & LINK_CUES) and covers(query.tokens, lexicon)
    return len(content) <= 1 or linked


def _fill(query: Query, tokens: tuple[str, ...], context: Query, lang: Lang, *, refers: bool, fragment: bool,
          tabular: bool) -> list[Query]:
    """The follow-up's own question with the places and years it lacks taken from the context;
    then, when its words are all ones a question over the table uses, the context's question with
    its words added ("which ones?" after "how many Thai cities joined in 2022?"). A follow-up with
    words of its own is never read inside the last question: "how much budget did they get?" is
    not a question about the 2024 intake with one odd word."""
    # "since when?" after "the first Thai member?": the one city that answer named.
    # ...and "when was that?" after the latest members: the cities that answer named, which joined together.
    single = context.named if len(context.named) == 1 or (
        query.asks == {"when"} and len(context.named_years) == 1 and not context.places) else ()
    # "which members are whole provinces?", "how many in all now?" ask for a list or a count: they
    # take no city from the last question (but "which others joined the same year?" is about the
    # city just named).
    # ("how many have joined since?" counts from the city just named, and "how many years apart?" the
    # years between the cities just named).
    listing = bool(query.asks & {"which", "count"}) and not refers and "same" not in query.cues \
        and not query.cues & {"before", "after", "gap"}
    # "who was the first Thai member though?" after three cities asks which of all Thailand's members,
    # not which of those three: asking who or which of "Thai" members names its own scope.
    # So does asking the kinds of "the Thai members" ("what kinds of local government are the Thai
    # members?" after Yala's year is about all of them).
    national = not refers and "same" not in query.cues \
        and (bool(query.asks & {"who", "which"}) or bool(query.cues & KIND_CUES)) \
        and any(t in THAI_WORDS for t in query.tokens)
    places = query.places or (() if listing or national else context.places or (context.named if refers else single))
    if refers and not query.places and len(places) > 1 and query.cues & {"first", "latest"} \
            and any(t in THAI_WORDS for t in query.tokens):
        # "เมืองนี้เป็นเมืองแรกของไทยเลยใช่มั้ย" after Chiang Rai was compared with Phuket: one city,
        # the one the last question was about, against all of Thailand's members.
        places = places[:1]
    # "now", "the first", "the latest" are about all members, not the year the last question named.
    # So are the kinds of "the Thai members", asked after the members of one round.
    timeless = query.present or bool(query.cues & {"first", "latest"}) or national and bool(query.cues & KIND_CUES)
    years = query.years or (() if timeless else context.years or (context.named_years if refers else ()))
    cues = query.cues - LINK_CUES

    def own(places: tuple[PlaceRef, ...], years: tuple[int, ...]) -> Query:
        added = (CITY,) * (len(places) - len(query.places)) + (YEAR,) * (len(years) - len(query.years))
        return replace(query, tokens=tokens + added, places=places, years=years, lang=lang, cues=cues)

    # "which?" after how many joined after 2024: which joined after 2024 (a bound of the last question's
    # time goes with it, unless the message sets one of its own).
    carried = BOUND_CUES if not query.cues & ORDER_CUES and not timeless else frozenset()
    # "and now?" after "how big was the network after the 2024 intake?": the same question, undated.
    before = tuple(t for t in context.tokens if t != YEAR) if timeless and not query.years else context.tokens
    joint = replace(context, text=query.text, tokens=before + tokens, places=places, years=years, lang=lang,
                    asks=query.asks or context.asks, cues=cues | (context.cues & (SUBJECT_CUES | carried)), named=(), named_years=(),
                    present=query.present or context.present)
    readings = [own(places, years)]
    if refers and not context.places and places and years:
        # "who announced it?" after a list of cities: "it" may be the news of that year.
        readings.append(own(query.places, years))
    if not fragment:
        return readings
    # "and after that?" after a question about the conferences is still about the conferences:
    # when the last question was not one over the city table, its words come first. But "is it in
    # the learning cities network as well?" after a question about Sukhothai's other network names
    # its own subject, and "it" is only the place.
    own_subject = refers and TOPIC in query.tokens and TOPIC not in context.tokens
    return readings + [joint] if tabular or own_subject else [joint, *readings]


def _onward(query: Query, context: Query, lexicon: Lexicon, cue_map: Mapping[str, Synonyms],
            timeline: Iterable[int]) -> Query | None:
    """"then?", "ต่อ" after Thailand's first member, or after the members of one round: the members
    of the round after it. The message says nothing but "go on"; the last question was over the
    city table and ended at one year (the first member's, or the one it asked about)."""
    if "onward" not in query.cues or not query.cues <= GO_ON_CUES or query.places or query.years or query.asks \
            or query.present \
            or not all(t in lexicon.light or _only(t, cue_map, GO_ON_CUES) for t in query.tokens):
        return None
    if context.answered not in TABLE_INTENTS:
        return None
    first = bool(context.cues & {"first", "earliest"}) and len(context.named_years) == 1
    listed = len(context.years) == 1 and bool(context.asks & {"which", "count"}) and not context.places
    if not (first or listed):
        return None
    anchor = replace(context, years=context.years or context.named_years, shown_years=())
    stepped = _stepped(replace(query, tokens=(), cues=frozenset({"next"})), anchor, cue_map, timeline)
    if not stepped.years:
        return None
    kept = tuple(t for t in _without(context.tokens, cue_map, END_CUES) if t not in (YEAR, CITY))
    return replace(context, text=query.text, lang=query.lang, tokens=kept + (YEAR,), places=(), years=stepped.years,
                   cues=context.cues - END_CUES, asks=frozenset({"which"}), named=(), named_years=(), present=False)


def _only(token: str, cue_map: Mapping[str, Synonyms], labels: frozenset[str]) -> bool:
    """Whether a word is, alone, a cue word of one of `labels` and nothing else the message says."""
    return any(variant == (token,) and set(these) & labels for variant, these in cue_map.get(token, ()))


def _compared(query: Query, context: Query, lexicon: Lexicon, cue_map: Mapping[str, Synonyms]) -> Query | None:
    """"which came first?", "อันไหนก่อน", "how many years apart?" after questions about two cities, one
    at a time: the two compared, when the message names nothing and all its words are the table's."""
    if len(query.places) == 1 and not query.years and query.cues & {"before", "after"} and len(context.places) == 1 \
            and context.places[0] not in query.places and not query.asks & {"which", "count"}:
        # "was that before or after Khon Kaen?" after Hat Yai's year: one city said to be before or
        # after another is compared with the city just talked about.
        added: tuple[PlaceRef, ...] = context.places
        bound = next((i for i, t in enumerate(query.tokens) if _only(t, cue_map, frozenset({"before", "after"}))), None)
        if bound is not None and CITY in query.tokens[:bound]:
            # "แล้วเชียงรายล่ะ ได้ก่อนป่ะ" after Phuket's year: the place named ahead of "before" is the one
            # said to be before; the city just talked about is what it is compared with.
            return replace(query, tokens=query.tokens + (CITY,), places=query.places + added,
                           cues=query.cues - LINK_CUES)
    # Only words that ask and point: "which Thai city was first?" asks about all of Thailand's members.
    elif query.places or query.years or not query.cues & (ORDER_WORDS | {"gap"}) \
            or not (all(t in lexicon.light or t in JOIN_WORDS for t in query.tokens)
                    or "gap" in query.cues and covers(query.tokens, lexicon)) or len(context.places) != 1:
        return None
    else:
        added = tuple(dict.fromkeys((*context.earlier, *context.places)))
        if len(added) < 2:
            return None
    return replace(query, tokens=query.tokens + (CITY,) * len(added), places=added + query.places,
                   cues=query.cues - LINK_CUES)


def _known(tokens: Iterable[str], lexicon: Lexicon, known: Callable[[str], bool]) -> bool:
    """Whether every word is one the knowledge base uses somewhere, or the city table explains it."""
    return all(known(t) or explained(t, lexicon) for t in tokens)


def _tabular(context: Query, lexicon: Lexicon) -> bool:
    """Whether the last question was one over the city table: answered by one of the table's
    intents, or, for a reading that does not say, all its words are the table's and it named
    cities or years ("how many cities are in the network now?" is about the network)."""
    if context.answered is not None:
        return context.answered in TABLE_INTENTS
    return bool(context.places or context.years or context.named) and covers(context.tokens, lexicon)


def own_step(query: Query, cue_map: Mapping[str, Synonyms], timeline: Iterable[int]) -> Query:
    """A message that steps from a year it names itself: "the year before 2020", "ปีก่อนหน้าปี 2563"
    is the nearest year before it that the knowledge base has events in (2019), not 2020."""
    if len(query.years) != 1 or len(query.cues & STEP_CUES) != 1 or query.cues & {"before", "after"}:
        return query
    at = query.tokens.index(YEAR) if YEAR in query.tokens else len(query.tokens)
    bare = replace(query, tokens=query.tokens[:at] + query.tokens[at + 1:], years=())
    stepped = _stepped(bare, replace(query, named_years=(), shown_years=()), cue_map, timeline)
    return query if stepped is bare else stepped


def _stepped(query: Query, context: Query, cue_map: Mapping[str, Synonyms], timeline: Iterable[int]) -> Query:
    """The follow-up with a relative time made a year: "two years later" after a question about 2015
    is 2017, "the round before" after one about the 2025 intake is 2024 (the nearest year before
    it among the years the last answer stated and the knowledge base's own). A follow-up that names
    a year, or a context without one, is left as it is."""
    anchor = context.years or context.named_years or (context.shown_years if len(context.shown_years) == 1 else ())
    if query.years or not anchor:
        return query
    year = anchor[-1]
    steps = query.cues & STEP_CUES
    bound = query.cues & {"before", "after"}
    span = _span(query.tokens, cue_map)
    if span is not None and len(bound) == 1:
        at, count = span
        target = year + count if "after" in bound else year - count
        tokens = query.tokens[:at] + query.tokens[at + 2:]
        dropped = bound
    elif len(steps) == 1:
        stops = sorted({*timeline, *context.shown_years})
        beyond = [y for y in stops if y > year] if "next" in steps else [y for y in stops if y < year]
        if not beyond:
            return query
        target = beyond[0] if "next" in steps else beyond[-1]
        tokens, dropped = query.tokens, STEP_CUES
    else:
        return query
    return replace(query, tokens=(*_without(tokens, cue_map, dropped), YEAR), years=(target,), cues=query.cues - dropped)


def _span(tokens: Sequence[str], cue_map: Mapping[str, Synonyms]) -> tuple[int, int] | None:
    """Where a number of years is written ("two years", "2 ปี") and how many, if there is one."""
    for at, (word, unit) in enumerate(zip(tokens, tokens[1:])):
        if unit not in YEAR_WORDS:
            continue
        if word.isdigit() and 0 < int(word) < 10:
            return at, int(word)
        spelled = [label for variant, labels in cue_map.get(word, ()) if variant == (word,) for label in labels if label.isdigit()]
        if spelled:
            return at, int(spelled[0])
    return None


def _without(tokens: tuple[str, ...], cue_map: Mapping[str, Synonyms], labels: frozenset[str] | None) -> tuple[str, ...]:
    """The tokens without the cue words of some labels (all labels when None): the words that only
    point back ("it", "ที่นี่", "and", "แล้ว...ล่ะ"), or the question words. They are read as
    synonyms are, longest first, each replaced by nothing."""
    dropped = {first: tuple((variant, ()) for variant, these in variants if labels is None or labels.intersection(these))
               for first, variants in cue_map.items()}
    return canonical(tokens, dropped)
