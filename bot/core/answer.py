"""The one brain: `answer(question, brain) -> Reply`, knowing nothing of Telegram or consoles.

The decision between answering, offering "did you mean" and admitting ignorance is made here from
the matcher's calibrated score and the thresholds tuned into `knowledge/matcher.yaml`; a wrong
answer given confidently is worse than a suggestion, and a suggestion is worse than a right answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise, takewhile

from bot.core import compose, followup, parts, table
from bot.core.match import STOPWORD_WEIGHT, Index, Match, build_index, correct, mentions, rank, resegment, rival, runner_up
from bot.core.reply import Reply, SourceRef, Suggestion, fit
from bot.core.entities import CITY, YEAR, PlaceRef
from bot.core.understand import TOPIC, Query, make_reader
from bot.knowledge import BE_OFFSET, Entry, KnowledgeBase, Lang, Source


_NUMBER = re.compile(r"\d{2,}")
#: Words that count things after a number ("3 เมือง", "64 cities"): such a number is no question.
_COUNTED = frozenset({"เมือง", "แห่ง", "เมืองใหม่", "สมาชิก", "ประเทศ", "citi", "member", "countri", "new"})
#: The score of an answer composed over the city table: its reading explained every word.
TABLE_SCORE = 0.95
#: At most this many characters of a part of the message are quoted back when it is not answered.
MAX_QUOTED = 80
#: How far ahead of an honest don't-know a sure answer must be to be given instead of it.
HONEST_GAP = 0.3
#: A clause of fewer words than this is no scene a question is asked in (an abbreviation, a name).
MIN_SCENE = 3
#: Two readings this close fit a question equally well.
TIE = 0.01


@dataclass(frozen=True)
class Brain:
    kb: KnowledgeBase
    index: Index
    lexicon: table.Lexicon
    #: The years the knowledge base has events in (see `timeline`): the steps of "the round before".
    timeline: tuple[int, ...] = ()


def make_brain(kb: KnowledgeBase) -> Brain:
    """Build the reader and the index once; every answer after that is cheap."""
    reader = make_reader(kb)
    return Brain(kb, build_index(kb, reader), table.make_lexicon(kb, reader), timeline(kb))


def answer(question: str, brain: Brain, context: Query | None = None) -> Reply:
    """The reply to a message, read on its own or, when it is a follow-up, against `context`
    (the reading of the last question answered in the same conversation).

    The reply's `context` is the reading to remember for the next message: this question's if it
    was answered, else the one given (a miss or a "thanks" does not end the topic).
    """
    query = brain.index.reader.read(question if isinstance(question, str) else "")
    whole = _answer_read(query, brain, context)
    # Cut the message as the reader understood it (a keyboard-layout slip undone: its ";" is a letter).
    pieces = parts.split(query.text, brain.kb.settings.cues.get("split", ()), lambda text: _asks(text, brain))
    replies = _answer_parts(pieces, brain, context, query)
    if not replies or any(r.kind != "answer" for r in replies):
        # One question, or not two after all: perhaps one after words that set its scene.
        if not _missed(whole):
            return whole
        again = _after_preface(query, brain, whole, context)
        # "When did Yala join and what is its population?": the part the sources cover is answered,
        # and the reply says which part they do not. The parts answered come first, each a question
        # of its own ("ปีไหน" after a question about a conference is no such part), and the rest were
        # not understood at all.
        answered = sum(1 for _ in takewhile(lambda r: r.kind == "answer", replies))
        if _missed(again) and answered and all(_missed(r) for r in replies[answered:]) \
                and all(_answer_one(p, brain).kind == "answer" for p in pieces[:answered]):
            return _partly(replies[:answered], pieces[answered:], brain)
        return again
    return _all_parts(replies, whole, brain)


def _answer_parts(pieces: list[str], brain: Brain, context: Query | None, whole: Query) -> list[Reply]:
    """The reply to each part of a message, each read after the one before. A part of several not
    understood is read again as a question after words that set its scene ("สวัสดีค่ะท่านผู้ฟัง ...
    คุณป้าถามว่าฉะเชิงเทราเข้าร่วมตั้งแต่เมื่อไหร่ แล้ว..."): each part may set its own. That reading must
    answer with an entry the `whole` message came near (its best few, ranked only when a part needs
    them): a scene misread as a question's subject would answer something the message never spoke of."""
    replies: list[Reply] = []
    near: set[str] | None = None
    for piece in pieces:
        reply = _answer_one(piece, brain, replies[-1].context if replies else context)
        if _missed(reply) and len(pieces) > 1:
            if near is None:
                near = {m.entry.id for m in rank(whole, brain.index, limit=3)}
            again = _after_preface(brain.index.reader.read(piece), brain, reply)
            reply = again if again.entry in near else reply
        replies.append(reply)
    return replies


def _all_parts(replies: list[Reply], whole: Reply, brain: Brain) -> Reply:
    """One reply to a message whose every part was answered."""
    if len({r.entry for r in replies}) == 1 and len({r.body for r in replies}) == 1:
        # Every part has one answer; the whole message read at once is kept only when it agrees
        # ("What is GNLC short for, and what is it for?" after Phuket's year is not about Phuket).
        return whole if not _missed(whole) and whole.entry == replies[0].entry else replies[-1]
    # The whole message may already have been answered for every part ("which cities joined in
    # 2024 and from how many countries?" is one entry's answer): then one answer is enough.
    if whole.kind == "answer" and all(r.entry == whole.entry or facts(r.body, brain.kb) and facts(r.body, brain.kb) <= facts(whole.body, brain.kb)
                                      for r in replies):
        return whole
    return _joined(replies, brain)


def _after_preface(query: Query, brain: Brain, miss: Reply, context: Query | None = None) -> Reply:
    """A question after words that set the scene ("Hello, I live in Khonkaen since 5 years. Is my
    city a learning city?"): read alone the message was not understood; its one question is read
    as a follow-up of the rest, when the rest names a place or a year ("my city" is Khon Kaen)."""
    clauses = parts.clauses(query.text, brain.kb.settings.cues.get("report", ()))
    if len(clauses) == 1 and len(query.places) == 1:
        # "สวัสดีจ้ะลูกยายอยู่สุโขทัยสุโขทัยเป็นเมืองแห่งการเรียนรู้...ได้ปีไหน": Thai run on without a space (a
        # voice typed it) has no clause to cut; the words before the place's last mention set the scene.
        again = _from_last_mention(query, brain, miss)
        if again is not miss:
            return again
    # Thai typed without a space may still close a sentence with its particle ("...ประกาศนะลูกยายฟังไม่ทัน").
    words, endings = brain.index.reader.words, brain.kb.settings.endings
    pieces = [piece for clause in clauses for piece in parts.after_endings(clause, words, endings)]
    if len(pieces) == 1 and len(query.places) == 1:
        return miss
    read = {p: brain.index.reader.read(p) for p in pieces}      # each clause read once, for every test below
    # A clause that ends in a question mark asks, whatever its words ("i read it's a learning city?").
    # A sentence ended by a full stop states: its "is" asks nothing ("My grandma is asking."), though a
    # question word still asks ("I wonder when Yala joined.").
    questions = [p for p in pieces if p.rstrip().endswith(("?", "？"))
                 or (read[p].asks if p.rstrip().endswith(".") else _questions(read[p]))]
    if not questions and len(pieces) > 1:
        # "GNLC คืออะไรคะ พอดีทำ report เรื่อง lifelong learning อยู่": no clause has a question word
        # the reader marks, but one alone is surely understood, and the rest sets its scene.
        # A scene is a phrase of its own: "ผอ." cut from "ผอ. UIL คนปัจจุบันชื่ออะไร" is its subject.
        sure = brain.kb.settings.sure_threshold
        questions = [p for p in pieces if (alone := _answer_read(read[p], brain)).kind == "answer" and alone.score >= sure][:2]
        if any(len(read[p].tokens) < MIN_SCENE for p in pieces if p not in questions):
            questions = []
    if len(questions) > 1 and len(questions) < len(pieces) and pieces[-len(questions):] == questions:
        # "I'm an exchange student in Khon Kaen, is this city a learning city? since when?": the
        # questions that end the message ask one thing between them, after the scene...
        joined = " ".join(questions)
        again = _preface_question([*pieces[:-len(questions)], joined], joined, brain, query, miss, context)
        # ...or the last one asks, and the one before sets the scene too ("...สตูลได้เข้าด้วยจริงไหม
        # เข้าเมื่อไหร่").
        if again is miss:
            again = _preface_question(pieces, pieces[-1], brain, query, miss, context)
    elif len(pieces) < 2 or len(questions) != 1:
        return miss
    else:
        again = _preface_question(pieces, questions[0], brain, query, miss, context)
    if again is not miss:
        return again
    # "ในกลุ่มผู้ปกครองเถียงกันอยู่ค่ะ ยะลากับพะเยา ใครเข้าก่อนกัน": the words before the first that
    # names a place or a year only set the scene; the rest is the question, whole.
    # But a scene asks nothing: "ใครเปนคนประกาสขาว ตาก ระยอง สตูล" asks who, of the places after it.
    named = next((i for i, p in enumerate(pieces) if read[p].places or read[p].years), 0)
    scene_asks = any(read[p].asks for p in pieces[:named])
    rest = _answer_read(brain.index.reader.read(" ".join(pieces[named:])), brain) if named > 0 and not scene_asks else miss
    if rest.kind == "answer":
        return rest
    # "...เลยอยากเช็กข้อมูลก่อน คือรางวัล UNESCO Learning City Award เนี่ย เคยมีเมืองไทยได้ไหมคะ": the question
    # is its last clauses, the shortest run of them ending the message that is understood.
    for start in range(len(pieces) - 2, 0, -1):
        if any(read[p].asks for p in pieces[:start]):
            continue        # ...and what it leaves out asks nothing
        rest = _answer_read(brain.index.reader.read(" ".join(pieces[start:])), brain)
        if rest.kind == "answer":
            return rest
    return miss


def _from_last_mention(query: Query, brain: Brain, miss: Reply) -> Reply:
    """A one-clause message read from the last time it names its place, when that much is a
    question understood; `miss` otherwise."""
    place = query.places[0]
    text = query.text.casefold()
    at = max(text.rfind(place.name.th), text.rfind(place.name.en.casefold()))
    if at <= 0:
        return miss
    # The scene says who is asking and where they live, in a word or two the bot has no use for; it
    # asks nothing ("What did Khon Kaen do...") and is no subject ("พรุ่งนี้ฝนจะตกที่เชียงใหม่ไหม").
    scene = brain.index.reader.read(query.text[:at])
    if _questions(scene) or sum(1 for t in scene.tokens if t not in brain.lexicon.light) > 1:
        return miss
    rest = brain.index.reader.read(query.text[at:])
    again = _answer_read(rest, brain) if _questions(rest) and rest.places else miss
    return again if again.kind == "answer" else miss


def _preface_question(pieces: list[str], question: str, brain: Brain, query: Query, miss: Reply,
                      context: Query | None = None) -> Reply:
    """One piece of a message read as its question, the other pieces as the scene it is asked in;
    `miss` when that reading answers nothing either."""
    # The question must say something of its own: "ขอนแก่นมีร้านกาแฟดีๆ ไหม" ends in a bare "ไหม",
    # and its question is the preface's.
    own = brain.index.reader.read(question)
    if len(own.tokens) < 2 or not any(brain.index.weight(t) > STOPWORD_WEIGHT for t in own.tokens):
        return miss
    setting = brain.index.reader.read(" ".join(p for p in pieces if p is not question))
    if not (setting.places or setting.years) or setting.others:
        # "I am from Japan. How many Thai members are there?": a preface that sets no place or year
        # the bot knows says nothing the question needs; the question is answered as it stands.
        # It must be sure of itself: "ผู้ว่าฯ กทม. คนปัจจุบันคือใคร" cut after "ผู้ว่าฯ" leaves "who is the
        # current one?", which the preface's subject, not the network's, is about.
        # And the preface must not hold a time or place the question lacks ("รอบ ก.พ. 67 มีเมืองใหม่กี่เมือง"
        # cut at its date is one question).
        if own.others or set(query.years) - set(own.years) or {p.name for p in query.places} - {p.name for p in own.places}:
            return miss
        alone = _answer_read(own, brain, context)
        if context is not None and alone.kind == "answer":
            # Read against the conversation, "ใครดูแลอะ" is answered as read alone, only less surely.
            bare = _answer_read(own, brain)
            if bare.kind == "answer" and bare.entry == alone.entry and bare.score > alone.score:
                alone = replace(alone, score=bare.score)
        # ...unless it names what it is about, a place or the network ("I work for an NGO. Which SDGs
        # does the GNLC serve?"): then it stands on its own, whatever the scene.
        # So does a question the scene is set apart from by the end of a sentence ("ทบทวนนะคะ ...",
        # "...ประกาศนะ ลูกยายฟังไม่ทัน"): no subject was cut from it.
        whole = bool(own.places) or TOPIC in own.tokens or all(_closed(p, brain) for p in pieces[:-1])
        needed = brain.kb.settings.answer_threshold if whole else brain.kb.settings.sure_threshold
        return alone if alone.kind == "answer" and alone.score >= needed else miss
    # The scene lends its places and years; its other words are the asker's life ("my yai lives in
    # Chiang Rai"), and the question follows up only what the knowledge base knows of it.
    known = tuple(t for t in setting.tokens if t in brain.index.idf or t in brain.lexicon.light)
    again = _answer_read(own, brain, replace(setting, tokens=known))
    return again if again.kind == "answer" else miss


#: The marks that end a sentence, or a heading before one.
_SENTENCE_MARKS = (".", "!", "?", "？", ":")


def _closed(piece: str, brain: Brain) -> bool:
    """Whether a piece of a message ends a sentence: with a mark, or a Thai particle that closes one."""
    text = piece.rstrip()
    if text.endswith(_SENTENCE_MARKS):
        return True
    words = brain.index.reader.words(text)
    return bool(words) and words[-1] in brain.kb.settings.endings


def _asks(text: str, brain: Brain) -> bool:
    """Whether a piece of a message is a question of its own: it has a question word or is a yes/no question."""
    return _questions(brain.index.reader.read(text))


def _questions(query: Query) -> bool:
    """Whether a reading asks something: a question word, or a yes/no question."""
    return bool(query.asks) or "yesno" in query.cues


def _joined(replies: list[Reply], brain: Brain) -> Reply:
    """One reply answering each part of a message in turn, citing every source once."""
    first, last = replies[0], replies[-1]
    sources = tuple(dict.fromkeys(s for r in replies for s in r.sources))
    tail = _sources_line(first.sources_label, sources)
    body = fit("\n\n".join(dict.fromkeys(r.body for r in replies)), 4096 - len(tail))
    return replace(first, body=body, text=body + tail, sources=sources, score=min(r.score for r in replies),
                   cities=tuple(dict.fromkeys(c for r in replies for c in r.cities)), context=last.context)


def _partly(replies: list[Reply], unanswered: list[str], brain: Brain) -> Reply:
    """The answers to the parts of a message that were understood, then a line for each part that
    was not: an honest reply to a message the sources cover only in part."""
    answered = _joined(replies, brain)
    unknown = [brain.kb.string("part_unknown", answered.lang).format(part=fit(_quoted(piece, brain), MAX_QUOTED))
               for piece in unanswered]
    tail = answered.text[len(answered.body):]
    body = fit("\n\n".join([answered.body, *unknown]), 4096 - len(tail))
    return replace(answered, body=body, text=body + tail)


def _quoted(piece: str, brain: Brain) -> str:
    """A part of a message as it is quoted back: without the word that joined it to the part before
    ("and what is its population?" is "what is its population")."""
    text = piece.strip(" ,.?？!;")
    for joiner in sorted(brain.kb.settings.cues.get("split", ()), key=len, reverse=True):
        if text.casefold().startswith(joiner.casefold()) and len(text) > len(joiner):
            rest = text[len(joiner):]
            if not joiner.isascii() or rest[:1].isspace():
                return rest.strip()
    return text


def _missed(reply: Reply) -> bool:
    """A reply that understood nothing (not a don't-know an entry gives, such as "the next host is
    not in my sources", which is an answer in its own right)."""
    return reply.kind == "fallback" and reply.entry is None


def _answer_one(question: str, brain: Brain, context: Query | None = None) -> Reply:
    """The reply to one question (a part of a message that asks several, or a preface's question)."""
    return _answer_read(brain.index.reader.read(question), brain, context)


def _answer_read(query: Query, brain: Brain, context: Query | None = None) -> Reply:
    """The reply to one question, already read."""
    if query.empty:
        return replace(_smalltalk_text(brain, query.lang, brain.kb.string("empty", query.lang)), context=context)
    query = followup.own_step(query, brain.index.reader.cues, brain.timeline)
    if context is not None and context.answered and followup.asks_source(query, brain.index.reader.cues, brain.lexicon):
        # "source?": the last answer again, which names its sources.
        again = _last_again(context, query.lang, brain)
        if again is not None:
            return again
    reply = decide(query, brain)
    if len(query.years) >= 2 and (each := _each_year(reply, query, brain)) is not None:
        reply = each
    alone, own = query, reply
    if context is not None:
        reader = brain.index.reader
        readings = followup.merge(context, query, brain.lexicon, reader.cues, reader.asks,
                                  known=brain.index.idf.__contains__, timeline=brain.timeline)
        bare = followup.bare(query, brain.lexicon)
        # Only a miss is read again against the context, or a weak small-talk reading of a question
        # ("เมืองอะไรบ้าง" is not "what can you do?"), or one that points back ("what are they" is
        # not "what are you").
        missed = _missed(reply) or (
            reply.kind == "smalltalk" and _questions(query) and (
                bool(query.asks) and reply.score < brain.kb.settings.sure_threshold or "refer" in query.cues)) or (
            # "next one?" after the round after 2020 is the round after that, not the next intake.
            reply.kind == "fallback" and bare and followup.steps(context, query, reader.cues, brain.timeline)) or (
            # "joined when?" after Sukhothai's kind only looks like the next round's don't-know: it
            # says none of that entry's own words ("next", "upcoming").
            reply.kind == "fallback" and reply.entry is not None and bare
            and not _says_keyword(query, brain.kb.entry(reply.entry), brain))
        # "กี่ประเทศ" after the network's size, whose answer says "425 เมืองใน 91 ประเทศ": a bare count of
        # what the last answer just counted is answered there, not by the entry that counts it alone
        # (the 2024 intake's 35 countries).
        if reply.kind == "answer" and bare and "count" in query.asks and reply.entry != context.answered \
                and not query.places and not query.years and not query.others \
                and (again := _last_again(context, query.lang, brain)) is not None \
                and _counts_stated(query, again.body, brain):
            return again
        # A bare message answered alone by the entry the conversation is on ("how many cities?" after
        # the network's size) already says what was meant: merging would only add noise.
        staying = reply.kind == "answer" and reply.entry == context.answered and _fixed(reply.entry, brain)
        # Answered alone over the city table, after a written-out answer: the rules below weigh it.
        table_after_faq = reply.kind == "answer" and reply.entry in table.TABLE_INTENTS \
            and _fixed(context.answered, brain)
        # A question over the city table that names Thailand's cities joining ("Which Thai city was the
        # first to join the GNLC?" after who runs it) is its own: the written-out answer before it has
        # no rows to take it into. ("มีเมืองไทยไหม" after the award only names them: did one win?)
        # Nor is a question of a named place's kind ("ขอนแก่นเป็นเทศบาลนครใช่ไหม" after the award).
        staying = staying or table_after_faq and (
            not query.places and not query.years
            and all(any(t in words for t in query.tokens) for words in (table.THAI_WORDS, table.CITY_WORDS, table.JOIN_WORDS))
            or bool(query.places) and bool(query.cues & table.KIND_CUES))
        # A written-out answer that fits surely ("what is a learning city?" after Yala's year) is not
        # given up for a reading that only composes the last answer over the table again.
        # But "is it a learning city?" after Phuket asks whether *Phuket* is one, not what one is: a
        # yes/no question about "it" is answered over the table for the place the chat named.
        # So is "what kind of member?": a member's kind is the table's, of the place the chat named.
        about_place = not query.places and (
            "refer" in query.cues and table.asks_yes_or_no(query, query.tokens, brain.lexicon)
            or bool(query.cues & table.KIND_CUES) and all(t in brain.lexicon.light for t in query.tokens))
        sure = reply.kind == "answer" and _fixed(reply.entry, brain) and reply.score >= brain.kb.settings.sure_threshold \
            and not _fixed(context.answered, brain) and not about_place
        if "switch" in query.cues:
            readings = []       # "on a different note, ...": the message says it is not a follow-up
        # "which of them came first?" after the conferences: alone it reads as Thailand's first member,
        # but "them" are what the last answer listed, unless the message says members or Thailand.
        listed = table_after_faq and not query.places and not query.years \
            and not any(t in table.CITY_WORDS or t in table.THAI_WORDS for t in query.tokens)
        if readings and (missed or (reply.kind == "answer" and bare and not staying)):
            for merged in readings:
                if reply.kind == "answer" and merged.places == alone.places and merged.years == alone.years \
                        and set(merged.tokens) <= set(alone.tokens) and not alone.cues - followup.PLAIN_CUES:
                    # "how many is that?" after the Thai members, read with nothing of the last question,
                    # is only the network's size again: what it says too little to mean alone. ("แล้ว
                    # ทั่วโลกล่ะ" says "worldwide", which is its own.)
                    continue
                again = _in_conversation(decide(merged, brain), merged, alone, context, brain)
                top = next(iter(rank(merged, brain.index, limit=1)), None) if listed and again.kind != "answer" else None
                if top is not None and top.entry.id == context.answered \
                        and top.score >= brain.kb.settings.suggest_threshold - brain.kb.settings.margin:
                    reply, query = reply_for(top.entry, merged, brain, score=top.score), merged
                    break
                if sure and again.entry == context.answered and merged.places == context.places:
                    continue
                if reply.kind == "answer" and again.entry == context.answered and again.score < reply.score \
                        and again.score < brain.kb.settings.answer_threshold + brain.kb.settings.margin and not listed:
                    # "เป็นสมาชิกแล้วได้อะไรบ้าง" after how to apply: its "แล้ว" is "once", not "and";
                    # answered alone by another entry, it is not the last answer again, less surely.
                    # ("แล้วครั้งแรกเล่าคะ" after the conferences names no members: it is the first of those.)
                    continue
                if again.kind == "answer" or reply.kind != "answer":
                    reply, query = again, merged
                if again.kind == "answer":
                    break
        elif readings and reply.kind == "answer" and followup.points_back(query):
            # "who announced it?" after a question about the 2025 intake is understood alone, but
            # "it" is that intake: the reading with the context's names wins when it is answered by
            # an entry the message alone could mean ("that round" always points back).
            # (An entry of another series that the message alone came clearly further from is not one:
            # "in what other capacity did he announce it?" after who announced the 2024 news is not
            # about the 2024 intake itself.)
            own_entry = brain.kb.entry(reply.entry or "")
            plausible = {reply.entry, *(m.entry.id for m in rank(query, brain.index, limit=3)
                                        if m.score >= reply.score - brain.kb.settings.margin
                                        or own_entry is None or own_entry.series is None
                                        or m.entry.series == own_entry.series)}
            taken = [(again, merged) for merged in readings
                     if (again := _in_conversation(decide(merged, brain), merged, query, context, brain)).kind == "answer"
                     and (again.entry in plausible or query.cues & {"then", "same"}
                          or about_place and bool(merged.places) and not _fixed(again.entry, brain))]
            if taken:
                # Of readings answered alike, the one borrowing fewest names: "who announced it?"
                # is about the news of that year, not about its three cities.
                first = taken[0][0].entry
                reply, query = min(((r, m) for r, m in taken if r.entry == first), key=lambda rm: len(rm[1].places))
        # "and for the 2025 batch?" after who announced the 2024 news is answered alone by that intake,
        # but says nothing of its own beyond the round: it asks the same of it.
        of_round = reply.kind == "answer" and reply.entry != context.answered and "continue" in query.cues \
            and all(t in brain.lexicon.light for t in query.tokens)
        if (reply.kind != "answer" and not _elsewhere(query, context, brain) or of_round) \
                and bare and query.years and not query.places and not query.others \
                and (sibling := _sibling(context.answered, query.years, brain)) is not None:
            # "รอบธันวา 68 ล่ะ" after who announced Khon Kaen's news: the same question of that year's round
            # (but "total network size after that?" after the 2024 intake is about the network's size).
            query = replace(context, text=query.text, lang=query.lang, places=(), years=query.years,
                            tokens=tuple(t for t in context.tokens if t != CITY) + (YEAR,) * len(query.years))
            reply = reply_for(sibling, query, brain, score=reply.score)
        # Neither borrows a question for a message that names what the sources do not speak of ("whats
        # the population of satun" after who announced the 2025 round): `decide` refused it already.
        if bare and alone.places and not alone.years and not alone.others \
                and (sibling := _place_sibling(alone, context, brain)) is not None \
                and (reply.kind != "answer" or reply.entry in table.TABLE_INTENTS):
            # "And for Satun?" after who announced Khon Kaen's news: the same question of the round
            # that place joined in, not when it joined.
            years = tuple(sibling.years)
            query = replace(context, text=alone.text, lang=alone.lang, places=alone.places, years=years)
            reply = reply_for(sibling, query, brain, score=max(reply.score, brain.kb.settings.answer_threshold))
        if reply.kind == "answer" and (redated := _redated(alone, query, reply, context, brain)) is not None:
            reply, query = redated
        # "Which cities received it in 2024?" after whether a Thai city has won the award: alone, a
        # question over the city table, but "it" cannot be a member when the last answer named none.
        dangling = reply.kind == "answer" and reply.entry in table.TABLE_INTENTS and "refer" in alone.cues \
            and not alone.places and not (context.places or context.named) and _fixed(context.answered, brain)
        last = brain.kb.entry(context.answered or "") if _missed(reply) or dangling else None
        more = followup.elaboration(context, alone, brain.lexicon, brain.index.idf.__contains__) if last else None
        if more is not None and last is not None:
            # Staying on the entry just answered (or one it lists as related) needs only the score
            # a suggestion needs: the conversation has already said what it is about.
            ranked = rank(more, brain.index, limit=2)
            top = ranked[0] if ranked else None
            # ...unless the message alone came clearly closer to another entry, which it was offered ("who
            # make this network?" after what a learning city is).
            # A message that points back with one of the entry's own keywords ("what was his position
            # at the time?" after who announced the news) needs a little less.
            floor = _stay_floor(alone, last, brain)
            if top is not None and top.entry.id in (last.id, *last.follow_up) \
                    and top.score >= floor and not _tied(ranked, _near(last, brain)) \
                    and not (own.suggestions and own.score > top.score + brain.kb.settings.margin):
                reply, query = reply_for(top.entry, more, brain, score=top.score), more
        if _missed(reply) and not reply.suggestions and own.suggestions:
            # A reading against the context that understood nothing does not take away the choices
            # the message alone was offered.
            reply, query = own, alone
        # "since when?" after how many members Thailand has now: the count holds since the date its
        # answer is given as of, which that answer states.
        since = "count" in context.asks and context.present and not context.places \
            and alone.asks == {"when"} and "since_when" in alone.cues and bare
        # "are you sure? I read 2020 somewhere", "ขอที่มาด้วยนะคะ จะได้ใส่อ้างอิง": a doubt or a request for
        # the source, with words of its own that answer nothing: the last answer again, which says what
        # the sources say and names them.
        if _missed(reply) and context.answered and (since or "source" in alone.cues) \
                and (again := _last_again(context, query.lang, brain)) is not None:
            return again
    # A "did you mean" was nearly understood: the places and years it named are what the
    # conversation is about ("รอบก่อนหน้านั้นล่ะ" after it steps from its year), though no answer was given.
    named = reply.kind == "fallback" and bool(reply.suggestions) and bool(query.places or query.years)
    return replace(reply, context=followup.remember(query, reply.cities, brain.kb, reply.body, reply.entry, context)
                   if reply.kind == "answer" or named else context)


def _last_again(context: Query, lang: Lang, brain: Brain) -> Reply | None:
    """The last answer given again, in the language of the message that asks for it; None when the
    last question is no longer answered."""
    again = decide(replace(context, lang=lang), brain)
    entry = brain.kb.entry(context.answered or "")
    if entry is not None and entry.kind == "faq" and not entry.unknown and again.entry != entry.id \
            and lang != context.lang:
        # A written-out answer is the same in the other language, though the words of the question,
        # read in that language, would not find it ("and how many countries was that?" after "รอบนั้น
        # ทั้งโลกได้กี่เมือง").
        again = reply_for(entry, replace(context, lang=lang), brain, score=brain.kb.settings.answer_threshold)
    return replace(again, context=context) if again.kind == "answer" else None


def _counts_stated(query: Query, body: str, brain: Brain) -> bool:
    """Whether an answer states a number of each thing a count question asks for ("91 ประเทศ" for
    "กี่ประเทศ"): then that answer already holds the count."""
    # Asked plainly: "how many Thai members in total now?" after the 2025 intake's three asks a count
    # of its own, of Thailand's members today.
    if query.present or query.cues - followup.PLAIN_CUES - {"onward", "split"} \
            or any(t in table.THAI_WORDS for t in query.tokens):
        return False
    said = brain.index.reader.read(body, claims=False).tokens
    after_number = {t for n, t in pairwise(said) if n.isdigit()}
    return any(t in after_number for t in query.tokens) \
        and all(t in after_number or t in brain.lexicon.light for t in query.tokens)


def _in_conversation(reply: Reply, merged: Query, query: Query, context: Query, brain: Brain) -> Reply:
    """A follow-up's reading weighed as part of the conversation, which has already said what it is
    about: the entry that answered last needs only the score a suggestion needs ("กี่เมือง" after the
    cities of 2022), and a year taken from the conversation ("that round", or none said) prefers the
    entry about that year's round to one about no year ("รอบนั้นมีกี่เมืองทั่วโลก" is the intake's 72,
    not the network's size today)."""
    settings, kb = brain.kb.settings, brain.kb
    last = kb.entry(context.answered or "")
    # The best two readings of a "did you mean", ranked once for every rule below that weighs them.
    ranked = rank(merged, brain.index, limit=2) if reply.kind != "answer" and reply.suggestions else []
    if reply.kind != "answer" and reply.suggestions and reply.score >= settings.suggest_threshold and last is not None:
        offered = kb.entry(reply.suggestions[0].entry)
        # ...or its sibling for the year the follow-up names ("รอบธันวา 68 ล่ะ" after who announced 2024's news)
        # But not when another entry fits as well: "total network size after that?" after the 2024
        # intake is torn between that intake and the network's size, and its own words are the size's.
        if offered is not None and offered in (last, _sibling(last.id, merged.years, brain)) \
                and not _tied(ranked, _near(last, brain)):
            return reply_for(offered, merged, brain, score=reply.score)
    if reply.kind != "answer" and last is not None and followup.points_back(query) and _says_keyword(query, last, brain):
        # "ตอนนั้นท่านเป็นรัฐมนตรีกระทรวงอะไร" after who announced the news: pointing back with one of the
        # entry's own keywords, a reading that the entry the chat is on fits best needs a little less
        # than a suggestion (as `elaboration` does).
        best = ranked or rank(merged, brain.index, limit=2)
        if best and best[0].entry is last and not _tied(best, _near(last, brain)) \
                and best[0].score >= _stay_floor(query, last, brain):
            return reply_for(last, merged, brain, score=best[0].score)
    answered = kb.entry(reply.entry or "")
    if reply.kind == "answer" and last is not None and answered is not last and followup.points_back(query) \
            and (close := next((m for m in rank(merged, brain.index, limit=3) if m.entry is last), None)) is not None \
            and close.score >= max(settings.answer_threshold, reply.score - 2 * settings.margin):
        # "in what other capacity did he announce it?" after who announced the 2024 news: pointing back,
        # nearly as close to the entry the conversation is on as to any other, it stays there.
        return reply_for(last, merged, brain, score=close.score)
    # A year the message borrowed ("that round", or none said), and no bound on it ("after that").
    # ("ตอนนั้น", "at that time" is "as of then" as well as "then": no bound of its own.)
    bounds = table.BOUND_CUES - ({"until"} if "then" in query.cues else set())
    borrowed = bool(merged.years) and ("then" in query.cues or not query.years) and not query.cues & bounds
    if reply.kind == "answer" and borrowed and answered is not None and answered.kind == "faq" and not answered.years \
            and answered is not last:
        # (An answer that stays on the entry the conversation is on is not drawn to the round:
        # "in what other capacity did he announce it?" after who announced the 2024 news.)
        # "that round" names the round itself, so its entry needs a little less than a suggestion's score.
        floor = settings.suggest_threshold - (settings.margin if "then" in query.cues else 0.0)
        dated = next((m for m in rank(merged, brain.index, limit=4) if set(m.entry.years) & set(merged.years)
                      and m.score >= floor), None)
        if dated is not None:
            return reply_for(dated.entry, merged, brain, score=dated.score)
    if reply.kind == "fallback" and borrowed and "then" in query.cues and reply.suggestions:
        # "รอบนั้นทั้งโลกรับกี่เมือง" after Tak: torn between that round and the network's size, the
        # round the conversation named wins.
        top = ranked[0] if ranked else None
        if top is not None and set(top.entry.years) & set(merged.years) and top.score >= settings.suggest_threshold:
            return reply_for(top.entry, merged, brain, score=top.score)
    # "total network size after that?": a question of its own, at the time the conversation is at,
    # that one entry fits far better than any other.
    if reply.kind == "fallback" and "then" in query.cues and not query.years and len(reply.suggestions) == 1 \
            and ranked and ranked[0].score >= settings.suggest_threshold and not _unfit(ranked[0], merged) \
            and (len(ranked) < 2 or ranked[1].score <= ranked[0].score - 2 * settings.margin):
        return reply_for(ranked[0].entry, merged, brain, score=ranked[0].score)
    return reply


def _stay_floor(query: Query, last: Entry, brain: Brain) -> float:
    """The score a reading needs to stay on the entry the conversation is on: a suggestion's, or a
    little less when the message points back with one of that entry's own keywords."""
    settings = brain.kb.settings
    return settings.suggest_threshold - (
        settings.margin if followup.points_back(query) and _says_keyword(query, last, brain) else 0.0)


def _tied(ranked: list[Match], staying: Iterable[str]) -> bool:
    """Whether an entry the conversation is not on fits a follow-up as well as the best: then the
    conversation does not decide for the entry it is on ("total network size after that?" after
    the 2024 intake is torn between that intake and the network's size). `staying` holds the ids
    the conversation would stay on."""
    return len(ranked) == 2 and ranked[1].entry.id not in staying and ranked[1].score >= ranked[0].score - TIE


def _elsewhere(query: Query, context: Query, brain: Brain) -> bool:
    """Whether a follow-up's reading points at an entry away from the one the conversation is on,
    as well as a suggestion needs."""
    last = brain.kb.entry(context.answered or "")
    top = next(iter(rank(query, brain.index, limit=1)), None)
    return last is not None and top is not None and top.entry.id not in _near(last, brain) \
        and top.score >= brain.kb.settings.suggest_threshold


def _near(entry: Entry, brain: Brain) -> set[str]:
    """The entries a conversation on `entry` stays near: itself, its series and those it lists as related."""
    return {entry.id, *(e.id for e in _series(entry, brain)), *entry.follow_up}


def _redated(query: Query, read: Query, reply: Reply, context: Query, brain: Brain) -> tuple[Reply, Query] | None:
    """A question that names no time, answered by an entry about one year, after a question about
    another year (or read against it as stepping to another: "and the one before?"). Thai drops the
    subject, and "ประกาศเมื่อเดือนใด" after the newest members asks when *that* intake was announced.
    The entry of the same series for that year (faq.yaml `series`) answers it instead. `query` is
    the message read alone, `read` the reading that was answered."""
    # A scene set before the question ("...กรณีเทศบาลเมืองตาก") names a member, not a year: its year.
    then = read.years or context.years or context.named_years \
        or tuple(sorted({c.joined for c in brain.kb.cities for p in context.places if p.city_id == c.id}))
    entry = brain.kb.entry(reply.entry or "")
    # "แล้วปีล่าสุดล่ะ", "and now?": the latest, the first or today are no year of the conversation's.
    if not then or query.places or query.years or query.others or entry is None or entry.series is None \
            or set(entry.years) & set(then) or query.present or query.cues & followup.END_CUES:
        return None
    sibling = _sibling(entry.id, then, brain)
    if sibling is None:
        # "who announced it?" after Phuket (2020): the series has no entry for that year, and the
        # 2024 announcer would be a confident wrong answer; it is offered as a choice instead.
        match = Match(entry, reply.score, "")
        return _fallback(brain, query, [match], reply.score), context
    dated = replace(query, tokens=query.tokens + (YEAR,) * len(then), years=then)
    return reply_for(sibling, dated, brain, score=reply.score), dated


def _series_end(entry: Entry, query: Query, brain: Brain) -> Entry | None:
    """The first or the latest entry of `entry`'s series, when a question that names no year asks
    for the first or the latest ("the latest round", "รอบแรก"); None otherwise."""
    ends = query.cues & {"earliest", "newest"}
    if entry.series is None or query.years or len(ends) != 1 or query.cues & table.BOUND_CUES:
        return None
    series = [e for e in _series(entry, brain) if e.years]
    pick = max if "newest" in ends else min
    return pick(series, key=lambda e: max(e.years) if "newest" in ends else min(e.years), default=None)


def _each_year(reply: Reply, query: Query, brain: Brain) -> Reply | None:
    """One answer per year for a question comparing rounds ("how many cities were admitted in the 2024
    intake and in the December 2025 intake?"): the entry about one round, and its siblings about the
    others, in turn. None unless every year named has its own entry in that series."""
    settings = brain.kb.settings
    entry_id = reply.entry if reply.kind == "answer" else (
        reply.suggestions[0].entry if reply.suggestions and reply.score >= settings.suggest_threshold else None)
    entry = brain.kb.entry(entry_id or "")
    if entry is None or entry.series is None or not entry.years or entry.kind != "faq":
        return None
    if reply.kind == "answer" and set(query.years) <= set(followup.years_in(reply.body)):
        return None     # the answer already speaks of every year (who announced 2024's news names 2025's too)
    siblings = [_sibling(entry.id, (year,), brain) for year in sorted(query.years)]
    each = list({e.id: e for e in siblings if e is not None}.values())     # in year order, once each
    if len(each) < len(siblings) or len(each) < 2:
        return None
    score = max(reply.score, settings.answer_threshold)
    return _joined([reply_for(e, query, brain, score=score) for e in each], brain)


def _round_of_places(entry: Entry, query: Query, brain: Brain) -> Entry | None:
    """The entry of `entry`'s series about the round every member a question names joined in, when
    the question names no year and `entry` is about another round; None otherwise."""
    if entry.series is None or not entry.years or query.years:
        return None
    year = _joined_together(query.places, brain)
    return _sibling(entry.id, (year,), brain) if year is not None and year not in entry.years else None


def _place_sibling(query: Query, context: Query, brain: Brain) -> Entry | None:
    """The entry of the last answer's series (a written-out answer about one round) for the round
    the places a follow-up names joined in; None when they joined in different rounds, or when the
    last answer was no such entry."""
    last = brain.kb.entry(context.answered or "")
    if last is None or last.kind != "faq" or last.series is None or not last.years:
        return None
    year = _joined_together(query.places, brain)
    return _sibling(last.id, (year,), brain) if year is not None else None


def _joined_together(places: tuple[PlaceRef, ...], brain: Brain) -> int | None:
    """The year every place named joined in, when each is a member and all joined in one year."""
    joined = {c.id: c.joined for c in brain.kb.cities}
    years = {joined.get(p.city_id or "") for p in places}
    return next(iter(years)) if len(years) == 1 else None


def _sibling(entry_id: str | None, years: tuple[int, ...], brain: Brain) -> Entry | None:
    """The entry of the same series (faq.yaml `series`) as `entry_id` that is about one of `years`."""
    entry = brain.kb.entry(entry_id or "")
    if entry is None:
        return None
    return next((e for e in _series(entry, brain) if set(e.years) & set(years)), None)


def _series(entry: Entry, brain: Brain) -> list[Entry]:
    """The entries of `entry`'s series (faq.yaml `series`), in the knowledge base's order; none if it has none."""
    return [e for e in brain.kb.entries if e.series == entry.series] if entry.series is not None else []


def _says_keyword(query: Query, entry: Entry | None, brain: Brain) -> bool:
    """Whether a question uses one of an entry's keywords (what makes its don't-know the honest reply)."""
    keywords = next((kws for e, kws in zip(brain.index.entries, brain.index.keywords) if e is entry), ())
    return any(mentions(query.tokens, kw) for kw in keywords)


def _round_before(year: int, query: Query, brain: Brain) -> Reply | None:
    """The answer about the round before `year`'s, for a question about the time before that round
    ("how big was the network before the 2025 intake?": as the 2024 intake left it); None when no
    entry about that round, or about no round, answers it. (The city table reads "before" itself: "Thai
    members before 2025".)"""
    earlier = max((y for y in brain.timeline if y < year), default=None)
    if earlier is None:
        return None
    reply = decide(replace(query, years=(earlier,), cues=query.cues - {"before"}), brain)
    entry = brain.kb.entry(reply.entry or "")
    return reply if reply.kind == "answer" and entry is not None and (earlier in entry.years or not entry.years) else None


def _fixed(entry_id: str | None, brain: Brain) -> bool:
    """Whether an entry's answer is written out, the same whatever places or years a question names."""
    entry = brain.kb.entry(entry_id or "")
    return entry is not None and entry.kind == "faq"


def timeline(kb: KnowledgeBase) -> tuple[int, ...]:
    """The years the knowledge base has events in: its intakes and the years its members joined."""
    return tuple(sorted({*(c.joined for c in kb.cities), *(i.year for i in kb.intakes)}))


def decide(query: Query, brain: Brain) -> Reply:
    """Answer, offer choices or admit ignorance, for one reading of a question."""
    # Typos read as the words they stand for, unless the table knows the word as typed ("เพิ่ง"
    # is a cue word, not a slip for "เพิ่ม").
    resegmented = resegment(query.tokens, brain.index)
    tokens = [t if table.explained(t, brain.lexicon) else fixed
              for t, (fixed, _) in zip(resegmented, correct(resegmented, brain.index))]
    if query.asks == {"why"} and not query.places and not query.years and len(query.tokens) <= 3 \
            and TOPIC not in query.tokens and all(t in brain.lexicon.light for t in query.tokens):
        # "why?", "อ้าว ทำไมอะ": a bare why asks the reason for what was just said, which no entry
        # gives; the entries whose phrasings open with "why" only look close.
        return _fallback(brain, query, [], 0.0)
    over_table = table.read(query, tokens, brain.kb, brain.lexicon)
    if over_table is not None:
        composed, entry_id = table.compose(over_table, brain.kb, query.lang)
        return _composed_reply(composed, entry_id, query, brain, score=TABLE_SCORE)
    if len(query.years) == 1 and {"before", "intake"} <= query.cues and not query.places \
            and (earlier := _round_before(query.years[0], query, brain)) is not None:
        return earlier
    matches = rank(query, brain.index, limit=brain.kb.settings.max_suggestions + 1)
    settings = brain.kb.settings
    if matches and matches[0].entry.kind == "smalltalk" and TOPIC in query.tokens and _questions(query):
        # "who make this network?": a question that names the network is about it, not about the bot
        # ("who are you?"), however few its other words.
        matches = [m for m in matches if m.entry.kind != "smalltalk"]
    if "how" in query.asks and matches and not matches[0].entry.unknown and matches[0].score >= settings.answer_threshold:
        # "how can a city apply in the next round?" asks how, which the entry ahead says; that the
        # round's date is unknown is no answer to it, nor a rival.
        matches = [matches[0], *(m for m in matches[1:] if not m.entry.unknown)]
    # "Where will the next conference be held?" also fits the past conferences well; when a close
    # match is an entry that says what the sources do not know, and the question uses one of its
    # keywords ("next"), the honest reply wins over a confident one about something else.
    honest = next((m for m in matches if m.entry.unknown and m.score >= settings.suggest_threshold
                   and _says_keyword(query, m.entry, brain)
                   # ...close: a sure answer far ahead of it is what was asked ("where should we watch for
                   # the next call?" is how to apply, whatever its "next")
                   and not (matches[0].score >= settings.sure_threshold
                            and matches[0].score - m.score > HONEST_GAP)
                   # ...and about what the answer ahead of it is about: the next conference's unknown
                   # date is no reply to where a city should watch for the next round of applications
                   # (a sure one: "who will win the next award?" is still better not answered with the past)
                   and (matches[0] is m or matches[0].score < settings.sure_threshold
                        or _related(matches[0].entry, m.entry, brain))), None)
    if honest is not None:
        return reply_for(honest.entry, query, brain, score=honest.score)
    top = matches[0] if matches else None
    if top is not None and top.entry.id in (table.LISTING, table.COUNT) and len(query.places) == 1 \
            and "yesno" in query.cues and all(c.id != query.places[0].city_id for c in brain.kb.cities) \
            and (status := brain.kb.entry(table.STATUS)) is not None:
        # "ในรายชื่อเมืองไทย... มีนครศรีธรรมราชอยู่ด้วยหรือเปล่า": whether one place is on the list of
        # members is that place's status, not the list, which leaves the asker to look for it.
        top = replace(top, entry=status)
        matches = [top, *matches[1:]]
    # "how many joined worldwide in the latest round?": the series' last entry; "ข่าวตาก ระยอง สตูล
    # ประกาศในไทยวันไหน": the news of the round those places joined in. Either is given whichever
    # year's wording came closest, and its siblings are no rivals.
    for pick in (_series_end, _round_of_places):
        chosen = pick(top.entry, query, brain) if top is not None else None
        if top is not None and chosen is not None:
            matches = [replace(top, entry=chosen), *(m for m in matches[1:] if m.entry.series != chosen.series)]
            top = matches[0]
    # "How many cities worldwide joined in 2022?": an answer that never speaks of the year asked
    # about (the network's size today, and after 2020 and 2024) would answer another question; it
    # is offered, not given.
    unfit = top is not None and _unfit(top, query)
    # (The number of a list item is looked for only when a number is unsaid: it reads the rest again.)
    if top is not None and top.score >= settings.answer_threshold and not unfit \
            and not (_numbers_unsaid(query, top.entry) and _numbers_unsaid(query, top.entry, _item_number(query, brain))):
        reply = reply_for(top.entry, query, brain, score=top.score)
        if clear_winner(top.score, runner_up(matches), settings.margin, settings.sure_threshold) \
                or covers_rival(reply, matches, query, brain):
            return reply
    suggestions = [m for m in matches if m.score >= settings.suggest_threshold and m.entry.kind != "smalltalk"]
    return _fallback(brain, query, suggestions[: settings.max_suggestions], top.score if top else 0.0)


def _related(one: Entry, other: Entry, brain: Brain) -> bool:
    """Whether two entries are about the same thing: either stays near the other (`_near`)."""
    return other.id in _near(one, brain) or one.id in _near(other, brain)


def _unfit(match: Match, query: Query) -> bool:
    """Whether a match cannot use the year the question names and its answer never speaks of it."""
    answer = match.entry.answer
    return bool(query.years) and not match.fits and answer is not None \
        and not set(query.years) & set(followup.years_in(f"{answer.th} {answer.en}"))


def _numbers_unsaid(query: Query, entry: Entry, item: int | None = None) -> bool:
    """Whether the question names a small number its written-out answer never states: "what is
    SDG 5?" is not answered by the text about SDG 4 and SDG 11, however close its words are.
    The number of the asker's own list item (`item`, see `_item_number`) asks nothing."""
    if entry.answer is None:
        return False
    text = " ".join(entry.answer.get(lang) for lang in ("th", "en"))
    # A count of things ("the news of 3 new cities") describes, it does not ask.
    counted = {i for i, t in enumerate(query.tokens[1:]) if t in _COUNTED}
    return any(t.isdigit() and len(t) <= 3 and i not in counted and i != item and not re.search(rf"(?<!\d){t}(?!\d)", text)
               for i, t in enumerate(query.tokens))


#: A message that opens with the number of the asker's own list item: "ข้อ 1 ...", "Q7: ...", "3) ...".
_ITEM = re.compile(r"\s*(?:(?:ข้อที่|ข้อ|q|question|no\.?|#)\s*\d{1,2}\b\s*[.:)]?|\d{1,2}\s*[.:)])\s*\S", re.IGNORECASE)


def _item_number(query: Query, brain: Brain) -> int | None:
    """The index among the tokens of a number that only numbers the asker's list ("ข้อ 1 GNLC ย่อมาจาก
    อะไร", "Q8: which city hosted the 2017 conference?"), or None. The rest must ask something of
    its own: in "ข้อ 11 คือเรื่องอะไร" after the SDGs, and in "ข้อ 5 คืออะไร", the number is asked about."""
    item = _ITEM.match(query.text)
    if item is None:
        return None
    at = next((i for i, t in enumerate(query.tokens) if t.isdigit()), None)
    if at is None or at > 1:
        return None
    # It names what it asks about (the network, a place, a year) and is surely answered alone.
    own = brain.index.reader.read(query.text[item.end() - 1:])
    if not (TOPIC in own.tokens or own.places or own.years):
        return None
    rest = decide(own, brain)
    return at if rest.kind == "answer" and rest.score >= brain.kb.settings.sure_threshold else None


def answer_entry(entry_id: str, question: str, brain: Brain, *, lang: Lang | None = None) -> Reply | None:
    """Answer a question with an entry the user chose (a "did you mean" button), or None if it is gone.

    `lang` is the language to use when the question itself has no letters to tell (a command).
    """
    entry = brain.kb.entry(entry_id)
    if entry is None:
        return None
    query = brain.index.reader.read(question)
    if lang is not None and query.empty:
        query = replace(query, lang=lang)
    if ("city" in entry.slots and not query.places) or ("year" in entry.slots and not query.years):
        return None
    reply = reply_for(entry, query, brain, score=1.0)
    return replace(reply, context=followup.remember(query, reply.cities, brain.kb, reply.body, reply.entry)
                   if reply.kind == "answer" else None)


def covers_rival(reply: Reply, matches: list[Match], query: Query, brain: Brain) -> bool:
    """Whether the top reply already carries every fact the close rival's reply would give.

    Two readings of a question can be close and still agree: "how many cities joined in 2024" fits
    both the 2024 intake and the Thai cities of 2024, and each reply states the 64 cities, the
    35 countries, the date and the three Thai cities. When the rival's facts (its numbers of two
    digits or more, and the member cities it names) are all in the top reply, whichever was meant
    is answered, so the closeness is no reason to hold the answer back.
    """
    other = rival(matches)
    if other is None or reply.kind != "answer" or other.entry.kind == "smalltalk":
        return False
    alternative = reply_for(other.entry, query, brain, score=other.score)
    if alternative.kind != "answer":
        return False
    wanted = facts(alternative.body, brain.kb)
    return bool(wanted) and wanted <= facts(reply.body, brain.kb)


def facts(text: str, kb: KnowledgeBase) -> frozenset[str]:
    """The checkable facts of a reply: its numbers of two digits or more and the member cities it names.

    >>> from bot.knowledge import load
    >>> sorted(facts("In 2024, 3 Thai cities joined: Bangkok and Yala (64 in all, one intake).", load()))
    ['2024', '64', 'bangkok', 'yala']
    """
    folded = text.casefold()
    numbers = set(_NUMBER.findall(folded))
    # English names as whole words ("Tak" is not in "intake"); Thai has no spaces to bound a word.
    names = {city.id for city in kb.cities
             if city.short.th in text or re.search(rf"\b{re.escape(city.short.en.casefold())}\b", folded)}
    return frozenset(numbers | names)


def clear_winner(top: float, second: float, margin: float, sure_at: float) -> bool:
    """The top score is far enough ahead of its rival, or high enough on its own; `tune` weighs
    candidate thresholds with this same rule."""
    return top - second >= margin or top >= sure_at


def reply_for(entry: Entry, query: Query, brain: Brain, *, score: float) -> Reply:
    kb, lang = brain.kb, query.lang
    if entry.kind == "smalltalk":
        assert entry.answer is not None
        return _smalltalk_text(brain, lang, entry.answer.get(lang), entry=entry.id, score=score)
    if entry.kind == "intent":
        composed = compose.compose(entry, kb, lang, query.places, query.years)
        if not composed.known:
            return _fallback(brain, query, [], score, body=composed.body)
        return _composed_reply(composed, entry.id, query, brain, score=score)
    assert entry.answer is not None
    if entry.unknown:
        # "Where is the next conference?": what is known (the past ones), said as a don't-know.
        return _with_sources("fallback", lang, entry.answer.get(lang), entry.sources, brain, entry=entry.id, score=score)
    return _answer_reply(entry, entry.answer.get(lang), entry.sources, lang, brain, score=score)


def _composed_reply(composed: compose.Composed, entry_id: str, query: Query, brain: Brain, *, score: float) -> Reply:
    entry = brain.kb.entry(entry_id)
    assert entry is not None
    reply = _answer_reply(entry, composed.body, composed.sources, query.lang, brain, score=score)
    return replace(reply, cities=composed.cities)


def _answer_reply(entry: Entry, body: str, source_ids: tuple[str, ...], lang: Lang, brain: Brain, *, score: float) -> Reply:
    follow = tuple(Suggestion(f.id, choice_title(f, brain.kb, lang)) for f in map(brain.kb.entry, entry.follow_up) if f is not None)
    return _with_sources("answer", lang, body, source_ids, brain, entry=entry.id, score=score, follow_ups=follow)


def _with_sources(kind: str, lang: Lang, body: str, source_ids: tuple[str, ...], brain: Brain, **extra: object) -> Reply:
    kb = brain.kb
    sources = tuple(_source_ref(kb.sources[s], lang, kb) for s in source_ids if s in kb.sources)
    label = kb.string("sources_label", lang)
    tail = _sources_line(label, sources)
    body = fit(body, 4096 - len(tail))
    return Reply(kind=kind, lang=lang, body=body, text=body + tail, sources=sources, sources_label=label, **extra)  # type: ignore[arg-type]


def _sources_line(label: str, sources: tuple[SourceRef, ...]) -> str:
    """What a plain-text reply ends with: its sources, titles and addresses in full."""
    return ("\n\n" + label + ": " + "; ".join(f"{s.title} ({s.url})" for s in sources)) if sources else ""


def _source_ref(source: Source, lang: Lang, kb: KnowledgeBase) -> SourceRef:
    """The source as a reply cites it; a page only in the other language says so in the reader's."""
    note = kb.string(f"page_in_{source.lang}", lang) if source.lang is not None and source.lang != lang else ""
    label = source.label.get(lang) if source.label is not None else ""
    return SourceRef(source.title.get(lang), source.url, label, note)


def choice_title(entry: Entry, kb: KnowledgeBase, lang: Lang, places: tuple[PlaceRef, ...] = (),
                 years: tuple[int, ...] = ()) -> str:
    """An entry's title naming what the question named: "When did Khon Kaen and Yala join?".

    A title's {city} and {year} take the question's places and years; when it named none, a
    general word stands in ("this city"), so a title template is never shown with its braces.
    """
    title = entry.title.get(lang)
    if "{" not in title:
        return title
    by_id = {c.id: c for c in kb.cities}
    names = [by_id[p.city_id].short.get(lang) if p.city_id in by_id else p.name.get(lang) for p in places]
    year_names = [kb.string("title_year", lang).replace("{year}", str(y + BE_OFFSET if lang == "th" else y))
                  for y in years]
    values = {
        "city": compose.join_names(dict.fromkeys(names), lang, kb) or kb.string("any_city", lang),
        "year": compose.join_names(dict.fromkeys(year_names), lang, kb) or kb.string("any_year", lang),
        "count": str(len(kb.cities)),
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), title)


def fallback_reply(brain: Brain, query: Query) -> Reply:
    """The don't-know reply for a question, without suggestions (what tuning weighs a miss against)."""
    return _fallback(brain, query, [], 0.0)


def _examples(brain: Brain, lang: Lang) -> str:
    kb = brain.kb
    return kb.string("examples_intro", lang) + "\n" + "\n".join(f"• {e}" for e in kb.examples[lang])


def _smalltalk_text(brain: Brain, lang: Lang, text: str, *, entry: str | None = None, score: float = 0.0) -> Reply:
    if "{examples}" in text:
        text = text.replace("{examples}", _examples(brain, lang))
    body = fit(text.strip())
    return Reply(kind="smalltalk", lang=lang, body=body, text=body, entry=entry, score=score)


def _fallback(brain: Brain, query: Query, matches: list[Match], score: float, *, body: str | None = None) -> Reply:
    """Not a confident answer: "did you mean" with choices in the middle band, or the don't-know reply.

    A question that nearly matched is asked back, not apologised for: the choices are the reply
    (each title naming the question's own cities and years). Only a real miss says sorry, shows
    example questions and points to the people who can help (/contact).
    """
    kb, lang = brain.kb, query.lang
    suggestions = tuple(Suggestion(m.entry.id, choice_title(m.entry, kb, lang, query.places, query.years)) for m in matches)
    if suggestions:
        body = (body + "\n\n" if body else "") + kb.string("did_you_mean", lang) + "\n" \
            + "\n".join(f"• {s.title}" for s in suggestions)
    else:
        body = (body or kb.string("dont_know", lang)) + "\n\n" + _examples(brain, lang) \
            + "\n\n" + kb.string("contact_hint", lang)
    body = fit(body)
    return Reply(kind="fallback", lang=lang, body=body, text=body, entry=None, score=score, suggestions=suggestions)
